"""Cloze deletions in tip text, as Anki writes them: ``{{c1::text}}`` or ``{{c1::text::hint}}``.

A Python-Markdown extension finds them (never inside code, where they stay as typed) and prints them as
a :class:`View` asks: all emphasised, one number blanked as ``[…]`` (or ``[hint]``) for a card's front or
highlighted for its back, or written back in Anki's syntax."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

from markdown import Extension, Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

# The text runs to the first "::" or "}}", as in Anki; a deletion holds no other deletion.
CLOZE_RE = r"\{\{c([1-9][0-9]*)::((?:(?!\{\{|\}\}|::).)+?)(?:::((?:(?!\{\{|\}\}).)*?))?\}\}"
# What starts like a deletion but is none: {{c::x}}, {{c0::x}}, {{c1::}}, an unclosed {{c1::x.
MALFORMED = re.compile(r"\{\{c[0-9]*::.{0,30}", re.DOTALL)
BLANK = "…"
# The element the inline pattern makes; the tree processor gives it the view's form.
_TAG = "cloze"


class ClozeError(ValueError):
    """Text that starts a deletion it does not finish."""


@dataclass(frozen=True)
class View:
    """How deletions print: ``full`` (all emphasised), ``front`` (``number`` blanked, others plain),
    ``back`` (``number`` emphasised, others plain) or ``anki`` (``{{cN::text::hint}}``)."""

    side: str = "full"
    number: int = 0


FULL = View()
ANKI = View("anki")


class _Deletion(InlineProcessor):
    def handleMatch(self, match: re.Match, data: str) -> tuple[etree.Element, int, int]:
        element = etree.Element(_TAG, {"number": match[1], "hint": self.unescape(match[3] or "")})
        element.text = match[2]  # inline Markdown inside a deletion is rendered
        return element, match.start(0), match.end(0)


class _Print(Treeprocessor):
    """Gives each deletion the form its view asks for, records the numbers found, and refuses text that
    looks like a deletion but is none."""

    def __init__(self, md: Markdown, extension: Cloze):
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        view = self.extension.view
        if view != ANKI:
            _check(root)
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter(_TAG)):
            number, hint = int(element.attrib.pop("number")), element.attrib.pop("hint")
            self.extension.numbers.add(number)
            if view == ANKI:
                _unwrap(parents[element], element, f"{{{{c{number}::", f"::{hint}}}}}" if hint else "}}")
                continue
            element.tag = "span"
            if view.side == "front" and number == view.number:
                element.set("class", "cloze-blank")
                element.text, element[:] = AtomicString(f"[{hint or BLANK}]"), []
            elif view.side == "full" or number == view.number:
                element.set("class", "cloze")


def _check(root: etree.Element) -> None:
    """Raise :class:`ClozeError` for text outside code that starts a deletion the pattern did not take."""
    codes = [element for element in root.iter() if element.tag in ("code", "pre")]
    inside = {id(node) for code in codes for node in code.iter() if node is not code}
    for element in root.iter():
        if id(element) in inside:
            continue
        for text in ([] if element in codes else [element.text]) + [element.tail]:
            if text and (found := MALFORMED.search(text)):
                raise ClozeError(f'has a malformed cloze deletion "{_quoted(found[0])}": write {{{{c1::text}}}} or '
                                 "{{c1::text::hint}} (numbered from 1, closed by }}), or \\{{ to print it as typed")


def _quoted(found: str) -> str:
    """The deletion as written, up to its closing braces, or its start and an ellipsis when it has none."""
    end = found.find("}}")
    return found[:end + 2] if end >= 0 else found.split("\n")[0] + "…"


def _unwrap(parent: etree.Element, element: etree.Element, before: str, after: str) -> None:
    """Put ``element``'s text and children in its place in ``parent``, ``before`` and ``after`` them as text."""
    index = list(parent).index(element)
    children, text = list(element), before + (element.text or "")
    if children:
        children[-1].tail = (children[-1].tail or "") + after + (element.tail or "")
    else:
        text += after + (element.tail or "")
    if index:
        parent[index - 1].tail = (parent[index - 1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent[index:index + 1] = children


class Cloze(Extension):
    """Cloze deletions, printed as :attr:`view` says; :attr:`numbers` holds those of the last text."""

    def __init__(self) -> None:
        super().__init__()
        self.view = FULL
        self.numbers: set[int] = set()

    def extendMarkdown(self, md: Markdown) -> None:
        # After code spans and backslash escapes (so `{{c1::x}}` and \{{c1::x}} stay as typed), before links
        # and emphasis (which then work inside a deletion).
        md.inlinePatterns.register(_Deletion(CLOZE_RE, md), "cloze", 175)
        # After the code and long-name marks (guide.content.code), which must not mark the syntax that the
        # Anki view writes back.
        md.treeprocessors.register(_Print(md, self), "cloze", 12)
        md.registerExtension(self)

    def reset(self) -> None:
        self.numbers = set()
