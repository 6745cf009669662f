"""Tip Markdown to safe HTML: Markdown renders it, nh3 keeps only harmless tags and attributes."""

from __future__ import annotations

from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import markdown
import nh3
from markupsafe import Markup

from guide.content import math
from guide.store.cache import JsonCache
from guide.store.manifest import code_digest, digest

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup",
    "code", "pre", "kbd", "samp", "var", "span", "div", "blockquote", "q", "abbr", "dfn", "cite",
    "ul", "ol", "li", "dl", "dt", "dd", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "caption", "img", "a",
}
ALLOWED_ATTRIBUTES = {
    "*": {"class", "lang", "dir", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
# Links stay clickable in the PDF but are never fetched; images may only come from the project.
URL_SCHEMES = {"http", "https", "mailto", "file"}


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["extra", "sane_lists", "smarty", "codehilite"],
        extension_configs={"codehilite": {"guess_lang": False, "css_class": "highlight"}},
        output_format="html",
    )


def to_html(text: str) -> Markup:
    """Render Markdown ``text`` to sanitised HTML that templates may insert as is; math becomes SVG."""
    text, formulas = math.extract(text)
    converter = _converter()
    converter.reset()
    html = converter.convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
    return Markup(math.restore(clean, formulas))


class MarkdownCache:
    """HTML of Markdown that earlier builds into the same folder rendered, trusted while the code and the
    Markdown, sanitising and highlighting libraries are unchanged: a rebuild renders only edited tips."""

    def __init__(self, output: Path):
        self.store = JsonCache(output, "markup.json")
        libraries = [version(name) for name in ("markdown", "nh3", "pygments", "ziamath")]
        self.code = digest(code_digest(), *libraries)

    def to_html(self, text: str) -> Markup:
        """:func:`to_html`, from the cache when the text was rendered before."""
        key = digest(self.code, text)
        html = self.store.get(key)
        if html is None:
            html = to_html(text)
            self.store.put(key, str(html))
        return Markup(html)

    def save(self) -> None:
        self.store.save()
