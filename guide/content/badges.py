"""Category badges: a distinct shape before each category's name, so categories tell apart in black and
white as well as in colour."""

from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup

# SVG paths in a 10 x 10 box (even-odd filled): twelve shapes that differ in outline, not only in size.
SHAPES = (
    "M5 .5A4.5 4.5 0 1 1 5 9.5A4.5 4.5 0 1 1 5 .5Z",  # disc
    "M1 1H9V9H1Z",  # square
    "M5 .3L9.8 9H.2Z",  # triangle
    "M5 0L10 5L5 10L0 5Z",  # diamond
    "M3.4 0H6.6V3.4H10V6.6H6.6V10H3.4V6.6H0V3.4H3.4Z",  # plus
    "M5 0L6.2 3.6H10L7 5.9L8.1 9.6L5 7.3L1.9 9.6L3 5.9L0 3.6H3.8Z",  # star
    "M5 .5A4.5 4.5 0 1 1 5 9.5A4.5 4.5 0 1 1 5 .5ZM5 2.4A2.6 2.6 0 1 0 5 7.6A2.6 2.6 0 1 0 5 2.4Z",  # ring
    "M1 1H9V9H1ZM2.8 2.8V7.2H7.2V2.8Z",  # open square
    "M.2 1H9.8L5 9.7Z",  # triangle pointing down
    "M5 0L10 5L5 10L0 5ZM5 2.2L2.2 5L5 7.8L7.8 5Z",  # open diamond
    "M1.6 0L5 3.4L8.4 0L10 1.6L6.6 5L10 8.4L8.4 10L5 6.6L1.6 10L0 8.4L3.4 5L0 1.6Z",  # cross
    "M0 .5L5 5L0 9.5ZM10 .5L5 5L10 9.5Z",  # bow tie
)
PLAIN = "#575757"
NAMES = ("disc", "square", "triangle", "diamond", "plus", "star", "ring", "open square", "down triangle",
         "open diamond", "cross", "bow tie")


def badge(index: int, color: str) -> Markup:
    """The badge of the category at ``index`` (in guide order) as two inline images sized by the
    stylesheets: its shape in ``color`` (``.badge``), and in grey (``.badge.plain``, shown by the print
    theme in its place)."""
    shape = index % len(SHAPES)
    return Markup("").join(Markup('<img class="{}" alt="{}" src="data:image/svg+xml,{}">').format(
        classes, NAMES[shape], quote(_svg(SHAPES[shape], fill))) for classes, fill in (("badge", color),
                                                                                       ("badge plain", PLAIN)))


def _svg(path: str, fill: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path fill="{fill}" '
            f'fill-rule="evenodd" d="{path}"/></svg>')
