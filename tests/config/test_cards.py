"""Card sizes and back offsets as a user types them, on the command line or in guide.yaml."""

from __future__ import annotations

import pytest

from guide.config.cards import CARD_PRESETS, card_size, offset
from guide.config.paper import MM_PER_INCH


@pytest.mark.parametrize(("text", "expected"), [
    ("90x60mm", (90.0, 60.0)),
    ("3x5in", (3 * MM_PER_INCH, 5 * MM_PER_INCH)),
    ("2.5X3.5IN", (2.5 * MM_PER_INCH, 3.5 * MM_PER_INCH)),
    (" 105 × 74 mm ", (105.0, 74.0)),
    *((name, size) for name, size in CARD_PRESETS.items()),
])
def test_card_size_reads_sizes_and_presets(text: str, expected: tuple[float, float]) -> None:
    assert card_size(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "huge", "90x60", "90x60cm", "0x60mm", "90x0mm", "-90x60mm", "90x60x30mm",
                                  "90mm", "x60mm", "90x60mm please"])
def test_card_size_rejects_junk(text: str) -> None:
    with pytest.raises(ValueError, match="card size"):
        card_size(text)


@pytest.mark.parametrize(("text", "expected"), [("2,-1", (2.0, -1.0)), ("0.5, 0", (0.5, 0.0)), ("0,0", (0.0, 0.0))])
def test_offset_reads_two_numbers(text: str, expected: tuple[float, float]) -> None:
    assert offset(text) == expected


@pytest.mark.parametrize("text", ["", "2", "2,1,0", "a,b", "2;1", "nan,0", "inf,1", "1e308,1e308", "25,0", "0,-21"])
def test_offset_rejects_junk(text: str) -> None:
    with pytest.raises(ValueError, match="offset"):
        offset(text)
