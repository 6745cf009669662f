"""Where the project is: the folder holding ``guide.yaml``, found from any folder inside it as git finds
``.git``, so that commands run in ``tips/`` or deeper work on the whole project."""

from __future__ import annotations

from pathlib import Path

SETTINGS_FILE = "guide.yaml"


def find_root(start: Path) -> Path:
    """The nearest of ``start`` and its parents that holds ``guide.yaml``; ``start`` when none does."""
    start = start.absolute()
    return next((folder for folder in (start, *start.parents) if (folder / SETTINGS_FILE).is_file()), start)
