"""Finished PDFs and how they reach the disk: all at once, each atomically. No WeasyPrint here."""

from __future__ import annotations

import os
import signal
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from guide.errors import GuideError, Problem

LOCK = ".lock"


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


def write_outputs(outputs: list[Output], bookkeeping: Callable[[dict[Path, Stamp]], None] = lambda stamps: None) -> None:
    """Write every new PDF: all of them to temporary files first, then ``bookkeeping`` (given the stamps
    the PDFs will have), then each renamed over its target. A failure before the renames (an error, a full
    disk, the bookkeeping failing) changes nothing; Ctrl-C waits until the renames are done."""
    staged: list[tuple[Path, Path]] = []
    try:
        for output in outputs:
            if not output.reused:
                staged.append((_stage(output.data, output.path), output.path))
        bookkeeping({target: stamp(temporary) for temporary, target in staged})
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    with _signals_held():
        for temporary, target in staged:
            os.replace(temporary, target)


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back for the block (in the main thread, where Python handles them)."""
    held = {signal.SIGINT, signal.SIGTERM}
    main = threading.current_thread() is threading.main_thread() and hasattr(signal, "pthread_sigmask")
    saved = signal.pthread_sigmask(signal.SIG_BLOCK, held) if main else None
    try:
        yield
    finally:
        if saved is not None:
            signal.pthread_sigmask(signal.SIG_SETMASK, saved)


@contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold ``folder/.lock`` for the block: builds into one folder run one after the other, so that none
    reads a cache another is rewriting. Where the lock cannot be taken (no flock, a read-only folder),
    the block runs unlocked; writing will report the real problem."""
    try:
        import fcntl

        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK, "a")  # noqa: SIM115 - closed below, after the block
    except (ImportError, OSError):
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


def write_atomically(data: bytes, target: Path) -> None:
    """Replace ``target`` with ``data`` through a temporary file in the same folder."""
    temporary = _stage(data, target)
    try:
        os.replace(temporary, target)
    except BaseException as error:
        temporary.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _unwritable(target, error) from None
        raise


def stamp(path: Path) -> Stamp:
    """The size, modification time and inode of ``path``."""
    status = path.stat()
    return status.st_size, status.st_mtime_ns, status.st_ino


def _stage(data: bytes, target: Path) -> Path:
    """``data`` in a synced temporary file beside ``target``, ready to be renamed over it; a failure (a full
    disk, no permission) is a :class:`GuideError` naming ``target``."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise _unwritable(target, error) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException as error:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise _unwritable(target, error) from None
        raise
    return Path(temporary)


def _unwritable(target: Path, error: OSError) -> GuideError:
    return GuideError(Problem(target, f"cannot be written: {error.strerror or error}"))
