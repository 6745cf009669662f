"""Flashcards: a front page of questions, then a back page with each answer behind its question."""

from __future__ import annotations

import math
from dataclasses import dataclass

from guide.formats.cardgrid import Grid, best_grid
from guide.job import Job
from guide.measure import block_heights
from guide.model import Category, Tip
from guide.pdf import Written, write_pdf

STYLESHEETS = ("base.css", "flashcards.css")
# Type sizes (pt) tried from largest to smallest until the text fits its card.
QUESTION_SIZES = (15.0, 14.0, 13.0, 12.0, 11.0, 10.0, 9.0)
ANSWER_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)
# Card regions in mm; flashcards.css draws the same boxes.
PADDING = 4.5
HEAD = 6.0
FOOT = 4.0


@dataclass(frozen=True)
class Fit:
    """The type size chosen for a block, its measured height, and whether it fits."""

    size: float
    height: float
    fits: bool


@dataclass(frozen=True)
class Card:
    """One tip placed on a sheet: its position on the front and on the back page."""

    tip: Tip
    category: Category
    number: int
    front: tuple[float, float]
    back: tuple[float, float]
    question: Fit
    answer: Fit


def build(job: Job) -> list[Written]:
    """Write ``flashcards.pdf``: sheets of cards, fronts then backs, for long-edge duplex printing."""
    grid = best_grid(job.paper)
    area = (grid.card_width - 2 * PADDING, grid.card_height - 2 * PADDING - HEAD - FOOT)
    pairs = [(tip, category) for category in job.guide.categories for tip in category.tips]
    questions = _fit(job, area, {tip.id: tip.question for tip, _ in pairs}, "question", QUESTION_SIZES)
    answers = _fit(job, area, {tip.id: tip.body_html for tip, _ in pairs}, "answer", ANSWER_SIZES)
    for tip, _ in pairs:
        if not answers[tip.id].fits or not questions[tip.id].fits:
            job.layout.warnings.append(
                f'{tip.source.path.name}:{tip.source.line}: tip "{tip.id}" does not fit on a card even at '
                f"{ANSWER_SIZES[-1]:g} pt; shorten it or use a larger card"
            )
    sheets = [
        [
            Card(tip, category, start + slot + 1, grid.front(slot), grid.back(slot),
                 questions[tip.id], answers[tip.id])
            for slot, (tip, category) in enumerate(pairs[start:start + grid.per_sheet])
        ]
        for start in range(0, len(pairs), grid.per_sheet)
    ]
    html = job.html("flashcards.html", grid=grid, sheets=sheets, total=len(pairs), area=area,
                    padding=PADDING, head=HEAD, foot=FOOT, marks=_crop_marks(grid))
    return [write_pdf(job.layout.render(html, STYLESHEETS), job.output / "flashcards.pdf")]


def _fit(job: Job, area: tuple[float, float], texts: dict[str, str], kind: str,
         sizes: tuple[float, ...]) -> dict[str, Fit]:
    """The largest size in ``sizes`` at which each text fits ``area``, measured by WeasyPrint."""
    width, height = area
    pending = {key: 0 for key in texts}
    fits: dict[str, Fit] = {}
    while pending:
        html = job.html("flashcards-measure.html", kind=kind, width=width,
                        blocks=[(key, texts[key], sizes[step]) for key, step in pending.items()])
        heights = block_heights(job.layout.render(html, STYLESHEETS))
        retry = {}
        for key, step in pending.items():
            measured = heights[key]
            if measured <= height or step == len(sizes) - 1:
                fits[key] = Fit(sizes[step], measured, measured <= height)
            else:
                # Text area grows with the square of the type size: jump near the size that fits.
                target = sizes[step] * math.sqrt(height / measured)
                retry[key] = next((i for i in range(step + 1, len(sizes)) if sizes[i] <= target), len(sizes) - 1)
        pending = retry
    return fits


def _crop_marks(grid: Grid) -> list[tuple[float, float, float, float]]:
    """Short marks (left, top, width, height in mm) in the margins, in line with every cut."""
    from guide.paper import SAFE_MARGIN_MM

    xs, ys = grid.cut_lines()
    gap = 1.5
    marks = []
    for x in xs:
        length = grid.top - gap - SAFE_MARGIN_MM
        if length > 1:
            marks += [(x, SAFE_MARGIN_MM, 0, length), (x, grid.page_height - SAFE_MARGIN_MM - length, 0, length)]
    for y in ys:
        length = grid.left - gap - SAFE_MARGIN_MM
        if length > 1:
            marks += [(SAFE_MARGIN_MM, y, length, 0), (grid.page_width - SAFE_MARGIN_MM - length, y, length, 0)]
    return marks
