"""Builds you can trust: an interrupted build changes no PDF and leaves no litter; two builds at once
both succeed and leave only complete PDFs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import run_guide
from pypdf import PdfReader
from weasyprint.document import Document

from guide.cli import main

WROTE = re.compile(r"wrote (?P<path>\S+) \((?P<pages>\d+) pages?\)")




def snapshot(project: Path) -> dict[str, bytes]:
    """Every file under output/ (temporary ones too), by relative path."""
    output = project / "output"
    return {str(path.relative_to(output)): path.read_bytes() for path in sorted(output.rglob("*")) if path.is_file()}


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The handouts of the real tips, built once: every test starts from a copy of this output."""
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("atomic"))
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        result = CliRunner().invoke(main, ["build", "--format", "handouts"])
    assert result.exit_code == 0, result.output
    return snapshot(project)


@pytest.fixture
def built_project(project: Path, first_build: dict[str, bytes]) -> Path:
    for name, data in first_build.items():
        (project / "output" / name).parent.mkdir(parents=True, exist_ok=True)
        (project / "output" / name).write_bytes(data)
    return project


def interrupt_on_call(number: int, original: Callable) -> Callable:
    """``original``, except that its ``number``-th call raises KeyboardInterrupt (as Ctrl-C would)."""
    calls = {"count": 0}

    def wrapper(*args, **kwargs):
        calls["count"] += 1
        if calls["count"] == number:
            raise KeyboardInterrupt
        return original(*args, **kwargs)

    wrapper.calls = calls  # type: ignore[attr-defined]
    return wrapper


def assert_interrupted_build_changed_nothing(project: Path, before: dict[str, bytes], result: Result) -> None:
    assert result.exit_code != 0, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # click turns Ctrl-C into "Aborted!"
    after = snapshot(project)
    assert sorted(after) == sorted(before), "stray or missing files in output/"
    changed = [name for name in before if after[name] != before[name]]
    assert changed == []


# A new title changes every handout, so a PDF replaced by the interrupted build would show.
NEW_TITLE = ("--title", "A title that changes every handout")


def test_interrupt_while_laying_out_changes_nothing(built_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(built_project)
    monkeypatch.setenv("GUIDE_JOBS", "1")  # lay out in this process, so the calls can be counted
    write_pdf = interrupt_on_call(3, Document.write_pdf)
    monkeypatch.setattr(Document, "write_pdf", write_pdf)
    result = run_guide(built_project, monkeypatch, "build", "--format", "handouts", *NEW_TITLE)
    assert write_pdf.calls["count"] == 3
    assert_interrupted_build_changed_nothing(built_project, before, result)


def test_interrupt_in_a_layout_worker_changes_nothing(built_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(built_project)
    monkeypatch.setenv("GUIDE_JOBS", "2")
    # Forked workers inherit the patch: each one's first PDF is interrupted.
    monkeypatch.setattr(Document, "write_pdf", interrupt_on_call(1, Document.write_pdf))
    result = run_guide(built_project, monkeypatch, "build", "--format", "handouts", *NEW_TITLE)
    assert_interrupted_build_changed_nothing(built_project, before, result)


@pytest.mark.parametrize("pdf", [1, 2], ids=["first PDF", "a later PDF"])
def test_interrupt_while_writing_changes_nothing(built_project: Path, monkeypatch: pytest.MonkeyPatch,
                                                 pdf: int) -> None:
    before = snapshot(built_project)
    fsync = interrupt_on_call(pdf, os.fsync)
    monkeypatch.setattr(os, "fsync", fsync)
    result = run_guide(built_project, monkeypatch, "build", "--format", "handouts", *NEW_TITLE)
    assert fsync.calls["count"] == pdf
    assert_interrupted_build_changed_nothing(built_project, before, result)


def test_disk_error_while_writing_is_reported_and_changes_nothing(
    built_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(built_project)

    def full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    result = run_guide(built_project, monkeypatch, "build", "--format", "handouts", *NEW_TITLE)
    assert result.exit_code == 1
    assert "No space left on device" in result.output and "Traceback" not in result.output
    after = snapshot(built_project)
    assert sorted(after) == sorted(before)
    assert all(after[name] == before[name] for name in before)


def test_a_pdf_replaced_by_another_build_meanwhile_is_not_kept_as_unchanged(
    built_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import guide.store.output

    title = "Title of this build"
    write_outputs = guide.store.output.write_outputs

    def and_then_another_build_finishes(outputs: list, bookkeeping) -> None:
        write_outputs(outputs, bookkeeping)
        for output in outputs:  # what a concurrent build with other options writes right after
            output.path.write_bytes(b"%PDF-1.7 another build's bytes, a different size")

    monkeypatch.setattr(guide.store.output, "write_outputs", and_then_another_build_finishes)
    assert run_guide(built_project, monkeypatch, "build", "--format", "handouts", "--title", title).exit_code == 0
    monkeypatch.setattr(guide.store.output, "write_outputs", write_outputs)
    result = run_guide(built_project, monkeypatch, "build", "--format", "handouts", "--title", title)
    assert result.exit_code == 0, result.output
    for path in (built_project / "output" / "handouts").glob("*.pdf"):
        assert b"another build" not in path.read_bytes(), f"{path.name} was kept from the other build"
        assert title.upper() in PdfReader(path).pages[0].extract_text().upper(), path


def test_two_builds_at_once_both_succeed_with_complete_pdfs(project: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "SOURCE_DATE_EPOCH"}
    titles = ["First concurrent title", "Second concurrent title"]
    processes = [
        subprocess.Popen([sys.executable, "-m", "guide", "build", "--format", "handouts", "--title", title],
                         cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for title in titles
    ]
    results = [(process.wait(timeout=240), *process.communicate()) for process in processes]
    for code, out, err in results:
        assert code == 0, out + err
        assert "Traceback" not in out + err
    pages = {}
    for _, out, _ in results:
        lines = out.splitlines()
        assert len(lines) == 7 and all(WROTE.fullmatch(line) for line in lines), out
        for match in map(WROTE.fullmatch, lines):
            assert pages.setdefault(match["path"], int(match["pages"])) == int(match["pages"]), out
    for name, count in pages.items():
        reader = PdfReader(project / name)
        assert len(reader.pages) == count, name
        text = reader.pages[0].extract_text()
        assert sum(title.upper() in text.upper() for title in titles) == 1, (name, text[:200])
    assert not [path for path in (project / "output").rglob("*") if path.name.endswith(".tmp")]
