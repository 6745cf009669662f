"""Results of earlier builds kept next to the PDFs, so a rebuild redoes only what changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from guide.errors import GuideError
from guide.store.output import write_atomically

FOLDER = ".guide-cache"


class JsonCache:
    """Values by key in a JSON file under ``output/.guide-cache``; saving keeps only what this build
    used, so the file does not grow without end. A missing or damaged file is an empty cache."""

    def __init__(self, output: Path, name: str):
        self.path = output / FOLDER / name
        try:
            self.entries: dict[str, Any] = json.loads(self.path.read_text())
        except (OSError, ValueError):
            self.entries = {}
        if not isinstance(self.entries, dict):
            self.entries = {}
        self.used: dict[str, Any] = {}

    def get(self, key: str) -> Any | None:
        if key in self.entries:
            self.used[key] = self.entries[key]
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value

    def save(self) -> None:
        """Write what this build used; a folder that cannot be written only costs speed next time (the
        PDFs' own writing reports it)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(json.dumps(self.used).encode(), self.path)
        except (OSError, GuideError):
            pass
