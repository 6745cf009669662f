"""Paper sizes and the printable margin, in millimetres."""

from __future__ import annotations

from dataclasses import dataclass

MM_PER_INCH = 25.4
# CSS units: a point is 1/72 in, a pixel 1/96 in.
MM_PER_PT = MM_PER_INCH / 72
MM_PER_PX = MM_PER_INCH / 96
# Most printers cannot put ink within about 1/4 in of the edge.
SAFE_MARGIN_MM = 0.25 * MM_PER_INCH


@dataclass(frozen=True)
class Paper:
    """A sheet of paper, portrait: width below height."""

    name: str
    width: float
    height: float

    def landscape(self) -> tuple[float, float]:
        """Width and height with the long side across."""
        return self.height, self.width


PAPERS = {
    "letter": Paper("Letter", 8.5 * MM_PER_INCH, 11 * MM_PER_INCH),
    "a4": Paper("A4", 210.0, 297.0),
    "legal": Paper("Legal", 8.5 * MM_PER_INCH, 14 * MM_PER_INCH),
}
