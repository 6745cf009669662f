"""The font-based estimate that spares most flashcard texts a WeasyPrint measurement: it must bracket
what WeasyPrint lays out, and using it must never change the size a card is printed at."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import copy_project, page_texts, recall_project
from markupsafe import escape
from pypdf import PdfReader

from guide.commands.build import build, make_job
from guide.config.options import FLASHCARDS, Options
from guide.content.loader import load_guide
from guide.content.markup import to_html
from guide.formats.flashcards import deck as flashcards
from guide.formats.flashcards import estimate as cardtext
from guide.formats.flashcards import metrics
from guide.formats.flashcards.split import mark_code_lines

WIDTH = 86.25  # the default card's text width, mm


@pytest.fixture(scope="module")
def job(tmp_path_factory: pytest.TempPathFactory):
    project = copy_project(tmp_path_factory.mktemp("cardtext") / "project")
    return make_job(load_guide(project), project / "output", Options(), "test")


@pytest.mark.parametrize(("kind", "size"), [("question", 15.0), ("question", 9.0), ("answer", 10.5), ("answer", 7.0)])
def test_the_estimate_brackets_the_height_weasyprint_lays_out(job, kind: str, size: float) -> None:
    tips = job.guide.tips
    texts = {tip.id: str(escape(tip.question)) if kind == "question" else flashcards.answer_html(tip) for tip in tips}
    fitter = flashcards.fitter_for(job, (WIDTH, 100.0))
    measured = fitter.heights(kind, [(key, text, size) for key, text in texts.items()])
    estimates = {key: cardtext.estimator(kind, text, WIDTH) for key, text in texts.items()}
    known = {key: estimate(size) for key, estimate in estimates.items() if estimate}
    assert len(known) >= 0.9 * len(texts)
    outside = {key: (measured[key], bounds) for key, bounds in known.items()
               if not bounds[0] - 0.01 <= measured[key] <= bounds[1] + 0.01}
    assert outside == {}


@pytest.mark.parametrize("html", ['<p>Area $\\pi r^2$</p>', '<p><img src="x.png" alt="x"></p>',
                                  "<table><tr><td>a</td></tr></table>", "<p>漢字</p>"])
def test_what_the_estimate_cannot_model_is_left_to_weasyprint(html: str) -> None:
    from guide.content.markup import to_html

    assert cardtext.estimator("answer", str(to_html(html)) if "$" in html else html, WIDTH) is None


@pytest.mark.parametrize("card", ["default", "70x50mm", "60x42mm"])
def test_estimating_never_changes_the_printed_sizes(job, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                    card: str) -> None:
    monkeypatch.setattr(job, "options", Options(flashcards=FLASHCARDS.resolve({"card": card})))
    monkeypatch.setattr(job, "output", tmp_path / "estimated")
    estimated = flashcards.plan(job).cards
    monkeypatch.setattr(cardtext, "estimator", lambda kind, text, width: None)
    monkeypatch.setattr(job, "output", tmp_path / "measured")  # no fit cache from the first run
    measured = flashcards.plan(job).cards
    assert [(card.front.fit.size, card.back.fit.size, card.back.fit.fits) for card in estimated] == \
        [(card.front.fit.size, card.back.fit.size, card.back.fit.fits) for card in measured]
    if card != "default":
        assert len({card.back.fit.size for card in measured}) > 2


def test_a_card_the_estimate_misjudges_is_measured_and_laid_out_again(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    small = {"card": "60x42mm"}
    build(project, ["flashcards"], given=small)
    expected = page_texts(project / "output" / "flashcards.pdf")
    shutil.rmtree(project / "output")
    # An estimate that says every text is one line high: each too tall for the largest size shows up
    # in the laid-out sheets.
    monkeypatch.setattr(cardtext, "estimator", lambda kind, text, width: lambda size: (1.0, 1.0))
    build(project, ["flashcards"], given=small)
    laid_out = project / "output" / "flashcards.pdf"
    assert page_texts(laid_out) == expected
    assert PdfReader(laid_out).named_destinations == {}


@pytest.mark.parametrize("changed", [{"line_height": 1.6}, {"pre_line_height": 1.6, "code_scale": 0.95},
                                     {"gap": 1.0, "title_scale": 1.2}])
def test_a_type_metric_changed_in_one_place_reaches_the_stylesheet_and_the_estimate(
        job, monkeypatch: pytest.MonkeyPatch, changed: dict[str, float]) -> None:
    """The metrics are defined once: changing one moves what WeasyPrint lays out and what the estimate
    says alike, so the estimate still brackets the laid-out height."""
    text = flashcards.answer_html(next(tip for tip in job.guide.tips if "```" in tip.body))
    text += "<p>" + "Words enough to fill several lines of a card. " * 12 + "</p><ul><li>one</li><li>two</li></ul>"

    def heights() -> tuple[float, tuple[float, float]]:
        measured = flashcards.fitter_for(job, (WIDTH, 100.0)).heights("answer", [("text", text, 9.0)])["text"]
        return measured, cardtext.estimator("answer", text, WIDTH)(9.0)

    before, _ = heights()
    monkeypatch.setattr(metrics, "METRICS", replace(metrics.METRICS, **changed))
    assert all(f"{value:g}" in metrics.custom_properties() for value in changed.values())
    after, (least, most) = heights()
    assert after > before + 1.0
    assert least - 0.01 <= after <= most + 0.01


@pytest.mark.parametrize("size", [10.5, 7.0])
def test_the_estimate_brackets_wrapped_code_lines(job, size: float) -> None:
    """Code lines a little longer than the card wrap where WeasyPrint wraps them, marks included."""
    lines = [f"# {'x' * length} words after it" for length in range(40, 90, 3)]
    lines += [f"value = first_{length} + second_value * {'y' * length}" for length in range(20, 60, 4)]
    texts = {str(index): mark_code_lines(str(to_html(f"```python\n{line}\n```"))) for index, line in enumerate(lines)}
    measured = flashcards.fitter_for(job, (WIDTH, 100.0)).heights("answer", [(k, t, size) for k, t in texts.items()])
    outside = {key: (measured[key], bounds) for key, text in texts.items()
               if not (bounds := cardtext.estimator("answer", text, WIDTH)(size))[0] - 0.01 <= measured[key]
               <= bounds[1] + 0.01}
    assert outside == {}


@pytest.mark.parametrize("size", [10.5, 7.0])
def test_the_estimate_brackets_cloze_and_reversed_sides(tmp_path: Path, size: float) -> None:
    project = recall_project(tmp_path / "recall")
    job = make_job(load_guide(project), project / "output", Options(), "test")
    texts = {key: text for tip in job.guide.tips for key, text in flashcards.variant_texts(tip).items()}
    assert len(texts) == 7  # two sides of three cloze cards, the front of one reversed card
    measured = flashcards.fitter_for(job, (WIDTH, 100.0)).heights("answer", [(k, t, size) for k, t in texts.items()])
    bounds = {key: cardtext.estimator("answer", text, WIDTH)(size) for key, text in texts.items()}
    assert {key: (measured[key], low, high) for key, (low, high) in bounds.items()
            if not low - 0.01 <= measured[key] <= high + 0.01} == {}
