"""``guide watch``: rebuild whenever a tip, template, stylesheet or ``guide.yaml`` changes.

:func:`rebuild_loop` is the loop itself, fed by any iterable of change batches (tests feed it a list);
:func:`changes` is the real feed, from the ``watchfiles`` package (imported only when watching).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from guide.content.loader import SETTINGS_FILE

THEME_FOLDERS = ("templates", "styles")


@dataclass(frozen=True)
class Sources:
    """What a build reads: the tips folder, the project's theme folders and its settings file."""

    root: Path
    tips_dir: Path

    @classmethod
    def for_project(cls, root: Path, tips_dir: Path | None = None) -> Sources:
        root = root.resolve()
        return cls(root, (tips_dir or root / "tips").resolve())

    @property
    def folders(self) -> tuple[Path, ...]:
        """Folders whose every file is a source."""
        return (self.tips_dir, *(self.root / name for name in THEME_FOLDERS))

    @property
    def watch_paths(self) -> list[Path]:
        """Paths to hand to the file watcher: the project (for guide.yaml and folders made later) and
        the tips folder when it lies outside the project."""
        paths = [self.root]
        if not _inside(self.tips_dir, self.root):
            paths.append(self.tips_dir)
        return paths

    def __contains__(self, path: object) -> bool:
        """Whether a change to ``path`` calls for a rebuild; editors' hidden, backup and swap files do not."""
        path = Path(path).absolute()  # type: ignore[arg-type]
        if path == self.root / SETTINGS_FILE:
            return True
        for folder in self.folders:
            if _inside(path, folder) and path != folder:
                parts = path.relative_to(folder).parts
                return not any(part.startswith(".") or part.endswith("~") or part.startswith("#")
                               for part in parts) and path.suffix not in {".swp", ".swx", ".tmp"}
        return False


def rebuild_loop(changes: Iterable[Iterable[Path]], sources: Sources, rebuild: Callable[[], object],
                 announce: Callable[[list[Path]], None] = lambda paths: None) -> int:
    """Build once, then again after every batch of ``changes`` that touches a source; returns the number
    of builds. ``rebuild`` reports its own outcome and must not raise for a failed build, so that the
    loop goes on and the last good PDFs stay; ``announce`` hears the changed sources before each rebuild.
    """
    rebuild()
    builds = 1
    for batch in changes:
        changed = sorted({Path(path) for path in batch if Path(path) in sources})
        if not changed:
            continue
        announce(changed)
        rebuild()
        builds += 1
    return builds


def changes(sources: Sources, stop: threading.Event | None = None) -> Iterator[set[Path]]:
    """Batches of changed source files, as they happen, until ``stop`` is set (or Ctrl-C)."""
    import watchfiles

    for batch in watchfiles.watch(
        *sources.watch_paths,
        watch_filter=lambda _change, path: path in sources,
        stop_event=stop,
        raise_interrupt=True,
    ):
        yield {Path(path) for _change, path in batch}


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
