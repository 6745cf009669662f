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
    # What the PDF was made from (see guide.manifest), and whether the one on disk was kept as it is.
    digest: str = ""
    reused: bool = False


def write_outputs(outputs: list[Output]) -> None:
    """Write every PDF atomically, only once all of them were made: a failed build changes nothing."""
    for output in outputs:
        if not output.reused:
            write_atomically(output.data, output.path)


def write_atomically(data: bytes, target: Path) -> None:
    """Replace ``target`` with ``data`` through a temporary file in the same folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
