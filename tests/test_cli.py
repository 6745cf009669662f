"""The ``guide`` command line, as a user runs it from a project folder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import ROOT, run_guide
from pypdf import PdfReader

from guide import __version__
from guide.cli import main

WROTE = re.compile(r"wrote (?P<path>\S+) \((?P<pages>\d+) pages?\)")
BROKEN_TIP = "category: Broken\ntips:\n  - title: No body here\n"




def handout_bytes(project: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (project / "output" / "handouts").glob("*.pdf")}


def test_version_runs_as_a_module() -> None:
    result = subprocess.run([sys.executable, "-m", "guide", "--version"], capture_output=True, text=True,
                            check=False, cwd=ROOT)
    assert (result.returncode, result.stdout.strip()) == (0, f"guide, version {__version__}")


@pytest.mark.parametrize("command", ["", *sorted(main.commands)], ids=lambda command: command or "guide")
def test_help_works_on_every_command(command: str) -> None:
    result = CliRunner().invoke(main, [*command.split(), "--help"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Usage: ")


def test_build_writes_each_handout_and_prints_one_line_per_pdf(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "build", "--format", "handouts")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    matches = [WROTE.fullmatch(line) for line in lines]
    assert all(matches), lines
    assert sorted(match["path"] for match in matches) == sorted(
        str(path.relative_to(project)) for path in (project / "output" / "handouts").glob("*.pdf")
    )
    assert len(lines) == 7
    for match in matches:
        pages = len(PdfReader(project / match["path"]).pages)
        assert match.group(0).endswith(f"({pages} page{'s' if pages != 1 else ''})")


def test_bad_tips_file_exits_1_naming_file_and_line_without_traceback(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "tips" / "broken.yaml").write_text(BROKEN_TIP, encoding="utf-8")
    result = run_guide(project, monkeypatch, "build", "--format", "handouts")
    assert result.exit_code == 1
    assert 'tips/broken.yaml:3:5: tip "No body here" has no body' in result.output
    assert "Traceback" not in result.output


def test_unknown_format_is_a_usage_error(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "build", "--format", "poster")
    assert result.exit_code == 2
    assert "'poster' is not one of" in result.output


def test_failed_build_leaves_previous_pdfs_byte_identical(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_guide(project, monkeypatch, "build", "--format", "handouts").exit_code == 0
    before = handout_bytes(project)
    (project / "tips" / "broken.yaml").write_text(BROKEN_TIP, encoding="utf-8")
    assert run_guide(project, monkeypatch, "build", "--format", "handouts").exit_code == 1
    assert handout_bytes(project) == before


def test_build_failing_midway_leaves_previous_pdfs_byte_identical(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_guide(project, monkeypatch, "build", "--format", "handouts").exit_code == 0
    before = handout_bytes(project)
    strategy = project / "tips" / "strategy.yaml"
    strategy.write_text(strategy.read_text(encoding="utf-8").replace("deeply", "thoroughly"), encoding="utf-8")
    template = (ROOT / "templates" / "handout.html").read_text(encoding="utf-8")
    (project / "templates").mkdir()
    failing = '{% block body %}{% if category.slug == "behavioral-soft-skills" %}{{ no_such_name }}{% endif %}'
    (project / "templates" / "handout.html").write_text(template.replace("{% block body %}", failing), encoding="utf-8")
    assert run_guide(project, monkeypatch, "build", "--format", "handouts").exit_code == 1
    assert handout_bytes(project) == before
