"""Code that reads true on paper: inline code breaks only at a space or after a path separator (a run
holding a hyphen, such as an option, never breaks inside: base.css), and each line of a code block is
its own box, so a wrapped line can carry a continuation mark (base.css)."""

from __future__ import annotations

import xml.etree.ElementTree as etree
from collections.abc import Iterator

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString
from pygments.formatters.html import HtmlFormatter

# Where inline code may break: at a space, or after a path separator.
PATH_SEPARATORS = ("/", "\\")


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


class _UnbrokenInlineCode(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        parents = {child: parent for parent in root.iter() for child in parent}
        for code in list(root.iter("code")):
            if parents.get(code) is not None and parents[code].tag == "pre" or len(code) or not code.text:
                continue
            if "-" in code.text:
                _keep_hyphenated_runs_whole(code)


def _keep_hyphenated_runs_whole(code: etree.Element) -> None:
    """Put each run of ``code`` holding a hyphen in a span of its own (base.css never breaks one inside);
    the rest stays text, which breaks only at spaces and after path separators anyway."""
    pieces = _pieces(code.text)
    code.text = AtomicString("")
    last = None
    for piece in pieces:
        if "-" in piece:
            last = etree.SubElement(code, "span", {"class": "unbroken"})
            last.text = AtomicString(piece)
        elif last is None:
            code.text = AtomicString(code.text + piece)
        else:
            last.tail = AtomicString((last.tail or "") + piece)


class UnbrokenInlineCode(Extension):
    """Inline code as runs that never break inside (not at a hyphen, not inside an option)."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_UnbrokenInlineCode(md), "unbroken_inline_code", 14)


class LineFormatter(HtmlFormatter):
    """Pygments' HTML with every source line in a ``<span class="line">``."""

    def wrap(self, source: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        for is_line, text in super().wrap(source):
            if is_line:
                # The line keeps its line break, so copied or exported code keeps its lines.
                yield is_line, f'<span class="line">{text}</span>'
            else:
                yield is_line, text
