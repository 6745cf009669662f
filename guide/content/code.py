"""Code that reads true on paper: inline code breaks only at a space, after a path separator or between
the words of a camelCase name, with a mark where it breaks (a run holding a hyphen, such as an option,
never breaks inside: base.css), and each line of a code block is its own box, so a wrapped line can carry
a continuation mark (base.css)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import ETX, STX, AtomicString
from pygments.formatters.html import HtmlFormatter

from guide.content import math

# Where inline code may break: at a space, or after a path separator.
PATH_SEPARATORS = ("/", "\\")
# Where a name in inline code may break, with a mark: after a separator of a dotted, snake_case or C++
# name, and between the words of a camelCase one. A soft hyphen there breaks the line only where it must;
# base.css draws the mark in its place, and an unused one leaves no trace in the PDF or its text.
SOFT_HYPHEN = "\u00ad"
_NAME_BREAK = re.compile(r"(?:(?<=[._])|(?<=::))(?=[^\W_])|(?<=[a-z])(?=[A-Z])")


def _pieces(text: str) -> list[str]:
    """``text`` cut before every space and after every path separator; spaces are pieces of their own."""
    pieces, start = [], 0
    for index, char in enumerate(text):
        if char == " ":
            pieces += [text[start:index], " "]
            start = index + 1
        elif char in PATH_SEPARATORS:
            pieces.append(text[start:index + 1])
            start = index + 1
    return [piece for piece in [*pieces, text[start:]] if piece]


def name_breaks(text: str) -> str:
    """``text`` with a soft hyphen wherever a name in it may break (see ``_NAME_BREAK``)."""
    return _NAME_BREAK.sub(SOFT_HYPHEN, text)


class _UnbrokenInlineCode(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for code in list(root.iter("code")):
            if parents.get(code) is not None and parents[code].tag == "pre" or len(code) or not code.text:
                continue
            _mark_breaks(code)


def _mark_breaks(code: etree.Element) -> None:
    """Put each run of ``code`` holding a hyphen in a span of its own (base.css never breaks one inside);
    the rest stays text, with a soft hyphen wherever a name may break and after a path separator."""
    pieces = _pieces(code.text)
    code.text = AtomicString("")
    last = None
    for piece, following in zip(pieces, [*pieces[1:], " "]):
        if "-" in piece:
            last = etree.SubElement(code, "span", {"class": "unbroken"})
            last.text = AtomicString(piece)
            continue
        text = name_breaks(piece) + (SOFT_HYPHEN if len(piece) > 1 and piece.endswith(PATH_SEPARATORS)
                                          and following != " " else "")
        if last is None:
            code.text = AtomicString(code.text + text)
        else:
            last.tail = AtomicString((last.tail or "") + text)


# A name written in prose without backticks ("spark.sql.adaptive.coalescePartitions") is a word too long
# for a narrow column: it breaks as inline code does, with the same mark, rather than anywhere without one.
# (Its punctuation left out, and never a placeholder of raw HTML, which Markdown marks with STX and ETX.)
_LONG_WORD = re.compile(rf"[^\s{STX}{ETX}]{{19,}}\w")
# Elements whose text is left as it is: code breaks on its own terms, and a link's address is shown.
_KEPT = {"code", "pre", "kbd", "samp", "a"}


class _BreakableNames(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        _break_names(root)


def _break_names(element: etree.Element) -> None:
    """Long names in ``element``'s text and its children's tails in breakable spans, children first."""
    for index, child in reversed(list(enumerate(element))):
        if child.tag not in _KEPT:
            _break_names(child)
        _insert(element, index + 1, _names(child.tail or ""))
    _insert(element, 0, _names(element.text or ""))


def _names(text: str) -> list[str | etree.Element]:
    """``text`` as strings and ``<span class="long-name">``s, alternately, starting with a string."""
    parts: list[str | etree.Element] = []
    start = 0
    for match in _LONG_WORD.finditer(text):
        if not _NAME_BREAK.search(match[0]) or math.PLACEHOLDER.search(match[0]):
            continue
        span = etree.Element("span", {"class": "long-name"})
        span.text = AtomicString(name_breaks(match[0]))
        parts += [text[start:match.start()], span]
        start = match.end()
    return [*parts, text[start:]]


def _insert(parent: etree.Element, index: int, parts: list[str | etree.Element]) -> None:
    """Put ``parts`` at ``index`` among ``parent``'s children: the first string as the text before it."""
    before, *rest = parts
    if index == 0:
        parent.text = before or None
    else:
        parent[index - 1].tail = before or None
    for position, span in enumerate(rest[::2]):
        span.tail = rest[2 * position + 1] or None
        parent.insert(index + position, span)


class UnbrokenInlineCode(Extension):
    """Inline code that breaks only at a space or between the parts of a name, never at a hyphen or inside
    an option; long names in prose break between their parts too."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_UnbrokenInlineCode(md), "unbroken_inline_code", 14)
        md.treeprocessors.register(_BreakableNames(md), "breakable_names", 13)


class LineFormatter(HtmlFormatter):
    """Pygments' HTML with every source line in a ``<span class="line">``."""

    def wrap(self, source: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for is_line, text in super().wrap(source):
            if is_line:
                # The line keeps its line break, so copied or exported code keeps its lines.
                yield is_line, f'<span class="line">{text}</span>'
            else:
                yield is_line, text
