"""Measure block heights with WeasyPrint's own layout, through the anchor boxes it reports per page."""

from __future__ import annotations

from weasyprint.document import Document

PX_TO_MM = 25.4 / 96
PREFIX = "measure-"


def block_heights(document: Document) -> dict[str, float]:
    """Border-box heights in mm of every element with ``id="measure-KEY"``, keyed by KEY.

    Measured blocks must not break across pages (``break-inside: avoid``): only a block's first
    fragment carries its anchor.
    """
    return {
        name[len(PREFIX):]: (bottom - top) * PX_TO_MM
        for page in document.pages
        for name, (_, top, _, bottom) in page.anchors.items()
        if name.startswith(PREFIX)
    }
