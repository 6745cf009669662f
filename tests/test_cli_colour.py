"""Messages are coloured on terminals only and never with NO_COLOR; shell completion comes from Click."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from guide.cli import main

BROKEN_TIP = "category: Broken\ntips:\n  - title: No body here\n"


@pytest.fixture
def broken(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (project / "tips" / "broken.yaml").write_text(BROKEN_TIP)
    monkeypatch.chdir(project)
    monkeypatch.delenv("NO_COLOR", raising=False)
    return project


@pytest.mark.parametrize("command", [["check", "--no-fit"], ["list", "--no-fit"], ["build", "--format", "handouts"]])
def test_errors_are_red_on_a_terminal(broken: Path, command: list[str]) -> None:
    result = CliRunner().invoke(main, command, color=True)
    assert result.exit_code == 1
    assert "\x1b[31merror: tips/broken.yaml:3:5:" in result.output


@pytest.mark.parametrize("command", [["check", "--no-fit"], ["list", "--no-fit"], ["build", "--format", "handouts"]])
def test_no_color_turns_colour_off(broken: Path, command: list[str]) -> None:
    result = CliRunner().invoke(main, command, color=True, env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    assert "error: tips/broken.yaml:3:5:" in result.output
    assert "\x1b[" not in result.output


def test_not_a_terminal_means_no_colour(broken: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--no-fit"])
    assert "error: tips/broken.yaml:3:5:" in result.output and "\x1b[" not in result.output


def test_success_is_green_on_a_terminal_only(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert CliRunner().invoke(main, ["check", "--no-fit"], color=True).output == (
        "\x1b[32mok: 35 tips in 7 categories\x1b[0m\n")
    assert CliRunner().invoke(main, ["check", "--no-fit"], color=True, env={"NO_COLOR": "1"}).output == (
        "ok: 35 tips in 7 categories\n")


def test_bash_completion_script_and_completions() -> None:
    script = CliRunner().invoke(main, [], prog_name="guide", env={"_GUIDE_COMPLETE": "bash_source"})
    assert script.exit_code == 0
    assert "_guide_completion()" in script.output and "complete -o nosort -F _guide_completion guide" in script.output
    words = CliRunner().invoke(main, [], prog_name="guide", env={
        "_GUIDE_COMPLETE": "bash_complete", "COMP_WORDS": "guide ex", "COMP_CWORD": "1"})
    assert words.output.split() == ["plain,export"]
    options = CliRunner().invoke(main, [], prog_name="guide", env={
        "_GUIDE_COMPLETE": "bash_complete", "COMP_WORDS": "guide export --to ", "COMP_CWORD": "3"})
    assert options.output.split() == ["plain,anki", "plain,csv", "plain,tsv"]
