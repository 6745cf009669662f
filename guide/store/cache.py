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
from guide.store.keys import digest
from guide.store.output import write_atomically

FOLDER = ".guide-cache"
# Where an entry holding a file of bytes keeps the digest those bytes must have.
BLOB = "blob"


class Cache:
    """Values by key in one namespace of ``output/.guide-cache``: JSON values in ``NAMESPACE.json``, and
    bytes (a laid-out PDF) in files of their own under ``NAMESPACE/``. Keys are :meth:`key` digests of a
    ``context`` (see :mod:`guide.store.keys`) and the inputs. Saving keeps only what this build used, so
    nothing grows without end; a missing or damaged file is a missing entry, and only costs time.

    Each entry is signed with a key of this user's kept outside every project, and bytes are checked
    against the digest in their signed entry: the cache of a shared project folder, or an entry edited by
    hand, is ignored instead of reaching the PDF unchecked."""

    def __init__(self, output: Path, namespace: str, context: str, suffix: str = ""):
        self.path = output / FOLDER / f"{namespace}.json"
        self.blobs = output / FOLDER / namespace
        self.namespace, self.context, self.suffix = namespace, context, suffix
        try:
            stored = json.loads(self.path.read_text()) if _secret() else {}
        except (OSError, ValueError):
            stored = {}
        self.entries: dict[str, Any] = {}
        for key, entry in (stored.items() if isinstance(stored, dict) else ()):
            if isinstance(entry, list) and len(entry) == 2 and hmac.compare_digest(str(entry[0]), self._sign(key, entry[1])):
                self.entries[key] = entry[1]
        self.used: dict[str, Any] = {}

    def key(self, *inputs: str | bytes) -> str:
        """The key of a value made from ``inputs`` in this cache's context."""
        return digest(self.context, *inputs)

    def get(self, key: str) -> Any | None:
        if key in self.entries:
            self.used[key] = self.entries[key]
        return self.entries.get(key)

    def put(self, key: str, value: Any) -> None:
        self.used[key] = value

    def blob(self, key: str) -> bytes | None:
        """The bytes kept for ``key`` if they are the ones this user's build wrote, else None (only a
        :meth:`get` or :meth:`put` of ``key`` keeps them on saving)."""
        entry = self.used.get(key) or self.entries.get(key)
        try:
            data = self._blob_path(key).read_bytes()
        except OSError:
            return None
        return data if isinstance(entry, dict) and entry.get(BLOB) == digest(data) else None

    def put_blob(self, key: str, data: bytes, value: dict[str, Any]) -> None:
        """Keep ``data`` for ``key``, and ``value`` (a mapping) as its entry; without a signing key the bytes
        are not written, as no build could trust them."""
        if _secret() is not None:
            write_atomically(data, self._blob_path(key))
        self.put(key, {**value, BLOB: digest(data)})

    def save(self) -> None:
        """Write what this build used and delete the bytes it did not; a folder that cannot be written
        only costs speed next time (the PDFs' own writing reports it)."""
        if self.blobs.is_dir():
            for stale in set(self.blobs.glob(f"*{self.suffix}")) - {self._blob_path(key) for key in self.used}:
                stale.unlink(missing_ok=True)
        if _secret() is None:
            return
        signed = {key: [self._sign(key, value), value] for key, value in self.used.items()}
        try:
            write_atomically(json.dumps(signed).encode(), self.path)
        except GuideError:
            pass

    def _blob_path(self, key: str) -> Path:
        return self.blobs / f"{key}{self.suffix}"

    def _sign(self, key: str, value: Any) -> str:
        secret = _secret()
        if secret is None:
            return ""
        message = json.dumps([self.namespace, key, value], sort_keys=True).encode()
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
