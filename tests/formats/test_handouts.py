"""Handouts: one portrait PDF per category, read back with pypdf."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from helpers import (
    ROOT,
    SeedCategory,
    build_pdfs,
    missing_in_order,
    outline_titles,
    page_texts,
    pdf_words,
    run_guide,
    seed_words,
    words,
)
from pypdf import PdfReader

from guide.content.model import Guide

HANDOUT_FILES = {
    "General Interview Strategy": "general-interview-strategy.pdf",
    "Machine Learning Fundamentals": "machine-learning-fundamentals.pdf",
    "Deep Learning": "deep-learning.pdf",
    "LLMs & Generative AI": "llms-generative-ai.pdf",
    "Statistics & Probability": "statistics-probability.pdf",
    "SQL & Coding": "sql-coding.pdf",
    "Behavioral & Soft Skills": "behavioral-soft-skills.pdf",
}
PAGE_SIZES = {"letter": (612, 792), "a4": (595, 842)}


def tip_title(bookmark: str) -> str:
    """A tip bookmark without its number: "3 EXPLAIN your query" -> "EXPLAIN your query"."""
    return re.sub(r"^\d+\s+", "", bookmark)


def pdf_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.pdf"))}


@pytest.fixture(scope="module")
def handouts(built: Callable[..., Path]) -> Path:
    """The handouts folder of the session's build of the real tips."""
    return built("handouts") / "handouts"


@pytest.fixture
def handout(handouts: Path, seed_category: SeedCategory) -> Path:
    """The handout of the seed category under test."""
    return handouts / HANDOUT_FILES[seed_category.name]


@pytest.fixture(scope="module")
def long_handout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A handout of one category holding all 35 real tips: several pages long."""
    tips = [tip for path in sorted((ROOT / "tips").glob("*.yaml")) for tip in yaml.safe_load(path.read_text())["tips"]]
    project = tmp_path_factory.mktemp("long")
    shutil.copy2(ROOT / "guide.yaml", project)
    (project / "tips").mkdir()
    (project / "tips" / "all.yaml").write_text(yaml.safe_dump({"category": "All Tips", "tips": tips}))
    return build_pdfs(project, "handouts", project / "output") / "handouts" / "all-tips.pdf"


def test_one_pdf_per_category_named_by_its_slug(handouts: Path) -> None:
    assert sorted(path.name for path in handouts.iterdir()) == sorted(HANDOUT_FILES.values())


def test_every_seed_title_and_body_word_is_in_the_handout_in_order(
    handout: Path, seed_category: SeedCategory
) -> None:
    missing = missing_in_order(seed_words(seed_category), pdf_words(handout))
    assert not missing, f"first missing words: {' '.join(missing[:12])}"


@pytest.mark.parametrize("paper", PAGE_SIZES)
def test_every_page_is_portrait_on_the_chosen_paper(built: Callable[..., Path], paper: str) -> None:
    folder = built("handouts", paper) / "handouts"
    sizes = {(round(page.mediabox.width), round(page.mediabox.height))
             for path in folder.glob("*.pdf") for page in PdfReader(path).pages}
    assert sizes == {PAGE_SIZES[paper]}


def test_pdf_title_names_the_category(handout: Path, seed_category: SeedCategory) -> None:
    assert seed_category.name in PdfReader(handout).metadata.title


def test_one_bookmark_per_tip_under_the_category(handout: Path, seed_category: SeedCategory) -> None:
    [category, tips] = outline_titles(PdfReader(handout).outline)
    assert category == seed_category.name
    assert [tip_title(tip) for tip in tips] == [tip.title for tip in seed_category.tips]


def test_every_tip_is_a_link_target_named_by_its_id(handouts: Path, real_guide: Guide) -> None:
    for category in real_guide.categories:
        targets = PdfReader(handouts / f"{category.slug}.pdf").named_destinations
        assert {tip.id for tip in category.tips} <= set(targets)


def test_every_page_has_a_page_x_of_n_footer(long_handout: Path) -> None:
    texts = page_texts(long_handout)
    assert len(texts) > 1
    for number, text in enumerate(texts, 1):
        assert f"page {number} of {len(texts)}" in text


def test_pages_after_the_first_have_a_running_header(long_handout: Path) -> None:
    first, *rest = [" ".join(text.split()) for text in page_texts(long_handout)]
    assert all("Interview Tips & Tricks · All Tips" in text for text in rest)
    assert "· All Tips" not in first


def test_bookmarks_jump_to_the_page_showing_the_tip(long_handout: Path) -> None:
    reader = PdfReader(long_handout)
    texts = [words(text) for text in page_texts(long_handout)]
    [_, tips] = reader.outline
    assert len(tips) == 35
    for tip in tips:
        page = reader.get_destination_page_number(tip)
        assert not missing_in_order(words(tip.title), texts[page]), (tip.title, page)


def test_two_builds_are_byte_identical(handouts: Path, session_project: Path, tmp_path: Path) -> None:
    again = build_pdfs(session_project, "handouts", tmp_path) / "handouts"
    assert pdf_bytes(again) == pdf_bytes(handouts)


def test_two_builds_with_source_date_epoch_are_byte_identical(
    session_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = (build_pdfs(session_project, "handouts", tmp_path / name) / "handouts" for name in "ab")
    assert pdf_bytes(first) == pdf_bytes(second)


def test_a_wrapped_code_line_is_marked_beside_its_continuation(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pypdfium2

    line = "result = " + " + ".join(f"value_{n}" for n in range(40))
    (project / "tips" / "code.yaml").write_text(
        f"category: Code\ntips:\n  - title: Long line\n    body: |\n      ```python\n      {line}\n      ```\n")
    assert run_guide(project, monkeypatch, "build", "--format", "handouts", "--category", "Code").exit_code == 0
    page = pypdfium2.PdfDocument(project / "output" / "handouts" / "code.pdf")[0]
    text = page.get_textpage()
    lines: dict[int, list[tuple[float, str, tuple[float, float, float, float]]]] = {}
    for index in range(text.count_chars()):
        char, box = text.get_text_range(index, 1), text.get_charbox(index, loose=True)
        if char.strip():
            lines.setdefault(round(box[1]), []).append((box[0], char, box))
    read = {bottom: "".join(char for _, char, _ in sorted(chars)) for bottom, chars in lines.items()}
    first = next(bottom for bottom, line_text in read.items() if line_text.startswith("result="))
    last = next(bottom for bottom, line_text in read.items() if "value_39" in line_text)
    assert last != first
    start, continued = min(lines[first])[0], min(lines[last])[0]
    assert abs(continued - start) < 1  # the continuation starts under the line's start...
    _, bottom, _, top = min(lines[last])[2]
    picture = page.render(scale=4).to_pil().convert("L")
    height = page.get_height()
    middle = (top + bottom) / 2, (top - bottom) / 4  # the middle half of the line, clear of its neighbours
    gutter = [picture.getpixel((x, y)) for x in range(round((start - 4.5) * 4), round((start - 1) * 4))
              for y in range(round((height - middle[0] - middle[1]) * 4), round((height - middle[0] + middle[1]) * 4))]
    assert min(gutter) < 160  # ...beside a mark drawn before it
