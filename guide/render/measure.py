"""Measure block heights with WeasyPrint's own layout, through the anchor boxes it reports per page."""

from __future__ import annotations

from weasyprint.document import Document

from guide.config.paper import MM_PER_PX

PREFIX = "measure-"


def block_heights(document: Document, prefix: str = PREFIX, remove: bool = False) -> dict[str, float]:
    """Border-box heights in mm of every element with ``id="PREFIXKEY"``, keyed by KEY; ``remove`` takes
    their anchors out of the document, so that its PDF names no such destinations.

    Measured blocks must not break across pages (``break-inside: avoid``): only a block's first
    fragment carries its anchor.
    """
    heights = {}
    for page in document.pages:
        for name in [name for name in page.anchors if name.startswith(prefix)]:
            _, top, _, bottom = page.anchors.pop(name) if remove else page.anchors[name]
            heights[name[len(prefix):]] = (bottom - top) * MM_PER_PX
    return heights
