"""Tip Markdown to safe HTML: Markdown renders it as GitHub does, nh3 keeps only harmless tags and attributes."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import markdown
import nh3
from markupsafe import Markup

from guide.content import math
from guide.content.cloze import FULL, Cloze, ClozeError, View
from guide.content.code import LineFormatter, UnbrokenInlineCode
from guide.content.links import BareLinks
from guide.content.lists import GitHubLists
from guide.store.cache import Cache
from guide.store.keys import code_digest

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "code", "pre", "kbd", "samp", "var", "span", "div", "blockquote", "q", "abbr", "dfn", "cite",
    "ul", "ol", "li", "dl", "dt", "dd", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "img", "a", "input",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "input": {"type", "checked", "disabled"},  # the boxes of a task list
}
# Lists, quotes and elements inside one another: real tips nest a few levels; ten thousand take minutes and
# gigabytes to sanitise and lay out, and deep Markdown quotes or lists exhaust Python's stack.
MAX_NESTING = 32
# The quote and list markers opening a Markdown line, each one level deeper than the one before.
_MARKERS = re.compile(r"^(?:[ \t]*(?:>|[-*+]|\d{1,9}[.)])(?=[ \t>]|$))+", re.MULTILINE)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
# Elements that hold nothing, or that the next of their kind closes: neither nests by being repeated.
_FLAT = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
         "p", "li", "dt", "dd", "tr", "td", "th", "thead", "tbody", "tfoot", "option", "optgroup", "rb", "rt",
         "rp", "colgroup", "caption"}


class MarkupError(ValueError):
    """Tip text that cannot be made into safe HTML within bounded time and memory."""


# Links stay clickable in the PDF but are never fetched; images may only come from the project.
URL_SCHEMES = {"http", "https", "mailto", "file"}


# Markdown as written on GitHub: Python-Markdown's "extra" (tables, with their column alignment kept as
# an attribute nh3 allows), lists as GitHub reads them (guide.content.lists), ~~strikethrough~~, task
# lists and bare URLs as links (pymdown-extensions); links whose text is their URL are marked (so print
# does not repeat it).
CLOZE = Cloze()
EXTENSIONS = ["extra", GitHubLists(), CLOZE, BareLinks(), UnbrokenInlineCode(), "smarty", "codehilite", "pymdownx.tilde", "pymdownx.tasklist",
              "pymdownx.magiclink"]
EXTENSION_CONFIGS = {
    "extra": {"tables": {"use_align_attribute": True}},
    "codehilite": {"guess_lang": False, "css_class": "highlight", "pygments_formatter": LineFormatter},
    "pymdownx.tilde": {"subscript": False},
    "pymdownx.magiclink": {"repo_url_shortener": False, "hide_protocol": False},
}


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")


def to_html(text: str, view: View = FULL) -> Markup:
    """Render Markdown ``text`` to sanitised HTML that templates may insert as is; math becomes SVG, cloze
    deletions print as ``view`` says."""
    text, formulas = math.extract(text)
    converter = _converter()
    converter.reset()
    CLOZE.view = view
    _check_depth(max(markdown_depth(text), html_depth(text)))
    try:
        html = converter.convert(text)
    except RecursionError:
        raise MarkupError("is nested too deeply (lists or quotes)") from None
    except ClozeError as error:
        raise MarkupError(str(error)) from None
    _check_depth(html_depth(html))
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return Markup(math.restore(clean, formulas))


def cloze_numbers(text: str) -> tuple[int, ...]:
    """The numbers of the cloze deletions in Markdown ``text``, in order; none in text without any."""
    if "{{c" not in text:
        return ()
    to_html(text)
    return tuple(sorted(CLOZE.numbers))


def markdown_depth(text: str) -> int:
    """How deeply a line's quote and list markers (and its indentation, four spaces a level) nest."""
    deepest = 0
    for match in _MARKERS.finditer(text):
        prefix = match[0]
        indent = len(prefix) - len(prefix.lstrip(" \t"))
        markers = len(re.findall(r"(?:>|[-*+]|\d{1,9}[.)])(?=[ \t>]|$)", prefix))
        deepest = max(deepest, markers + indent // 4)
    return deepest


def html_depth(html: str) -> int:
    """How deeply elements nest in ``html``, counting those whose end tag must be written."""
    depth = deepest = 0
    for match in _TAG.finditer(html):
        closing, name, empty = match.groups()
        if name.lower() in _FLAT or empty:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _check_depth(depth: int) -> None:
    if depth > MAX_NESTING:
        raise MarkupError(f"nests lists, quotes or HTML elements {depth} levels deep; at most {MAX_NESTING} are "
                          "allowed")


class MarkdownCache:
    """HTML of Markdown that earlier builds into the same folder rendered, trusted while the code and the
    Markdown, sanitising and highlighting libraries are unchanged: a rebuild renders only edited tips."""

    def __init__(self, output: Path):
        self.store = Cache(output, "markup", code_digest())

    def to_html(self, text: str, view: View = FULL) -> Markup:
        """:func:`to_html`, from the cache when the text was rendered before."""
        key = self.store.key(text, *([] if view == FULL else [view.side, str(view.number)]))
        html = self.store.get(key)
        if html is None:
            html = to_html(text, view)
            self.store.put(key, str(html))
        return Markup(html)

    def save(self) -> None:
        self.store.save()
