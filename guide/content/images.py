"""Images a tip refers to but the build may not draw (missing, outside the project, on the network) become
visible placeholders naming them, each with a warning, so nothing disappears silently."""

from __future__ import annotations

import html
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup


class _Images(HTMLParser):
    """The offset, raw text and attributes of every ``<img>`` tag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[tuple[int, int], str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.found.append((self.getpos(), self.get_starttag_text() or "", {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def sources(html: str) -> list[str]:
    """The ``src`` of every ``<img>`` in ``html``."""
    parser = _Images()
    parser.feed(str(html))
    parser.close()
    return [attrs.get("src", "") for _, _, attrs in parser.found]


def unavailable(src: str, base: Path, roots: tuple[Path, ...]) -> str | None:
    """Why the image at ``src`` (relative to ``base``) cannot be drawn, or ``None`` if it can."""
    parts = urlsplit(src)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return None
    if scheme not in ("", "file"):
        return "is on the network, which tips may not reach"
    path = (base / unquote(parts.path)).resolve()
    if not any(path.is_relative_to(root.resolve()) for root in roots):
        return "is outside the project"
    return None if path.is_file() else "was not found"


def with_placeholders(body: Markup, base: Path, roots: tuple[Path, ...]) -> tuple[Markup, list[str]]:
    """``body`` with every image that cannot be drawn replaced by a placeholder showing its alt text (or
    its file name or URL); and, for each, why."""
    parser = _Images()
    parser.feed(str(body))
    parser.close()
    starts = [0] + [index + 1 for index, char in enumerate(body) if char == "\n"]
    text, reasons, shift = str(body), [], 0
    for (line, column), raw, attrs in parser.found:
        src = attrs.get("src", "")
        reason = unavailable(src, base, roots)
        if reason is None:
            continue
        name = attrs.get("alt") or unquote(src.rstrip("/").rsplit("/", 1)[-1]) or src
        placeholder = f'<span class="missing-image">image: {html.escape(name)}</span>'
        offset = starts[line - 1] + column + shift
        text = text[:offset] + placeholder + text[offset + len(raw):]
        shift += len(placeholder) - len(raw)
        reasons.append(f"image {src} {reason}; shown as a placeholder")
    return Markup(text), reasons
