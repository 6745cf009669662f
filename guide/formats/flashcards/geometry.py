"""Flashcard sheet geometry: how cards tile a page, and where a duplex printer puts each back."""

from __future__ import annotations

import math
from dataclasses import dataclass

from guide.config.cards import DEFAULT_CARD
from guide.config.paper import SAFE_MARGIN_MM, Paper


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


def best_grid(paper: Paper, card: tuple[float, float] = DEFAULT_CARD, margin: float = SAFE_MARGIN_MM,
              gutter: float = 0.0) -> Grid:
    """The layout with the most cards per sheet; ties go to the card as given, then to portrait paper."""
    candidates = []
    for width, height in (card, card[::-1]):
        for page in ((paper.width, paper.height), paper.landscape()):
            cols = math.floor((page[0] - 2 * margin + gutter) / (width + gutter) + 1e-9)
            rows = math.floor((page[1] - 2 * margin + gutter) / (height + gutter) + 1e-9)
            if cols and rows:
                candidates.append(Grid(page[0], page[1], width, height, cols, rows, gutter))
    if not candidates:
        raise ValueError(f"a {card[0]:.0f} x {card[1]:.0f} mm card does not fit on {paper.name} paper")
    return max(candidates, key=lambda grid: grid.per_sheet)
