"""Mark links whose text already is their address, so print shows other links' addresses after them."""

from __future__ import annotations

import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor


class _MarkBareLinks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for link in root.iter("a"):
            href = link.get("href", "")
            text = "".join(link.itertext()).strip()
            if text and text in (href, href.removeprefix("mailto:"), href.split("://", 1)[-1]):
                link.set("class", " ".join(filter(None, [link.get("class"), "bare"])))


class BareLinks(Extension):
    """Gives links whose text is their URL the class ``bare``."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.treeprocessors.register(_MarkBareLinks(md), "bare_links", 15)
