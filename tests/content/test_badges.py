"""Categories tell apart without colour: each heading and card chip carries a badge whose shape differs
from every other category's, seen in a grayscale render of the PDFs, in the default and the print theme."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from helpers import PT_PER_MM, Run, read_pages, short_tips_project
from PIL import Image, ImageChops

from guide.commands.build import build

CATEGORIES = [f"Group {letter}" for letter in "ABCDEFGHIJKL"]
DPI = 600
# Two badges differ when this share of the larger one's inked pixels differs (a disc and a square: 0.17).
DIFFERENT = 0.12


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    project = short_tips_project(tmp_path_factory.mktemp("badges"), CATEGORIES)
    folders: dict[str, Path] = {}

    def get(theme: str) -> Path:
        if theme not in folders:
            folders[theme] = tmp_path_factory.mktemp(theme)
            build(project, ["cheatsheet", "handouts", "flashcards"], folders[theme], given={"theme": theme})
        return folders[theme]

    return get


def badge_left_of(pdf: Path, index: int, run: Run) -> Image.Image:
    """The inked part of the square just left of a name on page ``index``, where its badge stands, rendered
    alone in grayscale and made black and white."""
    page = pdfium.PdfDocument(str(pdf))[index]
    left, top = run.x - 1.4 * run.size, run.y - 1.0 * run.size
    right, bottom = run.x - 0.05 * run.size, run.y + 0.25 * run.size
    width, height = page.get_width() / PT_PER_MM, page.get_height() / PT_PER_MM
    crop = tuple(value * PT_PER_MM for value in (left, height - bottom, width - right, top))
    picture = page.render(scale=DPI / 72, crop=crop).to_pil().convert("L")
    shape = picture.point(lambda value: 255 if value < 160 else 0)
    bounds = shape.getbbox()
    assert bounds, f"no badge before {run.text!r}"
    return shape.crop(bounds)


def differ(a: Image.Image, b: Image.Image) -> float:
    """The pixels that differ between two black and white pictures of centred shapes, as a share of the
    larger shape's inked pixels."""
    size = (max(a.width, b.width), max(a.height, b.height))
    a, b = (centred(picture, size) for picture in (a, b))
    inked = max(picture.histogram()[255] for picture in (a, b))
    return ImageChops.difference(a, b).histogram()[255] / inked


def centred(picture: Image.Image, size: tuple[int, int]) -> Image.Image:
    canvas = Image.new("L", size, 0)
    canvas.paste(picture, ((size[0] - picture.width) // 2, (size[1] - picture.height) // 2))
    return canvas


def badges(pdf: Path, name_of: Callable[[str], str | None]) -> dict[str, Image.Image]:
    """The badge before each category's name, found by ``name_of(run text)`` on every page."""
    found = {}
    for index, page in enumerate(read_pages(pdf)):
        for run in page.runs:
            name = name_of(run.text)
            if name and name not in found:
                found[name] = badge_left_of(pdf, index, run)
    return found


def heading(text: str) -> str | None:
    """The category a run of text names, in capitals on the cheat sheet and the chips."""
    return next((name for name in CATEGORIES if text.strip().lower().startswith(name.lower())
                 and len(text.strip()) <= len(name) + 12), None)


def assert_all_differ(found: dict[str, Image.Image]) -> None:
    assert sorted(found) == sorted(CATEGORIES)
    alike = [(a, b, round(differ(found[a], found[b]), 3)) for a, b in itertools.combinations(CATEGORIES, 2)
             if differ(found[a], found[b]) < DIFFERENT]
    assert not alike


@pytest.mark.parametrize("theme", ["default", "print"])
def test_cheat_sheet_headings_differ_in_grayscale(outputs: Callable[[str], Path], theme: str) -> None:
    assert_all_differ(badges(outputs(theme) / "cheatsheet.pdf", heading))


@pytest.mark.parametrize("theme", ["default", "print"])
def test_handout_titles_differ_in_grayscale(outputs: Callable[[str], Path], theme: str) -> None:
    found = {}
    for pdf in sorted((outputs(theme) / "handouts").glob("*.pdf")):
        found.update(badges(pdf, lambda text: text.strip() if text.strip() in CATEGORIES else None))
    assert_all_differ(found)


@pytest.mark.parametrize("theme", ["default", "print"])
def test_card_chips_differ_in_grayscale(outputs: Callable[[str], Path], theme: str) -> None:
    """The badge stands just before the chip, whose name begins a little after the chip's edge."""
    found = {}
    pdf = outputs(theme) / "flashcards.pdf"
    for index, page in enumerate(read_pages(pdf)[0::2]):
        for run in page.runs:
            if (name := heading(run.text)) and name not in found:
                found[name] = badge_left_of(pdf, 2 * index, Run(run.text, run.x - 0.9 * run.size, run.y, run.size))
    assert_all_differ(found)
