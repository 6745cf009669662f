"""Settings as a user gives them: the command line over a printer profile over guide.yaml over the
defaults, zero and false included; every command that builds takes the same options; the README's
table of settings lists exactly what the model declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import ROOT, read_pages, run_guide

from guide import cli
from guide.config.cards import CARD_PRESETS, DUPLEX_MODES
from guide.config.options import (
    CHEATSHEET,
    FLASHCARDS,
    GUIDE,
    THEMES,
    Options,
    Settings,
)
from guide.config.paper import PAPERS, SAFE_MARGIN_MM
from guide.formats import MODULES


def test_the_command_line_wins_over_the_printer_over_the_file_over_the_default() -> None:
    settings = Settings(flashcards={"gutter": 4, "margin": 9, "tint": True},
                        printers={"office": {"gutter": 2}}, printer="office")
    assert Options.resolve({}, settings).flashcards.gutter == 2
    assert Options.resolve({"gutter": 0, "margin": 0, "tint": False}, settings).flashcards == FLASHCARDS.resolve(
        {"gutter": 0, "margin": 0, "tint": False})
    assert Options.resolve({}, Settings()).flashcards.margin == SAFE_MARGIN_MM


def test_options_are_typed_values() -> None:
    options = Options.resolve({"card": "poker", "back_offset": "0.5,-1", "pages": "2"}, Settings())
    assert options.flashcards.card == CARD_PRESETS["poker"]
    assert options.flashcards.back_offset == (0.5, -1.0)
    assert options.cheatsheet.pages == 2


@pytest.fixture
def gutter_in_file(project: Path) -> Path:
    settings = project / "guide.yaml"
    settings.write_text(settings.read_text() + "flashcards:\n  gutter: 6\n  cut_lines: true\n")
    return project


def test_zero_and_off_on_the_command_line_override_guide_yaml(gutter_in_file: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    plain = gutter_in_file / "plain"
    overridden = gutter_in_file / "overridden"
    settings = gutter_in_file / "guide.yaml"
    with_file = settings.read_text()
    settings.write_text(with_file.replace("flashcards:\n  gutter: 6\n  cut_lines: true\n", ""))
    assert run_guide(gutter_in_file, monkeypatch, "build", "--format", "flashcards", "--output", str(plain)).exit_code == 0
    settings.write_text(with_file)
    result = run_guide(gutter_in_file, monkeypatch, "build", "--format", "flashcards", "--output", str(overridden),
                       "--gutter", "0", "--no-cut-lines")
    assert result.exit_code == 0, result.output
    assert read_pages(overridden / "flashcards.pdf") == read_pages(plain / "flashcards.pdf")


@pytest.mark.parametrize("args", [["--card", "3x5"], ["--back-offset", "0.8"], ["--back-offset", "nan,0"],
                                  ["--margin", "-1"], ["--pages", "0"], ["--paper", "a5"], ["--duplex", "both"]])
def test_a_bad_option_value_is_a_usage_error(project: Path, monkeypatch: pytest.MonkeyPatch, args: list[str]) -> None:
    result = run_guide(project, monkeypatch, "build", *args)
    assert result.exit_code == 2
    assert f"Invalid value for '{args[0]}" in result.output


@pytest.mark.parametrize(("setting", "message"), [
    ("card: 3x5", 'card size "3x5" is neither a preset'),
    ("back_offset: \"nan,inf\"", "must be two numbers between"),
    ("gutter: 0", None),
])
def test_guide_yaml_flashcard_settings_are_read_like_the_command_line(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                                      setting: str, message: str | None) -> None:
    settings = project / "guide.yaml"
    settings.write_text(settings.read_text() + f"flashcards:\n  {setting}\n")
    result = run_guide(project, monkeypatch, "check", "--no-fit")
    if message is None:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 1
        assert re.search(rf"guide\.yaml:\d+:\d+: flashcards: .*{re.escape(message)}", result.output)


BUILDING = {"build", "preview", "watch", "calibrate"}


def _option_names(command: str) -> set[str]:
    return {name for param in cli.main.commands[command].params for name in param.opts}


def test_every_command_that_builds_takes_the_same_options() -> None:
    shared = set.intersection(*(_option_names(command) for command in BUILDING))
    for setting in (*GUIDE.settings, *FLASHCARDS.settings, *CHEATSHEET.settings):
        if setting.on_command_line:
            assert setting.option in shared
    for command in ("check", "list"):
        assert {setting.option for setting in (*FLASHCARDS.settings, *GUIDE.settings)
                if setting.on_command_line} <= _option_names(command)


def _readme_table() -> dict[str, list[str]]:
    """The README's settings table: setting key -> its cells."""
    text = (ROOT / "README.md").read_text()
    section = text[text.index("| Setting |"):]
    rows = []
    for line in section.splitlines()[2:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    table = {}
    for row in rows:
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        table[cells[0].strip("`")] = cells
    return table


def test_the_readme_lists_every_setting_with_its_choices() -> None:
    table = _readme_table()
    sections = {"": GUIDE, "flashcards": FLASHCARDS, "cheatsheet": CHEATSHEET}
    declared = {f"{prefix}.{setting.key}" if prefix else setting.key: setting
                for prefix, section in sections.items() for setting in section.in_file()}
    assert set(table) == set(declared)
    for key, setting in declared.items():
        cells = " ".join(table[key])
        if setting.on_command_line:
            assert f"`{setting.option}`" in cells
        for choice in setting.choices:
            assert f"`{choice}`" in cells, (key, choice)


def test_the_registries_are_the_choices() -> None:
    assert GUIDE.settings[3].choices == tuple(PAPERS)
    assert FLASHCARDS.settings[1].choices == tuple(DUPLEX_MODES)
    assert {setting.key: setting for setting in GUIDE.settings}["theme"].choices == tuple(THEMES)
    offered = next(param for param in cli.build.params if param.name == "format_")
    assert offered.type.choices == (*MODULES, "all")
