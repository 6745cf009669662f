"""The duplex calibration sheet: one scale per axis whose numbers each have an arrow to their own tick; the
back's pointer lines cross the "0" ticks whatever the flip; a printer that shifts the back makes the lines
cross the tick whose number is the offset that undoes it; the sheet is laid out like the flashcard sheets."""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from helpers import (
    PT_PER_MM,
    Page,
    Rect,
    Run,
    read_pages,
    run_guide,
    short_tips_project,
    turned_over,
)
from pypdf import PageObject, PdfReader
from pypdf.generic import ContentStream

from guide.cli import main
from guide.config.paper import PAPERS

Matrix = tuple[float, float, float, float, float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
TOLERANCE_MM = 1.0
LONG_LINE_MM = 50.0  # the pointers are 90 mm long; every other stroke on the sheet is short
THIN_MM = 1.0
every_paper = pytest.mark.parametrize("paper", ["letter", "a4"])


@pytest.fixture
def sheet(built: Callable[..., Path], paper: str) -> Path:
    return built("calibration", paper) / "calibration.pdf"


def multiply(first: Matrix, second: Matrix) -> Matrix:
    """``first`` then ``second``, as PDF concatenates transformations."""
    a, b, c, d, e, f = first
    p, q, r, s, t, u = second
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def drawn_rects(page: PageObject) -> list[Rect]:
    """Every rectangle (``re``) painted on the page, in mm from its top-left corner."""
    height = float(page.mediabox.height)
    matrix, saved, rects = IDENTITY, [], []
    for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
        if operator == b"q":
            saved.append(matrix)
        elif operator == b"Q":
            matrix = saved.pop()
        elif operator == b"cm":
            matrix = multiply(tuple(map(float, operands)), matrix)
        elif operator == b"re":
            x, y, width, depth = map(float, operands)
            a, b, c, d, e, f = matrix
            corners = [(a * px + c * py + e, b * px + d * py + f) for px in (x, x + width) for py in (y, y + depth)]
            xs, ys = [px / PT_PER_MM for px, _ in corners], [(height - py) / PT_PER_MM for _, py in corners]
            rects.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    return rects


def bounds(rects: list[Rect]) -> Rect:
    left, top = min(rect[0] for rect in rects), min(rect[1] for rect in rects)
    right, bottom = max(rect[0] + rect[2] for rect in rects), max(rect[1] + rect[3] for rect in rects)
    return left, top, right - left, bottom - top


def pointers(page: PageObject) -> tuple[Rect, Rect]:
    """The back's vertical and horizontal pointer lines."""
    rects = drawn_rects(page)
    down = [rect for rect in rects if rect[3] > LONG_LINE_MM and rect[2] < THIN_MM]
    across = [rect for rect in rects if rect[2] > LONG_LINE_MM and rect[3] < THIN_MM]
    assert down and across, rects
    return bounds(down), bounds(across)


def glyph_centre(run: Run) -> tuple[float, float]:
    """Roughly the middle of a one-digit label: half a digit (0.5 em) right of its origin, 0.35 em above
    its baseline."""
    return run.x + 0.25 * run.size, run.y - 0.35 * run.size


def zero_labels(page: Page) -> tuple[list[Run], list[Run]]:
    """The "0" label of the horizontal (X) scale, below the centre, and of the vertical (Y) one, right of it."""
    zeros = [run for run in page.runs if run.text.strip() == "0"]
    centre_x, centre_y = page.width / 2, page.height / 2
    x_scale = [run for run in zeros if run.y - centre_y > 15]
    y_scale = [run for run in zeros if run.x - centre_x > 15]
    assert len(x_scale) == 1 and len(y_scale) == 1 and len(zeros) == 2, zeros
    return x_scale, y_scale


NUMBER = re.compile(r"[+\u2212]?\d+")
ARROW_MM = 5.0  # arrows run at least this far; their heads and the ticks are shorter or straight


def polylines(pdf: Path, index: int = 0) -> list[list[tuple[float, float]]]:
    """The points of every open three-point path (an arrow) on the page, in mm from its top-left corner."""
    page = pdfium.PdfDocument(str(pdf))[index]
    height, found = page.get_height(), []
    for shape in page.get_objects(max_depth=8):
        if shape.type != pdfium.raw.FPDF_PAGEOBJ_PATH or pdfium.raw.FPDFPath_CountSegments(shape.raw) != 3:
            continue
        matrix, points = shape.get_matrix(), []
        for segment in range(3):
            x, y = ctypes.c_float(), ctypes.c_float()
            pdfium.raw.FPDFPathSegment_GetPoint(pdfium.raw.FPDFPath_GetPathSegment(shape.raw, segment),
                                                ctypes.byref(x), ctypes.byref(y))
            page_x = matrix.a * x.value + matrix.c * y.value + matrix.e
            page_y = matrix.b * x.value + matrix.d * y.value + matrix.f
            points.append((page_x / PT_PER_MM, (height - page_y) / PT_PER_MM))
        if max(abs(a - b) for a, b in zip(points[0], points[-1])) > ARROW_MM:
            found.append(points)
    return found


def number_value(run: Run) -> float:
    return float(run.text.strip().replace("\u2212", "-"))


def readings(pdf: Path) -> dict[str, dict[float, float]]:
    """Per axis ("x", "y"), the number each tick says, by the tick's position from the page centre (mm):
    found by following each arrow from the number at its one end to the tick at its other."""
    front = read_pages(pdf)[0]
    centre = (front.width / 2, front.height / 2)
    numbers = [run for run in front.runs if NUMBER.fullmatch(run.text.strip())]
    found: dict[str, dict[float, float]] = {"x": {}, "y": {}}
    for start, bend, end in polylines(pdf):
        axis = "x" if abs(bend[0] - end[0]) < 0.01 else "y"  # an arrow runs into an X tick straight up
        label = min(numbers, key=lambda run: (glyph_centre(run)[0] - start[0]) ** 2
                    + (glyph_centre(run)[1] - start[1]) ** 2)
        assert abs(glyph_centre(label)[0] - start[0]) < 4 and abs(glyph_centre(label)[1] - start[1]) < 4, \
            (start, label)
        tick = round((end[0] - centre[0]) if axis == "x" else (end[1] - centre[1]), 2)
        assert tick not in found[axis], f"two arrows end at the {axis} tick {tick}"
        found[axis][tick] = number_value(label)
    return found


@pytest.mark.parametrize("duplex", ["long-edge", "short-edge"])
def test_calibrate_writes_a_two_page_sheet(project: Path, monkeypatch: pytest.MonkeyPatch, duplex: str) -> None:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["calibrate", "--duplex", duplex])
    assert result.exit_code == 0, result.output
    assert "output/calibration.pdf (2 pages)" in result.stdout
    assert "100 %" in result.stdout and f"flip on the {duplex.removesuffix('-edge')} edge" in result.stdout
    assert len(PdfReader(project / "output" / "calibration.pdf").pages) == 2


@every_paper
def test_sheet_is_the_paper_size(sheet: Path, paper: str) -> None:
    pages = read_pages(sheet)
    assert [(page.width, page.height) for page in pages] == [
        pytest.approx((PAPERS[paper].width, PAPERS[paper].height), abs=0.2)] * 2


@every_paper
def test_zero_labels_sit_on_the_page_centre(sheet: Path, paper: str) -> None:
    front = read_pages(sheet)[0]
    x_scale, y_scale = zero_labels(front)
    assert [glyph_centre(run)[0] for run in x_scale] == pytest.approx([front.width / 2], abs=TOLERANCE_MM)
    assert [glyph_centre(run)[1] for run in y_scale] == pytest.approx([front.height / 2], abs=TOLERANCE_MM)


@pytest.mark.parametrize("flip", ["long-edge", "short-edge"])
@every_paper
def test_back_pointers_land_on_the_zero_labels_whatever_the_flip(sheet: Path, paper: str, flip: str) -> None:
    front, back = read_pages(sheet)
    x_scale, y_scale = zero_labels(front)
    down, across = pointers(PdfReader(sheet).pages[1])
    crossing = turned_over(Run("+", down[0] + down[2] / 2, across[1] + across[3] / 2, 0.0), back, flip)
    assert [glyph_centre(run)[0] for run in x_scale] == pytest.approx([crossing.x], abs=TOLERANCE_MM)
    assert [glyph_centre(run)[1] for run in y_scale] == pytest.approx([crossing.y], abs=TOLERANCE_MM)
    # The lines are long enough to cross the ticks every arrow points to.
    tips = [arrow[-1] for arrow in polylines(sheet)]
    assert all(down[1] < y < down[1] + down[3] for x, y in tips if x < front.width / 2 + 10)
    assert all(across[0] < x < across[0] + across[2] for x, y in tips if y < front.height / 2 + 10)


@every_paper
def test_each_axis_has_one_scale_whose_numbers_point_to_their_ticks(sheet: Path, paper: str) -> None:
    """Every number from +6 to -6 appears once per axis, its arrow ends on a tick of its own, and the ticks
    run in 1 mm steps from the centre: the number at the tick s mm right of (below) the centre is -s."""
    found = readings(sheet)
    for axis in ("x", "y"):
        assert sorted(found[axis]) == pytest.approx([float(step) for step in range(-6, 7)], abs=0.05), axis
        assert all(value == pytest.approx(-tick, abs=0.05) for tick, value in found[axis].items()), found[axis]


@pytest.mark.parametrize("shift", [(2.0, -1.0), (-3.0, 4.0), (0.0, 6.0)], ids=str)
@pytest.mark.parametrize("flip", ["long-edge", "short-edge"])
@every_paper
def test_reading_a_shifted_back_gives_the_offset_that_undoes_it(sheet: Path, paper: str, flip: str,
                                                                 shift: tuple[float, float]) -> None:
    """A printer that puts the back ``shift`` mm right and down (seen through the front) moves the pointer
    lines with it; the numbers whose ticks they cross, passed as --back-offset, move backs by -shift
    (flashcard tests check that --back-offset moves backs by exactly its value)."""
    front, back = read_pages(sheet)
    down, across = pointers(PdfReader(sheet).pages[1])
    crossing = turned_over(Run("+", down[0] + down[2] / 2, across[1] + across[3] / 2, 0.0), back, flip)
    seen = (crossing.x + shift[0] - front.width / 2, crossing.y + shift[1] - front.height / 2)
    found = readings(sheet)
    reading = tuple(found[axis][min(found[axis], key=lambda tick: abs(tick - seen[index]))]
                    for index, axis in enumerate("xy"))
    assert reading == pytest.approx((-shift[0], -shift[1]), abs=0.05)


@pytest.mark.parametrize(("paper", "card"), [("letter", "default"), ("letter", "index-3x5"), ("letter", "poker"),
                                             ("a4", "default"), ("a4", "index-3x5"), ("a4", "a6")])
@pytest.mark.parametrize("duplex", ["long-edge", "short-edge"])
def test_sheet_is_laid_out_like_the_flashcard_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, paper: str,
                                                     card: str, duplex: str) -> None:
    """Portrait for portrait card sheets, landscape for landscape ones, so its reading is in their axes."""
    project = short_tips_project(tmp_path / "deck", ["Group A"], tips=2)
    options = ["--paper", paper, "--card", card, "--duplex", duplex]
    assert run_guide(project, monkeypatch, "build", "--format", "flashcards", *options).exit_code == 0
    result = run_guide(project, monkeypatch, "calibrate", *options)
    assert result.exit_code == 0, result.output
    cards, sheet = (read_pages(project / "output" / name) for name in ("flashcards.pdf", "calibration.pdf"))
    assert {(page.width, page.height) for page in sheet} == {(cards[0].width, cards[0].height)}
    orientation = "landscape" if cards[0].width > cards[0].height else "portrait"
    assert f"({orientation}, like your flashcard sheets)" in result.output
