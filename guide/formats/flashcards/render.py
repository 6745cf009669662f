"""Print a deck: cards placed on sheets as the duplex mode needs, laid out by WeasyPrint in chunks that
are kept between builds, and joined into the PDF."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from guide.config.options import FlashcardOptions
from guide.errors import GuideError, Problem
from guide.formats.flashcards import geometry as cardgrid
from guide.formats.flashcards.deck import STYLESHEETS, Card, Deck, Layout, layout, plan
from guide.formats.flashcards.geometry import Grid
from guide.formats.flashcards.sheets import SheetCache
from guide.formats.job import Job
from guide.render.joining import join
from guide.render.measure import block_heights
from guide.render.parallel import map_layouts, workers
from guide.store.output import Output

if TYPE_CHECKING:
    from weasyprint.document import Document

# Pages laid out per document (even, so a front stays with its back): bounds memory, spreads work over
# processes (each worker holds one chunk's layout: 24 pages keep 10,000 cards under 300 MB in all), and
# lets a rebuild after an edit find the sheets that changed.
CHUNK_PAGES = 24
# Anchor names of the questions and answers checked in the laid-out sheets.
CHECKED = "fit-"


@dataclass(frozen=True)
class Face:
    """One side of a card placed on a page, top-left corner in mm."""

    card: Card
    side: str
    x: float
    y: float


@dataclass(frozen=True)
class Page:
    """What one PDF page carries: card faces, crop marks and dashed guide lines (left, top, w, h), and
    tinted card backgrounds (left, top, w, h, colour) drawn beneath everything."""

    faces: list[Face]
    marks: list[tuple[float, float, float, float]]
    lines: list[tuple[float, float, float, float]]
    fills: list[tuple[float, float, float, float, str]] = ()


@dataclass(frozen=True)
class Written:
    """What laying out one output gave: the output, or the keys of the texts found taller than their card
    (``q-ID``, ``a-ID``, ``a-ID/N``), when the output is not written."""

    output: Output | None
    too_tall: frozenset[str] = frozenset()


def build(job: Job) -> list[Output]:
    """Write the deck as ``flashcards.pdf`` (or fronts and backs apart, with ``split``).

    Sizes the estimate settled are checked in the laid-out sheets; a text found too tall there (which the
    tests say does not happen) is measured, and the deck planned and laid out again, until none is."""
    options = job.options.flashcards
    place = layout(job, options)
    measure: frozenset[str] = frozenset()
    while True:
        deck = plan(job, measure)
        problems = deck.overflows() + deck.continued(options.strict)
        if problems and options.strict:
            raise GuideError(problems)
        written = _outputs(job, place, deck, options)
        too_tall = frozenset().union(*(item.too_tall for item in written))
        if not too_tall:
            job.layout.warnings.extend(str(problem) for problem in problems)
            return [item.output for item in written]
        if too_tall <= measure:
            raise GuideError(_misjudged(deck, too_tall))
        measure |= too_tall


def _misjudged(deck: Deck, keys: frozenset[str]) -> list[Problem]:
    return [Problem(card.tip.source.path, f'tip "{card.tip.id}" came out taller on its card than measured: '
                    "does the theme style .card texts differently?", card.tip.source.line)
            for card in deck.cards if {card.front.key, card.back.key} & keys]


def _outputs(job: Job, place: Layout, deck: Deck, options: FlashcardOptions) -> list[Written]:
    grid, cards = place.grid, deck.cards
    context = dict(place.template_context(), total=deck.tips)
    sheets = [cards[start:start + grid.per_sheet] for start in range(0, len(cards), grid.per_sheet)]
    instructions = _instructions(job, options, grid)
    if options.duplex == "fold":
        pages = [_fold_page(grid, sheet, options) for sheet in sheets]
        return [_write(job, pages, context, "flashcards.pdf", instructions)]
    fronts = [_front_page(grid, sheet, options) for sheet in sheets]
    backs = [_back_page(grid, sheet, options) for sheet in sheets]
    if options.duplex == "split":
        return [_write(job, fronts, context, "flashcards-fronts.pdf", instructions),
                _write(job, backs, context, "flashcards-backs.pdf", "")]
    pages = [page for pair in zip(fronts, backs) for page in pair]
    return [_write(job, pages, context, "flashcards.pdf", instructions)]


def _front_page(grid: Grid, sheet: list[Card], options: FlashcardOptions) -> Page:
    faces = [Face(card, "front", *grid.front(slot)) for slot, card in enumerate(sheet)]
    return Page(faces, cardgrid.crop_marks(grid, options.margin, options.bleed), _guides(grid, options),
                _fills(grid, faces, options))


def _back_page(grid: Grid, sheet: list[Card], options: FlashcardOptions) -> Page:
    flip = "long-edge" if options.duplex == "split" else options.duplex
    faces = [Face(card, "back", *grid.back(slot, flip, options.back_offset)) for slot, card in enumerate(sheet)]
    return Page(faces, [], [], _fills(grid, faces, options))


def _fills(grid: Grid, cells: list[Face], options: FlashcardOptions) -> list[tuple[float, float, float, float, str]]:
    """With ``tint``, a light wash of each card's category colour, running ``bleed`` mm past the card's
    edges so that a cut a little off the line leaves no white sliver."""
    if not options.tint:
        return []
    bleed = min(options.bleed, grid.gutter / 2)
    return [(*cardgrid.fill(grid, (face.x, face.y), bleed), _tinted(face.card.category.color)) for face in cells]


def _tinted(color: str, strength: float = 0.13) -> str:
    """``color`` (#rgb or #rrggbb) mixed into white: a background light enough for black text."""
    digits = color.lstrip("#")
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    channels = (int(digits[i:i + 2], 16) for i in (0, 2, 4))
    return "#" + "".join(f"{round(255 - (255 - value) * strength):02x}" for value in channels)


def _fold_page(grid: Grid, sheet: list[Card], options: FlashcardOptions) -> Page:
    """Each cell holds a front and, to its right, its back; folding the cell puts one behind the other."""
    half = grid.card_width / 2
    faces, folds = [], []
    for slot, card in enumerate(sheet):
        x, y = grid.front(slot)
        faces += [Face(card, "front", x, y), Face(card, "back", x + half, y)]
        folds.append((x + half - cardgrid.STROKE / 2, y, cardgrid.STROKE, grid.card_height))
    pairs = [face for face in faces if face.side == "front"]
    return Page(faces, cardgrid.crop_marks(grid, options.margin, options.bleed), folds + _guides(grid, options),
                _fills(grid, pairs, options))


def _guides(grid: Grid, options: FlashcardOptions) -> list[tuple[float, float, float, float]]:
    """Dashed lines along every cut with ``cut_lines``, else along the cuts no crop mark has room for."""
    return cardgrid.cut_guides(grid, ("vertical", "horizontal") if options.cut_lines
                               else cardgrid.unmarked(grid, options.margin, options.bleed), options.bleed)


def _instructions(job: Job, options: FlashcardOptions, grid: Grid) -> str:
    paper = job.paper.name
    unmarked = cardgrid.unmarked(grid, options.margin, options.bleed)
    if options.cut_lines or not unmarked:
        cutting = "; cut along the dashed lines" if options.cut_lines else "; cut along the crop marks"
    else:
        cutting = f"; no room for crop marks on the {' and '.join(unmarked)} cuts: cut along the dashed lines there"
    return {
        "long-edge": f"print on {paper} at 100 % (actual size), double-sided, flip on the long edge",
        "short-edge": f"print on {paper} at 100 % (actual size), double-sided, flip on the short edge",
        "fold": f"print on {paper} at 100 % (actual size), one-sided; cut out each pair and fold it on the dashed line",
        "split": f"print the fronts on {paper} at 100 % (actual size), put the printed sheets back in the tray "
                 "turned over their long edge, then print flashcards-backs.pdf",
    }[options.duplex] + cutting


def _write(job: Job, pages: list[Page], context: dict, name: str, instructions: str) -> Written:
    """Lay the pages out in chunks of sheets (only the sheets not laid out before) and join them in one PDF,
    unless a question or answer that should fit its card was laid out taller."""
    classes = _classes(pages)
    job.keep_html(Path(name).stem, lambda: _chunk_html(job, pages, context, classes), STYLESHEETS)
    chunks = [_chunk_html(job, chunk, context, classes) for chunk in _chunks(pages)]
    kept = SheetCache(job.output, Path(name).stem, job.context_digest)
    plans = [plan for chunk in chunks if (plan := kept.plan(chunk))]
    job.progress.step("flashcards", len(plans))
    laid_out = map_layouts(job.layout, [plan.html for plan in plans], STYLESHEETS,
                           partial(_checked_pdf, context["area"][1]), job.progress)
    too_tall: set[str] = set()
    for plan, (pdf, overflowing) in zip(plans, laid_out):
        too_tall |= overflowing
        if not overflowing:
            kept.store(plan, pdf)
    if too_tall:
        return Written(None, frozenset(too_tall))
    parts = kept.pdfs(chunks)
    return Written(Output(job.output / name, parts[0] if len(parts) == 1 else join(parts), len(pages), instructions))


def _chunks(pages: list[Page]) -> list[list[Page]]:
    """``pages`` cut between sheets into chunks of at most ``CHUNK_PAGES``, as many as a multiple of the
    worker processes and as even as can be, so that no worker is left idle while another finishes."""
    sheets = [pages[start:start + 2] for start in range(0, len(pages), 2)]
    cores = workers()
    count = -(-len(sheets) // (CHUNK_PAGES // 2))
    count = max(1, min(len(sheets), -(-count // cores) * cores))
    size, extra = divmod(len(sheets), count)
    chunks, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        chunks.append([page for sheet in sheets[start:end] for page in sheet])
        start = end
    return chunks


def _classes(pages: list[Page]) -> dict[str, dict]:
    """Numbered classes for what varies between cards (place, box, tint, colour, type size), the same in
    every chunk of a deck: a sheet's HTML then depends only on its own cards."""
    faces = [face for page in pages for face in page.faces]

    def numbered(values) -> dict:
        return {value: index for index, value in enumerate(sorted(set(values)))}

    return dict(
        places=numbered((face.x, face.y) for face in faces),
        boxes=numbered([box for page in pages for box in (*page.marks, *page.lines)]
                       + [fill[:4] for page in pages for fill in page.fills]),
        tints=numbered(fill[4] for page in pages for fill in page.fills),
        colors=numbered(face.card.category.color for face in faces),
        sizes=numbered(getattr(face.card, face.side).fit.size for face in faces),
    )


def _chunk_html(job: Job, pages: list[Page], context: dict, classes: dict[str, dict]) -> str:
    return job.html("flashcards.html", pages=pages, classes=classes, **context)


def _checked_pdf(height: float, document: Document) -> tuple[bytes, set[str]]:
    """The PDF of ``document``, and the keys of the checked texts in it taller than ``height`` mm."""
    heights = block_heights(document, CHECKED, remove=True)
    return document.write_pdf(), {key for key, value in heights.items() if value > height + 0.01}
