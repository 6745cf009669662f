"""Answers of any length and shape (350 words, a 60-line code block, 120-character code lines, a wide
formula, a big picture, a 10-column table, a long list) printed in every duplex mode: read back from the
PDFs, nothing lies outside its card or in the safe margin, nothing is under 6 pt, every word is there, and
each continuation card's back lies behind its front."""

from __future__ import annotations

import ctypes
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pypdfium2
import pytest
import yaml
from helpers import (
    PT_PER_MM,
    Run,
    each_in_one_worker,
    joined,
    missing_in_order,
    read_pages,
    run_guide,
    words,
)
from PIL import Image

from guide.config.cards import CARD_PRESETS
from guide.config.paper import PAPERS, SAFE_MARGIN_MM
from guide.formats.flashcards.geometry import Grid, best_grid

LABEL = re.compile(r"(\d+)/(\d+)(?: \((\d+)/(\d+)\))?")
SMALLEST_PT = 6.0
TOLERANCE = 0.25  # mm: antialiasing and rounding of object bounds
Rect = tuple[float, float, float, float]  # left, top, width, height in mm


@dataclass(frozen=True)
class Glyph:
    box: Rect
    size: float  # pt


def hostile_tips() -> list[dict]:
    code = "\n".join(f"line_{i:02d} = compute({i}, other_argument_{i})  # step {i}" for i in range(60))
    wide = "\n".join("total = " + "+".join(f"value_{j}" for j in range(14)) + f"  # sum {i}" for i in range(6))
    table = ("| " + " | ".join(f"col{i}" for i in range(10)) + " |\n|" + "---|" * 10 + "\n"
             + "\n".join("| " + " | ".join(f"r{r}c{c}" for c in range(10)) + " |" for r in range(14)))
    formula = "$$" + " + ".join(f"\\frac{{a_{{{i}}}}}{{b_{{{i}}} + c_{{{i}}}}}" for i in range(16)) + "$$"
    return [
        dict(title="Long words", body=" ".join(f"word{i}" for i in range(350))),
        dict(title="Sixty lines", body="The code:\n\n```python\n" + code + "\n```\n"),
        dict(title="Wide code", body="```python\n" + wide + "\n```\n"),
        dict(title="Wide table", body=table),
        # Numbered: a list cut across cards goes on counting.
        dict(title="Long list", body="\n".join(f"{i + 1}. item {i}: " + " ".join(["detail"] * 12) for i in range(40))),
        dict(title="Wide formula", body="Before the formula.\n\n" + formula + "\n\nAfter the formula."),
        dict(title="Big picture", body="![a big picture](big.png)\n\nUnder the picture."),
        dict(title="Short", body="A short answer that fits."),
    ]


def expected_words(body: str) -> list[str]:
    """The words of an answer that print as text (formulas are pictures, a picture's alt text is not printed)."""
    body = re.sub(r"\$\$.*?\$\$|!\[[^\]]*\]\([^)]*\)|^```.*$", "", body, flags=re.MULTILINE | re.DOTALL)
    body = re.sub(r"^\d+\. ", "", body, flags=re.MULTILINE)  # list numbers: see the test of their own
    return words(body.replace("`", ""))


@dataclass(frozen=True)
class Case:
    duplex: str
    card: str = "default"

    @property
    def id(self) -> str:
        return f"{self.duplex}-{self.card}"


CASES = [Case("long-edge"), Case("short-edge"), Case("fold"), Case("split"), Case("long-edge", "poker")]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    (root / "tips").mkdir()
    (root / "guide.yaml").write_text("title: Hostile\npaper: letter\n", encoding="utf-8")
    tips = {"category": "Hostile", "tips": hostile_tips()}
    (root / "tips" / "hostile.yaml").write_text(yaml.safe_dump(tips, sort_keys=False), encoding="utf-8")
    Image.new("RGB", (1200, 1500), (200, 120, 40)).save(root / "tips" / "big.png")
    return root


@dataclass(frozen=True)
class Printed:
    """One page as printed: its size, text runs, visible glyphs, the bounds of its pictures and drawings
    (all in mm), and the card rectangles of each side it carries, by slot."""

    width: float
    height: float
    runs: list[Run]
    glyphs: list[Glyph]
    pictures: list[Rect]
    drawn: list[Rect]
    sides: dict[str, list[Rect]]

    @property
    def inked(self) -> list[Rect]:
        return [glyph.box for glyph in self.glyphs] + self.pictures


def card_rects(grid: Grid, duplex: str, side: str) -> list[Rect]:
    """Where each slot's card lies on a page carrying ``side``; a folded cell holds both sides."""
    if duplex == "fold":
        half = grid.card_width / 2
        return [(x + (half if side == "back" else 0), y, half, grid.card_height)
                for x, y in map(grid.front, range(grid.per_sheet))]
    if side == "front":
        return [(*grid.front(slot), grid.card_width, grid.card_height) for slot in range(grid.per_sheet)]
    flip = "long-edge" if duplex == "split" else duplex
    return [(*grid.back(slot, flip), grid.card_width, grid.card_height) for slot in range(grid.per_sheet)]


def objects(path: Path, page_index: int) -> tuple[list[Glyph], list[Rect], list[Rect]]:
    """The page's visible glyphs, and the bounds of its pictures and of its drawings (mm, from the top-left).
    A formula's invisible text layer (painted almost transparent, for search) is not ink."""
    page = pypdfium2.PdfDocument(path)[page_index]
    height = page.get_height()

    def rect(left: float, bottom: float, right: float, top: float) -> Rect:
        return left / PT_PER_MM, (height - top) / PT_PER_MM, (right - left) / PT_PER_MM, (top - bottom) / PT_PER_MM

    text = page.get_textpage()
    glyphs = []
    for index in range(text.count_chars()):
        red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
        pypdfium2.raw.FPDFText_GetFillColor(text.raw, index, *map(ctypes.byref, (red, green, blue, alpha)))
        if alpha.value > 8 and not text.get_text_range(index, 1).isspace():
            size = pypdfium2.raw.FPDFText_GetFontSize(text.raw, index)
            glyphs.append(Glyph(rect(*text.get_charbox(index)), size))
    pictures, drawn = [], []
    for item in page.get_objects(max_depth=5):
        if item.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE:
            pictures.append(rect(*item.get_bounds()))
        elif item.type == pypdfium2.raw.FPDF_PAGEOBJ_PATH:
            drawn.append(rect(*item.get_bounds()))
    return glyphs, pictures, drawn


def printed_pages(case: Case, output: Path) -> list[list[Printed]]:
    """The deck's sheets: each a list of the pages printed on it (one when folded)."""
    width, height = CARD_PRESETS[case.card]
    grid = best_grid(PAPERS["letter"], (2 * width, height) if case.duplex == "fold" else (width, height))

    def read(path: Path, side_of) -> list[Printed]:
        pages = []
        for index, page in enumerate(read_pages(path)):
            sides = ("front", "back") if case.duplex == "fold" else (side_of(index),)
            pages.append(Printed(page.width, page.height, page.runs, *objects(path, index),
                                 {side: card_rects(grid, case.duplex, side) for side in sides}))
        return pages

    if case.duplex == "fold":
        return [[page] for page in read(output / "flashcards.pdf", None)]
    if case.duplex == "split":
        fronts = read(output / "flashcards-fronts.pdf", lambda index: "front")
        return [list(pair) for pair in zip(fronts, read(output / "flashcards-backs.pdf", lambda index: "back"))]
    pages = read(output / "flashcards.pdf", lambda index: "back" if index % 2 else "front")
    return [pages[index:index + 2] for index in range(0, len(pages), 2)]


@pytest.fixture(scope="module")
def decks(hostile: Path, tmp_path_factory: pytest.TempPathFactory):
    built: dict[Case, list[list[Printed]]] = {}

    def get(case: Case) -> list[list[Printed]]:
        if case not in built:
            output = tmp_path_factory.mktemp(case.id)
            monkeypatch = pytest.MonkeyPatch()
            result = run_guide(hostile, monkeypatch, "build", "--format", "flashcards", "--duplex", case.duplex,
                               "--card", case.card, "--output", str(output))
            monkeypatch.undo()
            assert result.exit_code == 0, result.output
            built[case] = printed_pages(case, output)
        return built[case]

    return get


def within(rect: Rect, area: Rect) -> bool:
    left, top, width, height = rect
    a_left, a_top, a_width, a_height = area
    return (a_left - TOLERANCE <= left and left + width <= a_left + a_width + TOLERANCE
            and a_top - TOLERANCE <= top and top + height <= a_top + a_height + TOLERANCE)


def run_inside(run: Run, area: Rect) -> bool:
    left, top, width, height = area
    return left <= run.x <= left + width and top <= run.y <= top + height


def labelled(page: Printed, side: str) -> dict[int, tuple[tuple[int, int, int], str]]:
    """Per slot on ``side`` of ``page``: the card's (number, part, parts) and its text."""
    found = {}
    for slot, rect in enumerate(page.sides[side]):
        runs = [run for run in page.runs if run.text.strip() and run_inside(run, rect)]
        if not runs:
            continue
        text = joined(runs)
        labels = [LABEL.fullmatch(line.strip()) for line in text.splitlines()]
        (label,) = [match for match in labels if match]
        found[slot] = ((int(label[1]), int(label[3] or 1), int(label[4] or 1)), text)
    return found


every_case = each_in_one_worker("case", CASES, "continued")


@every_case
def test_no_text_or_picture_leaves_its_card(case: Case, decks) -> None:
    for sheet in decks(case):
        for page in sheet:
            cards = [rect for rects in page.sides.values() for rect in rects]
            assert [rect for rect in page.inked if not any(within(rect, card) for card in cards)] == []
            # A drawing is on a card (a code block's rule and background), or a crop mark or guide line.
            assert [rect for rect in page.drawn
                    if min(rect[2], rect[3]) > 0.5 and not any(within(rect, card) for card in cards)] == []


@every_case
def test_nothing_in_the_safe_margin(case: Case, decks) -> None:
    for sheet in decks(case):
        for page in sheet:
            safe = (SAFE_MARGIN_MM, SAFE_MARGIN_MM, page.width - 2 * SAFE_MARGIN_MM, page.height - 2 * SAFE_MARGIN_MM)
            assert [rect for rect in page.inked + page.drawn if not within(rect, safe)] == []


@every_case
def test_no_type_under_six_points(case: Case, decks) -> None:
    sizes = [glyph.size for sheet in decks(case) for page in sheet for glyph in page.glyphs]
    assert sizes and min(sizes) >= SMALLEST_PT - 0.01


@every_case
def test_every_word_of_every_answer_is_printed_across_its_cards(case: Case, decks) -> None:
    parts: dict[int, dict[int, str]] = defaultdict(dict)
    counts: dict[int, int] = {}
    for sheet in decks(case):
        for page in sheet:
            for (number, part, total), text in labelled(page, "back").values() if "back" in page.sides else ():
                parts[number][part] = text
                counts[number] = total
    tips = hostile_tips()
    assert sorted(parts) == list(range(1, len(tips) + 1))
    for number, tip in enumerate(tips, 1):
        assert sorted(parts[number]) == list(range(1, counts[number] + 1))
        printed = words("\n".join(parts[number][part] for part in sorted(parts[number])))
        expected = expected_words(tip["body"])
        if tip["title"] == "Wide table":  # narrow cells may break a word: its letters are all there, in order
            expected, printed = list("".join(expected)), list("".join(printed))
        assert missing_in_order(expected, printed) == [], tip["title"]
    assert max(counts.values()) > 1 and counts[len(tips)] == 1


@every_case
def test_each_continuation_back_lies_behind_its_front(case: Case, decks) -> None:
    continued = 0
    for sheet in decks(case):
        fronts = {slot: label for page in sheet if "front" in page.sides
                  for slot, (label, _) in labelled(page, "front").items()}
        backs = {slot: label for page in sheet if "back" in page.sides
                 for slot, (label, _) in labelled(page, "back").items()}
        assert fronts and backs == fronts
        continued += sum(parts > 1 for _, _, parts in fronts.values())
    assert continued >= 8


def test_a_numbered_list_goes_on_counting_on_its_continuation_cards(decks) -> None:
    numbers: dict[int, list[int]] = {}
    for sheet in decks(Case("long-edge")):
        for page in sheet:
            for slot, ((number, part, _), _) in labelled(page, "back").items() if "back" in page.sides else ():
                if number == 5:
                    card = page.sides["back"][slot]
                    numbers[part] = sorted(int(run.text.strip()[:-1]) for run in page.runs
                                           if run_inside(run, card) and re.fullmatch(r"\d+\.", run.text.strip()))
    assert len(numbers) > 1
    assert [n for part in sorted(numbers) for n in numbers[part]] == list(range(1, 41))


def test_a_continuation_front_repeats_the_question_and_says_which_part_it_is(decks) -> None:
    fronts = [text for sheet in decks(Case("long-edge")) for page in sheet if "front" in page.sides
              for (number, part, parts), text in labelled(page, "front").values() if number == 2]
    assert len(fronts) > 1
    for text in fronts:
        assert "Sixty lines" in text
    assert [re.search(r"2/8 \((\d)/(\d)\)", text).groups() for text in fronts] == \
        [(str(part), str(len(fronts))) for part in range(1, len(fronts) + 1)]


def test_wrapped_code_lines_carry_a_mark(decks) -> None:
    """A code line wider than the card wraps; the rows it wraps onto (and only those) have an arrow drawn
    at their start: the marks' height is that of those rows."""
    wrapped = 0
    for sheet in decks(Case("long-edge")):
        for page in sheet:
            for slot, ((number, _, _), _) in labelled(page, "back").items() if "back" in page.sides else ():
                if number != 3:
                    continue
                card = page.sides["back"][slot]
                code = [run for run in page.runs if run.text.strip() and run_inside(run, card) and
                        re.search(r"total|value_|\+|# sum", run.text)]
                rows = sorted({round(run.y, 2) for run in code})
                lines = len({run.y for run in code if run.text.lstrip().startswith("total")})
                pitch = min(b - a for a, b in zip(rows, rows[1:]))
                marks = [rect for rect in page.drawn if run_inside(Run("", rect[0], rect[1], 0), card)
                         and 1.5 < rect[2] < 3.5 and rect[3] > pitch * 0.9]
                assert round(sum(rect[3] for rect in marks) / pitch) == len(rows) - lines > 0
                wrapped += len(rows) - lines
    assert wrapped >= 6
