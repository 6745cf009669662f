"""What each PDF was made from, so that a rebuild skips what has not changed.

``output/.guide-manifest.json`` records, per format and per PDF, the digest it was made from (a key of
:mod:`guide.store.keys`: the build's context, the tips, the format), and the project files it read.
Nothing here imports WeasyPrint: a rebuild with nothing to do stays fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guide.store.keys import files_digest
from guide.store.output import Stamp, stamp, write_atomically

FILE_NAME = ".guide-manifest.json"


@dataclass
class Manifest:
    """Digests of the last successful build, per format and per PDF, kept next to the PDFs."""

    path: Path
    formats: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    _depends_digests: dict[tuple[str, ...], str] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, output: Path) -> Manifest:
        """The manifest in ``output``, or an empty one if there is none or it cannot be read."""
        path = output / FILE_NAME
        try:
            data = json.loads(path.read_text())
            return cls(path, data["formats"], data["files"])
        except (OSError, ValueError, KeyError, TypeError):
            return cls(path)

    def fresh(self, target: Path, made_from: str) -> dict[str, Any] | None:
        """The record of ``target`` if it was made from ``made_from`` and is still on disk untouched."""
        record = self.files.get(self._key(target))
        if not record or record["digest"] != made_from:
            return None
        try:
            untouched = list(stamp(target)) == record["stamp"]
        except OSError:
            return None
        depends = tuple(record.get("depends", []))
        if depends not in self._depends_digests:
            self._depends_digests[depends] = files_digest(map(Path, depends))
        return record if untouched and self._depends_digests[depends] == record.get("depends_digest") else None

    def fresh_format(self, name: str, made_from: str) -> list[tuple[Path, dict[str, Any]]] | None:
        """Every PDF of format ``name`` with its record, if the format was built from ``made_from``
        and all its PDFs are untouched; else None."""
        entry = self.formats.get(name)
        if not entry or entry["digest"] != made_from:
            return None
        targets = [self.path.parent / relative for relative in entry["files"]]
        records = [self.fresh(target, self.files.get(relative, {}).get("digest", ""))
                   for target, relative in zip(targets, entry["files"])]
        return None if None in records else list(zip(targets, records))

    def record(self, name: str, made_from: str, outputs: Iterable[tuple[Path, str, int, str, Stamp | None]],
               depends: Iterable[Path] = ()) -> None:
        """Remember that format ``name`` made ``outputs`` (path, digest, pages, instructions, and the stamp
        of the file as written, or None for a file kept as it was) using the files ``depends`` (pictures,
        wherever they are in the project)."""
        relatives = []
        depends = sorted(set(depends))
        for target, file_digest, pages, instructions, written in outputs:
            key = self._key(target)
            relatives.append(key)
            if written is not None:
                self.files[key] = {"digest": file_digest, "pages": pages, "instructions": instructions,
                                   "stamp": list(written), "depends": [str(path) for path in depends],
                                   "depends_digest": files_digest(depends)}
        self.formats[name] = {"digest": made_from, "files": relatives}

    def save(self) -> None:
        """Write the manifest atomically."""
        write_atomically(json.dumps({"formats": self.formats, "files": self.files}, indent=1, sort_keys=True).encode(),
                         self.path)

    def _key(self, target: Path) -> str:
        return str(target.relative_to(self.path.parent))
