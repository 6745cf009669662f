"""Laid-out chunks of flashcard sheets kept between builds: a chunk whose HTML is unchanged is reused as
it is, and one that differs from a kept chunk in a few sheets is made by laying out only those sheets and
putting them in place of the old ones."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from guide.render.joining import replace_pages
from guide.store.cache import Cache
from guide.store.keys import digest

# Where each sheet of a chunk's HTML begins; what comes before the first is the chunk's head.
SHEET = '<section class="sheet"'
# At most this share of a chunk's sheets is laid out alone; past it the whole chunk is laid out again.
MOST_CHANGED = 0.25


@dataclass(frozen=True)
class Plan:
    """How to make the PDF of one chunk: lay out ``html`` (the chunk, or only its changed sheets) and,
    given a ``base`` PDF, put the pages laid out at the ``changed`` page positions of ``base``; ``digests``
    are those of the chunk's head and sheets."""

    chunk: str
    digests: dict[str, str | list[str]]
    html: str
    base: bytes | None = None
    changed: tuple[int, ...] = ()


class SheetCache:
    """The PDFs of one output's chunks, kept in the cache namespace ``sheets/NAME`` with the digests of
    their head and sheets; ``context`` is everything but the HTML a laid-out sheet depends on (code,
    templates, styles, settings)."""

    def __init__(self, output: Path, name: str, context: str):
        self.cache = Cache(output, f"sheets/{name}", context, suffix=".pdf")
        self.made: dict[str, bytes] = {}  # the PDF of each chunk of this build, by key

    def plan(self, chunk: str) -> Plan | None:
        """None when ``chunk`` was laid out before; else the least work that makes its PDF."""
        key = self.cache.key(chunk)
        head, sheets = _split(chunk)
        wanted = {"head": self.cache.key(head), "sheets": [digest(sheet) for sheet in sheets]}
        if (kept := self.cache.blob(key)) is not None:
            self.made[key] = kept
            self.cache.put(key, {**self.cache.entries[key], **wanted})
            return None
        best: tuple[int, ...] | None = None
        base = None
        for earlier, entry in self.cache.entries.items():
            if not _matches(entry, wanted["head"], len(sheets)):
                continue
            pairs = enumerate(zip(entry["sheets"], wanted["sheets"]))
            changed = tuple(index for index, (old, new) in pairs if old != new)
            if (best is None or len(changed) < len(best)) and (pdf := self.cache.blob(earlier)) is not None:
                best, base = changed, pdf
        if best is None or len(best) > MOST_CHANGED * len(sheets):
            return Plan(chunk, wanted, chunk)
        return Plan(chunk, wanted, head + "".join(sheets[index] for index in best), base, best)

    def store(self, plan: Plan, pdf: bytes) -> None:
        """Keep the PDF laid out for ``plan`` as its chunk's."""
        if plan.base:
            pdf = replace_pages(plan.base, pdf, plan.changed)
        key = self.cache.key(plan.chunk)
        self.made[key] = pdf
        self.cache.put_blob(key, pdf, plan.digests)

    def pdfs(self, chunks: list[str]) -> list[bytes]:
        """The PDFs of ``chunks``, in order; the kept chunks no longer used are deleted."""
        self.cache.save()
        return [self.made[self.cache.key(chunk)] for chunk in chunks]


def _split(chunk: str) -> tuple[str, list[str]]:
    head, *sheets = chunk.split(SHEET)
    return head, [SHEET + sheet for sheet in sheets]


def _matches(entry: object, head: str, sheets: int) -> bool:
    """Whether an index entry (read from disk, so checked) is of a chunk with this head and sheet count."""
    return (isinstance(entry, dict) and entry.get("head") == head and isinstance(entry.get("sheets"), list)
            and len(entry["sheets"]) == sheets)
