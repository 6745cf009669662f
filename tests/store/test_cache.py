"""Every cache keys its entries by digests of all they depend on, signs them, and checks kept bytes."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import short_tips_project

from guide.commands.build import build
from guide.store.cache import FOLDER, Cache
from guide.store.manifest import FILE_NAME


def keys(output: Path) -> dict[str, set[str]]:
    """The keys of every cache namespace (by file) and of the manifest's formats."""
    found = {str(path.relative_to(output / FOLDER)): set(json.loads(path.read_text()))
             for path in (output / FOLDER).rglob("*.json")}
    manifest = json.loads((output / FILE_NAME).read_text())
    return found | {"manifest": {entry["digest"] for entry in manifest["formats"].values()}}


def test_a_stylesheet_edit_changes_every_key_that_depends_on_the_look(tmp_path: Path) -> None:
    project = short_tips_project(tmp_path / "project", ["A"], tips=2)
    build(project, ["flashcards"])
    before = keys(project / "output")
    (project / "styles").mkdir()
    (project / "styles" / "flashcards.css").write_text(".question { color: #000000; }\n")
    build(project, ["flashcards"])
    after = keys(project / "output")
    assert set(before) == set(after) == {"markup.json", "fits.json", "sheets/flashcards.json", "manifest"}
    assert before["markup.json"] == after["markup.json"]  # Markdown looks the same whatever the stylesheet
    for name in ("fits.json", "sheets/flashcards.json", "manifest"):
        assert before[name] and not before[name] & after[name], name


def test_kept_bytes_are_used_only_as_written_and_dropped_when_unused(tmp_path: Path) -> None:
    cache = Cache(tmp_path, "things", "context", suffix=".bin")
    cache.put_blob(cache.key("a"), b"first", {})
    cache.put_blob(cache.key("b"), b"second", {})
    cache.save()
    again = Cache(tmp_path, "things", "context", suffix=".bin")
    assert again.get(again.key("a")) is not None and again.blob(again.key("a")) == b"first"
    (tmp_path / FOLDER / "things" / f"{again.key('b')}.bin").write_bytes(b"SECOND")
    assert again.blob(again.key("b")) is None
    again.save()  # "a" was used, "b" only looked at
    assert [path.name for path in (tmp_path / FOLDER / "things").iterdir()] == [f"{again.key('a')}.bin"]
    assert Cache(tmp_path, "things", "another context").key("a") != again.key("a")
