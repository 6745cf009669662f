"""The duplex calibration sheet: the back's pointer lines must cross the front's "0" marks, whatever the flip."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import PT_PER_MM, Page, Rect, Run, read_pages, turned_over
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
    """The "0" labels of the horizontal (X) scales, above and below the centre, and of the vertical (Y) ones."""
    zeros = [run for run in page.runs if run.text.strip() == "0"]
    centre_x, centre_y = page.width / 2, page.height / 2
    x_scale = [run for run in zeros if abs(run.y - centre_y) > 15]
    y_scale = [run for run in zeros if abs(run.x - centre_x) > 15]
    assert len(x_scale) == 2 and len(y_scale) == 2, zeros
    return x_scale, y_scale


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
    assert [glyph_centre(run)[0] for run in x_scale] == pytest.approx([front.width / 2] * 2, abs=TOLERANCE_MM)
    assert [glyph_centre(run)[1] for run in y_scale] == pytest.approx([front.height / 2] * 2, abs=TOLERANCE_MM)


@pytest.mark.parametrize("flip", ["long-edge", "short-edge"])
@every_paper
def test_back_pointers_land_on_the_zero_labels_whatever_the_flip(sheet: Path, paper: str, flip: str) -> None:
    front, back = read_pages(sheet)
    x_scale, y_scale = zero_labels(front)
    down, across = pointers(PdfReader(sheet).pages[1])
    crossing = turned_over(Run("+", down[0] + down[2] / 2, across[1] + across[3] / 2, 0.0), back, flip)
    assert [glyph_centre(run)[0] for run in x_scale] == pytest.approx([crossing.x] * 2, abs=TOLERANCE_MM)
    assert [glyph_centre(run)[1] for run in y_scale] == pytest.approx([crossing.y] * 2, abs=TOLERANCE_MM)
    # The lines are long enough to reach both scales, above and below, left and right of the centre.
    assert all(down[1] < run.y < down[1] + down[3] for run in x_scale)
    assert all(across[0] < run.x < across[0] + across[2] for run in y_scale)
