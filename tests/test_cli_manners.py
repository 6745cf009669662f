"""Command-line manners: bad option values are usage errors (exit 2), unknown names get suggestions,
completion offers the project's names, commands work from inside the project, export can write to stdout."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import run_guide

from guide.cli import main

UNKNOWN_CATEGORY = ('error: unknown --category "deep-lerning": did you mean "Deep Learning"? (categories: '
                    '"Behavioral & Soft Skills", "Deep Learning", "General Interview Strategy", "LLMs & Generative AI", '
                    '"Machine Learning Fundamentals", "SQL & Coding", "Statistics & Probability")')


@pytest.mark.parametrize(("args", "message"), [
    (("build", "--card", "3x5"), "card size \"3x5\" is neither a preset"),
    (("build", "--card-size", "big"), "card size \"big\" is neither a preset"),
    (("build", "--back-offset", "0.8"), "Invalid value for '--back-offset': offset \"0.8\" must be two numbers"),
    (("list", "--card", "0x5mm"), "Invalid value for '--card'"),
    (("check", "--card", "3x5"), "Invalid value for '--card'"),
    (("calibrate", "--duplex", "fold"), "Invalid value for '--duplex': \"fold\" prints no backs through the paper"),
    (("calibrate", "--duplex", "split"), "Invalid value for '--duplex': \"split\""),
    (("export", "--to", "anki", "--output", "-"), "an anki deck is a binary file and cannot go to standard output"),
])
def test_bad_option_values_are_usage_errors(project: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...],
                                            message: str) -> None:
    result = run_guide(project, monkeypatch, *args)
    assert result.exit_code == 2, result.output
    assert f" {args[0]} [OPTIONS]\nTry " in result.output  # Click's usage error
    assert message in result.output
    assert not (project / "output").exists() and not (project / "-").exists()


def test_unknown_category_or_tag_is_an_error_even_beside_a_known_one(project: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "list", "--no-fit", "--category", "deep-lerning", "--category", "SQL & Coding",
                       "--tag", "trainin")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == UNKNOWN_CATEGORY
    assert result.output.splitlines()[1].startswith('error: unknown --tag "trainin": did you mean "training"? (tags: '
                                                    '"architecture", "behavioral",')
    far = run_guide(project, monkeypatch, "export", "--category", "astronomy")
    assert far.exit_code == 1
    assert far.output.startswith('error: unknown --category "astronomy": (categories: "Behavioral & Soft Skills",')


def complete(project: Path, monkeypatch: pytest.MonkeyPatch, line: str) -> list[str]:
    monkeypatch.chdir(project)
    words = line.split(" ")
    result = CliRunner().invoke(main, [], prog_name="guide", env={
        "_GUIDE_COMPLETE": "bash_complete", "COMP_WORDS": line, "COMP_CWORD": str(len(words) - 1)})
    return [item.split(",", 1)[1] for item in result.output.splitlines()]


def test_completion_offers_categories_tags_card_presets_and_printers(project: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    with (project / "guide.yaml").open("a") as settings:
        settings.write("printers:\n  office: {back_offset: '0.5,-1'}\n  home: {duplex: short-edge}\n")
    assert complete(project, monkeypatch, "guide build --category S") == ["SQL & Coding", "Statistics & Probability"]
    assert complete(project / "tips", monkeypatch, "guide list --tag tr") == ["training", "trees"]
    assert complete(project, monkeypatch, "guide build --card index") == ["index-3x5", "index-4x6"]
    assert complete(project, monkeypatch, "guide build --printer ") == ["office", "home"]
    assert complete(project, monkeypatch, "guide check --printer o") == ["office"]


def test_commands_run_inside_tips_work_on_the_whole_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "tips" / "drafts").mkdir()
    result = run_guide(project / "tips" / "drafts", monkeypatch, "export", "--to", "csv")
    assert result.exit_code == 0, result.output
    assert (project / "output" / "flashcards.csv").is_file()
    assert result.output == f"wrote {Path('..', '..', 'output', 'flashcards.csv')} (35 cards)\n"
    listed = run_guide(project / "tips", monkeypatch, "list", "--no-fit")
    assert listed.exit_code == 0 and listed.output.endswith("35 tips in 7 categories\n")


def test_export_to_standard_output(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "export", "--to", "csv", "--output", "-", "--tag", "sql")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "front,back,category,tags" and len(lines) >= 3
    assert all("wrote" not in line for line in lines)
    assert not (project / "-").exists() and not (project / "output").exists()
