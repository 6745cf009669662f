"""Fit texts into a fixed area: the largest of a list of type sizes at which each text fits, found by a
font estimate where it settles the size and by WeasyPrint's layout where it does not, kept in a cache;
a text that does not fit even at the smallest size can be cut into parts that each fit.

Any format can use a :class:`Fitter`: texts are HTML, and it needs a measuring template that lays out
``blocks`` (key, HTML, size) at ``width`` mm, each in an element with ``id="measure-KEY"`` that does not
break across pages."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from guide.config.paper import MM_PER_PT
from guide.formats.flashcards.split import cut, halves, top_blocks, weight
from guide.formats.job import Job
from guide.render.measure import block_heights
from guide.render.parallel import map_layouts, workers
from guide.store.cache import Cache

# From a type size (pt) to the least and most height (mm) a text will likely take.
Estimate = Callable[[float], tuple[float, float]]
# Texts measured per document.
MEASURE_CHUNK = 200
# Room allowed between two blocks packed into one part, in em of the type size: more than any margin
# between two blocks (a code block's is 0.4 em of its smaller type).
GAP_EM = 0.5
# A block is cut to fill what is left of a part when that is at least this share of the part; the piece
# is made this much shorter than the room, as heights are shared out by text, not measured.
MIN_ROOM = 0.15
SHARE_SAFETY = 0.9
# The average width of a character, in em: how many make a line, to weigh blocks by the lines they fill.
CHAR_EM = 0.5


@dataclass(frozen=True)
class Fit:
    """The type size chosen for a text, its height at that size (mm), and whether it fits."""

    size: float
    height: float
    fits: bool


class FitCache:
    """Fits of texts already measured under the same ``context`` (code, theme, settings and area)."""

    def __init__(self, output: Path, context: str):
        self.store = Cache(output, "fits", context)

    def get(self, kind: str, text: str) -> Fit | None:
        found = self.store.get(self.store.key(kind, text))
        return Fit(*found) if found else None

    def put(self, kind: str, text: str, fit: Fit) -> None:
        self.store.put(self.store.key(kind, text), [fit.size, fit.height, fit.fits])

    def save(self) -> None:
        self.store.save()


@dataclass
class Fitter:
    """Fits texts of a ``kind`` (a class the templates style) into ``area`` (width, height in mm)."""

    job: Job
    template: str
    stylesheets: tuple[str, ...]
    area: tuple[float, float]
    cache: FitCache
    estimate: Callable[[str, str, float], Estimate | None] = lambda kind, text, width: None
    context: dict = field(default_factory=dict)

    def fit(self, kind: str, texts: dict[str, str], sizes: tuple[float, ...],
            measure: frozenset[str] = frozenset()) -> dict[str, Fit]:
        """The largest size in ``sizes`` at which each text fits. The estimate settles what is beyond doubt;
        WeasyPrint measures the rest (and the keys in ``measure``), starting at the estimated size."""
        fits = {key: fit for key in texts if key not in measure and (fit := self.cache.get(kind, texts[key]))}
        # Estimated (least, most) heights at every size, kept as numbers: parsed texts would be copied into
        # every worker process.
        bounds = {key: self._bounds(kind, texts[key], sizes, key in measure) for key in texts.keys() - fits.keys()}
        measured: dict[str, dict[int, float]] = {key: {} for key in bounds}
        while True:
            pending = {}
            for key in measured.keys() - fits.keys():
                decided = decide(measured[key], bounds[key], sizes, self.area[1])
                if isinstance(decided, Fit):
                    fits[key] = decided
                    self.cache.put(kind, texts[key], decided)
                else:
                    pending[key] = decided
            if not pending:
                return {key: fits[key] for key in texts}
            heights = self.heights(kind, [(key, texts[key], sizes[step]) for key, step in pending.items()])
            for key, step in pending.items():
                measured[key][step] = heights[key]

    def _bounds(self, kind: str, text: str, sizes: tuple[float, ...],
                measure: bool) -> list[tuple[float, float]] | None:
        guess = None if measure else self.estimate(kind, text, self.area[0])
        return [guess(size) for size in sizes] if guess else None

    def heights(self, kind: str, blocks: list[tuple[str, str, float]]) -> dict[str, float]:
        """The height (mm) of each (key, text, size) laid out by WeasyPrint, by key."""
        if not blocks:
            return {}
        size = max(1, min(MEASURE_CHUNK, -(-len(blocks) // workers())))
        htmls = [self.job.html(self.template, kind=kind, width=self.area[0], blocks=blocks[start:start + size],
                               **self.context)
                 for start in range(0, len(blocks), size)]
        self.job.progress.step(f"fitting {kind}s", len(htmls))
        parts = map_layouts(self.job.layout, htmls, self.stylesheets, block_heights, self.job.progress)
        return {key: value for part in parts for key, value in part.items()}

    def fit_in_parts(self, kind: str, texts: dict[str, str], sizes: tuple[float, ...],
                     measure: frozenset[str] = frozenset()) -> dict[str, list[tuple[str, Fit]]]:
        """Each text as parts (text, fit): one part where the text fits; else parts cut between blocks (and
        inside a block too tall alone) that each fit at the smallest size, and are set at it. Parts are
        keyed ``KEY/N`` in ``measure``. A part that cannot be cut further and does not fit stays unfitted."""
        whole = self.fit(kind, texts, sizes, measure)
        blocks = {key: top_blocks(text) or [text] for key, text in texts.items() if not whole[key].fits}
        known = self._unit_heights(kind, [block for found in blocks.values() for block in found], sizes[-1])
        parts = {key: self._parts(found, known, sizes[-1]) for key, found in blocks.items()}
        result = {key: [(texts[key], fit)] for key, fit in whole.items() if fit.fits}
        result.update(self._cut_to_fit(kind, parts, sizes[-1], measure))
        return {key: result[key] for key in texts}

    def _cut_to_fit(self, kind: str, parts: dict[str, list[str]], size: float,
                    measure: frozenset[str]) -> dict[str, list[tuple[str, Fit]]]:
        """``parts`` fitted at ``size``, each that does not fit cut in two and fitted again, until none can be
        cut."""
        while True:
            pieces = {f"{key}/{index}": piece for key, found in parts.items() for index, piece in enumerate(found)}
            fits = self.fit(kind, pieces, (size,), measure)
            cut = {key: [half for index, piece in enumerate(found)
                         for half in (halves(piece) if not fits[f"{key}/{index}"].fits else [piece])]
                   for key, found in parts.items()}
            if cut == parts:
                return {key: [(piece, fits[f"{key}/{index}"]) for index, piece in enumerate(found)]
                        for key, found in parts.items()}
            parts = cut

    def _parts(self, blocks: list[str], heights: dict[str, float], size: float) -> list[str]:
        """Blocks of one text, with their ``heights`` alone at the smallest ``size``, in parts that each
        likely fit: packed in order; a block that does not fit in what is left of a part is cut to fill it
        (its height taken as shared out by how much text each piece holds), the rest going on."""
        em = size * MM_PER_PT
        return _packed([(block, heights[block]) for block in blocks], self.area[1], GAP_EM * em,
                       self.area[0] / (CHAR_EM * em))

    def _unit_heights(self, kind: str, units: list[str], size: float) -> dict[str, float]:
        """Heights of ``units`` alone at ``size``, measured once and kept in the cache."""
        label = f"{kind}@{size:g}"
        known = {unit: fit.height for unit in units if (fit := self.cache.get(label, unit))}
        todo = list(dict.fromkeys(unit for unit in units if unit not in known))
        measured = self.heights(kind, [(str(index), unit, size) for index, unit in enumerate(todo)])
        for index, unit in enumerate(todo):
            known[unit] = measured[str(index)]
            self.cache.put(label, unit, Fit(size, known[unit], True))
        return known


def _packed(blocks: list[tuple[str, float]], height: float, gap: float, line: float) -> list[str]:
    """Blocks (HTML, height in mm) joined in order into parts no taller than ``height``, ``gap`` mm allowed
    between two blocks; a block that does not fit what is left is cut to fill it, when it leaves room
    for a few lines (of about ``line`` characters) at least."""
    parts: list[list[str]] = [[]]
    room = height
    queue = list(reversed(blocks))
    while queue:
        block, tall = queue.pop()
        need = tall + (gap if parts[-1] else 0.0)
        if need <= room:
            parts[-1].append(block)
            room -= need
            continue
        share = SHARE_SAFETY * (room - need + tall) / tall
        pieces = cut(block, share, line) if room >= MIN_ROOM * height else [block]
        if len(pieces) == 2:
            parts[-1].append(pieces[0])
            queue.append((pieces[1], tall * weight(pieces[1], line) / max(weight(block, line), 1.0)))
        elif not parts[-1]:  # a block that cannot be cut, alone on its part
            parts[-1].append(block)
        else:
            queue.append((block, tall))
        parts.append([])
        room = height
    return ["".join(part) for part in parts if part]


def decide(measured: dict[int, float], bounds: list[tuple[float, float]] | None, sizes: tuple[float, ...],
           height: float) -> Fit | int:
    """The fit, once the heights measured (by step in ``sizes``) or estimated settle it; else the next step
    to measure.

    A size is the answer when it fits and the next larger one does not, as measured or as the estimate
    says beyond doubt."""
    def most(step: int) -> float:
        return measured.get(step, bounds[step][1] if bounds else math.inf)

    def least(step: int) -> float:
        return measured.get(step, bounds[step][0] if bounds else 0.0)

    fitting = [step for step in range(len(sizes)) if most(step) <= height]
    if fitting:
        best = min(fitting)
        if best == 0 or least(best - 1) > height:
            return Fit(sizes[best], most(best), True)
        return best - 1
    if not measured:  # nothing surely fits: start from the smallest size, or the largest if unknown
        return len(sizes) - 1 if bounds else 0
    worst = max(measured)
    if worst == len(sizes) - 1:
        return Fit(sizes[worst], measured[worst], False)
    # Text area grows with the square of the type size: jump near the size that fits.
    target = sizes[worst] * math.sqrt(height / measured[worst])
    return next((i for i in range(worst + 1, len(sizes)) if sizes[i] <= target), len(sizes) - 1)
