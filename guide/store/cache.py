"""Results of earlier builds kept next to the PDFs, so a rebuild redoes only what changed."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any

from guide.errors import GuideError
from guide.store.output import write_atomically

FOLDER = ".guide-cache"


class JsonCache:
    """Values by key in a JSON file under ``output/.guide-cache``; saving keeps only what this build
    used, so the file does not grow without end. A missing or damaged file is an empty cache.

    Each entry is signed with a key of this user's kept outside every project: the cache of a shared
    project folder, or an entry edited by hand, is ignored instead of reaching the PDF unchecked."""

    def __init__(self, output: Path, name: str):
        self.path = output / FOLDER / name
        self.name = name
        try:
            stored = json.loads(self.path.read_text()) if _secret() else {}
        except (OSError, ValueError):
            stored = {}
        self.entries: dict[str, Any] = {}
        for key, entry in (stored.items() if isinstance(stored, dict) else ()):
            if isinstance(entry, list) and len(entry) == 2 and hmac.compare_digest(str(entry[0]), self._sign(key, entry[1])):
                self.entries[key] = entry[1]
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
        if _secret() is None:
            return
        signed = {key: [self._sign(key, value), value] for key, value in self.used.items()}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(json.dumps(signed).encode(), self.path)
        except (OSError, GuideError):
            pass

    def _sign(self, key: str, value: Any) -> str:
        secret = _secret()
        if secret is None:
            return ""
        message = json.dumps([self.name, key, value], sort_keys=True).encode()
        return hmac.new(secret, message, hashlib.sha256).hexdigest()


@lru_cache(maxsize=1)
def _secret() -> bytes | None:
    """This user's random signing key, made on first use in their cache folder; None if there is none."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "guide"
    path = folder / "cache-key"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            key = path.read_bytes()
        else:
            key = secrets.token_bytes(32)
            with os.fdopen(descriptor, "wb") as stream:
                stream.write(key)
    except (OSError, RuntimeError):
        return None
    return key if len(key) == 32 else None
