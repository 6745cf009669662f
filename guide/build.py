"""One build, start to finish: load and validate the guide, then hand it to each format."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import unquote
from typing import Any

from guide import __version__
from guide.errors import Problem
from guide.formats import builder
from guide.job import Job
from guide.loader import load_guide
from guide.model import Guide
from guide.pdf import Layout, Output, write_outputs
from guide.theme import Theme


def build(
    root: Path,
    formats: Iterable[str],
    output: Path | None = None,
    tips_dir: Path | None = None,
    overrides: dict[str, Any] | None = None,
    options: dict[str, Any] | None = None,
) -> tuple[list[Output], list[str]]:
    """Build ``formats`` for the project at ``root``; returns what was written and any warnings."""
    options = dict(options or {})
    guide = load_guide(root, tips_dir, overrides).select(options.pop("categories", ()), options.pop("tags", ()))
    given = {key: value for key, value in options.items() if value not in (None, False)}
    options = {**guide.settings.flashcard_options(), **given}
    theme = Theme.for_project(guide.root)
    env = theme.environment()
    env.globals["version"] = __version__
    layout = Layout(theme, roots=(guide.root, guide.tips_dir), base_dir=guide.tips_dir)
    job = Job(guide, (output or guide.root / "output").resolve(), env, layout, options)
    with _source_date(guide):
        written = [pdf for name in formats for pdf in builder(name)(job)]
    write_outputs(written)
    return written, [_blame(warning, guide) for warning in layout.warnings]


@contextmanager
def _source_date(guide: Guide) -> Iterator[None]:
    """Pin SOURCE_DATE_EPOCH to the tips' last change while building, so that tools stamping times
    (fontTools, instancing the variable code font) write the same bytes on every build."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if saved is None:
        day = datetime.fromisoformat(guide.last_changed).replace(tzinfo=timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(day.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]


def _blame(warning: str, guide: Guide) -> str:
    """Prefix a refused-reference warning with the tip whose text holds the reference."""
    match = re.search(r"refused (\S+):", warning)
    if not match:
        return warning
    name = unquote(match[1].rstrip("/").rsplit("/", 1)[-1])
    for tip in guide.tips:
        if name in tip.body:
            return str(Problem(tip.source.path, f'tip "{tip.id}": {match[0][:-1]} (outside the project)', tip.source.line))
    return warning
