"""Flashcards as a user prints them, read back from the PDFs with pypdf, text positions included.

Positions are in mm from the page's top-left corner. A duplex printer turns the sheet over its long
or short edge; ``Sheet.back`` holds the back page's text moved to where it lies as seen through the
front, so that a card's answer must sit in the same card rectangle as its question.
"""

from __future__ import annotations

import math
import re
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from helpers import (
    ROOT,
    Page,
    Rect,
    Run,
    each_in_one_worker,
    joined,
    missing_in_order,
    read_pages,
    run_guide,
    turned_over,
    words,
)
from pypdf import PdfReader

from guide.commands.build import build
from guide.config.cards import CARD_PRESETS
from guide.config.paper import MM_PER_INCH, PAPERS, SAFE_MARGIN_MM
from guide.content.loader import load_guide
from guide.content.model import Tip
from guide.formats.flashcards.geometry import Grid, best_grid

SMALL_TIPS = ("statistics.yaml", "sql-coding.yaml")  # two categories, ten tips
NUMBER = re.compile(r"(\d+)/(\d+)")
# Markdown that does not print: code fences and emphasis or code marks.
UNPRINTED_MARKDOWN = re.compile(r"^\s*```.*$|[*`]", re.MULTILINE)
# Split decks: the user puts the printed fronts back in the tray turned over their long edge.
TURNED_OVER = {"long-edge": "long-edge", "short-edge": "short-edge", "split": "long-edge"}
POSITION_TOLERANCE = 0.05  # mm


@dataclass(frozen=True)
class Case:
    """One deck of the small project: how it is printed, on what card and paper."""

    duplex: str
    card: str = "default"
    paper: str = "letter"
    back_offset: str | None = None

    @property
    def id(self) -> str:
        return "-".join(part for part in (self.duplex, self.card, self.paper, self.back_offset) if part)


@dataclass(frozen=True)
class Sheet:
    """One sheet of paper: its front text, and its back text as seen through the front."""

    front: list[Run]
    back: list[Run]


@dataclass(frozen=True)
class Deck:
    """A built deck: its layout, its pages by file name, its sheets and its card rectangles as seen on the front."""

    grid: Grid
    pages: dict[str, list[Page]]
    sheets: list[Sheet]
    cards: list[Rect]


MODES = ("long-edge", "short-edge", "fold", "split")
CASES = [
    *(Case(duplex, "default", paper) for duplex in MODES for paper in ("letter", "a4")),
    *(Case(duplex, "index-3x5", "letter") for duplex in MODES),  # a landscape sheet
    *(Case("long-edge", card, paper) for card in ("business", "poker", "a7") for paper in ("letter", "a4")),
]
every_case = each_in_one_worker("case", CASES, "deck")


# --- reading PDFs -------------------------------------------------------------------------------------------


def printed(runs: list[Run]) -> list[Run]:
    """The runs that put ink on paper."""
    return [run for run in runs if run.text.strip()]


def inside(run: Run, rect: Rect) -> bool:
    left, top, width, height = rect
    return left <= run.x <= left + width and top <= run.y <= top + height


def on_cards(runs: list[Run], cards: list[Rect]) -> dict[int, list[Run]]:
    """The runs on each card, by the card's index in ``cards``."""
    found: dict[int, list[Run]] = {}
    # Empty runs carry no text: pypdf reports some inside drawn images (category badges) at no real place.
    for run in (run for run in runs if run.text):
        for index, card in enumerate(cards):
            if inside(run, card):
                found.setdefault(index, []).append(run)
                break
    return found


def numbers(runs: list[Run]) -> list[str]:
    """The card numbers ("3/10") among ``runs``."""
    return [run.text.strip() for run in runs if NUMBER.fullmatch(run.text.strip())]


def number_on_each_card(runs: list[Run], cards: list[Rect]) -> dict[int, list[str]]:
    return {index: numbers(found) for index, found in on_cards(runs, cards).items() if numbers(found)}


def number_positions(runs: list[Run]) -> dict[str, tuple[float, float]]:
    return {run.text.strip(): (run.x, run.y) for run in runs if NUMBER.fullmatch(run.text.strip())}


# --- decks --------------------------------------------------------------------------------------------------

def small_project(target: Path) -> Path:
    """guide.yaml and two of the real tips files: ten tips, two categories."""
    (target / "tips").mkdir(parents=True)
    shutil.copy2(ROOT / "guide.yaml", target / "guide.yaml")
    for name in SMALL_TIPS:
        shutil.copy2(ROOT / "tips" / name, target / "tips" / name)
    return target


def expected_grid(case: Case) -> Grid:
    """The sheet layout for ``case``; a folded card is its front and back side by side."""
    width, height = CARD_PRESETS[case.card]
    card = (2 * width, height) if case.duplex == "fold" else (width, height)
    return best_grid(PAPERS[case.paper], card)


def fold_sheet(runs: list[Run], grid: Grid) -> Sheet:
    """Split a folded sheet into front halves, and back halves folded behind them along each cell's middle."""
    front, back = [], []
    for run in runs:
        cell = next(((x, y) for x, y in map(grid.front, range(grid.per_sheet))
                     if inside(run, (x, y, grid.card_width, grid.card_height))), None)
        fold = None if cell is None else cell[0] + grid.card_width / 2
        if fold is not None and run.x > fold:
            back.append(Run(run.text, 2 * fold - run.x, run.y, run.size))
        else:
            front.append(run)
    return Sheet(front, back)


def read_deck(case: Case, output: Path) -> Deck:
    grid = expected_grid(case)
    pages = {path.name: read_pages(path) for path in sorted(output.glob("*.pdf"))}
    cards = [(*grid.front(slot), grid.card_width, grid.card_height) for slot in range(grid.per_sheet)]
    if case.duplex == "fold":
        sheets = [fold_sheet(page.runs, grid) for page in pages["flashcards.pdf"]]
        cards = [(left, top, width / 2, height) for left, top, width, height in cards]
        return Deck(grid, pages, sheets, cards)
    if case.duplex == "split":
        fronts, backs = pages["flashcards-fronts.pdf"], pages["flashcards-backs.pdf"]
    else:
        fronts, backs = pages["flashcards.pdf"][0::2], pages["flashcards.pdf"][1::2]
    flip = TURNED_OVER[case.duplex]
    sheets = [Sheet(front.runs, [turned_over(run, back, flip) for run in back.runs])
              for front, back in zip(fronts, backs)]
    return Deck(grid, pages, sheets, cards)


@pytest.fixture(scope="session")
def shared_small_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small project the session's decks are built from: do not modify it."""
    return small_project(tmp_path_factory.mktemp("small"))


@pytest.fixture(scope="session")
def small_tips(shared_small_project: Path) -> tuple[Tip, ...]:
    """The small project's tips in deck order: card n is tip n - 1."""
    return load_guide(shared_small_project).tips


@pytest.fixture(scope="session")
def decks(shared_small_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[Case], Deck]:
    """``decks(case)``: the small project's flashcards for ``case``, built once per session."""
    cache: dict[Case, Deck] = {}

    def get(case: Case) -> Deck:
        if case not in cache:
            output = tmp_path_factory.mktemp(case.id)
            options = {"card": case.card, "duplex": case.duplex, "back_offset": case.back_offset}
            build(shared_small_project, ["flashcards"], output, given={**options, "paper": case.paper})
            cache[case] = read_deck(case, output)
        return cache[case]

    return get


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A fresh small project that a test may change."""
    return small_project(tmp_path / "small")


def printed_words(text: str) -> list[str]:
    return words(UNPRINTED_MARKDOWN.sub("", text))


# --- the deck matrix ----------------------------------------------------------------------------------------

@every_case
def test_pages_are_the_paper_size(case: Case, decks: Callable[[Case], Deck]) -> None:
    paper = PAPERS[case.paper]
    sizes = {(page.width, page.height) for pages in decks(case).pages.values() for page in pages}
    assert len(sizes) == 1, sizes
    assert sorted(sizes.pop()) == pytest.approx(sorted((paper.width, paper.height)), abs=0.2)


@every_case
def test_page_count_follows_the_sheets(case: Case, decks: Callable[[Case], Deck]) -> None:
    deck = decks(case)
    sheets = math.ceil(10 / deck.grid.per_sheet)
    expected = {
        "long-edge": {"flashcards.pdf": 2 * sheets},
        "short-edge": {"flashcards.pdf": 2 * sheets},
        "fold": {"flashcards.pdf": sheets},
        "split": {"flashcards-fronts.pdf": sheets, "flashcards-backs.pdf": sheets},
    }[case.duplex]
    assert {name: len(pages) for name, pages in deck.pages.items()} == expected


@every_case
def test_every_card_number_is_on_one_front_and_one_back(case: Case, decks: Callable[[Case], Deck]) -> None:
    deck = decks(case)
    expected = Counter(f"{number}/10" for number in range(1, 11))
    assert Counter(number for sheet in deck.sheets for number in numbers(sheet.front)) == expected
    assert Counter(number for sheet in deck.sheets for number in numbers(sheet.back)) == expected


@every_case
def test_each_answer_lies_behind_its_question(case: Case, decks: Callable[[Case], Deck]) -> None:
    deck = decks(case)
    for sheet in deck.sheets:
        fronts = number_on_each_card(sheet.front, deck.cards)
        assert fronts and all(len(found) == 1 for found in fronts.values()), fronts
        assert number_on_each_card(sheet.back, deck.cards) == fronts


@every_case
def test_no_text_within_the_safe_margin(case: Case, decks: Callable[[Case], Deck]) -> None:
    for pages in decks(case).pages.values():
        for page in pages:
            near_edge = [run for run in printed(page.runs)
                         if not (SAFE_MARGIN_MM <= run.x <= page.width - SAFE_MARGIN_MM
                                 and SAFE_MARGIN_MM <= run.y - run.size
                                 and run.y + 0.3 * run.size <= page.height - SAFE_MARGIN_MM)]
            assert not near_edge


@every_case
def test_all_text_lies_on_a_card(case: Case, decks: Callable[[Case], Deck]) -> None:
    deck = decks(case)
    for sheet in deck.sheets:
        for runs in (sheet.front, sheet.back):
            assert not [run for run in printed(runs) if not any(inside(run, card) for card in deck.cards)]


@pytest.mark.parametrize("side", ["front", "back"])
@every_case
def test_each_card_carries_its_whole_text(case: Case, side: str, decks: Callable[[Case], Deck],
                                          small_tips: tuple[Tip, ...]) -> None:
    """The question on the front of card n, every word of the answer on its back."""
    deck = decks(case)
    seen = []
    for sheet in deck.sheets:
        for runs in on_cards(getattr(sheet, side), deck.cards).values():
            found = numbers(runs)
            assert len(found) == 1, joined(runs)
            tip = small_tips[int(NUMBER.fullmatch(found[0])[1]) - 1]
            expected = printed_words(tip.question if side == "front" else tip.body)
            assert missing_in_order(expected, words(joined(runs))) == [], (found, joined(runs))
            seen.append(tip.id)
    assert sorted(seen) == sorted(tip.id for tip in small_tips)


@pytest.mark.parametrize("duplex", ["long-edge", "short-edge"])
def test_back_offset_moves_backs_as_seen_through_the_front(duplex: str, decks: Callable[[Case], Deck]) -> None:
    """``--back-offset 2,-1``: every back 2 mm right and 1 mm up, looking at the front."""
    plain = [number_positions(sheet.back) for sheet in decks(Case(duplex)).sheets]
    moved = [number_positions(sheet.back) for sheet in decks(Case(duplex, back_offset="2,-1")).sheets]
    assert [set(page) for page in moved] == [set(page) for page in plain]
    for before, after in zip(plain, moved):
        for number, (x, y) in before.items():
            assert after[number] == pytest.approx((x + 2, y - 1), abs=POSITION_TOLERANCE), number


# --- the command line ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("duplex", "how"), [
    ("long-edge", "flip on the long edge"),
    ("short-edge", "flip on the short edge"),
    ("split", "turned over their long edge"),
])
def test_build_says_to_print_at_actual_size_and_how_to_turn_the_sheet(
        small: Path, monkeypatch: pytest.MonkeyPatch, duplex: str, how: str) -> None:
    result = run_guide(small, monkeypatch, "build", "--format", "flashcards", "--duplex", duplex, "--tag", "experiments")
    assert result.exit_code == 0, result.output
    assert [line for line in result.stdout.splitlines() if "100 %" in line and how in line], result.stdout


@pytest.mark.parametrize(("option", "value", "chosen"), [
    ("--category", "SQL & Coding", lambda category, tip: category == "SQL & Coding"),
    ("--tag", "inference", lambda category, tip: "inference" in tip.get("tags", [])),
], ids=["category", "tag"])
def test_category_and_tag_print_only_their_cards(small: Path, monkeypatch: pytest.MonkeyPatch, option: str,
                                                 value: str, chosen: Callable[[str, dict], bool]) -> None:
    files = [yaml.safe_load((small / "tips" / name).read_text(encoding="utf-8")) for name in SMALL_TIPS]
    questions = [tip["question"] for data in files for tip in data["tips"] if chosen(data["category"], tip)]
    assert 0 < len(questions) < 10
    result = run_guide(small, monkeypatch, "build", "--format", "flashcards", "--output", "subset", option, value)
    assert result.exit_code == 0, result.output
    pages = read_pages(small / "subset" / "flashcards.pdf")
    assert len(pages) == 2 * math.ceil(len(questions) / 8)
    fronts = [run for page in pages[0::2] for run in page.runs]
    total = len(questions)
    assert sorted(numbers(fronts)) == sorted(f"{number}/{total}" for number in range(1, total + 1))
    front_words = words(joined(fronts))
    assert [question for question in questions if missing_in_order(printed_words(question), front_words)] == []


@pytest.mark.parametrize(("flags", "exit_code", "prefix"), [(["--strict"], 1, "error:"), ([], 0, "warning:")],
                         ids=["strict", "lenient"])
def test_a_tip_too_long_for_its_card_is_named_with_its_file(small: Path, monkeypatch: pytest.MonkeyPatch,
                                                            flags: list[str], exit_code: int, prefix: str) -> None:
    body = " ".join(["Far too many words for one small card, however small the type."] * 120)
    tips = {"category": "Overflow", "tips": [{"title": "War and Peace", "body": body}]}
    (small / "tips" / "overflow.yaml").write_text(yaml.safe_dump(tips), encoding="utf-8")
    result = run_guide(small, monkeypatch, "build", "--format", "flashcards", "--category", "Overflow", *flags)
    assert result.exit_code == exit_code, result.output
    named = [line for line in result.stderr.splitlines()
             if line.startswith(prefix) and '"war-and-peace"' in line and "overflow.yaml" in line]
    assert named, result.stderr
    assert (small / "output" / "flashcards.pdf").exists() == (exit_code == 0)


@pytest.mark.parametrize(("bleed", "tinted_outside"), [("0", False), ("1.5", True)])
def test_tinted_cards_bleed_past_their_edges_only_when_asked(small: Path, monkeypatch: pytest.MonkeyPatch,
                                                           bleed: str, tinted_outside: bool) -> None:
    import pypdfium2

    result = run_guide(small, monkeypatch, "build", "--format", "flashcards", "--tint", "--bleed", bleed)
    assert result.exit_code == 0, result.output
    gutter = 2 * float(bleed)
    grid = best_grid(PAPERS["letter"], CARD_PRESETS["default"], gutter=gutter)
    picture = pypdfium2.PdfDocument(small / "output" / "flashcards.pdf")[0].render(scale=4).to_pil().convert("RGB")
    dots_per_mm = 4 * 72 / MM_PER_INCH
    x, y = grid.front(0)
    inside = picture.getpixel((round((x + 2) * dots_per_mm), round((y + grid.card_height / 2) * dots_per_mm)))
    outside = picture.getpixel((round((x - 0.7) * dots_per_mm), round((y + grid.card_height / 2) * dots_per_mm)))
    assert inside != (255, 255, 255)
    assert (outside != (255, 255, 255)) == tinted_outside


def test_card_titles_add_no_bookmarks(small: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_guide(small, monkeypatch, "build", "--format", "flashcards").exit_code == 0
    assert PdfReader(small / "output" / "flashcards.pdf").outline == []


def test_a_question_prints_its_inline_markdown(tmp_path: Path) -> None:
    """A front shows `code` as code and *emphasis* as emphasis, never the Markdown marks around them."""
    (tmp_path / "tips").mkdir()
    (tmp_path / "tips" / "git.yaml").write_text(
        "category: Git\ntips:\n  - title: Amending\n    question: When is *`git commit --amend`* safe?\n"
        "    body: Before you push.\n")
    build(tmp_path, ["flashcards"])
    front = PdfReader(tmp_path / "output" / "flashcards.pdf").pages[0].extract_text()
    assert "git commit --amend" in front
    assert "`" not in front and "*" not in front
