"""A duplex calibration sheet: scales on the front, pointers on the back, read against a light."""

from __future__ import annotations

from dataclasses import dataclass

from guide.formats.job import Job
from guide.render.pdf import finish
from guide.store.output import Output

RANGE_MM = 6
TICK_STEP = 0.5
SCALE_DISTANCE = 30.0  # from the page centre to each scale, in mm
POINTER_REACH = 45.0


@dataclass(frozen=True)
class Tick:
    """A scale tick at ``position`` mm (along x or y); labelled ticks give the offset to pass."""

    position: float
    label: str
    major: bool
    stagger: bool


def build(job: Job) -> list[Output]:
    """Write ``calibration.pdf``: one sheet to print double-sided like the flashcards."""
    paper = job.paper
    duplex = job.options.flashcards.duplex
    centre = (paper.width / 2, paper.height / 2)
    ticks = [_tick(step * TICK_STEP) for step in range(int(-RANGE_MM / TICK_STEP), int(RANGE_MM / TICK_STEP) + 1)]
    html = job.html("calibration.html", paper=paper, centre=centre, ticks=ticks, distance=SCALE_DISTANCE,
                    reach=POINTER_REACH, duplex=duplex)
    document = job.layout.render(html, ("base.css", "calibration.css"))
    edge = "short" if duplex == "short-edge" else "long"
    how = (f"print on {paper.name} at 100 % (actual size), double-sided, flip on the {edge} edge; "
           "hold it to a light and pass the numbers under the lines as --back-offset X,Y")
    return [finish(document, job.output / "calibration.pdf", how)]


def _tick(offset: float) -> Tick:
    """The pointer falling ``offset`` mm right/down means the back must move by ``-offset``."""
    value = -offset
    label = (f"{value:+g}" if value else "0") if offset % 2 == 0 else ""
    return Tick(offset, label, offset == int(offset), offset % 4 != 0)
