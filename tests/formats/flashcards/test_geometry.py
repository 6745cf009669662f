"""Flashcard sheet geometry, checked against the paper a user prints on: the grid itself, then the built
sheets of a table of layouts (paper, card, duplex, gutter, bleed, back offset) read back from their PDFs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import (
    Rect,
    drawn_shapes,
    each_in_one_worker,
    ink_from_edge,
    run_guide,
    seen_from_front,
    short_tips_project,
)

from guide.commands.build import build
from guide.config.cards import CARD_PRESETS, DEFAULT_CARD
from guide.config.paper import MM_PER_INCH, PAPERS, SAFE_MARGIN_MM
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


# --- built sheets -------------------------------------------------------------------------------------------

PIXEL_MM = MM_PER_INCH / 200  # ink_from_edge renders at 200 dpi
HAIRLINE_MM = 0.3  # crop marks and cut lines are thinner; nothing else on a sheet is
CARD_MM = 20.0  # every tinted card background is wider and taller


@dataclass(frozen=True)
class Layout:
    """One way a user may ask for the cards: every sheet is built tinted, so each card's background is drawn."""

    paper: str
    card: str
    duplex: str = "long-edge"
    gutter: float = 0.0
    bleed: float = 0.0
    back_offset: str = "0,0"

    @property
    def id(self) -> str:
        return f"{self.paper}-{self.card}-{self.duplex}-g{self.gutter:g}-b{self.bleed:g}-o{self.back_offset}"


VARIANTS = (
    dict(duplex="long-edge"),
    dict(duplex="short-edge", gutter=5.0),
    dict(duplex="long-edge", bleed=1.5, back_offset="1.5,-2"),
    dict(duplex="short-edge", bleed=3.0, back_offset="-3,3"),
)
LAYOUTS = [Layout(paper, preset, **variant) for paper in PRINTED_PAPERS for preset in CARD_PRESETS
           for variant in VARIANTS]
every_layout = each_in_one_worker("layout", LAYOUTS, "sheets")


@dataclass(frozen=True)
class Sheets:
    pdf: Path
    instructions: str


def deck_project(root: Path) -> Path:
    """Twelve short tips in three categories: a full sheet of the smaller cards."""
    return short_tips_project(root, ["Group A", "Group B", "Group C"], tips=4)


@pytest.fixture(scope="session")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Layout], Sheets]:
    """``sheets(layout)``: the deck's flashcards built once per session for ``layout``."""
    project = deck_project(tmp_path_factory.mktemp("deck"))
    cache: dict[Layout, Sheets] = {}

    def get(layout: Layout) -> Sheets:
        if layout not in cache:
            output = tmp_path_factory.mktemp(layout.id)
            given = dict(paper=layout.paper, card=layout.card, duplex=layout.duplex, gutter=layout.gutter,
                         bleed=layout.bleed, back_offset=layout.back_offset, tint=True)
            [written], _ = build(project, ["flashcards"], output, given=given)
            cache[layout] = Sheets(output / "flashcards.pdf", written.instructions)
        return cache[layout]

    return get


def hairlines(shapes: list[Rect]) -> tuple[list[Rect], list[Rect]]:
    """The vertical and the horizontal hairlines among ``shapes``."""
    thin = [shape for shape in shapes if min(shape[2], shape[3]) < HAIRLINE_MM and max(shape[2], shape[3]) > 1]
    return [shape for shape in thin if shape[3] > shape[2]], [shape for shape in thin if shape[2] > shape[3]]


def touches(a: Rect, b: Rect) -> bool:
    """Whether two rectangles overlap or touch."""
    return a[0] <= b[0] + b[2] and b[0] <= a[0] + a[2] and a[1] <= b[1] + b[3] and b[1] <= a[1] + a[3]


@every_layout
def test_every_cut_is_marked_outside_every_card(layout: Layout, sheets: Callable[[Layout], Sheets]) -> None:
    """Each card edge (the trim, inside any bleed) has crop marks centred on its line that touch no card
    background (two in the margins, or one in each gutter between cards); where the build says no mark
    fits, a dashed line runs along the cut instead."""
    built = sheets(layout)
    shapes = drawn_shapes(built.pdf, 0)
    backgrounds = [shape for shape in shapes if shape[2] > CARD_MM and shape[3] > CARD_MM]
    trims = [(x + layout.bleed, y + layout.bleed, w - 2 * layout.bleed, h - 2 * layout.bleed)
             for x, y, w, h in backgrounds]
    assert len(trims) >= 2, shapes
    down, across = hairlines(shapes)
    cuts = {"vertical": ({round(x, 2) for x, _, w, _ in trims} | {round(x + w, 2) for x, _, w, _ in trims}, down, 0),
            "horizontal": ({round(y, 2) for _, y, _, h in trims} | {round(y + h, 2) for _, y, _, h in trims}, across, 1)}
    for kind, (lines, strokes, axis) in cuts.items():
        for line in lines:
            on_line = [stroke for stroke in strokes if abs(stroke[axis] + stroke[axis + 2] / 2 - line) < 0.02]
            marks = [stroke for stroke in on_line if not any(touches(stroke, card) for card in backgrounds)]
            if f"no room for crop marks on the {kind}" in built.instructions or \
                    f"and {kind} cuts" in built.instructions:
                span = max(card[axis + 2] for card in backgrounds)
                assert any(stroke[3 - axis] > span for stroke in on_line), (kind, line)
            else:
                assert marks, (kind, line, on_line)


@every_layout
def test_no_ink_within_the_safe_margin(layout: Layout, sheets: Callable[[Layout], Sheets]) -> None:
    """Cards, tints, bleed, marks and text on fronts and backs keep 1/4 in from every edge of the paper."""
    assert min(ink_from_edge(sheets(layout).pdf)) >= SAFE_MARGIN_MM - PIXEL_MM


def test_the_build_says_how_to_cut(sheets: Callable[[Layout], Sheets]) -> None:
    assert "cut along the crop marks" in sheets(Layout("letter", "default")).instructions
    squeezed = sheets(Layout("a4", "default", bleed=1.5)).instructions
    assert "no room for crop marks on the horizontal cuts: cut along the dashed lines there" in squeezed


def test_a_smaller_margin_is_honoured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--margin 3`` (a borderless printer) lets the ink come closer than 1/4 in, never past 3 mm."""
    project = deck_project(tmp_path / "deck")
    result = run_guide(project, monkeypatch, "build", "--format", "flashcards", "--card", "business", "--tint",
                       "--margin", "3", "--back-offset", "1,1")
    assert result.exit_code == 0, result.output
    nearest = min(ink_from_edge(project / "output" / "flashcards.pdf"))
    assert 3 - PIXEL_MM <= nearest < SAFE_MARGIN_MM


@pytest.mark.parametrize(("option", "named"), [(["--bleed", "3"], "--bleed"), (["--back-offset", "3,3"], "--back-offset")])
def test_no_room_for_bleed_or_offset_names_the_option(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      option: list[str], named: str) -> None:
    project = deck_project(tmp_path / "deck")
    result = run_guide(project, monkeypatch, "build", "--format", "flashcards", "--card", "200x260mm", "--tint",
                       *option)
    assert result.exit_code != 0
    assert named in result.output and "does not fit on Letter" in result.output and "Traceback" not in result.output
