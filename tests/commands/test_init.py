"""``guide init``: a new guide that builds as it is, never clobbering files without --force."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from helpers import page_texts

from guide.cli import main
from guide.commands.init import title_from
from guide.content.loader import load_guide
from guide.render.theme import default_dir


def run(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, list(args))


def test_init_makes_a_guide_that_checks_and_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run(tmp_path, monkeypatch, "init", "spanish-verbs")
    assert result.exit_code == 0, result.output
    guide_dir = tmp_path / "spanish-verbs"
    assert {line.split()[-1] for line in result.output.splitlines() if line.startswith("wrote ")} == {
        "spanish-verbs/guide.yaml", "spanish-verbs/tips/example.yaml", "spanish-verbs/README.md",
        "spanish-verbs/.gitignore",
    }
    assert "next: cd spanish-verbs && guide build" in result.output
    assert (guide_dir / ".gitignore").read_text().splitlines() == ["output/"]
    readme = (guide_dir / "README.md").read_text()
    assert readme.startswith("# Spanish Verbs\n")
    assert "guide build" in readme and "## Write tips" in readme

    guide = load_guide(guide_dir)
    assert guide.settings.title == "Spanish Verbs"
    (category,) = guide.categories
    assert category.name == "Example"
    assert len(category.tips) == 3
    raw_tips = yaml.safe_load((guide_dir / "tips" / "example.yaml").read_text())["tips"]
    assert any("question" in tip for tip in raw_tips) and any("question" not in tip for tip in raw_tips)
    assert all(tip.tags for tip in category.tips)
    html = "".join(tip.body_html for tip in category.tips)
    for element in ("<strong>", "<em>", "<code>", "<li>", 'class="math"', 'class="highlight"'):
        assert element in html

    check = run(guide_dir, monkeypatch, "check")
    assert (check.exit_code, check.output.strip().splitlines()[-1]) == (0, "ok: 3 tips in 1 category")
    build = run(guide_dir, monkeypatch, "build", "--format", "handouts")
    assert build.exit_code == 0, build.output
    text = "\n".join(page_texts(guide_dir / "output" / "handouts" / "example.pdf"))
    assert "spanish verbs" in text.lower() and "Tips are Markdown" in text


def test_init_refuses_to_overwrite_and_names_every_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(tmp_path, monkeypatch, "init", "notes").exit_code == 0
    settings = tmp_path / "notes" / "guide.yaml"
    settings.write_text("title: Mine\n")
    result = run(tmp_path, monkeypatch, "init", "notes")
    assert result.exit_code == 1
    for name in ("guide.yaml", "tips/example.yaml", "README.md"):
        assert f"error: notes/{name}: already exists (use --force to overwrite)" in result.output
    assert "Traceback" not in result.output
    assert settings.read_text() == "title: Mine\n"

    forced = run(tmp_path, monkeypatch, "init", "notes", "--force")
    assert forced.exit_code == 0, forced.output
    assert load_guide(tmp_path / "notes").settings.title == "Notes"
    assert (tmp_path / "notes" / ".gitignore").read_text() == "output/\n"  # not added twice


def test_init_in_an_existing_folder_keeps_its_gitignore(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / ".gitignore").write_text("*.log")
    result = run(tmp_path / "notes", monkeypatch, "init", ".")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "notes" / ".gitignore").read_text() == "*.log\noutput/\n"
    assert result.output.splitlines()[-1] == "next: guide build"
    assert load_guide(tmp_path / "notes").settings.title == "Notes"


def test_init_on_a_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "taken").write_text("")
    result = run(tmp_path, monkeypatch, "init", "taken")
    assert result.exit_code != 0
    assert "Traceback" not in result.output


def test_with_theme_copies_the_default_theme_and_the_copies_take_effect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run(tmp_path, monkeypatch, "init", "deck", "--with-theme")
    assert result.exit_code == 0, result.output
    guide_dir = tmp_path / "deck"
    for name in ("templates", "styles"):
        source = default_dir(name)
        expected = {path.relative_to(source) for path in source.rglob("*") if path.is_file()}
        copied = {path.relative_to(guide_dir / name) for path in (guide_dir / name).rglob("*") if path.is_file()}
        assert copied == expected
        for relative in expected:
            assert (guide_dir / name / relative).read_bytes() == (source / relative).read_bytes()
    assert (guide_dir / "styles" / "themes" / "print.css").is_file()
    assert "copies of the built-in theme" in (guide_dir / "README.md").read_text()

    template = guide_dir / "templates" / "handout.html"
    template.write_text(template.read_text().replace("{% block body %}", "{% block body %}<p>MARKER-XYZ</p>", 1))
    build = run(guide_dir, monkeypatch, "build", "--format", "handouts")
    assert build.exit_code == 0, build.output
    assert "MARKER-XYZ" in "".join(page_texts(guide_dir / "output" / "handouts" / "example.pdf"))


@pytest.mark.parametrize(("name", "title"), [
    ("spanish-verbs", "Spanish Verbs"),
    ("ml_interview prep", "Ml Interview Prep"),
    ("SQL-cheats", "SQL Cheats"),
    ("C++: notes", "C++: Notes"),
])
def test_title_from_folder_name_is_valid_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str,
                                              title: str) -> None:
    assert title_from(tmp_path / name) == title
    assert run(tmp_path, monkeypatch, "init", name).exit_code == 0
    assert load_guide(tmp_path / name).settings.title == title
