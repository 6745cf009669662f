"""Lay out independent documents in worker processes: WeasyPrint is not thread-safe, and a machine
has more than one core. Each document is small and each worker lays out one, so memory stays bounded
whatever the deck's size."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

from weasyprint.document import Document

from guide.progress import SILENT, Progress
from guide.render.pdf import Layout

T = TypeVar("T")
# Set in the parent just before the workers fork, so they inherit it instead of unpickling it.
_shared: dict[str, Any] = {}


def workers() -> int:
    """How many processes to use: ``GUIDE_JOBS`` if set, else one per core."""
    return max(1, int(os.environ.get("GUIDE_JOBS") or os.cpu_count() or 1))


def map_layouts(layout: Layout, htmls: list[str], stylesheets: tuple[str, ...],
                extract: Callable[[Document], T], progress: Progress = SILENT) -> Iterator[T]:
    """``extract(layout.render(html))`` for every html, in order, as each is done, spread over worker
    processes; ``progress`` advances with each."""
    count = min(workers(), len(htmls))
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        yield from (_counted(extract(layout.render(html, stylesheets)), progress) for html in htmls)
        return
    _shared.update(layout=layout, stylesheets=stylesheets, extract=extract)
    # Frozen objects are never visited by the workers' garbage collector, so the memory pages the parent
    # shares with them stay shared instead of being copied.
    gc.collect()
    gc.freeze()
    try:
        # Fresh workers for every round of one document each: the memory a worker's Python heap keeps
        # after laying out goes back to the system, so a large deck needs no more than a small one.
        for start in range(0, len(htmls), count):
            batch = htmls[start:start + count]
            with ProcessPoolExecutor(min(count, len(batch)), mp_context=multiprocessing.get_context("fork")) as pool:
                for result, warnings in pool.map(_work, batch):
                    layout.warnings.extend(warning for warning in warnings if warning not in layout.warnings)
                    yield _counted(result, progress)
    finally:
        gc.unfreeze()
        _shared.clear()


def _counted(result: T, progress: Progress) -> T:
    progress.advance()
    return result


def _work(html: str) -> tuple[Any, list[str]]:
    layout: Layout = _shared["layout"]
    known = len(layout.warnings)
    result = _shared["extract"](layout.render(html, _shared["stylesheets"]))
    return result, layout.warnings[known:]
