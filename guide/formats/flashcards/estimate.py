"""Estimate how tall a card's question or answer will be, from the fonts' advance widths, so that only
texts whose type size is in doubt are laid out by WeasyPrint to fit them. The sizes come from
:mod:`metrics`, which flashcards.css uses too; for anything the model does not know (images, math,
tables, other scripts) it returns None."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from html import unescape
from html.parser import HTMLParser

from guide.config.paper import MM_PER_PT, MM_PER_PX
from guide.content.code import SOFT_HYPHEN
from guide.formats.flashcards import metrics
from guide.formats.flashcards.fit import Estimate
from guide.render.fonts import FACES, font_dir

# Inline elements and the (weight, italic) they switch to; None keeps the surrounding face.
INLINE = {"strong": (600, False), "b": (600, False), "em": (400, True), "i": (400, True),
          "a": None, "span": None, "code": None, "u": None, "s": None, "del": None, "ins": None, "mark": None,
          "abbr": None, "dfn": None, "cite": None, "q": None, "var": None, "samp": None, "kbd": None}
BLOCKS = {"p", "ul", "ol", "li", "h3", "pre", "div"}
# Span classes that base.css sets in bold: cloze deletions and their blanks.
BOLD_CLASSES = {"cloze", "cloze-blank"}
BREAK_AFTER = "-\u2013\u2014\u200b"
# Where a name may break (guide.content.code) and the mark that ends its line if it does (base.css).
BREAK_MARK = "\u00ac"
# How much more (as a share of the line) a real line may hold than the model's, with kerning; and how much
# less.
MORE, LESS = 0.015, 0.002


@lru_cache(maxsize=None)
def _advances(weight: int, italic: bool, mono: bool) -> dict[int, float]:
    """Advance widths in em of every character the face maps."""
    from fontTools.ttLib import TTFont

    family = "Guide Mono" if mono else "Guide Sans"
    style = "italic" if italic else "normal"
    candidates = [face for face in FACES if face[0] == family and face[4] == style] or \
        [face for face in FACES if face[0] == family]
    _, package, filename, _, _ = min(candidates, key=lambda face: abs(face[3] - weight))
    font = TTFont(str(font_dir(package) / filename), lazy=True)
    scale, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
    return {code: metrics[glyph][0] / scale for code, glyph in font.getBestCmap().items()}


class Unknown(Exception):
    """The text holds something the model does not know how to measure."""


@dataclass
class _Run:
    text: str
    weight: int
    italic: bool
    code: bool


@dataclass
class _Block:
    kind: str
    runs: list[_Run] = field(default_factory=list)
    children: list[_Block] = field(default_factory=list)
    _pieces: list[tuple[str, float]] | None = None

    def lines(self, width: float, size: float, scale: float = 1.0) -> int:
        """Lines the block's text fills ``width`` mm wide at ``scale`` times ``size`` pt: widths grow
        with the size, so the pieces are measured once at 1 pt."""
        if self._pieces is None:
            code_scale = 1.0 if self.kind == "h3" else metrics.METRICS.code_scale  # code in a title keeps its size
            self._pieces = _pieces(self.runs, scale, self.kind == "pre", code_scale)
        return _lines(self._pieces, width / size, self.kind == "pre")


class _TypeModel(HTMLParser):
    """Turns card HTML into blocks of styled text runs (weight, italic, code) that the estimate sets in
    lines: a model of the typesetting, not the text (that is :func:`guide.content.text.plain_text`)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Block("root")
        self.blocks = [self.root]
        self.styles: list[tuple[str, int, bool, bool]] = [("root", 400, False, False)]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "wbr"):  # a line break; a place to break, of no width
            self._text("\n" if tag == "br" else "\u200b")
            return
        _, weight, italic, code = self.styles[-1]
        if tag in BLOCKS:
            self._open_block(tag, dict(attrs).get("class"))
            weight = 700 if tag == "h3" else weight
            code = code or tag == "pre"
        elif tag in INLINE:
            self._open_inline(tag, dict(attrs).get("class") or "")
            weight, italic = INLINE[tag] or (weight, italic)
            weight = 700 if tag == "span" and dict(attrs).get("class") in BOLD_CLASSES else weight
            code = code or tag in ("code", "kbd", "samp")
        else:
            raise Unknown(tag)
        self.styles.append((tag, weight, italic, code))

    def _open_block(self, tag: str, css_class: str | None) -> None:
        if tag == "div" and css_class != "highlight":
            raise Unknown(tag)
        block, parent = _Block(tag), self.blocks[-1]
        if parent.runs and parent.kind != "pre":  # text before a nested block is a block of its own
            if any(run.text.strip() for run in parent.runs):
                parent.children.append(_Block("anonymous", runs=parent.runs))
            parent.runs = []
        parent.children.append(block)
        self.blocks.append(block)

    def _open_inline(self, tag: str, css_class: str) -> None:
        if tag == "span" and css_class.startswith("math"):
            raise Unknown("math")
        if tag == "span" and css_class == "line" and self.blocks[-1].runs:
            self._text("\n")  # each code line is a block of its own

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.blocks.pop()
        if tag not in ("br", "wbr"):
            self.styles.pop()

    def handle_data(self, data: str) -> None:
        self._text(data)

    def _text(self, text: str) -> None:
        _, weight, italic, code = self.styles[-1]
        block = self.blocks[-1]
        if block.children and block.kind != "pre":
            if not text.strip():
                return
            if block.children[-1].kind != "anonymous":
                block.children.append(_Block("anonymous"))
            block = block.children[-1]
        block.runs.append(_Run(text, weight, italic, code))


def _pieces(runs: list[_Run], size: float, preformatted: bool, code_scale: float) -> list[tuple[str, float]]:
    """Text as unbreakable pieces with their widths (mm): words, spaces and forced line breaks."""
    pieces: list[tuple[str, float]] = []
    word = 0.0
    for run in runs:
        scale = size * (code_scale if run.code else 1.0) * MM_PER_PT
        widths = _advances(run.weight, run.italic, run.code)
        text = run.text if preformatted else " ".join(run.text.replace("\n", " ").split(" "))
        pad = 2 * metrics.METRICS.inline_code_pad * scale if run.code and not preformatted else 0.0
        word += pad / 2
        for char in text:
            if char == "\n" and preformatted:
                pieces += [("word", word), ("newline", 0.0)]
                word = 0.0
                continue
            if char == SOFT_HYPHEN:  # a name may break here, its line ending with a mark (base.css)
                pieces += [("word", word), ("soft", widths[ord(BREAK_MARK)] * scale)]
                word = 0.0
                continue
            if char == "\u200b":  # a place to break, of no width
                pieces.append(("word", word))
                word = 0.0
                continue
            width = widths.get(ord(char))
            if width is None:
                raise Unknown(char)
            if char == " ":
                pieces += [("word", word), ("space", width * scale)]
                word = 0.0
            else:
                word += width * scale
                if char in BREAK_AFTER:
                    pieces.append(("word", word))
                    word = 0.0
        word += pad / 2
    pieces.append(("word", word))
    return pieces


def _lines(pieces: list[tuple[str, float]], width: float, preformatted: bool) -> int:
    """Lines a greedy line breaker fills; a word wider than the line is broken inside. A line may end at a
    soft break only with room for its mark, else the part of the name before it goes down too."""
    lines, used, pending_space, mark, last = 1, 0.0, 0.0, None, 0.0
    for kind, amount in pieces:
        if kind == "newline":
            lines, used, pending_space, mark = lines + 1, 0.0, 0.0, None
        elif kind == "space":
            pending_space += amount if used or preformatted else 0.0
            mark = None
        elif kind == "soft":
            mark = amount
        elif amount:
            if used and used + pending_space + amount > width:
                lines, used = lines + 1, (last if mark is not None and used + mark > width else 0.0)
            else:
                used += pending_space
            if amount > width:
                extra, used = divmod(used + amount, width)
                lines += int(extra)
            else:
                used += amount
            pending_space, mark, last = 0.0, None, amount
    return lines


def _block_height(block: _Block, width: float, size: float) -> tuple[float, float, float]:
    """(margin above, height, margin below) of an answer block in mm, at a body size of ``size`` pt."""
    m, em = metrics.METRICS, size * MM_PER_PT
    if block.kind in ("p", "anonymous"):
        margin = m.gap * em if block.kind == "p" else 0.0
        return 0.0, block.lines(width, size) * m.line_height * em, margin
    if block.kind == "h3":
        title = m.title_scale * em
        return 0.0, block.lines(width, size, m.title_scale) * m.title_line_height * title, m.gap * title
    if block.kind == "pre":
        code = m.code_scale * em
        inner = width - (2 * m.pre_pad_x + m.wrap_indent) * code - m.pre_rule_px * MM_PER_PX
        lines = block.lines(inner, size)  # its runs are code: the code scale applies once
        if block.runs and block.runs[-1].text.endswith("\n"):
            lines -= 1
        return (m.pre_margin_top * code, (lines * m.pre_line_height + 2 * m.pre_pad_y) * code,
                m.pre_margin_bottom * code)
    if block.kind == "div":
        return _stack(block.children, width, size)
    if block.kind in ("ul", "ol"):
        items = [_block_height(child, width - m.list_indent * em, size) for child in block.children]
        top, height, bottom = _collapse(items)
        return top, height, max(bottom, m.gap * em)
    if block.kind == "li":
        if block.runs:  # a tight list item holds its text directly
            block.children.insert(0, _Block("anonymous", runs=block.runs))
            block.runs = []
        top, height, bottom = _stack(block.children, width, size, flush=True)
        return top, height, max(bottom, m.item_gap * em)
    raise Unknown(block.kind)


def _stack(children: list[_Block], width: float, size: float, flush: bool = False) -> tuple[float, float, float]:
    items = [_block_height(child, width, size) for child in children]
    if flush:  # paragraphs inside list items have no margins
        items = [(0.0, height, 0.0) if child.kind == "p" else item
                 for child, (_, height, _), item in zip(children, items, items)]
    return _collapse(items)


def _collapse(items: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Stack blocks, adjoining margins collapsing to the larger; the outer margins are passed on."""
    if not items:
        return 0.0, 0.0, 0.0
    height = sum(item[1] for item in items)
    height += sum(max(above[2], below[0]) for above, below in zip(items, items[1:]))
    return items[0][0], height, items[-1][2]


def estimator(kind: str, text: str, width: float) -> Estimate | None:
    """A function from type size (pt) to the least and most height (mm) that a question (plain text) or
    answer (card HTML) set ``width`` mm wide will likely take; None if the text holds what the model
    cannot measure. The bounds allow for kerning: real lines hold up to ``MORE`` more, ``LESS`` less."""
    narrow, wide = width * (1 - LESS), width * (1 + MORE)
    if kind == "question":
        block = _Block("question", runs=[_Run(unescape(text), 600, False, False)])
        try:
            block.lines(width, 10.0)
        except Unknown:
            return None

        def question(size: float) -> tuple[float, float]:
            line = metrics.METRICS.question_line_height * size * MM_PER_PT
            return block.lines(wide, size) * line, block.lines(narrow, size) * line
        return question
    reader = _TypeModel()
    try:
        reader.feed(text)
        reader.close()
        blocks = reader.root.children
        _stack(blocks, width, 10.0)
    except Unknown:
        return None
    return lambda size: (_stack(blocks, wide, size)[1], _stack(blocks, narrow, size)[1])
