"""Packing blocks of known height into columns, in reading order (guide/formats/columns.py)."""

from __future__ import annotations

import pytest

from guide.formats.columns import PRECISION, balance, pack


def test_pack_fills_each_column_before_the_next() -> None:
    assert pack([3, 3, 3, 3], [0, 0, 0, 0], [7, 7]) == [[0, 1], [2, 3]]


def test_pack_charges_the_lead_only_to_a_block_that_opens_a_column() -> None:
    # Block 2 would fit under block 1, but at the top of a column it needs its 2 mm label too.
    assert pack([3, 3, 3], [0, 2, 2], [6, 5]) == [[0, 1], [2]]
    assert pack([3, 3, 3], [0, 2, 2], [6, 4]) is None


def test_pack_fails_when_columns_run_out_or_a_block_is_too_tall() -> None:
    assert pack([3, 3, 3], [0, 0, 0], [6]) is None
    assert pack([9], [0], [6, 20]) is None


def test_balance_finds_the_smallest_fill_and_a_packing_within_it() -> None:
    fill, columns = balance([4, 4, 4, 4], [0, 0, 0, 0], [10, 10])
    assert fill == pytest.approx(0.8, abs=PRECISION)
    assert columns == [[0, 1], [2, 3]]


def test_balance_reports_by_how_much_the_blocks_overflow() -> None:
    fill, columns = balance([6, 6, 6], [0, 0, 0], [10, 10])
    assert fill == pytest.approx(1.2, abs=PRECISION)
    assert columns == [[0, 1], [2]]


def test_balance_may_save_height_on_blocks_with_a_negative_lead() -> None:
    # An opening block loses 1 mm of padding at the top of a column.
    fill, columns = balance([5, 5], [-1, -1], [4, 4])
    assert fill == pytest.approx(1.0, abs=PRECISION)
    assert columns == [[0], [1]]
