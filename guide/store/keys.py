"""Cache keys: every key is a content digest of everything the value depends on, made here and nowhere else.

A key is ``digest(context, *inputs)``: the context is :func:`code_digest` (the guide's code and the
libraries that shape its output) for what depends on nothing else, or :func:`context_digest` (that, the
templates, styles, guide.yaml and settings) for what a theme changes; the inputs are the texts, files or
HTML the value is made from. The manifest and every :class:`guide.store.cache.Cache` key this way.
Nothing here imports WeasyPrint: a rebuild with nothing to do stays fast.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from guide.render.theme import PACKAGE_DIR, default_dir

# The libraries whose upgrade may change what the guide makes from the same input.
LIBRARIES = ("markdown", "pymdown-extensions", "nh3", "pygments", "ziamath", "jinja2", "weasyprint", "pydyf",
             "fonttools", "pikepdf")


def digest(*parts: str | bytes) -> str:
    """SHA-256 of ``parts``, each length-prefixed so that no two sequences collide."""
    sha = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        sha.update(len(data).to_bytes(8, "big") + data)
    return sha.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    """Digest of each file's name and bytes, in a stable order; a missing file counts as empty."""
    parts = []
    for path in sorted(set(paths)):
        parts += [str(path), path.read_bytes() if path.is_file() else b""]
    return digest(*parts)


def tree(folder: Path) -> list[Path]:
    """Every file below ``folder`` (none if it does not exist), caches and outputs left out."""
    if not folder.is_dir():
        return []
    return [path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts]


@lru_cache(maxsize=1)
def code_digest() -> str:
    """Digest of the ``guide`` package's own files and of the versions of :data:`LIBRARIES`, once per run."""
    return digest(files_digest(tree(PACKAGE_DIR)), *library_versions())


def context_digest(root: Path, settings: dict[str, Any]) -> str:
    """Everything a build depends on except the tips: code, templates, styles, settings and options."""
    looks = tree(default_dir("templates")) + tree(default_dir("styles"))
    theme = tree(root / "templates") + tree(root / "styles")
    return digest(code_digest(), files_digest(looks + theme + [root / "guide.yaml"]),
                  json.dumps(settings, sort_keys=True, default=str))


def library_versions() -> list[str]:
    """The installed version of each of :data:`LIBRARIES` ("" if missing), read from the names of the
    ``NAME-VERSION.dist-info`` folders on ``sys.path``: importlib.metadata would take longer than the
    rest of a rebuild with nothing to do."""
    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = list(os.scandir(folder or "."))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".dist-info"):
                name, _, version = entry.name.removesuffix(".dist-info").partition("-")
                found.setdefault(_normal(name), version)
    return [found.get(_normal(name), "") for name in LIBRARIES]


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()
