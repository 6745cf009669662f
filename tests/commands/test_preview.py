"""``guide preview``: PNG pictures of the built pages, at the pages' proportions."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_guide
from PIL import Image
from pypdf import PdfReader


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Width and height in pt of every page."""
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in PdfReader(pdf).pages]


def test_preview_pictures_every_page_of_every_pdf(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "preview", "--format", "handouts", "--dpi", "40")
    assert result.exit_code == 0, result.output
    printed = result.output.splitlines()
    pdfs = sorted((project / "output" / "handouts").glob("*.pdf"))
    assert len(pdfs) == 7
    expected = [f"output/preview/handouts/{pdf.stem}-{number}.png"
                for pdf in pdfs for number in range(1, len(page_sizes(pdf)) + 1)]
    assert sorted(printed) == sorted(expected)
    for pdf in pdfs:
        for number, (width, height) in enumerate(page_sizes(pdf), 1):
            with Image.open(project / "output" / "preview" / "handouts" / f"{pdf.stem}-{number}.png") as image:
                assert image.format == "PNG"
                assert image.size == pytest.approx((width / 72 * 40, height / 72 * 40), abs=1)
                assert image.size[0] / image.size[1] == pytest.approx(width / height, rel=0.01)
                assert image.convert("L").getextrema()[0] < 100  # there is text on the page


def test_one_page_of_a_landscape_pdf(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = project / "output" / "preview" / "cheatsheet-7.png"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    result = run_guide(project, monkeypatch, "preview", "--format", "cheatsheet", "--paper", "a4")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["output/preview/cheatsheet-1.png"]
    assert not stale.exists()  # a picture of a page the PDF no longer has
    ((width, height),) = page_sizes(project / "output" / "cheatsheet.pdf")
    assert width > height
    with Image.open(project / "output" / "preview" / "cheatsheet-1.png") as image:
        assert image.size[0] / image.size[1] == pytest.approx(width / height, rel=0.01)
        assert image.size == pytest.approx((width / 72 * 100, height / 72 * 100), abs=1)


def test_page_option_and_a_missing_page(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "preview", "--format", "flashcards", "--page", "2", "--dpi", "30",
                 "--output", "build")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["build/preview/flashcards-02.png"]
    assert [path.name for path in (project / "build" / "preview").iterdir()] == ["flashcards-02.png"]
    assert (project / "build" / "flashcards.pdf").is_file()

    missing = run_guide(project, monkeypatch, "preview", "--format", "cheatsheet", "--page", "3")
    assert missing.exit_code == 1
    assert "error: cheatsheet.pdf has 1 page, not a page 3" in missing.output
    assert "Traceback" not in missing.output


def test_a_broken_project_previews_nothing(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "tips" / "broken.yaml").write_text("category: Broken\ntips:\n  - title: No body here\n")
    result = run_guide(project, monkeypatch, "preview", "--format", "handouts")
    assert result.exit_code == 1
    assert 'tips/broken.yaml:3:5: tip "No body here" has no body' in result.output
    assert not (project / "output" / "preview").exists()
