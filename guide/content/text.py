"""The text of tip HTML, read back: what a reader should see in plain text, or only what the PDF prints."""

from __future__ import annotations

import re
from html.parser import HTMLParser

BLOCKS = {"p", "div", "pre", "ul", "ol", "li", "br", "tr", "table", "blockquote", "h3", "h4", "h5", "h6",
          "dl", "dt", "dd", "hr"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# The element holding a typeset formula's text form: an invisible text layer under the picture.
FORMULA_TEXT = "math-text"


def plain_text(fragment: str, printed: bool = False) -> str:
    """The readable text of an HTML fragment: blocks on their own lines, list items as ``• item``,
    formulas in their text form, images as their alternative text. With ``printed``, only the characters
    the PDF prints: no list markers, no alternative texts, no formulas' hidden text layer."""
    parser = _Text(printed)
    parser.feed(str(fragment))
    parser.close()
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n")]
    return "\n".join(line for line in lines if line)


class _Text(HTMLParser):
    def __init__(self, printed: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.printed = printed
        self.parts: list[str] = []
        self._hidden = 0  # depth of the formula text layer being skipped (0: none)
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        classes = attributes.get("class") or ""
        if tag not in VOID:
            self._depth += 1
            if self.printed and not self._hidden and FORMULA_TEXT in classes.split():
                self._hidden = self._depth
        if tag in BLOCKS:
            self.parts.append("\n")
        if self.printed:
            return
        if tag == "li":
            self.parts.append("• ")
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "img" and "math" not in classes and attributes.get("alt"):
            self.parts.append(f"[{attributes['alt']}]")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag in VOID:
            return
        if self._hidden == self._depth:
            self._hidden = 0
        self._depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)
