"""Packing blocks of known height into columns, in reading order (guide/formats/columns.py)."""

from __future__ import annotations

import pytest

from guide.formats.columns import PRECISION, Item, balance, pack


def items(heights: list[float], leads: list[float]) -> list[Item]:
    return [Item(height, lead) for height, lead in zip(heights, leads)]


def whole(*columns: list[int]) -> list[list[tuple[int, int, int]]]:
    return [[(index, 0, 0) for index in column] for column in columns]


def test_pack_fills_each_column_before_the_next() -> None:
    assert pack(items([3, 3, 3, 3], [0, 0, 0, 0]), [7, 7]) == whole([0, 1], [2, 3])


def test_pack_charges_the_lead_only_to_a_block_that_opens_a_column() -> None:
    # Block 2 would fit under block 1, but at the top of a column it needs its 2 mm label too.
    assert pack(items([3, 3, 3], [0, 2, 2]), [6, 5]) == whole([0, 1], [2])
    assert pack(items([3, 3, 3], [0, 2, 2]), [6, 4]) is None


def test_pack_fails_when_columns_run_out_or_a_block_is_too_tall() -> None:
    assert pack(items([3, 3, 3], [0, 0, 0]), [6]) is None
    assert pack(items([9], [0]), [6, 20]) is None


def test_balance_finds_the_smallest_fill_and_a_packing_within_it() -> None:
    fill, columns = balance(items([4, 4, 4, 4], [0, 0, 0, 0]), [10, 10])
    assert fill == pytest.approx(0.8, abs=PRECISION)
    assert columns == whole([0, 1], [2, 3])


def test_balance_reports_by_how_much_the_blocks_overflow() -> None:
    fill, columns = balance(items([6, 6, 6], [0, 0, 0]), [10, 10])
    assert fill == pytest.approx(1.2, abs=PRECISION)
    assert columns == whole([0, 1], [2])


def test_balance_may_save_height_on_blocks_with_a_negative_lead() -> None:
    # An opening block loses 1 mm of padding at the top of a column.
    fill, columns = balance(items([5, 5], [-1, -1]), [4, 4])
    assert fill == pytest.approx(1.0, abs=PRECISION)
    assert columns == whole([0], [1])


def test_a_block_taller_than_a_column_flows_on_between_its_parts() -> None:
    # 2 mm of headings and parts of 3, 3 and 3 mm; a continued piece opens with a 1 mm heading.
    tall = Item(11, 0, (3, 3, 3), resumed=1)
    assert pack([Item(2), tall, Item(2)], [8, 8, 8]) == [[(0, 0, 0), (1, 0, 1)], [(1, 1, 3)], [(2, 0, 0)]]


def test_a_continued_piece_pays_its_column_label() -> None:
    tall = Item(11, 0, (3, 3, 3), resumed=1, resumed_lead=1)
    # The second column holds the last part (3 mm), its heading (1 mm) and its column's label (1 mm).
    assert pack([tall], [8, 5]) == [[(0, 0, 2)], [(0, 2, 3)]]
    assert pack([tall], [8, 4.9]) is None

def test_a_part_taller_than_a_column_cannot_be_placed() -> None:
    assert pack([Item(12, 0, (10,))], [8, 8]) is None


def test_balance_splits_only_what_may_be_split() -> None:
    fill, columns = balance([Item(2), Item(11, 0, (3, 3, 3), resumed=1), Item(2)], [8, 8, 8])
    assert fill <= 1
    assert [piece[0] for column in columns for piece in column].count(1) == 2
