"""Characters no font can draw: found before the build, reported by tip, instead of boxes in the PDF.

The fonts a PDF can use are the packaged faces (:data:`guide.render.fonts.FACES`, whose cmaps fontTools reads)
and, for everything else, the fonts fontconfig knows: Pango falls back to them for characters the
stylesheet's fonts lack. Their coverage comes from fontconfig's own cache (``fc-list`` prints each
font's charset), so no system font file is opened; both are read once per process, and fontconfig is
only asked when a tip has a character the packaged fonts lack.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from guide.content.model import Guide
from guide.content.schema import quoted
from guide.content.text import plain_text
from guide.errors import Problem
from guide.render.fonts import FACES, font_dir

# Shown in full up to this many characters per tip, then counted.
MAX_SHOWN = 8

# Characters that never need a glyph: controls, format characters (bidi marks, zero-width joiners),
# spaces (Pango draws missing ones as blank space), and the other default-ignorable code points.
_NO_GLYPH_CATEGORIES = {"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"}
_DEFAULT_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160), (0x17B4, 0x17B5),
    (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164),
    (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)


def missing_glyphs(guide: Guide) -> list[str]:
    """One warning per tip (and category) holding characters that no available font has.

    E.g. ``tips/x.yaml:12: tip "foo": no font has U+4E2D 中 (it will print as a box)``.
    """
    messages = []
    for category in guide.categories:
        text = category.name + "\n" + plain_text(category.intro_html, printed=True)
        if missing := _missing(text):
            what = f"category {quoted(category.name)}"
            messages.append(_message(category.source.path, category.source.line, what, missing))
        for tip in category.tips:
            text = "\n".join((tip.title, tip.question, plain_text(tip.body_html, printed=True)))
            if missing := _missing(text):
                messages.append(_message(tip.source.path, tip.source.line, f'tip "{tip.id}"', missing))
    return messages


def _message(path: Path, line: int, what: str, missing: list[str]) -> str:
    shown = ", ".join(f"U+{ord(char):04X} {_display(char)}" for char in missing[:MAX_SHOWN])
    if len(missing) > MAX_SHOWN:
        shown += f" and {len(missing) - MAX_SHOWN} more"
    consequence = "it will print as a box" if len(missing) == 1 else "they will print as boxes"
    return str(Problem(path, f"{what}: no font has {shown} ({consequence})", line))


def _display(char: str) -> str:
    """The character as readable text: a combining mark sits on a dotted circle."""
    return f"\u25cc{char}" if unicodedata.combining(char) else char


def _missing(text: str) -> list[str]:
    """The characters of ``text`` (in order of first use) that need a glyph no font has."""
    needed = [char for char in dict.fromkeys(text) if ord(char) > 0x7E and _needs_glyph(char)]
    packaged = _packaged_coverage()
    needed = [char for char in needed if ord(char) not in packaged]
    return [char for char in needed if not _system_covers(ord(char))] if needed else []


def _needs_glyph(char: str) -> bool:
    code = ord(char)
    if unicodedata.category(char) in _NO_GLYPH_CATEGORIES:
        return False
    return not any(low <= code <= high for low, high in _DEFAULT_IGNORABLE)


@lru_cache(maxsize=1)
def _packaged_coverage() -> frozenset[int]:
    """Every code point some packaged face maps to a glyph."""
    from fontTools.ttLib import TTFont

    covered: set[int] = set()
    for path in dict.fromkeys(font_dir(package) / filename for _, package, filename, *_ in FACES):
        with TTFont(path, lazy=True) as font:
            covered.update(font.getBestCmap() or {})
    return frozenset(covered)


def _system_covers(code: int) -> bool:
    starts, ends = _system_coverage()
    index = bisect.bisect_right(starts, code) - 1
    return index >= 0 and code <= ends[index]


@lru_cache(maxsize=1)
def _system_coverage() -> tuple[list[int], list[int]]:
    """fontconfig's fonts' charsets, merged into sorted disjoint ranges (starts, ends)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return [], []
    try:
        result = subprocess.run([fc_list, "--format", "%{charset}\n"], capture_output=True, text=True,
                                timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return [], []
    return _merge(_parse_ranges(result.stdout.split()))


def _parse_ranges(items: Iterable[str]) -> list[tuple[int, int]]:
    """fontconfig charset items (``20-7e``, ``a0``) as (low, high) pairs; anything else is skipped."""
    ranges = []
    for item in items:
        low, _, high = item.partition("-")
        try:
            ranges.append((int(low, 16), int(high or low, 16)))
        except ValueError:
            continue
    return ranges


def _merge(ranges: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for low, high in sorted(ranges):
        if ends and low <= ends[-1] + 1:
            ends[-1] = max(ends[-1], high)
        else:
            starts.append(low)
            ends.append(high)
    return starts, ends
