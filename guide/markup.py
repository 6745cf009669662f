"""Tip Markdown to safe HTML: Markdown renders it, nh3 keeps only harmless tags and attributes."""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

from guide import math

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
