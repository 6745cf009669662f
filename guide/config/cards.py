"""The flashcard sizes and duplex modes a user can choose, and how their values are read."""

from __future__ import annotations

import math
import re

from guide.config.paper import MM_PER_INCH

_IN = MM_PER_INCH
# Card sizes in mm, width x height. The default tiles 2 x 4 on Letter and on A4 inside the safe margin.
CARD_PRESETS = {
    "default": (3.75 * _IN, 2.5 * _IN),
    "index-3x5": (5 * _IN, 3 * _IN),
    "index-4x6": (6 * _IN, 4 * _IN),
    "business": (3.5 * _IN, 2 * _IN),
    "poker": (2.5 * _IN, 3.5 * _IN),
    "a7": (105.0, 74.0),
    "a6": (148.0, 105.0),
    "a8": (74.0, 52.0),
}
DEFAULT_CARD = CARD_PRESETS["default"]
DUPLEX_MODES = {
    "long-edge": "double-sided, flipped on the long edge",
    "short-edge": "double-sided, flipped on the short edge",
    "fold": "front and back side by side on one side, to fold (no duplex needed)",
    "split": "fronts and backs in two PDFs, to turn the sheets over by hand",
}
# The largest back offset a printer plausibly needs, in mm either way.
MOST_OFFSET = 20.0
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*[x×]\s*(\d+(?:\.\d+)?)\s*(mm|in)\s*", re.IGNORECASE)


def card_size(text: str) -> tuple[float, float]:
    """A preset name or ``WxH`` in mm or in (``90x60mm``, ``3x5in``) as (width, height) in mm."""
    if text in CARD_PRESETS:
        return CARD_PRESETS[text]
    match = _SIZE.fullmatch(text)
    if not match or float(match[1]) <= 0 or float(match[2]) <= 0:
        presets = ", ".join(CARD_PRESETS)
        raise ValueError(f'card size "{text}" is neither a preset ({presets}) nor like 90x60mm or 3x5in')
    scale = MM_PER_INCH if match[3].lower() == "in" else 1.0
    return float(match[1]) * scale, float(match[2]) * scale


def offset(text: str) -> tuple[float, float]:
    """``"X,Y"`` in mm as a pair of finite floats, each within ±``MOST_OFFSET``."""
    try:
        x, y = (float(part) for part in text.split(","))
    except ValueError:
        raise ValueError(f'offset "{text}" must be two numbers in mm, like 0.5,-1') from None
    if not all(math.isfinite(value) and abs(value) <= MOST_OFFSET for value in (x, y)):
        raise ValueError(f'offset "{text}" must be two numbers between -{MOST_OFFSET:g} and {MOST_OFFSET:g} mm')
    return x, y


def duplex(text: str) -> str:
    """One of :data:`DUPLEX_MODES`."""
    if text not in DUPLEX_MODES:
        raise ValueError(f'"{text}" is not a duplex mode; use one of {", ".join(DUPLEX_MODES)}')
    return text
