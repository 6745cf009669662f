"""Flashcard sheet geometry, checked against the paper a user prints on: no PDFs are built here."""

from __future__ import annotations

import pytest
from helpers import Rect, seen_from_front

from guide.config.cards import CARD_PRESETS, DEFAULT_CARD
from guide.config.paper import PAPERS, SAFE_MARGIN_MM
from guide.formats.flashcards.geometry import Grid, best_grid

PRINTED_PAPERS = ("letter", "a4")
FLIPS = ("long-edge", "short-edge")
GUTTERS = (0.0, 3.0)
# The axis a sheet turns about, by its orientation and the edge the printer flips it on.
TOLERANCE = 1e-6


def grid_for(paper: str, preset: str, gutter: float = 0.0) -> Grid:
    return best_grid(PAPERS[paper], CARD_PRESETS[preset], SAFE_MARGIN_MM, gutter)


def front_rect(grid: Grid, slot: int) -> Rect:
    return (*grid.front(slot), grid.card_width, grid.card_height)


def back_rect(grid: Grid, slot: int, flip: str, shift: tuple[float, float] = (0.0, 0.0)) -> Rect:
    return (*grid.back(slot, flip, shift), grid.card_width, grid.card_height)


def turned_over(rect: Rect, grid: Grid, flip: str) -> Rect:
    """Where a rectangle printed on the back of the sheet lies as seen through the front."""
    left, top, width, height = rect
    page = (grid.page_width, grid.page_height)
    corners = [seen_from_front(corner, page, flip) for corner in ((left, top), (left + width, top + height))]
    return min(x for x, _ in corners), min(y for _, y in corners), width, height


def margins(grid: Grid) -> dict[str, float]:
    """Distance from each page edge to the nearest card, found from the cards themselves."""
    rects = [front_rect(grid, slot) for slot in range(grid.per_sheet)]
    return {
        "left": min(left for left, _, _, _ in rects),
        "right": grid.page_width - max(left + width for left, _, width, _ in rects),
        "top": min(top for _, top, _, _ in rects),
        "bottom": grid.page_height - max(top + height for _, top, _, height in rects),
    }


def overlap(a: Rect, b: Rect) -> bool:
    """Whether two rectangles share more than an edge."""
    return (a[0] < b[0] + b[2] - TOLERANCE and b[0] < a[0] + a[2] - TOLERANCE
            and a[1] < b[1] + b[3] - TOLERANCE and b[1] < a[1] + a[3] - TOLERANCE)


def assert_same_rect(actual: Rect, expected: Rect) -> None:
    assert actual == pytest.approx(expected, abs=TOLERANCE)


every_preset = pytest.mark.parametrize("preset", list(CARD_PRESETS))
every_paper = pytest.mark.parametrize("paper", PRINTED_PAPERS)
every_flip = pytest.mark.parametrize("flip", FLIPS)
every_gutter = pytest.mark.parametrize("gutter", GUTTERS)


@every_gutter
@every_preset
@every_paper
def test_grid_stays_inside_the_safe_margin(paper: str, preset: str, gutter: float) -> None:
    grid = grid_for(paper, preset, gutter)
    assert grid.per_sheet >= 1
    assert all(side >= SAFE_MARGIN_MM - TOLERANCE for side in margins(grid).values()), margins(grid)


@every_gutter
@every_preset
@every_paper
def test_grid_is_centred_on_the_page(paper: str, preset: str, gutter: float) -> None:
    sides = margins(grid_for(paper, preset, gutter))
    assert sides["left"] == pytest.approx(sides["right"], abs=TOLERANCE)
    assert sides["top"] == pytest.approx(sides["bottom"], abs=TOLERANCE)


@every_preset
@every_paper
def test_page_is_the_paper_in_some_orientation(paper: str, preset: str) -> None:
    grid = grid_for(paper, preset)
    sheet = PAPERS[paper]
    assert sorted((grid.page_width, grid.page_height)) == pytest.approx(sorted((sheet.width, sheet.height)))


@every_preset
@every_paper
def test_cards_do_not_overlap(paper: str, preset: str) -> None:
    grid = grid_for(paper, preset, 0.0)
    rects = [front_rect(grid, slot) for slot in range(grid.per_sheet)]
    assert not [(a, b) for index, a in enumerate(rects) for b in rects[index + 1:] if overlap(a, b)]


@every_paper
def test_default_card_gives_eight_per_sheet(paper: str) -> None:
    assert best_grid(PAPERS[paper], DEFAULT_CARD).per_sheet == 8


@every_gutter
@every_flip
@every_preset
@every_paper
def test_each_back_lies_exactly_behind_its_front(paper: str, preset: str, flip: str, gutter: float) -> None:
    grid = grid_for(paper, preset, gutter)
    for slot in range(grid.per_sheet):
        assert_same_rect(turned_over(back_rect(grid, slot, flip), grid, flip), front_rect(grid, slot))


@pytest.mark.parametrize(("orientation_preset", "flip", "mirrored"), [
    (("letter", "default"), "long-edge", "columns"),    # portrait, turned like a book page
    (("letter", "default"), "short-edge", "rows"),      # portrait, turned like a notepad
    (("letter", "index-3x5"), "long-edge", "rows"),     # landscape
    (("letter", "index-3x5"), "short-edge", "columns"),  # landscape
], ids=["portrait-long", "portrait-short", "landscape-long", "landscape-short"])
def test_back_mirrors_columns_or_rows(orientation_preset: tuple[str, str], flip: str, mirrored: str) -> None:
    grid = grid_for(*orientation_preset)
    assert grid.cols > 1 and grid.rows > 1, "the case needs a grid with several rows and columns"
    for slot in range(grid.per_sheet):
        row, col = divmod(slot, grid.cols)
        twin_row, twin_col = (row, grid.cols - 1 - col) if mirrored == "columns" else (grid.rows - 1 - row, col)
        twin = twin_row * grid.cols + twin_col
        assert grid.back(slot, flip) == pytest.approx(grid.front(twin))


@pytest.mark.parametrize("shift", [(2.0, -1.0), (-0.5, 1.5)], ids=str)
@every_flip
@every_preset
@every_paper
def test_back_offset_moves_the_back_as_seen_through_the_front(paper: str, preset: str, flip: str,
                                                              shift: tuple[float, float]) -> None:
    grid = grid_for(paper, preset)
    right, down = shift
    for slot in range(grid.per_sheet):
        left, top, width, height = front_rect(grid, slot)
        assert_same_rect(turned_over(back_rect(grid, slot, flip, shift), grid, flip),
                         (left + right, top + down, width, height))
