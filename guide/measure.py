"""Measure block heights with WeasyPrint's own layout, through the anchors it reports per page."""

from __future__ import annotations

from weasyprint.document import Document

PX_TO_MM = 25.4 / 96


def block_heights(document: Document) -> dict[str, float]:
    """Heights in mm of every block marked ``id="start-X"`` … ``id="end-X"`` on the same page."""
    starts: dict[str, tuple[int, float]] = {}
    ends: dict[str, tuple[int, float]] = {}
    for number, page in enumerate(document.pages):
        for name, (_, y) in page.anchors.items():
            if name.startswith("start-"):
                starts[name[6:]] = (number, y)
            elif name.startswith("end-"):
                ends[name[4:]] = (number, y)
    heights = {}
    for key, (page, top) in starts.items():
        end_page, bottom = ends.get(key, (None, 0.0))
        heights[key] = (bottom - top) * PX_TO_MM if end_page == page else float("inf")
    return heights
