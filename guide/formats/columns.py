"""Pack blocks of known height, in reading order, into columns of given heights (all in mm)."""

from __future__ import annotations

from collections.abc import Sequence

# Bisection stops when the fill fraction is known this closely.
PRECISION = 1e-4


def pack(heights: Sequence[float], leads: Sequence[float], capacities: Sequence[float]) -> list[list[int]] | None:
    """Fill each column in turn with as many blocks as fit; ``None`` if the columns run out.

    A block that opens a column costs its ``lead`` on top of its height (e.g. a "continued" label).
    """
    columns: list[list[int]] = [[] for _ in capacities]
    column, used = 0, 0.0
    for index, height in enumerate(heights):
        if columns[column] and used + height > capacities[column]:
            column, used = column + 1, 0.0
            if column == len(capacities):
                return None
        cost = height + (0.0 if columns[column] else leads[index])
        if used + cost > capacities[column]:
            return None
        columns[column].append(index)
        used += cost
    return columns


def balance(heights: Sequence[float], leads: Sequence[float],
            capacities: Sequence[float]) -> tuple[float, list[list[int]]]:
    """The smallest fraction of every column's capacity that still holds all blocks, with that packing.

    A fraction above 1 means the blocks do not fit; it says by how much the columns are too short.
    """
    # At ``high`` even the first column alone holds every block.
    low, high = 0.0, (sum(heights) + max(leads, default=0.0)) / min(capacities)
    while high - low > PRECISION:
        middle = (low + high) / 2
        if pack(heights, leads, [middle * capacity for capacity in capacities]) is None:
            low = middle
        else:
            high = middle
    return high, pack(heights, leads, [high * capacity for capacity in capacities])
