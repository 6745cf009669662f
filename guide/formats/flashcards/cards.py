"""Flashcards: the question on a card's front, its answer exactly behind it, for any printer."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from guide.config.options import FlashcardOptions
from guide.content.model import Category, Tip
from guide.errors import GuideError, Problem
from guide.formats.flashcards import estimate as cardtext
from guide.formats.flashcards import geometry as cardgrid
from guide.formats.flashcards.geometry import Grid
from guide.formats.flashcards.sheets import SheetCache
from guide.formats.job import Job
from guide.render.measure import block_heights
from guide.render.parallel import map_layouts, workers
from guide.store.cache import JsonCache
from guide.store.manifest import digest
from guide.store.output import Output

if TYPE_CHECKING:
    from weasyprint.document import Document

STYLESHEETS = ("base.css", "flashcards.css")
# Type sizes (pt) tried from largest to smallest until the text fits its card.
QUESTION_SIZES = (15.0, 14.0, 13.0, 12.0, 11.0, 10.0, 9.0)
ANSWER_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)
# Card regions in mm; flashcards.css draws the same boxes.
PADDING = 4.5
HEAD = 6.0
FOOT = 4.0
# Pages laid out per document (even, so a front stays with its back): bounds memory, spreads work over
# processes (each worker holds one chunk's layout: 24 pages keep 10,000 cards under 300 MB in all), and
# lets a rebuild after an edit find the sheets that changed.
CHUNK_PAGES = 24
# Texts measured per document when fitting.
MEASURE_CHUNK = 200
# Anchor names of the questions and answers checked in the laid-out sheets.
CHECKED = "fit-"


@dataclass(frozen=True)
class Fit:
    """The type size chosen for a block, its measured height, and whether it fits."""

    size: float
    height: float
    fits: bool


@dataclass(frozen=True)
class Card:
    """One tip as a card: its number in the deck and the fitted type of both faces."""

    tip: Tip
    category: Category
    number: int
    question: Fit
    answer: Fit


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


def build(job: Job) -> list[Output]:
    """Write the deck as ``flashcards.pdf`` (or fronts and backs apart, with ``split``).

    Sizes the estimate settled are checked in the laid-out sheets; a text found too tall there (which the
    tests say does not happen) is measured and its sheets are laid out again."""
    options = job.options.flashcards
    grid, card_width, card_height, area = _geometry(job, options)
    context = dict(grid=grid, card_width=card_width, card_height=card_height, area=area,
                   padding=PADDING, head=HEAD, foot=FOOT)
    measure: frozenset[str] = frozenset()
    while True:
        cards = _fitted(job, area, measure)
        problems = too_long(cards)
        if problems and options.strict:
            raise GuideError(problems)
        try:
            outputs = _outputs(job, grid, cards, options, dict(context, total=len(cards)))
        except _Overflow as overflow:
            if overflow.keys <= measure:
                raise GuideError([Problem(card.tip.source.path, f'tip "{card.tip.id}" came out taller on its card '
                                          "than measured: does the theme style .card texts differently?",
                                          card.tip.source.line)
                                  for card in cards if {f"q-{card.tip.id}", f"a-{card.tip.id}"} & overflow.keys])
            measure |= overflow.keys
            continue
        job.layout.warnings.extend(str(problem) for problem in problems)
        return outputs


def _outputs(job: Job, grid: Grid, cards: list[Card], options: FlashcardOptions, context: dict) -> list[Output]:
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


def fitted_cards(job: Job) -> list[Card]:
    """Every tip as a card with the type fitted to each face, as the build would print it, without laying
    out any sheet or reporting anything: ``card.question.fits and card.answer.fits`` tells whether the tip
    fits its card, and :func:`too_long` says so as the build does."""
    _, _, _, area = _geometry(job, job.options.flashcards)
    return _fitted(job, area)


def _geometry(job: Job, options: FlashcardOptions) -> tuple[Grid, float, float, tuple[float, float]]:
    """The sheet grid, one card's width and height, and the area its question or answer must fit (mm)."""
    folded = options.duplex == "fold"
    grid = _grid(job, options, folded)
    card_width, card_height = (grid.card_width / 2, grid.card_height) if folded else (grid.card_width, grid.card_height)
    area = (card_width - 2 * PADDING, card_height - 2 * PADDING - HEAD - FOOT)
    if min(area) < 12:
        raise GuideError(f"a {card_width:.0f} x {card_height:.0f} mm card is too small for a question and its answer")
    return grid, card_width, card_height, area


def sheet_grid(job: Job) -> Grid:
    """The grid the deck's sheets are laid out on: the calibration sheet takes their size and orientation."""
    options = job.options.flashcards
    return _grid(job, options, options.duplex == "fold")


def _grid(job: Job, options: FlashcardOptions, folded: bool) -> Grid:
    """The most cards per sheet; folded cards are a front and back side by side."""
    width, height = options.card
    bleed = options.bleed if options.tint else 0.0
    # Backs moved by the offset take their ink with them: all of a tinted card, an untinted one's text.
    reach = (0.0, 0.0) if folded else cardgrid.back_reach(options.back_offset, 0.0 if options.tint else PADDING)
    try:
        return cardgrid.best_grid(job.paper, (2 * width, height) if folded else options.card, options.margin,
                                  options.gutter, bleed, reach)
    except ValueError as error:
        raise GuideError(str(error)) from None


def _fitted(job: Job, area: tuple[float, float], measure: frozenset[str] = frozenset()) -> list[Card]:
    """Cards with fitted type; the questions and answers keyed in ``measure`` (``q-ID``, ``a-ID``) are
    measured whatever the estimate says."""
    pairs = [(tip, category) for category in job.guide.categories for tip in category.tips]
    cache = _FitCache(job.output, digest(job.context_digest, repr(area)))
    questions = _fit(job, area, {tip.id: tip.question for tip, _ in pairs}, "question", QUESTION_SIZES, cache,
                     {key[2:] for key in measure if key.startswith("q-")})
    answers = _fit(job, area, {tip.id: answer_html(tip) for tip, _ in pairs}, "answer", ANSWER_SIZES, cache,
                   {key[2:] for key in measure if key.startswith("a-")})
    cache.save()
    return [Card(tip, category, number, questions[tip.id], answers[tip.id])
            for number, (tip, category) in enumerate(pairs, 1)]


def too_long(cards: list[Card]) -> list[Problem]:
    """A problem naming file, line and id for each card whose question or answer does not fit."""
    return [
        Problem(card.tip.source.path, f'tip "{card.tip.id}" does not fit on a card even at '
                f"{(QUESTION_SIZES if not card.question.fits else ANSWER_SIZES)[-1]:g} pt: "
                "shorten it or choose a larger --card", card.tip.source.line)
        for card in cards if not (card.question.fits and card.answer.fits)
    ]


def answer_html(tip: Tip) -> Markup:
    """A card's back: the tip's title as a heading, then its body; fitted together, so neither is cut."""
    return Markup('<h3 class="answer-title">{}</h3>').format(tip.title) + tip.body_html


class _FitCache:
    """Fitted sizes of texts already measured under the same code, theme, settings and card area."""

    def __init__(self, output: Path, context: str):
        self.store, self.context = JsonCache(output, "fits.json"), context

    def get(self, kind: str, text: str) -> Fit | None:
        found = self.store.get(digest(self.context, kind, text))
        return Fit(*found) if found else None

    def put(self, kind: str, text: str, fit: Fit) -> None:
        self.store.put(digest(self.context, kind, text), [fit.size, fit.height, fit.fits])

    def save(self) -> None:
        self.store.save()


def _fit(job: Job, area: tuple[float, float], texts: dict[str, str], kind: str,
         sizes: tuple[float, ...], cache: _FitCache, measure: set[str]) -> dict[str, Fit]:
    """The largest size in ``sizes`` at which each text fits ``area``. An estimate from the fonts settles
    what is beyond doubt; WeasyPrint measures the rest (and the keys in ``measure``), starting at the
    estimated size."""
    width, height = area
    fits = {key: fit for key in texts if key not in measure and (fit := cache.get(kind, texts[key]))}
    # Estimated (least, most) height at every size, kept as numbers: parsed texts would be copied into
    # every worker process.
    bounds: dict[str, list[tuple[float, float]] | None] = {}
    pending = {}
    for key in texts:
        if key in fits:
            continue
        guess = None if key in measure else cardtext.estimator(kind, texts[key], width)
        bounds[key] = [guess(size) for size in sizes] if guess else None
        settled = _decide({}, bounds[key], sizes, height)
        if isinstance(settled, Fit):
            fits[key] = settled
            cache.put(kind, texts[key], settled)
        else:
            pending[key] = settled
    measured: dict[str, dict[int, float]] = {key: {} for key in pending}
    while pending:
        items = list(pending.items())
        size = max(1, min(MEASURE_CHUNK, -(-len(items) // workers())))
        htmls = [job.html("flashcards-measure.html", kind=kind, width=width,
                          blocks=[(key, texts[key], sizes[step]) for key, step in items[start:start + size]])
                 for start in range(0, len(items), size)]
        job.progress.step(f"fitting {kind}s", len(htmls))
        heights = {key: value for part in map_layouts(job.layout, htmls, STYLESHEETS, block_heights, job.progress)
                   for key, value in part.items()}
        retry = {}
        for key, step in pending.items():
            measured[key][step] = heights[key]
            decided = _decide(measured[key], bounds[key], sizes, height)
            if isinstance(decided, Fit):
                fits[key] = decided
                cache.put(kind, texts[key], decided)
            else:
                retry[key] = decided
        pending = retry
    return fits


def _decide(measured: dict[int, float], bounds: list[tuple[float, float]] | None, sizes: tuple[float, ...],
            height: float) -> Fit | int:
    """The fit, once the heights measured (by step in ``sizes``) or estimated settle it; else the next step
    to measure.

    A size is the answer when it fits and the next larger one does not, as measured or as the estimate
    says beyond doubt."""
    def most(step: int) -> float:
        return measured.get(step, bounds[step][1] if bounds else math.inf)

    def least(step: int) -> float:
        return measured.get(step, bounds[step][0] if bounds else 0.0)

    fitting = [step for step in range(len(sizes)) if most(step) <= height]
    if fitting:
        best = min(fitting)
        if best == 0 or least(best - 1) > height:
            return Fit(sizes[best], most(best), True)
        return best - 1
    if not measured:  # nothing surely fits: start from the smallest size, or the largest if unknown
        return len(sizes) - 1 if bounds else 0
    worst = max(measured)
    if worst == len(sizes) - 1:
        return Fit(sizes[worst], measured[worst], False)
    # Text area grows with the square of the type size: jump near the size that fits.
    target = sizes[worst] * math.sqrt(height / measured[worst])
    return next((i for i in range(worst + 1, len(sizes)) if sizes[i] <= target), len(sizes) - 1)


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


def _write(job: Job, pages: list[Page], context: dict, name: str, instructions: str) -> Output:
    """Lay the pages out in chunks of sheets (only the sheets not laid out before) and join them in one PDF.

    Raises :class:`_Overflow` if a question or answer that should fit its card was laid out taller."""
    classes = _classes(pages)
    job.keep_html(Path(name).stem, lambda: _chunk_html(job, pages, context, classes), STYLESHEETS)
    chunks = [_chunk_html(job, pages[start:start + CHUNK_PAGES], context, classes)
              for start in range(0, len(pages), CHUNK_PAGES)]
    kept = SheetCache(job.output, Path(name).stem)
    plans = [plan for chunk in chunks if (plan := kept.plan(chunk))]
    job.progress.step("flashcards", len(plans))
    laid_out = map_layouts(job.layout, [plan.html for plan in plans], STYLESHEETS,
                           partial(_checked_pdf, context["area"][1]), job.progress)
    too_tall = set()
    for plan, (pdf, overflowing) in zip(plans, laid_out):
        too_tall |= overflowing
        if not overflowing:
            kept.store(plan, pdf)
    if too_tall:
        raise _Overflow(too_tall)
    parts = kept.pdfs(chunks)
    return Output(job.output / name, parts[0] if len(parts) == 1 else _join(parts), len(pages), instructions)


class _Overflow(Exception):
    """Questions and answers laid out taller than their card, by key (``q-ID``, ``a-ID``)."""

    def __init__(self, keys: set[str]):
        super().__init__(", ".join(sorted(keys)))
        self.keys = keys


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
        sizes=numbered([face.card.question.size for face in faces] + [face.card.answer.size for face in faces]),
    )


def _chunk_html(job: Job, pages: list[Page], context: dict, classes: dict[str, dict]) -> str:
    return job.html("flashcards.html", pages=pages, classes=classes, answer_html=answer_html, **context)


def _checked_pdf(height: float, document: Document) -> tuple[bytes, set[str]]:
    """The PDF of ``document``, and the keys of the checked texts in it taller than ``height`` mm."""
    heights = block_heights(document, CHECKED, remove=True)
    return document.write_pdf(), {key for key, value in heights.items() if value > height + 0.01}


def _join(parts: list[bytes]) -> bytes:
    """One PDF of all pages of ``parts``, with the first part's metadata; objects the parts share (the
    same fonts' descriptors, graphics states) are written once."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(part)) for part in parts]
    for reader in readers:
        writer.append(reader)
    writer.add_metadata(readers[0].metadata or {})
    writer.compress_identical_objects()
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
