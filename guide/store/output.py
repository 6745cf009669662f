"""Finished PDFs and how they reach the disk: all at once, each atomically. No WeasyPrint here."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Output:
    """A finished PDF: where it goes, its bytes and page count, and how to print it (if that needs saying)."""

    path: Path
    data: bytes = field(repr=False)
    pages: int
    instructions: str = ""
    # What the PDF was made from (see guide.store.manifest), and whether the one on disk was kept as it is.
    digest: str = ""
    reused: bool = False


Stamp = tuple[int, int, int]  # size, mtime in ns, inode: tells the file written from one replaced later


def write_outputs(outputs: list[Output]) -> dict[Path, Stamp]:
    """Write every new PDF: all of them to temporary files first, then each renamed over its target, so a
    failure before the renames (an error, Ctrl-C, a full disk) changes nothing. Returns their stamps."""
    staged: list[tuple[Path, Path]] = []
    try:
        for output in outputs:
            if not output.reused:
                staged.append((_stage(output.data, output.path), output.path))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    stamps = {}
    for temporary, target in staged:
        stamps[target] = stamp(temporary)
        os.replace(temporary, target)
    return stamps


def write_atomically(data: bytes, target: Path) -> None:
    """Replace ``target`` with ``data`` through a temporary file in the same folder."""
    os.replace(_stage(data, target), target)


def stamp(path: Path) -> Stamp:
    """The size, modification time and inode of ``path``."""
    status = path.stat()
    return status.st_size, status.st_mtime_ns, status.st_ino


def _stage(data: bytes, target: Path) -> Path:
    """``data`` in a synced temporary file beside ``target``, ready to be renamed over it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)
