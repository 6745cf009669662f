"""Large decks are laid out in chunks of sheets, in parallel, and joined: the result must read exactly
like a deck laid out in one piece, and a rebuild after an edit lays out only the chunk that changed."""

from __future__ import annotations

import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from helpers import copy_project
from pypdf import PdfReader

from guide.commands.build import build
from guide.formats.flashcards import render as flashcards
from guide.store.cache import FOLDER

CACHE = Path("output") / FOLDER / "sheets" / "flashcards"


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


@pytest.fixture(scope="module")
def whole(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    project = copy_project(tmp_path_factory.mktemp("whole") / "project")
    build(project, ["flashcards"])
    return page_texts(project / "output" / "flashcards.pdf")


@pytest.fixture
def chunked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(flashcards, "CHUNK_PAGES", 4)
    monkeypatch.setenv("GUIDE_JOBS", "2")
    project = copy_project(tmp_path / "project")
    build(project, ["flashcards"])
    return project


def test_a_deck_laid_out_in_chunks_reads_like_one_laid_out_whole(chunked: Path, whole: list[str]) -> None:
    # 5 sheets in chunks of at most 2, as many as a multiple of the 2 workers, as even as can be.
    chunks = [len(PdfReader(path).pages) for path in (chunked / CACHE).glob("*.pdf")]
    assert sorted(chunks) == [2, 2, 2, 4]
    assert page_texts(chunked / "output" / "flashcards.pdf") == whole


def test_chunked_builds_give_the_same_bytes(chunked: Path, tmp_path: Path) -> None:
    first = (chunked / "output" / "flashcards.pdf").read_bytes()
    (chunked / "output" / "flashcards.pdf").unlink()
    build(chunked, ["flashcards"])
    assert (chunked / "output" / "flashcards.pdf").read_bytes() == first


def test_editing_one_tip_lays_out_only_its_chunk_again(chunked: Path, tmp_path: Path) -> None:
    before = {path.name for path in (chunked / CACHE).glob("*.pdf")}
    tips = chunked / "tips" / "behavioral.yaml"
    tips.write_text(tips.read_text().replace("Never give a number first.", "Never name a number first."))
    build(chunked, ["flashcards"])
    after = {path.name for path in (chunked / CACHE).glob("*.pdf")}
    assert len(after - before) == 1 and len(before - after) == 1
    text = "\n".join(page_texts(chunked / "output" / "flashcards.pdf"))
    assert "Never name a number first." in text


def test_editing_an_answer_lays_out_only_the_sheet_it_is_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(flashcards, "CHUNK_PAGES", 10)  # the whole deck
    chunked = copy_project(tmp_path / "project")
    build(chunked, ["flashcards"])
    laid_out = []
    spied = flashcards.map_layouts
    monkeypatch.setattr(flashcards, "map_layouts",
                        lambda layout, htmls, *args: laid_out.extend(htmls) or spied(layout, htmls, *args))
    tips = chunked / "tips" / "behavioral.yaml"
    tips.write_text(tips.read_text().replace("Never give a number first.", "Never name a number first."))
    build(chunked, ["flashcards"])
    # Only the sheet with the answer: the question on the front did not change.
    assert [html.count('<section class="sheet"') for html in laid_out] == [1]
    edited = page_texts(chunked / "output" / "flashcards.pdf")
    shutil.rmtree(chunked / "output")
    build(chunked, ["flashcards"])
    assert edited == page_texts(chunked / "output" / "flashcards.pdf")


def test_a_damaged_cached_chunk_is_laid_out_again(chunked: Path) -> None:
    first = (chunked / "output" / "flashcards.pdf").read_bytes()
    cached = sorted((chunked / CACHE).glob("*.pdf"))[0]
    cached.write_bytes(cached.read_bytes()[:100])
    (chunked / "output" / "flashcards.pdf").unlink()
    build(chunked, ["flashcards"])
    assert (chunked / "output" / "flashcards.pdf").read_bytes() == first


def test_a_stylesheet_edit_reaches_the_kept_sheets(project: Path) -> None:
    """The laid-out sheets kept between builds are those of the same HTML *and* the same look: editing the
    project's flashcards stylesheet gives the PDF a fresh build with that stylesheet gives."""
    build(project, ["flashcards"])
    styles = project / "styles"
    styles.mkdir()
    shutil.copy2(Path(__file__).resolve().parents[3] / "styles" / "flashcards.css", styles / "flashcards.css")
    with (styles / "flashcards.css").open("a") as sheet:
        sheet.write("\n.question { color: #000000; }\n")
    build(project, ["flashcards"])
    fresh = project / "fresh"
    build(project, ["flashcards"], fresh)
    assert (project / "output" / "flashcards.pdf").read_bytes() == (fresh / "flashcards.pdf").read_bytes()


def embedded_fonts(path: Path) -> Iterator[tuple[str, int, TTFont, list[int]]]:
    """Each font a page of ``path`` uses: its name without the subset's tag, the number of its program's
    PDF object, the program, and the glyphs drawn with it (from its widths)."""
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            program = descendant["/FontDescriptor"].get_object().raw_get("/FontFile2")
            widths, glyphs = list(descendant["/W"]), []
            for start, run in zip(widths[::2], widths[1::2]):
                glyphs += range(start, start + len(run))
            yield (str(descendant["/BaseFont"]).partition("+")[2], program.idnum,
                   TTFont(io.BytesIO(program.get_object().get_data())), glyphs)


def outline(font: TTFont, glyph: int) -> tuple:
    table = font["glyf"]
    coordinates, ends, _ = table[font.getGlyphOrder()[glyph]].getCoordinates(table)
    return list(coordinates), list(ends)


def test_a_deck_in_chunks_embeds_each_font_once(chunked: Path) -> None:
    programs: dict[str, set[int]] = {}
    for name, number, *_ in embedded_fonts(chunked / "output" / "flashcards.pdf"):
        programs.setdefault(name, set()).add(number)
    assert len(programs) >= 3 and all(len(numbers) == 1 for numbers in programs.values()), programs


def test_every_glyph_a_chunk_drew_is_drawn_alike_in_the_joined_deck(chunked: Path) -> None:
    joined = {name: font for name, _, font, _ in embedded_fonts(chunked / "output" / "flashcards.pdf")}
    compared = 0
    for part in (chunked / CACHE).glob("*.pdf"):
        for name, _, font, glyphs in embedded_fonts(part):
            for glyph in glyphs:
                assert outline(joined[name], glyph) == outline(font, glyph), (name, glyph)
                compared += 1
    assert compared > 300
