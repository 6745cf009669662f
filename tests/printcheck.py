"""Read a printed PDF as a careful printer would: ink over ink, ink in the unprintable edge, type too small,
ink outside its flashcard, and words of the tips that never made it to paper.

Each check returns a list of :class:`Finding`, empty when the PDF is fine. Coordinates are PDF points from
the page's top-left corner (pdfplumber's ``x0``/``top``).
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import pdfplumber

POINTS_PER_MM = 72 / 25.4
SAFE_MARGIN_MM = 6.35
SMALLEST_PT = 6.0
# White or fully transparent fill: the searchable text laid under a formula, not ink.
INVISIBLE_COLOURS = {(1.0,), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0)}
_CELL = 12.0  # pt: glyphs are compared with those in the same and neighbouring cells of this size
_NEIGHBOURS = 2  # glyphs this close in drawing order may touch (kerning, accents, ligatures)
_TOLERANCE = 0.15  # pt

Box = tuple[float, float, float, float]  # x0, top, x1, bottom in points


@dataclass(frozen=True)
class Finding:
    """Something a reader of the printed page would be unhappy to find."""

    page: int
    x: float
    top: float
    what: str

    def __str__(self) -> str:
        return f"page {self.page} at ({self.x:.0f}, {self.top:.0f}) pt: {self.what}"


@dataclass(frozen=True)
class Page:
    """One page's size, its visible glyphs in drawing order and the rest of its ink."""

    number: int
    width: float
    height: float
    glyphs: tuple[dict, ...]
    shapes: tuple[dict, ...]
    images: tuple[dict, ...]
    text: str


def visible(char: dict) -> bool:
    """Whether a pdfplumber character is ink: not blank, not zero-sized, not white or transparent."""
    colour = tuple(float(part) for part in (char.get("non_stroking_color") or (0.0,)))
    return bool(char["text"].strip()) and char.get("size", 0) > 0 and colour not in INVISIBLE_COLOURS


def drawn(shape: dict) -> bool:
    """Whether a rect, line or curve leaves ink (is filled or stroked)."""
    return bool(shape.get("fill") or shape.get("stroke"))


@lru_cache(maxsize=16)
def _load(path: str, _mtime: float) -> tuple[Page, ...]:
    with pdfplumber.open(path) as pdf:
        return tuple(
            Page(number, float(page.width), float(page.height),
                 tuple(char for char in page.chars if visible(char)),
                 tuple(shape for shape in page.rects + page.lines + page.curves if drawn(shape)),
                 tuple(page.images), _text(page.chars))
            for number, page in enumerate(pdf.pages, 1))


def _text(chars: Sequence[dict]) -> str:
    """The characters in drawing order (visible or not), line by line; a break between two lines wholly of
    code (a code block's) is marked as such (``CODE_BREAK``)."""
    lines = _lines(chars)
    parts = [_line_text(lines[0])] if lines else []
    for previous, line in pairwise(lines):
        parts += [CODE_BREAK + "\n" if all(map(_code, previous + line)) else "\n", _line_text(line)]
    return "".join(parts)


def _lines(chars: Sequence[dict]) -> list[list[dict]]:
    """The characters cut where one does not overlap the previous one's height (a subscript does)."""
    lines: list[list[dict]] = []
    for char in chars:
        if lines and not (char["top"] >= lines[-1][-1]["bottom"] or char["bottom"] <= lines[-1][-1]["top"]):
            lines[-1].append(char)
        else:
            lines.append([char])
    return lines


def _line_text(line: list[dict]) -> str:
    """A line's characters, with a space at a gap or where a character is drawn left of the previous one
    (a list's number, drawn after its item's first line)."""
    parts = [line[0]["text"]]
    for previous, char in pairwise(line):
        if char["x0"] - previous["x1"] > char["size"] / 6 or char["x1"] <= previous["x0"]:
            parts.append(" ")
        parts.append(char["text"])
    return "".join(parts)


def _code(char: dict) -> bool:
    return "Mono" in char.get("fontname", "")


def load(path: Path) -> tuple[Page, ...]:
    """The pages of the PDF at ``path``, read once while the file is unchanged."""
    return _load(str(path), path.stat().st_mtime)


def _box(item: dict) -> Box:
    return float(item["x0"]), float(item["top"]), float(item["x1"]), float(item["bottom"])


def _area(box: Box) -> float:
    return max(0.0, box[2] - box[0]) * max(0.0, box[3] - box[1])


def _intersection(a: Box, b: Box) -> float:
    return _area((max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])))


def _inside(inner: Box, outer: Box, tolerance: float = 0.5) -> bool:
    return (inner[0] >= outer[0] - tolerance and inner[1] >= outer[1] - tolerance
            and inner[2] <= outer[2] + tolerance and inner[3] <= outer[3] + tolerance)


def _finding(page: Page, item: dict, what: str) -> Finding:
    return Finding(page.number, float(item["x0"]), float(item["top"]), what)


def _overprints(page: Page) -> list[Finding]:
    """Pairs of glyphs of one page, far apart in drawing order, covering a third of the smaller one."""
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    boxes = [_box(glyph) for glyph in page.glyphs]
    for index, box in enumerate(boxes):
        cells[int(box[0] // _CELL), int(box[1] // _CELL)].append(index)
    findings = []
    for (column, row), members in cells.items():
        near = [other for dx in (-1, 0, 1) for dy in (-1, 0, 1) for other in cells.get((column + dx, row + dy), ())]
        for index in members:
            for other in near:
                if other <= index + _NEIGHBOURS:
                    continue
                smaller = min(_area(boxes[index]), _area(boxes[other]))
                if smaller > 0 and _intersection(boxes[index], boxes[other]) > smaller / 3:
                    first, second = page.glyphs[index], page.glyphs[other]
                    findings.append(_finding(page, second, f"{second['text']!r} drawn over {first['text']!r}"))
    return findings


def overlaps(path: Path) -> list[Finding]:
    """Visible glyphs drawn over other glyphs that are not their neighbours in the text."""
    return [finding for page in load(path) for finding in _overprints(page)]


def in_margin(path: Path, margin_mm: float = SAFE_MARGIN_MM) -> list[Finding]:
    """Glyphs, rules, shapes and images closer than ``margin_mm`` to the paper's edge (a background
    spanning the page's whole width is allowed)."""
    safe = margin_mm * POINTS_PER_MM - _TOLERANCE
    findings = []
    for page in load(path):
        for item in (*page.glyphs, *page.shapes, *page.images):
            x0, top, x1, bottom = _box(item)
            if x0 <= 0 and x1 >= page.width and item.get("object_type") == "rect":
                continue
            if min(x0, top, page.width - x1, page.height - bottom) < safe:
                findings.append(_finding(page, item, f"{item.get('text', item.get('object_type'))!r} in the margin"))
    return findings


def too_small(path: Path, smallest_pt: float = SMALLEST_PT) -> list[Finding]:
    """Visible glyphs set smaller than ``smallest_pt``."""
    return [_finding(page, glyph, f"{glyph['text']!r} at {glyph['size']:.2f} pt")
            for page in load(path) for glyph in page.glyphs if glyph["size"] < smallest_pt - 0.05]


def _owners(page: Page, cards: Sequence[Box]) -> list[int | None]:
    """The card each glyph lies wholly inside, if any."""
    return [next((index for index, card in enumerate(cards) if _inside(_box(glyph), card)), None)
            for glyph in page.glyphs]


def _spans(owners: list[int | None]) -> list[tuple[int, int, int]]:
    """(first, last, card) per card: the run of drawing order from its first glyph inside it to its last."""
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    for position, card in enumerate(owners):
        if card is not None:
            first.setdefault(card, position)
            last[card] = position
    return sorted((first[card], last[card], card) for card in first)


def outside_cards(path: Path, cards: Sequence[Box]) -> list[Finding]:
    """Glyphs and images not wholly inside their own card; ``cards`` are the cards' boxes on every page.

    A card draws its text in one go, ending inside itself (its foot), so every glyph drawn between a
    card's first and last glyph inside it belongs to it: one found elsewhere ran off that card.
    """
    findings = []
    for page in load(path):
        owners = _owners(page, cards)
        spans = _spans(owners)
        for position, (glyph, owner) in enumerate(zip(page.glyphs, owners)):
            card = next((card for first, last, card in spans if first <= position <= last), None)
            if owner is None or owner != card:
                findings.append(_finding(page, glyph, f"{glyph['text']!r} outside its card"))
        findings += [_finding(page, image, "image outside its card") for image in page.images
                     if not any(_inside(_box(image), card) for card in cards)]
    return findings


def card_boxes(lefts_tops_mm: Iterable[tuple[float, float]], width_mm: float, height_mm: float) -> list[Box]:
    """Card boxes in points from their top-left corners and size in millimetres."""
    return [(left * POINTS_PER_MM, top * POINTS_PER_MM, (left + width_mm) * POINTS_PER_MM,
             (top + height_mm) * POINTS_PER_MM) for left, top in lefts_tops_mm]


# --- words -------------------------------------------------------------------------------------------------

# A hyphen inside a word, or one that breaks a word across lines: "one-hot", "auto-\nmatic", "auto‐\nmatic";
# and the mark that ends a line where inline code broke a name ("model_¬\nselection").
_WORD_HYPHEN = re.compile(r"(?<=[^\W_])[-\u2010\u00ad]\n?(?=[^\W_])|(?<=\S)\u00ac\n")
_WORD = re.compile(r"[^\W_]+")
_BROKEN_AT_END = re.compile(r"[^\W_][-\u2010\u00ad]$")
# A line break between two lines of code: a code line wraps where it must, even inside a word, with a mark
# beside its wrapped part (a rule, or an arrow on flashcards), and a space where it wrapped is not drawn.
# A reader reads the word across it, or two words, as the sense requires: both readings count.
CODE_BREAK = "\ue000"
_ACROSS_CODE_BREAK = re.compile(rf"([^\W_]+){CODE_BREAK}\n([^\W_]+)")
_MARKDOWN = (
    (re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S), " "),  # TeX: typeset as a picture
    (re.compile(r"^\s*(```|~~~).*$", re.M), " "),  # code fences and their language
    (re.compile(r"(?<!`)\{\{c\d+::(.*?)(?:::[^}]*)?\}\}"), r"\1"),  # cloze deletions: their text, no hint
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), " "),  # images: the picture, not its alt text
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: their text
    (re.compile(r"^(\s*)(?:[-*+]|\d+\.)\s+(\[[ xX]\]\s)?", re.M), r"\1"),  # list markers, task boxes
    (re.compile(r"<(https?://[^>]+)>"), r"\1"),  # autolinks
    (re.compile(r"<br\s*/?>", re.I), "\n"),  # line breaks
    (re.compile(r"<[^>\n]+>"), ""),  # other inline HTML tags: the text runs on
    (re.compile(r"\*+(?=-)|(?<=-)\*+"), ""),  # emphasis on part of a hyphenated word: "**gamma**-which"
)


def words(text: str) -> list[str]:
    """Lowercase runs of letters and digits; hyphenated words (also across line breaks) count as one; the
    words across a break in code follow, joined (see ``CODE_BREAK``)."""
    text = _WORD_HYPHEN.sub("", unicodedata.normalize("NFKC", text)).lower()
    return _WORD.findall(text) + [before + after for before, after in _ACROSS_CODE_BREAK.findall(text)]


def markdown_words(text: str) -> list[str]:
    """The words a reader sees when ``text`` (Markdown) is printed, roughly: no TeX, URLs of links, images."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return words(html.unescape(text))


def pdf_words(path: Path) -> list[str]:
    """Every word of the PDF's text, in drawing order, read without the page furniture (so a word broken at
    the foot of a page reads on at the top of the next)."""
    pages = [page.text.split("\n") for page in load(path)]
    running = _running(pages)
    return words("\n".join("\n".join(_body(lines, running)) for lines in pages))


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip())


def _running(pages: Sequence[list[str]], depth: int = 3) -> set[str]:
    """The shapes of lines found among the last ``depth`` lines of several pages: running feet (drawn after
    the body), such as page numbers and a chapter's name, and maybe a line of text found at the foot of two."""
    tails = Counter(shape for lines in pages for shape in {_shape(line) for line in lines[-depth:]})
    return {shape for shape, count in tails.items() if count > 1}


def _body(lines: list[str], running: set[str]) -> list[str]:
    """A page's lines; when the last that is not a running foot nor wordless (list bullets, drawn after their
    items) ends with a hyphenated word, without those after it, so the word reads on at the next page."""
    end = len(lines)
    while end and (_shape(lines[end - 1]) in running or not _WORD.search(lines[end - 1])):
        end -= 1
    return lines[:end] if end and _BROKEN_AT_END.search(lines[end - 1]) else lines


def missing_words(texts: Iterable[str], path: Path) -> list[str]:
    """Words of the Markdown ``texts`` the PDF has fewer times than the texts, once per missing copy."""
    expected = Counter(word for text in texts for word in markdown_words(text))
    shortfall = expected - Counter(pdf_words(path))
    return sorted(shortfall.elements())
