"""A build either fails with every PDF as it was, or succeeds: the bookkeeping is written before the PDFs
replace the old ones, nothing temporary is left behind, and builds into one folder take turns."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import run_guide

from guide.store.manifest import FILE_NAME


def small_project(root: Path, body: str = "First body.") -> Path:
    (root / "tips").mkdir(parents=True, exist_ok=True)
    (root / "tips" / "a.yaml").write_text(f"category: A\ntips:\n  - title: T\n    body: {body}\n", encoding="utf-8")
    return root


def contents(folder: Path) -> dict[str, bytes]:
    """Every file in ``folder`` but the caches (which only save time) and their bytes."""
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file() and ".guide-cache" not in path.parts}


def test_bookkeeping_that_cannot_be_written_leaves_every_pdf_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = small_project(tmp_path)
    assert run_guide(project, monkeypatch, "build", "--format", "handouts").exit_code == 0
    before = contents(project / "output")
    small_project(tmp_path, "Second body.")
    replace = os.replace

    def full_disk_for_the_manifest(source, target) -> None:
        if str(target).endswith(FILE_NAME):
            raise OSError(28, "No space left on device")
        replace(source, target)

    monkeypatch.setattr(os, "replace", full_disk_for_the_manifest)
    result = run_guide(project, monkeypatch, "build", "--format", "handouts")
    assert result.exit_code == 1
    assert f"error: output/{FILE_NAME}: cannot be written: No space left on device" in result.output
    assert contents(project / "output") == before  # no PDF replaced, no .tmp left


def test_a_full_disk_names_the_file_that_could_not_be_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = small_project(tmp_path)

    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run_guide(project, monkeypatch, "build", "--format", "handouts")
    assert result.exit_code == 1
    assert "error: output/handouts/a.pdf: cannot be written: No space left on device" in result.output
    assert not [path for path in (project / "output").rglob("*") if path.name.endswith(".tmp")]


def test_builds_into_one_folder_take_turns(tmp_path: Path) -> None:
    """A build waits while another holds output/.lock, then runs."""
    import fcntl

    project = small_project(tmp_path)
    (project / "output").mkdir()
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    with open(project / "output" / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        process = subprocess.Popen([sys.executable, "-m", "guide", "build", "--format", "handouts"], cwd=project,
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        deadline = time.monotonic() + 20  # a build of one tip takes a few seconds
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.2)
        assert process.poll() is None and not (project / "output" / "handouts").exists()
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    assert (project / "output" / "handouts" / "a.pdf").is_file()
