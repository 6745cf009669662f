"""A duplex calibration sheet: one scale per axis on the front, pointer lines on the back, read against a
light. The sheet has the size and orientation of the flashcard sheets it calibrates, so its reading is
the ``--back-offset`` those sheets take as it is."""

from __future__ import annotations

from dataclasses import dataclass

from guide.formats.flashcards.cards import sheet_grid
from guide.formats.job import Job
from guide.render.pdf import finish
from guide.store.output import Output

RANGE_MM = 6
TICK_STEP = 0.5
SCALE_DISTANCE = 30.0  # from the page centre to each scale, in mm
POINTER_REACH = SCALE_DISTANCE + 10.0
# The numbers stand this many times further apart than their ticks, this far beyond the scale, each with an
# arrow to its own tick.
SPREAD = 4.5
FAN = 12.0


@dataclass(frozen=True)
class Tick:
    """A scale tick at ``position`` mm from the centre (along x or y); a numbered tick gives the offset to
    pass, and its number stands at ``spread`` mm from the centre."""

    position: float
    label: str
    spread: float


def build(job: Job) -> list[Output]:
    """Write ``calibration.pdf``: one sheet to print double-sided like the flashcards."""
    grid = sheet_grid(job)
    page = (grid.page_width, grid.page_height)
    duplex = job.options.flashcards.duplex
    ticks = [_tick(step * TICK_STEP) for step in range(int(-RANGE_MM / TICK_STEP), int(RANGE_MM / TICK_STEP) + 1)]
    orientation = "landscape" if grid.landscape else "portrait"
    html = job.html("calibration.html", paper=job.paper, page=page, centre=(page[0] / 2, page[1] / 2), ticks=ticks,
                    distance=SCALE_DISTANCE, fan=FAN, reach=POINTER_REACH, duplex=duplex, orientation=orientation)
    document = job.layout.render(html, ("base.css", "calibration.css"))
    edge = "short" if duplex == "short-edge" else "long"
    how = (f"print on {job.paper.name} at 100 % (actual size), double-sided, flip on the {edge} edge "
           f"({orientation}, like your flashcard sheets); hold it to a light and pass the numbers the lines "
           "cross as --back-offset X,Y")
    return [finish(document, job.output / "calibration.pdf", how)]


def _tick(offset: float) -> Tick:
    """The pointer falling ``offset`` mm right/down means the back must move by ``-offset``."""
    value = -offset
    whole = offset == int(offset)
    label = (f"{value:+g}".replace("-", "\u2212") if value else "0") if whole else ""
    return Tick(offset, label, SPREAD * offset)
