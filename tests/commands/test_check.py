"""``guide check``: validation as in the build and the flashcard fit, without writing any PDF."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import run_guide, short_tips_project

from guide.commands.build import build
from guide.commands.check import check
from guide.store.cache import FOLDER

BROKEN_TIP = "category: Broken\ntips:\n  - title: No body here\n"
LONG_TIP = """
  - title: A very long answer
    body: |
""" + "".join(f"      Sentence {n} makes this answer far too long for one flashcard, whatever its type.\n"
              for n in range(40))
LONG_QUESTION = """
  - title: A very long question
    question: """ + " ".join(["Why would anyone ask a question as long as this one on a flashcard?"] * 30) + """
    body: Nobody should.
"""




def add_long_tip(project: Path) -> int:
    """Append a tip too long for any card to sql-coding.yaml; returns the line it starts on."""
    tips = project / "tips" / "sql-coding.yaml"
    text = tips.read_text()
    tips.write_text(text + LONG_TIP)
    return text.count("\n") + 2


GOOD = "cheat sheet: 7.5 pt type on 1 page, the fewest pages at 6 pt or more\nok: 35 tips in 7 categories\n"


def test_a_good_project_is_ok_and_no_pdf_is_written(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "check")
    assert (result.exit_code, result.output) == (0, GOOD)
    assert not list(project.rglob("*.pdf"))
    again = run_guide(project, monkeypatch, "check")  # with the measurements cached
    assert (again.exit_code, again.output) == (0, GOOD)


def test_the_cheat_sheet_is_set_as_the_build_sets_it(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    checked = run_guide(project, monkeypatch, "check", "--paper", "a4").output.splitlines()[0]
    built = run_guide(project, monkeypatch, "build", "--format", "cheatsheet", "--paper", "a4").output
    size, pages = re.match(r"cheat sheet: ([\d.]+) pt type on (\d+) pages?, the fewest", checked).groups()
    assert f"cheatsheet.pdf ({pages} page{'s' if pages != '1' else ''}): {size} pt type, the fewest" in built


def test_a_cheat_sheet_that_cannot_be_set_fails_the_check_as_it_fails_the_build(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tips = project / "tips" / "sql-coding.yaml"
    tips.write_text(tips.read_text() + LONG_TIP.replace("Sentence", "Sentence " + "word " * 60))
    result = run_guide(project, monkeypatch, "check")
    assert result.exit_code == 1
    assert ('tip "A very long answer" has a part (a paragraph, list, table or code block) too long for a cheat '
            "sheet column even at 6 pt; shorten it") in result.output
    assert "cheat sheet:" not in result.output and "ok:" not in result.output


def test_problems_are_reported_by_file_line_and_column(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "tips" / "broken.yaml").write_text(BROKEN_TIP)
    (project / "guide.yaml").write_text((project / "guide.yaml").read_text() + "papr: a4\n")
    result = run_guide(project, monkeypatch, "check")
    assert result.exit_code == 1
    assert 'error: guide.yaml:7:1: settings has an unknown key "papr" (did you mean "paper"?)' in result.output
    no_fit = run_guide(project, monkeypatch, "check", "--no-fit")
    assert no_fit.exit_code == 1 and '"papr"' in no_fit.output
    (project / "guide.yaml").write_text((project / "guide.yaml").read_text().replace("papr: a4\n", ""))
    result = run_guide(project, monkeypatch, "check")
    assert result.exit_code == 1
    assert 'error: tips/broken.yaml:3:5: tip "No body here" has no body' in result.output
    assert "Traceback" not in result.output and "ok:" not in result.output


def test_a_tip_too_long_for_one_card_is_reported_as_continuing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    line = add_long_tip(project)
    result = run_guide(project, monkeypatch, "check")
    assert result.exit_code == 0, result.output
    (warning, sheet, ok) = result.output.splitlines()
    assert sheet.startswith("cheat sheet: ")
    assert re.fullmatch(rf'warning: tips/sql-coding.yaml:{line}: tip "a-very-long-answer" does not fit on one card '
                        r"even at 7 pt: it continues on [2-9] cards", warning), warning
    assert ok == "ok: 36 tips in 7 categories"
    assert not list(project.rglob("*.pdf"))
    bigger = run_guide(project, monkeypatch, "check", "--card", "a6")
    assert (bigger.exit_code, bigger.output.splitlines()[1:]) == (0, ["ok: 36 tips in 7 categories"])


def test_a_question_too_long_for_its_card_fails_the_check(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tips = project / "tips" / "sql-coding.yaml"
    text = tips.read_text()
    tips.write_text(text + LONG_QUESTION)
    result = run_guide(project, monkeypatch, "check")
    assert result.exit_code == 1
    assert result.output.splitlines()[1:] == [
        f'error: tips/sql-coding.yaml:{text.count(chr(10)) + 2}: tip "a-very-long-question" does not fit on a card '
        "even at 7 pt: shorten it or choose a larger --card",
        "error: 1 of 36 tips does not fit their flashcard",
    ]
    skipped = run_guide(project, monkeypatch, "check", "--no-fit")
    assert (skipped.exit_code, skipped.output) == (0, "ok: 36 tips in 7 categories\n")


def test_card_options_come_from_guide_yaml_and_printer_profiles(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = project / "guide.yaml"
    settings.write_text(settings.read_text() + "flashcards:\n  card: 50x35mm\nprinters:\n  big:\n    card: a6\n")
    small = run_guide(project, monkeypatch, "check")
    assert small.exit_code == 0, small.output
    assert "continues on" in small.output
    assert "continues on" not in run_guide(project, monkeypatch, "check", "--printer", "big").output
    assert run_guide(project, monkeypatch, "check", "--printer", "big").exit_code == 0
    assert run_guide(project, monkeypatch, "check", "--card", "a6").exit_code == 0
    bad = run_guide(project, monkeypatch, "check", "--card", "1x1mm")
    assert bad.exit_code == 1
    assert "too small" in bad.output or "does not fit" in bad.output


def test_check_library_reports_fit_per_tip(project: Path) -> None:
    line = add_long_tip(project)
    report = check(project)
    assert len(report.fits) == 36
    assert report.misfits == []
    (continued,) = report.continued
    assert (continued.path.name, continued.line) == ("sql-coding.yaml", line)
    fit = report.fits["a-very-long-answer"]
    assert (fit.question_fits, fit.answer_fits, fit.answer_size) == (True, True, 7.0)
    assert fit.cards > 1 and fit.describe() == f"yes, on {fit.cards} cards"
    assert report.fits["bias-variance-tradeoff"].describe() == "yes"
    assert check(project, fit=False).fits == {}


@pytest.mark.parametrize("fit", [(), ("--no-fit",)])
def test_a_picture_shown_as_a_placeholder_is_warned_about_as_the_build_does(
        project: Path, monkeypatch: pytest.MonkeyPatch, fit: tuple[str, ...]) -> None:
    tips = project / "tips" / "sql-coding.yaml"
    line = tips.read_text().count("\n") + 2
    tips.write_text(tips.read_text() + "\n  - title: A picture\n    body: See ![the plan](img/plan.png).\n")
    result = run_guide(project, monkeypatch, "check", *fit)
    assert result.exit_code == 0
    assert (f'warning: tips/sql-coding.yaml:{line}: tip "a-picture": image img/plan.png was not found; shown as a '
            "placeholder") in result.output


def test_a_build_uses_the_fits_check_measured(tmp_path: Path) -> None:
    """Measurements are keyed by what they depend on (code, theme, flashcard options, card area), not by
    the command: a build after ``guide check`` finds every fit in the cache."""
    project = short_tips_project(tmp_path / "project", ["A", "B"], tips=2)
    fits = project / "output" / FOLDER / "fits.json"
    check(project)
    measured = fits.read_text()
    build(project, ["flashcards"])
    assert json.loads(fits.read_text()).keys() == json.loads(measured).keys() != set()
