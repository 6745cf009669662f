"""Cheat sheet: every tip on landscape pages, in the largest type that fits.

The number of pages is ``pages`` (``--pages`` or ``cheatsheet: pages:`` in guide.yaml), else the fewest
at which the type stays at or above 6 pt. Tips are measured by WeasyPrint at the real column width and
packed in order into columns (``columns.py``); a tip taller than a column flows on into the next one. The
type size is searched on a 0.25 pt grid, guided by text area growing as size², two sizes at a time when
there is more than one core.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass

from guide.config.paper import MM_PER_PT
from guide.content.fragments import top_level
from guide.content.model import Category, Tip
from guide.errors import GuideError, Problem
from guide.formats.columns import Item, Piece, balance, pack
from guide.formats.job import Job
from guide.render.measure import block_heights
from guide.render.parallel import map_layouts, workers
from guide.render.pdf import finish
from guide.store.cache import Cache
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
# How the build and ``guide check`` say why the sheet takes the pages it takes, when none were asked for.
FEWEST = f"the fewest pages at {MIN_SIZE:g} pt or more"
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
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shown:
    """What a column shows of a block: all of it, or its ``parts[start:end]`` when it is split."""

    block: Block
    parts: tuple[str, ...]
    continued: bool = False

    @property
    def opens(self) -> bool:
        """Whether this piece carries its category's heading."""
        return self.block.opens and not self.continued


@dataclass(frozen=True)
class Trial:
    """One measuring layout at a type size: the columns, and how the blocks pack into them."""

    size: float
    columns: int
    width: float
    header: float
    footer: float
    capacities: list[float]
    items: list[Item]
    fill: float
    placement: list[list[Piece]]
    pages: int = 1

    @property
    def fits(self) -> bool:
        """Whether every block fits in the columns."""
        return self.fill <= 1


@dataclass(frozen=True)
class Column:
    """One column of the final page: its left edge and the space added between its blocks (mm)."""

    left: float
    spread: float
    blocks: list[Shown]


@dataclass(frozen=True)
class Plan:
    """The tips as blocks and the trial that holds them all: its size and number of pages."""

    blocks: list[Block]
    trial: Trial
    usable: tuple[float, float]

    def describe(self) -> str:
        """How the sheet is set, as the build says it: ``6.25 pt type on 15 pages``."""
        return f"{self.trial.size:g} pt type on {self.trial.pages} page{'s' if self.trial.pages > 1 else ''}"


def plan(job: Job) -> Plan:
    """Measure the tips and find the largest type that holds them on the pages asked for, else on the fewest
    pages at which the type is at least ``MIN_SIZE`` (raising :class:`GuideError` when none does); the
    public interface ``guide check`` uses too."""
    asked = job.options.cheatsheet.pages
    width, height = job.paper.landscape()
    usable = (width - 2 * MARGIN, height - 2 * MARGIN)
    blocks = [
        Block(tip, category, index == 0, tuple(top_level(tip.body_html)))
        for category in job.guide.categories
        for index, tip in enumerate(category.tips)
    ]
    measured: dict[float, dict[str, float]] = {}
    kept = Cache(job.output, "cheatsheet", job.context_digest)

    def search(pages: int) -> Trial:
        def measure(sizes: list[float]) -> dict[float, Trial]:
            measured.update(_measure(job, blocks, [size for size in sizes if size not in measured], usable, kept))
            return {size: _trial(blocks, size, usable, pages, measured[size]) for size in sizes}

        return _search(measure, _guess(blocks, usable, pages), parallel=workers() > 1)

    trial = search(asked or 1)
    if not trial.fits and not asked and (needed := _pages_needed(trial, usable[1])):
        trial = search(needed)
    kept.save()
    if not trial.fits:
        raise GuideError(_too_long(trial, blocks, usable[1]))
    return Plan(blocks, trial, usable)


def build(job: Job) -> list[Output]:
    """Write ``cheatsheet.pdf`` as :func:`plan` sets it."""
    planned = plan(job)
    blocks, trial = planned.blocks, planned.trial
    columns = _place(trial, blocks)
    html = job.html(
        "cheatsheet.html", measuring=False, paper=job.paper.landscape(), usable=planned.usable, margin=MARGIN, gap=GAP,
        spacing=SPACING, trial=trial, size=trial.size, small=_small(trial.size), tip_count=len(blocks),
        pages=[columns[start:start + trial.columns] for start in range(0, len(columns), trial.columns)],
    )
    job.keep_html("cheatsheet", html, STYLESHEETS)
    how = "" if job.options.cheatsheet.pages else f"{trial.size:g} pt type, {FEWEST}"
    return [finish(job.layout.render(html, STYLESHEETS), job.output / "cheatsheet.pdf", how)]


def _place(trial: Trial, blocks: list[Block]) -> list[Column]:
    """The columns of every page, each spread (within limits) to end flush with the foot."""
    columns = []
    for index, placed in enumerate(trial.placement):
        used = sum(_cost(trial.items[block], start, end, position == 0)
                   for position, (block, start, end) in enumerate(placed))
        gaps = max(len(placed) - 1, 1)
        spread = max(0.0, min((trial.capacities[index] - used) / gaps, SPREAD_EM * trial.size * MM_PER_PT))
        left = index % trial.columns * (trial.width + GAP)
        shown = [_shown(blocks[block], start, end) for block, start, end in placed]
        columns.append(Column(round(left, 3), round(spread, 3), shown))
    return columns


def _shown(block: Block, start: int, end: int) -> Shown:
    """A block as placed: whole, or the parts ``start`` to ``end`` of a split one."""
    if start == end == 0:
        return Shown(block, block.parts)
    return Shown(block, block.parts[start:end], continued=start > 0)


def _cost(item: Item, start: int, end: int, opening: bool) -> float:
    """The height of a placed piece of ``item``, with its lead when it opens its column."""
    if start == end == 0:
        return item.height + (item.lead if opening else 0.0)
    head, lead = (item.head, item.lead) if start == 0 else (item.resumed, item.resumed_lead)
    return head + sum(item.parts[start:end]) + (lead if opening else 0.0)


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
             kept: Cache) -> dict[float, dict[str, float]]:
    """The heights of every block at each of ``sizes`` pt in one column of the real width: those ``kept``
    from earlier builds, the others laid out (the sizes side by side in worker processes) and kept. The
    title bar, footer and labels are laid out every time: they show the tip count and the date."""
    patterns = {category.slug: index % 4 for index, category in enumerate(job.guide.categories)}
    identities = {block.tip.id: _identity(block, patterns[block.category.slug]) for block in blocks}
    htmls, keys = [], []
    for size in sizes:
        _, width = _columns(size, usable[0])
        keys.append({tip_id: kept.key(f"{size:g}", f"{width:.4f}", identity) for tip_id, identity in identities.items()})
        todo = [block for block in blocks if kept.get(keys[-1][block.tip.id]) is None]
        htmls.append(job.html("cheatsheet.html", measuring=True, usable=usable, width=width, size=size,
                              small=_small(size), blocks=todo, tip_count=len(blocks)))
    measured = {}
    for size, block_keys, heights in zip(sizes, keys, map_layouts(job.layout, htmls, STYLESHEETS, block_heights)):
        for block in blocks:
            key = block_keys[block.tip.id]
            own = kept.get(key) or {name: heights[name] for name in _names(block)}
            kept.put(key, own)
            heights.update(own)
        measured[size] = heights
    return measured


def _identity(block: Block, pattern: int) -> str:
    """Everything a block's measured height depends on besides the size, the width and the build's context
    (not where its tip was written: editing the tip above it moves it down its file)."""
    category = block.category
    return repr((dataclasses.replace(block.tip, source=None), block.opens, block.parts, category.name,
                 category.slug, category.color, str(category.badge), pattern))


def _names(block: Block) -> list[str]:
    """The measured heights that are the block's: itself, each of its parts, its head when resumed."""
    tip_id = block.tip.id
    return [f"tip-{tip_id}", f"resumed-{tip_id}", *(f"part-{tip_id}-{index}" for index in range(len(block.parts)))]


def _trial(blocks: list[Block], size: float, usable: tuple[float, float], pages: int,
           measured: dict[str, float]) -> Trial:
    """The blocks measured at ``size`` pt, packed into the columns of ``pages`` pages."""
    columns, width = _columns(size, usable[0])
    capacities = _capacities(measured["header"], measured["footer"], usable[1], columns, pages)
    items = _items(blocks, measured, min(capacities))
    fill, placement = balance(items, capacities)
    return Trial(size, columns, width, measured["header"], measured["footer"], capacities, items, fill,
                 placement, pages)


def _items(blocks: list[Block], measured: dict[str, float], column: float) -> list[Item]:
    """The measured blocks; a block taller than a ``column`` mm column may be split between its parts."""
    items = []
    for block in blocks:
        height = measured[f"tip-{block.tip.id}"]
        # A column's first block loses its top padding, unless a "continued" label goes above it.
        label = measured[f"cont-{block.category.slug}"]
        lead = -measured["opening-padding"] if block.opens else label
        if height + lead <= column:
            items.append(Item(height, lead))
            continue
        parts = tuple(measured[f"part-{block.tip.id}-{index}"] for index in range(len(block.parts)))
        items.append(Item(height, lead, parts, measured[f"resumed-{block.tip.id}"], label))
    return items


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


def _pages_needed(trial: Trial, usable_height: float) -> int | None:
    """The fewest pages that hold every block at the trial's size, if any number does."""
    pieces = sum(max(len(item.parts), 1) for item in trial.items)
    for pages in range(trial.pages + 1, pieces + 2):
        capacities = _capacities(trial.header, trial.footer, usable_height, trial.columns, pages)
        if pack(trial.items, capacities) is not None:
            return pages
    return None


def _too_long(trial: Trial, blocks: list[Block], usable_height: float) -> Problem:
    """Why even the smallest type does not fit: how many pages it needs, or which tip is too long."""
    if more := _pages_needed(trial, usable_height):
        given = f"{trial.pages} cheat sheet page{'s' if trial.pages > 1 else ''}"
        return Problem(None, f"the tips do not fit on {given} even at {trial.size:g} pt: "
                             f"they need {more} pages (--pages {more}) or shorter tips")
    tallest = max(range(len(blocks)), key=lambda index: max(trial.items[index].parts, default=0.0))
    tip = blocks[tallest].tip
    return Problem(tip.source.path, f'tip "{tip.title}" has a part (a paragraph, list, table or code block) '
                                    f"too long for a cheat sheet column even at {trial.size:g} pt; shorten it",
                   tip.source.line)
