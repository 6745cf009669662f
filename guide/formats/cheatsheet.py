"""Cheat sheet: every tip on one landscape page (or ``pages`` pages), in the largest type that fits.

Tips are measured by WeasyPrint at the real column width and packed in order into columns
(``columns.py``); the type size is searched on a 0.25 pt grid, guided by text area growing as size², two
sizes at a time when there is more than one core.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from guide.config.paper import MM_PER_PT
from guide.content.model import Category, Tip
from guide.errors import GuideError, Problem
from guide.formats.columns import balance, pack
from guide.formats.job import Job
from guide.render.measure import block_heights
from guide.render.parallel import map_layouts, workers
from guide.render.pdf import finish
from guide.store.output import Output

STYLESHEETS = ("base.css", "cheatsheet.css")
# Page geometry in mm: margin at the paper's edge (beyond the 6.35 mm printers cannot reach),
# space between columns, and between the title bar, the columns and the footer.
MARGIN = 9.0
GAP = 5.0
SPACING = 3.0
# Body type sizes in pt: the grid searched (nothing is printed below its smallest size), and the
# size of code and other small text relative to the body.
MIN_SIZE, MAX_SIZE, STEP = 6.0, 11.0, 0.25
SIZES = tuple(MIN_SIZE + STEP * step for step in range(round((MAX_SIZE - MIN_SIZE) / STEP) + 1))
SMALL = 0.88
# The search starts from a guess: a character of tip source takes about this many square ems of page.
CHARACTER_AREA_EM2 = 1.0
# How far the area model may be off (line breaks are discrete): sizes it expects to overflow by less
# than this are still measured.
MODEL_ERROR = 0.03
# Columns are about this many ems wide (some 55 characters of Source Sans).
MEASURE_EM = 24.0
# Space added between tips so a column ends flush with the foot, at most this many ems per gap.
SPREAD_EM = 1.0


@dataclass(frozen=True)
class Block:
    """One tip in reading order; the first tip of a category carries the category heading."""

    tip: Tip
    category: Category
    opens: bool


@dataclass(frozen=True)
class Trial:
    """One measuring layout at a type size: the columns, and how the blocks pack into them."""

    size: float
    columns: int
    width: float
    header: float
    footer: float
    capacities: list[float]
    heights: list[float]
    leads: list[float]
    fill: float
    placement: list[list[int]]

    @property
    def fits(self) -> bool:
        """Whether every block fits in the columns."""
        return self.fill <= 1


@dataclass(frozen=True)
class Column:
    """One column of the final page: its left edge and the space added between its blocks (mm)."""

    left: float
    spread: float
    blocks: list[Block]


def build(job: Job) -> list[Output]:
    """Write ``cheatsheet.pdf``: every tip in columns on ``pages`` landscape pages (default 1)."""
    pages = job.options.cheatsheet.pages or 1
    width, height = job.paper.landscape()
    usable = (width - 2 * MARGIN, height - 2 * MARGIN)
    blocks = [
        Block(tip, category, index == 0)
        for category in job.guide.categories
        for index, tip in enumerate(category.tips)
    ]
    trial = _search(lambda sizes: _measure(job, blocks, sizes, usable, pages), _guess(blocks, usable, pages),
                    parallel=workers() > 1)
    if not trial.fits:
        raise GuideError(_too_long(trial, blocks, usable[1], pages))
    columns = _place(trial, blocks)
    html = job.html(
        "cheatsheet.html", measuring=False, paper=(width, height), usable=usable, margin=MARGIN, gap=GAP,
        spacing=SPACING, trial=trial, size=trial.size, small=_small(trial.size), tip_count=len(blocks),
        pages=[columns[start:start + trial.columns] for start in range(0, len(columns), trial.columns)],
    )
    job.keep_html("cheatsheet", html, STYLESHEETS)
    return [finish(job.layout.render(html, STYLESHEETS), job.output / "cheatsheet.pdf")]


def _place(trial: Trial, blocks: list[Block]) -> list[Column]:
    """The columns of every page, each spread (within limits) to end flush with the foot."""
    columns = []
    for index, placed in enumerate(trial.placement):
        used = sum(trial.heights[i] for i in placed) + (trial.leads[placed[0]] if placed else 0.0)
        gaps = max(len(placed) - 1, 1)
        spread = max(0.0, min((trial.capacities[index] - used) / gaps, SPREAD_EM * trial.size * MM_PER_PT))
        left = index % trial.columns * (trial.width + GAP)
        columns.append(Column(round(left, 3), round(spread, 3), [blocks[i] for i in placed]))
    return columns


def _columns(size: float, usable_width: float) -> tuple[int, float]:
    """How many columns at ``size`` pt, and their width in mm, so each is near ``MEASURE_EM`` wide."""
    count = max(1, round((usable_width + GAP) / (MEASURE_EM * size * MM_PER_PT + GAP)))
    return count, (usable_width - (count - 1) * GAP) / count


def _small(size: float) -> float:
    """The size of code and other small text: smaller than the body, never below 6 pt."""
    return max(size * SMALL, MIN_SIZE)


def _capacities(header: float, footer: float, usable_height: float, columns: int, pages: int) -> list[float]:
    """Column heights in mm on every page; the title bar takes room on the first page only."""
    rest = usable_height - footer - SPACING
    return [rest - header - SPACING] * columns + [rest] * columns * (pages - 1)


def _measure(job: Job, blocks: list[Block], sizes: list[float], usable: tuple[float, float],
             pages: int) -> dict[float, Trial]:
    """Lay out every block at each of ``sizes`` pt in one column of the real width, and pack them; the
    sizes are laid out side by side in worker processes."""
    htmls = []
    for size in sizes:
        _, width = _columns(size, usable[0])
        htmls.append(job.html("cheatsheet.html", measuring=True, usable=usable, width=width, size=size,
                              small=_small(size), blocks=blocks, tip_count=len(blocks)))
    return {size: _trial(blocks, size, usable, pages, measured)
            for size, measured in zip(sizes, map_layouts(job.layout, htmls, STYLESHEETS, block_heights))}


def _trial(blocks: list[Block], size: float, usable: tuple[float, float], pages: int,
           measured: dict[str, float]) -> Trial:
    """The blocks measured at ``size`` pt, packed into the columns of ``pages`` pages."""
    columns, width = _columns(size, usable[0])
    heights = [measured[f"tip-{block.tip.id}"] for block in blocks]
    # A column's first block loses its top padding, unless a "continued" label goes above it.
    leads = [-measured["opening-padding"] if block.opens else measured[f"cont-{block.category.slug}"]
             for block in blocks]
    capacities = _capacities(measured["header"], measured["footer"], usable[1], columns, pages)
    fill, placement = balance(heights, leads, capacities)
    return Trial(size, columns, width, measured["header"], measured["footer"], capacities, heights, leads,
                 fill, placement)


def _guess(blocks: list[Block], usable: tuple[float, float], pages: int) -> float:
    """A first size to measure, from the amount of text and of paper."""
    characters = sum(len(block.tip.title) + len(block.tip.body) for block in blocks)
    em = math.sqrt(usable[0] * usable[1] * pages / (characters * CHARACTER_AREA_EM2))
    return max((size for size in SIZES if size <= em / MM_PER_PT), default=MIN_SIZE)


def _search(measure: Callable[[list[float]], dict[float, Trial]], start: float, parallel: bool = False) -> Trial:
    """The trial at the largest size in ``SIZES`` that fits, or the failing one at the smallest.

    With ``parallel``, each round also measures the next size up, which settles the search whenever the
    size tried fits: most searches then take one round of wall time instead of two."""
    trials: dict[float, Trial] = {}
    size = start
    while size not in trials:
        sizes = [size]
        if parallel and size + STEP <= MAX_SIZE and size + STEP not in trials:
            sizes.append(size + STEP)
        trials.update(measure(sizes))
        fitting = [tried for tried in sizes if trials[tried].fits]
        size = _next_size(trials, trials[max(fitting)] if fitting else trials[size])
    return trials[size]


def _next_size(trials: dict[float, Trial], latest: Trial) -> float:
    """The next size to measure, or an already measured one when the search is over."""
    low = max((size for size, trial in trials.items() if trial.fits), default=MIN_SIZE - STEP)
    high = min((size for size, trial in trials.items() if not trial.fits), default=MAX_SIZE + STEP)
    if high - low <= STEP:
        return max(low, MIN_SIZE)
    guess = _predict(latest)
    if latest.fits and guess <= latest.size:
        return latest.size
    return min(max(guess, low + STEP), high - STEP)


def _predict(trial: Trial) -> float:
    """The largest size the model expects may fit: height grows as size² over the total column width."""
    usable_width = trial.columns * trial.width + (trial.columns - 1) * GAP
    for size in reversed(SIZES):
        columns, width = _columns(size, usable_width)
        growth = (size / trial.size) ** 2 * (trial.columns * trial.width) / (columns * width)
        if trial.fill * growth <= 1 + MODEL_ERROR:
            return size
    return MIN_SIZE


def _too_long(trial: Trial, blocks: list[Block], usable_height: float, pages: int) -> Problem:
    """Why even the smallest type does not fit: how many pages it needs, or which tip is too long."""
    for more in range(pages + 1, len(blocks) + 1):
        capacities = _capacities(trial.header, trial.footer, usable_height, trial.columns, more)
        if pack(trial.heights, trial.leads, capacities) is not None:
            given = f"{pages} cheat sheet page{'s' if pages > 1 else ''}"
            return Problem(None, f"the tips do not fit on {given} even at {trial.size:g} pt: "
                                 f"they need {more} pages (--pages {more}) or shorter tips")
    tallest = max(range(len(blocks)), key=lambda index: trial.heights[index])
    tip = blocks[tallest].tip
    return Problem(tip.source.path, f'tip "{tip.title}" is too long for a cheat sheet column even at '
                                    f"{trial.size:g} pt; shorten it", tip.source.line)
