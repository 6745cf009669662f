"""Flashcard sheet geometry: how cards tile a page, where a duplex printer puts each back, and where crop
marks, cut lines and tinted backgrounds go."""

from __future__ import annotations

import math
from dataclasses import dataclass

from guide.config.cards import DEFAULT_CARD
from guide.config.paper import MM_PER_PT, SAFE_MARGIN_MM, Paper

Rect = tuple[float, float, float, float]  # left, top, width, height in mm from the page's top-left corner

# Crop marks: a hairline, kept this far from the card (or its bleed), at most this long, and not drawn at
# all where less than the shortest length fits (a grid that leaves room for them is chosen first).
STROKE = 0.3 * MM_PER_PT
MARK_GAP = 1.0
MARK_LENGTH = 5.0
SHORTEST_MARK = 2.0
# A layout with crop marks on every cut is chosen over a fuller one if it keeps this share of the cards.
MARKED_SHARE = 0.75


@dataclass(frozen=True)
class Grid:
    """Cards of one size in ``rows`` x ``cols`` on a page, centred, ``gutter`` mm apart (all in mm)."""

    page_width: float
    page_height: float
    card_width: float
    card_height: float
    cols: int
    rows: int
    gutter: float = 0.0

    @property
    def per_sheet(self) -> int:
        """Cards on one side of a sheet."""
        return self.cols * self.rows

    @property
    def landscape(self) -> bool:
        """Whether the page is wider than tall."""
        return self.page_width > self.page_height

    @property
    def left(self) -> float:
        """Distance from the page's left edge to the grid."""
        return (self.page_width - self.cols * self.card_width - (self.cols - 1) * self.gutter) / 2

    @property
    def top(self) -> float:
        """Distance from the page's top edge to the grid."""
        return (self.page_height - self.rows * self.card_height - (self.rows - 1) * self.gutter) / 2

    def front(self, slot: int) -> tuple[float, float]:
        """Top-left corner of card ``slot`` (row by row) on a front page."""
        row, col = divmod(slot, self.cols)
        return (self.left + col * (self.card_width + self.gutter),
                self.top + row * (self.card_height + self.gutter))

    def back(self, slot: int, flip: str = "long-edge", shift: tuple[float, float] = (0.0, 0.0)) -> tuple[float, float]:
        """Where card ``slot``'s back goes so a printer flipping on ``flip`` puts it behind its front.

        Flipping over a vertical axis mirrors columns; over a horizontal axis, rows. The long edge of
        a portrait page is vertical, of a landscape page horizontal. ``shift`` moves the back by
        (right, down) mm as seen through the front, to make up for a printer's misregistration.
        """
        x, y = self.front(slot)
        if self.flips_over_vertical_axis(flip):
            return self.page_width - x - self.card_width - shift[0], y + shift[1]
        return x + shift[0], self.page_height - y - self.card_height - shift[1]

    def flips_over_vertical_axis(self, flip: str) -> bool:
        """Whether turning the sheet over its ``flip`` edge swaps left and right (else top and bottom)."""
        return (flip == "long-edge") != self.landscape

    def cut_lines(self) -> tuple[list[float], list[float]]:
        """x positions of vertical cuts and y positions of horizontal cuts, card edges included."""
        xs, ys = [], []
        for col in range(self.cols):
            x = self.left + col * (self.card_width + self.gutter)
            xs += [x, x + self.card_width]
        for row in range(self.rows):
            y = self.top + row * (self.card_height + self.gutter)
            ys += [y, y + self.card_height]
        return sorted(set(map(_round, xs))), sorted(set(map(_round, ys)))


def _round(value: float) -> float:
    return round(value, 3)


def crop_marks(grid: Grid, margin: float = SAFE_MARGIN_MM, bleed: float = 0.0) -> list[Rect]:
    """Hairlines centred on every cut, outside every card and its bleed and inside ``margin``: in the
    margins beside the cards where they fit, else in the gutters between them (see :func:`marked`)."""
    xs, ys = grid.cut_lines()
    return ([(x - STROKE / 2, top, STROKE, length) for top, length in _mark_spans(grid, "y", margin, bleed)
             for x in xs]
            + [(left, y - STROKE / 2, length, STROKE) for left, length in _mark_spans(grid, "x", margin, bleed)
               for y in ys])


def unmarked(grid: Grid, margin: float = SAFE_MARGIN_MM, bleed: float = 0.0) -> tuple[str, ...]:
    """The cuts :func:`crop_marks` finds no room for: "vertical" (marked above and below the cards or
    between rows), "horizontal" (beside the cards or between columns)."""
    return tuple(cuts for cuts, axis in (("vertical", "y"), ("horizontal", "x"))
                 if not _mark_spans(grid, axis, margin, bleed))


def _mark_spans(grid: Grid, axis: str, margin: float, bleed: float) -> list[tuple[float, float]]:
    """(start, length) along ``axis`` of the marks for cuts across it: in both margins, else in every gutter."""
    page, start, count, size = ((grid.page_width, grid.left, grid.cols, grid.card_width) if axis == "x"
                                else (grid.page_height, grid.top, grid.rows, grid.card_height))
    room = start - bleed - MARK_GAP - margin
    if room >= SHORTEST_MARK - 1e-9:
        length = min(MARK_LENGTH, room)
        end = start - bleed - MARK_GAP
        return [(end - length, length), (page - end, length)]
    inside = grid.gutter - 2 * (bleed + MARK_GAP)
    if count > 1 and inside >= SHORTEST_MARK - 1e-9:
        return [(start + index * (size + grid.gutter) - grid.gutter + bleed + MARK_GAP, inside)
                for index in range(1, count)]
    return []


def cut_guides(grid: Grid, cuts: tuple[str, ...] = ("vertical", "horizontal"), bleed: float = 0.0) -> list[Rect]:
    """Hairlines centred on the ``cuts`` ("vertical", "horizontal") across the whole grid and its bleed."""
    xs, ys = grid.cut_lines()
    height = grid.page_height - 2 * grid.top + 2 * bleed
    width = grid.page_width - 2 * grid.left + 2 * bleed
    return ([(x - STROKE / 2, grid.top - bleed, STROKE, height) for x in xs if "vertical" in cuts]
            + [(grid.left - bleed, y - STROKE / 2, width, STROKE) for y in ys if "horizontal" in cuts])


def fill(grid: Grid, corner: tuple[float, float], bleed: float = 0.0) -> Rect:
    """A card's background with its top-left corner at ``corner``, running ``bleed`` mm past each edge."""
    x, y = corner
    return x - bleed, y - bleed, grid.card_width + 2 * bleed, grid.card_height + 2 * bleed


def back_reach(shift: tuple[float, float], inset: float = 0.0) -> tuple[float, float]:
    """How far (x, y) the backs' ink strays past the front grid when moved by ``shift``, for ink that
    starts ``inset`` mm inside the card's edge."""
    return max(0.0, abs(shift[0]) - inset), max(0.0, abs(shift[1]) - inset)


def best_grid(paper: Paper, card: tuple[float, float] = DEFAULT_CARD, margin: float = SAFE_MARGIN_MM,
              gutter: float = 0.0, bleed: float = 0.0, reach: tuple[float, float] = (0.0, 0.0)) -> Grid:
    """The layout with the most cards per sheet whose ink (cards, ``bleed`` mm past them, backs straying
    ``reach`` mm) keeps ``margin`` mm from the edge. Layouts with crop marks on every cut come first while
    they keep :data:`MARKED_SHARE` of the cards; ties go to the card as given, then to portrait paper."""
    candidates = []
    for width, height in (card, card[::-1]):
        for page in ((paper.width, paper.height), paper.landscape()):
            most_cols = _fitting(page[0] - 2 * (margin + bleed + reach[0]), width, gutter)
            most_rows = _fitting(page[1] - 2 * (margin + bleed + reach[1]), height, gutter)
            # Fewer rows or columns than fit leave room for crop marks where the most leave none.
            candidates += [Grid(page[0], page[1], width, height, cols, rows, gutter)
                           for cols in range(most_cols, 0, -1) for rows in range(most_rows, 0, -1)]
    if not candidates:
        raise ValueError(_no_room(paper, card, margin, gutter, bleed, reach))
    most = max(grid.per_sheet for grid in candidates)
    return max(candidates, key=lambda grid: (grid.per_sheet >= MARKED_SHARE * most - 1e-9
                                             and not unmarked(grid, margin, bleed), grid.per_sheet))


def _fitting(room: float, size: float, gutter: float) -> int:
    return max(0, math.floor((room + gutter) / (size + gutter) + 1e-9))


def _no_room(paper: Paper, card: tuple[float, float], margin: float, gutter: float, bleed: float,
             reach: tuple[float, float]) -> str:
    """Why a card does not fit, naming the options that take the room."""
    size = f"a {card[0]:.0f} x {card[1]:.0f} mm card"
    if not (bleed or any(reach)):
        return f"{size} does not fit on {paper.name} paper inside a {margin:g} mm margin"
    taken = [f"--bleed {bleed:g}"] * bool(bleed) + ["--back-offset"] * bool(any(reach))
    return (f"{size} does not fit on {paper.name} paper with {' and '.join(taken)}: the ink must keep "
            f"{margin:g} mm from the edge; choose a smaller --card, {' or '.join(option.split()[0] for option in taken)}")
