"""Split sanitised HTML into its top-level elements, so a long tip can be laid out piece by piece."""

from __future__ import annotations

from html.parser import HTMLParser

from markupsafe import Markup

# Elements that have no end tag in HTML.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Splitter(HTMLParser):
    """Records the offsets where each top-level element (or run of top-level text) ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.ends: list[tuple[int, int]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in VOID:
            self._closed()
        else:
            self.depth += 1

    def handle_startendtag(self, tag: str, attrs: list) -> None:
        self._closed()

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID:
            self.depth = max(self.depth - 1, 0)
            self._closed()

    def _closed(self) -> None:
        if self.depth == 0:
            line, column = self.getpos()
            self.ends.append((line, column))


def top_level(html: str) -> list[Markup]:
    """The top-level pieces of ``html`` in order: joined, they are ``html`` again. Inline elements and text
    between block elements stay with the element before them, so a paragraph is never cut."""
    splitter = _Splitter()
    splitter.feed(html)
    splitter.close()
    starts = _line_starts(html)
    cuts = []
    for line, column in splitter.ends:
        offset = starts[line - 1] + column
        cut = html.index(">", offset) + 1
        if html[cut:cut + 1] == "\n" or cut == len(html):
            cuts.append(cut)
    pieces, previous = [], 0
    for cut in cuts:
        if html[previous:cut].strip():
            pieces.append(Markup(html[previous:cut]))
            previous = cut
    if html[previous:].strip():
        if pieces:
            pieces[-1] = Markup(pieces[-1] + html[previous:])
        else:
            pieces.append(Markup(html[previous:]))
    return pieces


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts
