"""The cheat sheet's type-size search (with a stand-in for WeasyPrint) and the real build."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import build_pdfs, page_texts, read_pages, run_guide
from pypdf import PdfReader

from guide.commands.build import FormatsFailed, build
from guide.content.loader import load_guide
from guide.content.model import Guide
from guide.formats import cheatsheet
from guide.formats.cheatsheet import MAX_SIZE, MIN_SIZE, Trial
from guide.formats.job import Job

LETTER_WIDTH = 279.4 - 2 * cheatsheet.MARGIN


def search(fill: Callable[[float], float], start: float, parallel: bool = False) -> tuple[Trial, list[list[float]]]:
    """Run the search where ``fill(size)`` stands in for a measuring layout; returns the sizes measured in
    each round (rounds take one layout of wall time when laid out side by side)."""
    rounds = []

    def measure(sizes: list[float]) -> dict[float, Trial]:
        rounds.append(sizes)
        return {size: Trial(size, *cheatsheet._columns(size, LETTER_WIDTH), 0.0, 0.0, [], [], fill(size), [])
                for size in sizes}

    return cheatsheet._search(measure, start, parallel), rounds


def total_width(size: float) -> float:
    """The width of all columns together at ``size`` pt."""
    count, width = cheatsheet._columns(size, LETTER_WIDTH)
    return count * width


def area_model(best: float) -> Callable[[float], float]:
    """Fill growing with the text area, exactly full at ``best`` pt."""
    return lambda size: (size / best) ** 2 * total_width(best) / total_width(size)


@pytest.mark.parametrize("start", [6.0, 7.5, 8.0, 11.0])
@pytest.mark.parametrize("best", [6.0, 7.25, 7.6, 8.0, 9.9, 11.0])
@pytest.mark.parametrize("parallel", [False, True])
def test_search_finds_the_largest_size_that_fits_in_a_few_layouts(best: float, start: float, parallel: bool) -> None:
    trial, rounds = search(area_model(best), start, parallel)
    assert trial.fits
    assert trial.size == max(size for size in cheatsheet.SIZES if size <= best)
    assert len(rounds) <= 4


@pytest.mark.parametrize("best", [6.0, 7.25, 7.6, 8.0, 9.9])
def test_a_good_first_guess_settles_the_search_in_one_round_when_laid_out_side_by_side(best: float) -> None:
    guess = max(size for size in cheatsheet.SIZES if size <= best)
    trial, rounds = search(area_model(best), guess, parallel=True)
    assert trial.size == guess
    assert rounds == [[guess, guess + cheatsheet.STEP]]


def test_search_stops_at_the_smallest_size_when_nothing_fits() -> None:
    trial, rounds = search(lambda size: 1.5, 8.0)
    assert (trial.size, trial.fits) == (MIN_SIZE, False)
    assert len(rounds) <= 3


def test_search_stops_at_the_largest_size_when_little_text() -> None:
    trial, rounds = search(lambda size: 0.3, 8.0)
    assert (trial.size, rounds) == (MAX_SIZE, [[8.0], [MAX_SIZE]])


def test_the_real_tips_fit_on_one_landscape_page(built: Callable[..., Path], real_guide: Guide) -> None:
    path = built("cheatsheet") / "cheatsheet.pdf"
    reader = PdfReader(path)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (792, 612)
    text = " ".join(page_texts(path).pop().split())
    for category in real_guide.categories:
        assert category.name.upper() in text


def long_tip_file(paragraphs: int) -> str:
    """A category with one tip of ``paragraphs`` numbered paragraphs, far taller than a column."""
    body = "".join(f"      Paragraph p{n}x of the long tip says something worth knowing about columns.\n\n"
                   for n in range(paragraphs))
    return f"category: Long reads\ntips:\n  - title: The long one\n    body: |\n{body}"


def test_a_tip_taller_than_a_column_flows_on_with_a_continued_label(project: Path) -> None:
    (project / "tips").mkdir(exist_ok=True)
    for path in (project / "tips").glob("*.yaml"):
        path.unlink()
    (project / "tips" / "long.yaml").write_text(long_tip_file(40))
    output = build_pdfs(project, "cheatsheet", project / "output")
    texts = page_texts(output / "cheatsheet.pdf")
    words = " ".join(" ".join(texts).split())
    assert words.count("The long one (continued)") >= 1
    numbers = re.findall(r"\bp(\d+)x\b", words)
    assert [int(n) for n in numbers] == list(range(40))


def test_without_pages_the_sheet_takes_the_fewest_pages_at_6_pt_and_says_so(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "tips" / "long.yaml").write_text(long_tip_file(140))
    result = run_guide(project, monkeypatch, "build", "--format", "cheatsheet")
    assert result.exit_code == 0, result.output
    reader = PdfReader(project / "output" / "cheatsheet.pdf")
    assert len(reader.pages) > 1
    assert f"cheatsheet.pdf ({len(reader.pages)} pages)" in result.output
    assert "the fewest pages at 6 pt or more" in result.output
    fewer = run_guide(project, monkeypatch, "build", "--format", "cheatsheet", "--pages", str(len(reader.pages) - 1))
    assert fewer.exit_code == 1
    assert "the tips do not fit on" in fewer.output


def test_pages_setting_that_cannot_be_met_fails_the_cheat_sheet_alone(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "tips" / "long.yaml").write_text(long_tip_file(140))
    assert run_guide(project, monkeypatch, "build", "--format", "cheatsheet").exit_code == 0
    kept = (project / "output" / "cheatsheet.pdf").read_bytes()
    with (project / "guide.yaml").open("a") as settings:
        settings.write("cheatsheet:\n  pages: 1\n")
    with pytest.raises(FormatsFailed) as failure:
        build(project, ["cheatsheet", "handouts"])
    assert [problem.message.split(":")[0] for problem in failure.value.problems] == ["cheatsheet not made"]
    assert {pdf.path.name for pdf in failure.value.written} >= {"long-reads.pdf", "behavioral-soft-skills.pdf"}
    assert (project / "output" / "handouts" / "long-reads.pdf").is_file()
    assert (project / "output" / "cheatsheet.pdf").read_bytes() == kept



def test_a_rebuild_after_editing_one_tip_measures_only_that_tip_and_prints_as_a_fresh_build(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_pdfs(project, "cheatsheet", project / "output")
    path = project / "tips" / "statistics.yaml"
    path.write_text(path.read_text().replace("body: ", "body: Reread this. ", 1))
    measured: list[list[str]] = []
    render = Job.html

    def recording(job: Job, template: str, **context) -> str:
        if context.get("measuring"):
            measured.append([block.tip.title for block in context["blocks"]])
        return render(job, template, **context)

    monkeypatch.setattr(Job, "html", recording)
    build_pdfs(project, "cheatsheet", project / "output")
    edited = next(tip.title for tip in load_guide(project).tips if tip.body.startswith("Reread this."))
    assert measured and all(titles == [edited] for titles in measured)
    monkeypatch.undo()
    fresh = build_pdfs(project, "cheatsheet", tmp_path / "fresh")
    assert read_pages(project / "output" / "cheatsheet.pdf") == read_pages(fresh / "cheatsheet.pdf")
