"""Pack blocks of known height, in reading order, into columns of given heights (all in mm).

A block too tall for any column may be split between its parts: it then flows on into the next
column, where it opens with a shorter heading saying it continues."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Bisection stops when the fill fraction is known this closely.
PRECISION = 1e-4


@dataclass(frozen=True)
class Item:
    """One block: its height, the extra cost of opening a column (e.g. a "continued" label), and, when it
    may be split, the heights of its parts and of the heading a continued piece opens with."""

    height: float
    lead: float = 0.0
    parts: tuple[float, ...] = ()
    resumed: float = 0.0
    resumed_lead: float = 0.0

    @property
    def head(self) -> float:
        """What the block's first piece holds besides its parts (padding, headings)."""
        return self.height - sum(self.parts)


# A piece of block ``index``: its parts ``start`` to ``end`` (both 0 when the block is not split).
Piece = tuple[int, int, int]


def pack(items: Sequence[Item], capacities: Sequence[float]) -> list[list[Piece]] | None:
    """Fill each column in turn with as many blocks as fit; ``None`` if the columns run out.

    A block that does not fit the rest of a column starts the next one, unless it may be split: then
    its parts fill the rest of this column and flow on into the next ones."""
    columns: list[list[Piece]] = [[] for _ in capacities]
    column, used = 0, 0.0
    for index, item in enumerate(items):
        cost = item.height + (0.0 if columns[column] else item.lead)
        if used + cost <= capacities[column]:
            columns[column].append((index, 0, 0))
            used += cost
            continue
        if item.parts:
            flowed = _flow(index, item, columns, capacities, column, used)
            if flowed is None:
                return None
            column, used = flowed
            continue
        if columns[column]:
            column, used = column + 1, 0.0
            if column == len(capacities):
                return None
        cost = item.height + item.lead
        if cost > capacities[column]:
            return None
        columns[column].append((index, 0, 0))
        used += cost
    return columns


def _flow(index: int, item: Item, columns: list[list[Piece]], capacities: Sequence[float], column: int,
          used: float) -> tuple[int, float] | None:
    """Place ``item``'s parts from ``column`` on; the column and the room used after it, or ``None``."""
    start = 0
    while True:
        opening = not columns[column]
        head = item.head if start == 0 else item.resumed
        lead = (item.lead if start == 0 else item.resumed_lead) if opening else 0.0
        room = capacities[column] - used - head - lead
        end = start
        while end < len(item.parts) and item.parts[end] <= room:
            room -= item.parts[end]
            end += 1
        if end > start:
            columns[column].append((index, start, end))
            used = capacities[column] - room
            start = end
            if start == len(item.parts):
                return column, used
        elif opening:
            return None  # one part is taller than a whole column
        column, used = column + 1, 0.0
        if column == len(capacities):
            return None


def balance(items: Sequence[Item], capacities: Sequence[float]) -> tuple[float, list[list[Piece]]]:
    """The smallest fraction of every column's capacity that still holds all blocks, with that packing.

    A fraction above 1 means the blocks do not fit; it says by how much the columns are too short.
    """
    # At ``high`` even the first column alone holds every block.
    low = 0.0
    high = (sum(item.height + item.resumed + abs(item.lead) + abs(item.resumed_lead) for item in items)
            / min(capacities))
    while high - low > PRECISION:
        middle = (low + high) / 2
        if pack(items, [middle * capacity for capacity in capacities]) is None:
            low = middle
        else:
            high = middle
    return high, pack(items, [high * capacity for capacity in capacities])
