"""Laid-out chunks of flashcard sheets kept between builds: a chunk whose HTML is unchanged is reused as
it is, and one that differs from a kept chunk in a few sheets is made by laying out only those sheets and
putting them in place of the old ones."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from guide.store.cache import FOLDER, JsonCache
from guide.store.manifest import digest
from guide.store.output import write_atomically

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
    base: Path | None = None
    changed: tuple[int, ...] = ()


class SheetCache:
    """The PDFs of one output's chunks under ``output/.guide-cache/sheets/NAME``, with the digests of their
    sheets in an index beside them."""

    def __init__(self, output: Path, name: str, context: str):
        self.folder = output / FOLDER / "sheets" / name
        self.index = JsonCache(output, f"sheets-{name}.json")
        # Everything but the HTML a laid-out sheet depends on (code, templates, styles, settings).
        self.context = context

    def _key(self, chunk: str) -> str:
        return digest(self.context, chunk)

    def plan(self, chunk: str) -> Plan | None:
        """None when ``chunk`` was laid out before; else the least work that makes its PDF."""
        key = self._key(chunk)
        head, sheets = _split(chunk)
        wanted = _digests(self.context + head, sheets)
        if self._verified(key):
            self.index.put(key, {**wanted, "pdf": self.index.entries[key]["pdf"]})
            return None
        best: tuple[int, ...] | None = None
        base = None
        for earlier, entry in self.index.entries.items():
            if not _matches(entry, wanted["head"], len(sheets)):
                continue
            pairs = enumerate(zip(entry["sheets"], wanted["sheets"]))
            changed = tuple(index for index, (old, new) in pairs if old != new)
            path = self.folder / f"{earlier}.pdf"
            if (best is None or len(changed) < len(best)) and self._verified(earlier):
                best, base = changed, path
        if best is None or len(best) > MOST_CHANGED * len(sheets):
            return Plan(chunk, wanted, chunk)
        return Plan(chunk, wanted, head + "".join(sheets[index] for index in best), base, best)

    def store(self, plan: Plan, pdf: bytes) -> None:
        """Keep the PDF laid out for ``plan`` as its chunk's."""
        if plan.base:
            pdf = _replace_pages(plan.base.read_bytes(), pdf, plan.changed)
        key = self._key(plan.chunk)
        self.folder.mkdir(parents=True, exist_ok=True)
        write_atomically(pdf, self.folder / f"{key}.pdf")
        self.index.put(key, {**plan.digests, "pdf": digest(pdf)})

    def _verified(self, key: str) -> bool:
        """Whether the kept PDF of chunk ``key`` is whole and the one this user's build wrote (its digest is
        in the signed index): one edited by hand, or cut short, is laid out again."""
        entry = self.index.entries.get(key)
        path = self.folder / f"{key}.pdf"
        try:
            return isinstance(entry, dict) and _is_pdf(path) and entry.get("pdf") == digest(path.read_bytes())
        except OSError:
            return False

    def pdfs(self, chunks: list[str]) -> list[bytes]:
        """The PDFs of ``chunks``, in order; the kept chunks no longer used are deleted."""
        paths = [self.folder / f"{self._key(chunk)}.pdf" for chunk in chunks]
        for stale in set(self.folder.glob("*.pdf")) - set(paths):
            stale.unlink(missing_ok=True)
        self.index.save()
        return [path.read_bytes() for path in paths]


def _split(chunk: str) -> tuple[str, list[str]]:
    head, *sheets = chunk.split(SHEET)
    return head, [SHEET + sheet for sheet in sheets]


def _digests(head: str, sheets: list[str]) -> dict[str, str | list[str]]:
    return {"head": digest(head), "sheets": [digest(sheet) for sheet in sheets]}


def _matches(entry: object, head: str, sheets: int) -> bool:
    """Whether an index entry (read from disk, so checked) is of a chunk with this head and sheet count."""
    return (isinstance(entry, dict) and entry.get("head") == head and isinstance(entry.get("sheets"), list)
            and len(entry["sheets"]) == sheets)


def _is_pdf(path: Path) -> bool:
    """Whether ``path`` holds a whole PDF: a kept chunk cut short or damaged is laid out again."""
    try:
        with path.open("rb") as file:
            head = file.read(5)
            file.seek(-32, io.SEEK_END)
            return head == b"%PDF-" and b"%%EOF" in file.read()
    except OSError:
        return False


def _replace_pages(base: bytes, pages: bytes, positions: tuple[int, ...]) -> bytes:
    """``base`` with its pages at ``positions`` replaced, in order, by the pages of ``pages``."""
    from pypdf import PdfReader, PdfWriter

    old, new = PdfReader(io.BytesIO(base)), PdfReader(io.BytesIO(pages))
    replaced = dict(zip(positions, new.pages))
    writer = PdfWriter()
    for position, page in enumerate(old.pages):
        writer.add_page(replaced.get(position, page))
    writer.add_metadata(old.metadata or {})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
