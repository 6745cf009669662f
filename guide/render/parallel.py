"""Lay out independent documents in worker processes: WeasyPrint is not thread-safe, and a machine
has more than one core. Each document is small and each worker lays out one, so memory stays bounded
whatever the deck's size."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

from weasyprint.document import Document

from guide.content.schema import quoted
from guide.errors import GuideError
from guide.progress import SILENT, Progress
from guide.render.pdf import Layout

T = TypeVar("T")
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# Set in the parent just before the workers fork, so they inherit it instead of unpickling it.
_shared: dict[str, Any] = {}


def workers() -> int:
    """How many processes to use: ``GUIDE_JOBS`` if set, else one per core."""
    given = os.environ.get("GUIDE_JOBS", "").strip()
    if not given:
        return os.cpu_count() or 1
    if not given.isdigit() or int(given) < 1:
        raise GuideError(f"GUIDE_JOBS={quoted(given)} must be a whole number of processes, like 2")
    return int(given)


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when the build that forked it dies (even by ``kill -9``), so no
    worker outlives it holding its pipes open."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def workers_for(count: int) -> int:
    """How many worker processes ``count`` independent jobs are spread over: 1 means none, they run here."""
    return min(workers(), count) if "fork" in multiprocessing.get_all_start_methods() else 1


def map_layouts(layout: Layout, htmls: list[str], stylesheets: tuple[str, ...],
                extract: Callable[[Document], T], progress: Progress = SILENT) -> Iterator[T]:
    """``extract(layout.render(html))`` for every html, in order, as each is done, spread over worker
    processes; ``progress`` advances with each."""
    count = workers_for(len(htmls))
    if count < 2:
        yield from (_counted(extract(layout.render(html, stylesheets)), progress) for html in htmls)
        return
    # Parsed here, the stylesheets and their fonts are shared by every worker instead of read by each.
    layout.sheets(stylesheets)
    calls = [partial(_laid_out, layout, html, stylesheets, extract) for html in htmls]
    with _shared_with_workers(layout, calls):
        # Fresh workers for every round of one document each: the memory a worker's Python heap keeps
        # after laying out goes back to the system, so a large deck needs no more than a small one.
        for start in range(0, len(calls), count):
            batch = range(start, min(start + count, len(calls)))
            with _pool(len(batch)) as pool:
                for returned in pool.map(_call, batch):
                    yield _counted(_learnt(layout, returned), progress)


def run_apart(layout: Layout, calls: list[Callable[[], T]]) -> Iterator[T]:
    """``call()`` for every call, in order, each in the next free worker process (a long one holds back
    none of the others); what their layouts learn comes back to ``layout``."""
    if workers_for(len(calls)) < 2:
        yield from (call() for call in calls)
        return
    with _shared_with_workers(layout, calls), _pool(len(calls)) as pool:
        for future in [pool.submit(_call, index) for index in range(len(calls))]:
            yield _learnt(layout, future.result())


def _laid_out(layout: Layout, html: str, stylesheets: tuple[str, ...], extract: Callable[[Document], T]) -> T:
    return extract(layout.render(html, stylesheets))


@contextmanager
def _shared_with_workers(layout: Layout, calls: list[Callable[[], Any]]) -> Iterator[None]:
    """Hand ``layout`` (its fonts loaded) and ``calls`` to the workers forked meanwhile, which inherit them
    instead of unpickling them; a worker that forks workers of its own finds its own again afterwards."""
    layout.warm_up()
    saved = dict(_shared)
    _shared.update(layout=layout, calls=calls)
    # Frozen objects are never visited by the workers' garbage collector, so the memory pages the parent
    # shares with them stay shared instead of being copied.
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
        _shared.clear()
        _shared.update(saved)


def _pool(count: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                               initializer=_die_with_parent, initargs=(os.getpid(),))


def _counted(result: T, progress: Progress) -> T:
    progress.advance()
    return result


def _found(layout: Layout) -> tuple[list, ...]:
    """What a layout learns while laying out, which a worker sends back: warnings, refusals, files served."""
    return layout.warnings, layout.refusals, layout.fetcher.served


def _call(index: int) -> tuple[Any, ...]:
    """In a worker: the result of call ``index``, and what the layout learnt meanwhile."""
    layout: Layout = _shared["layout"]
    call = _shared["calls"][index]
    known = [len(found) for found in _found(layout)]
    result = call()
    return result, *(found[count:] for found, count in zip(_found(layout), known))


def _learnt(layout: Layout, returned: tuple[Any, ...]) -> Any:
    """The result a worker returned, after adding what it learnt to ``layout``."""
    result, *found = returned
    for kept, new in zip(_found(layout), found):
        kept.extend(item for item in new if item not in kept)
    return result
