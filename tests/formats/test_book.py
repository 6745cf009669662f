"""The combined guide: cover, a table of contents whose page numbers are right, chapters, tagged PDF."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import page_texts, run_guide, words
from pypdf import PdfReader

from guide.content.model import Guide


@pytest.fixture(scope="module")
def guide_pdf(built: Callable[..., Path]) -> Path:
    return built("guide") / "guide.pdf"


def toc_entries(texts: list[str]) -> dict[str, int]:
    """Title -> page number, read from the contents pages' dot leaders."""
    entries = {}
    for text in texts[1:3]:
        for line in text.splitlines():
            if match := re.match(r"(.+?)[ .]*\.\s*(\d+)$", line.strip()):
                entries[" ".join(words(match[1]))] = int(match[2])
    return entries


def test_cover_shows_title_subtitle_and_every_category(guide_pdf: Path, real_guide: Guide) -> None:
    cover = " ".join(words(page_texts(guide_pdf)[0]))
    assert " ".join(words(real_guide.settings.title)) in cover
    assert " ".join(words(real_guide.settings.subtitle)) in cover
    for category in real_guide.categories:
        assert " ".join(words(category.name)) in cover


def test_contents_page_numbers_are_where_each_tip_starts(guide_pdf: Path, real_guide: Guide) -> None:
    texts = page_texts(guide_pdf)
    entries = toc_entries(texts)
    for tip in real_guide.tips:
        title = " ".join(words(tip.title))
        assert title in entries, tip.title
        page = entries[title]
        assert title in " ".join(words(texts[page - 1])), (tip.title, page)


def test_every_chapter_starts_on_the_page_the_contents_give(
    guide_pdf: Path, real_guide: Guide
) -> None:
    texts = page_texts(guide_pdf)
    entries = toc_entries(texts)
    for category in real_guide.categories:
        page = entries[" ".join(words(category.name))]
        assert " ".join(words(category.tips[0].title)) in " ".join(words(texts[page - 1]))


def test_bookmarks_hold_contents_then_a_chapter_per_category_with_its_tips(
    guide_pdf: Path, real_guide: Guide
) -> None:
    outline = PdfReader(guide_pdf).outline
    chapters = [item.title for item in outline if not isinstance(item, list)]
    assert chapters == ["Contents", *(category.name for category in real_guide.categories)]
    tip_lists = [item for item in outline if isinstance(item, list)]
    assert [len(tips) for tips in tip_lists] == [len(category.tips) for category in real_guide.categories]


def test_footer_counts_pages(guide_pdf: Path) -> None:
    texts = page_texts(guide_pdf)
    assert f"page 2 of {len(texts)}" in texts[1]


def test_guide_and_handouts_are_tagged_for_screen_readers(guide_pdf: Path, built: Callable[..., Path]) -> None:
    for path in (guide_pdf, built("handouts") / "handouts" / "deep-learning.pdf"):
        root = PdfReader(path).trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"], path
        assert root["/Lang"] == "en"


def char_boxes(path: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Every character on ``page`` with its line's box (left, bottom, right, top in pt), as pdfium reads them."""
    import pypdfium2

    text = pypdfium2.PdfDocument(path)[page].get_textpage()
    return [(text.get_text_range(index, 1), *text.get_charbox(index, loose=True)) for index in range(text.count_chars())]


def word_gaps(boxes: list[tuple[str, float, float, float, float]], size: float) -> list[list[float]]:
    """The gaps between the words of each line set at ``size`` pt or more, line by line."""
    lines: dict[int, list[tuple[float, float]]] = {}
    for char, left, bottom, right, top in boxes:
        if char.strip() and top - bottom >= size * 0.5:
            lines.setdefault(round(bottom), []).append((left, right))
    gaps = []
    for _, chars in sorted(lines.items(), reverse=True):
        chars.sort()
        gaps.append([b[0] - a[1] for a, b in itertools.pairwise(chars) if b[0] - a[1] > size * 0.15])
    return gaps


def small_project(root: Path, title: str, categories: int) -> Path:
    (root / "tips").mkdir(parents=True)
    (root / "guide.yaml").write_text(f"title: {title}\n")
    for number in range(categories):
        (root / "tips" / f"c{number}.yaml").write_text(
            f"category: Category {number}\ntips:\n  - title: Tip {number}\n    body: Short answer {number}.\n")
    return root


def test_the_cover_title_is_never_justified(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    title = "Questions and answers on statistics, machine learning and the craft of interviews"
    project = small_project(tmp_path / "p", title, 1)
    assert run_guide(project, monkeypatch, "build", "--format", "guide").exit_code == 0
    lines = word_gaps(char_boxes(project / "output" / "guide.pdf", 0), 30)
    assert len(lines) >= 2
    assert max(lines[0]) <= 1.15 * max(lines[-1])


def test_short_categories_share_a_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = small_project(tmp_path / "p", "Short", 3)
    assert run_guide(project, monkeypatch, "build", "--format", "guide").exit_code == 0
    texts = page_texts(project / "output" / "guide.pdf")
    assert len(texts) == 3  # cover, contents, and one page for the three chapters
    assert all(f"Short answer {number}" in texts[2] for number in range(3))
