"""Cloze and reversed flashcards read back from the PDFs: a card per deletion number with the blank in front
and the highlighted text behind it, the reversed card right after its tip's own, in every duplex mode; and
what does not fit one card left out, as the build, guide check and guide list all say."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Run, joined, read_pages, recall_project, run_guide, turned_over

from guide.commands.build import build
from guide.config.cards import CARD_PRESETS
from guide.config.paper import PAPERS
from guide.formats.flashcards.geometry import Grid, best_grid

# Each card's label, front and back, in deck order: what the card must show (+) and must not (-).
EXPECTED = [
    ("1/4 · c1", ["+[…] is the capital of France; […] is that of Germany.", "-Paris", "-Berlin"],
     ["+Capitals", "+Paris is the capital of France; Berlin is that of Germany."]),
    ("1/4 · c2", ["+Paris is the capital of [country]; Berlin", "-France"],
     ["+Paris is the capital of France; Berlin"]),
    ("2/4", ["+What is the SI unit of force?", "-newton"], ["+Unit of force", "+The newton, one kilogram"]),
    ("2/4 · reverse", ["+The newton, one kilogram", "-SI unit", "-Unit of force"], ["+What is the SI unit of force?"]),
    ("3/4", ["+At what temperature does water boil at sea level?"], ["+At 100 degrees Celsius."]),
    ("4/4 · c1", ["+Typed in code, {{c9::braces}} stay; in text the […] is asked.", "-deletion"],
     ["+in text the deletion is asked."]),
]


def _grid(duplex: str) -> Grid:
    width, height = CARD_PRESETS["default"]
    return best_grid(PAPERS["letter"], (2 * width, height) if duplex == "fold" else (width, height))


def _text(runs: list[Run], box: tuple[float, float, float, float], placed=lambda run: run) -> str:
    """The text of the runs whose origin, ``placed``, lies in ``box`` (left, top, width, height), in reading
    order, on one line."""
    left, top, width, height = box
    inside = [run for run in runs if left <= placed(run).x <= left + width and top <= placed(run).y <= top + height]
    inside.sort(key=lambda run: (round(run.y, 1), run.x))
    return " ".join(joined(inside).split())


def _cards(output: Path, duplex: str) -> list[tuple[str, str]]:
    """(front text, back text) of each card slot holding a card, the back as seen behind the front."""
    grid, pages = _grid(duplex), read_pages(output / "flashcards.pdf")
    cards = []
    for index in range(0, len(pages), 1 if duplex == "fold" else 2):
        for slot in range(grid.per_sheet):
            left, top = grid.front(slot)
            if duplex == "fold":
                half = grid.card_width / 2
                front = _text(pages[index].runs, (left, top, half, grid.card_height))
                back = _text(pages[index].runs, (left + half, top, half, grid.card_height))
            else:
                back_page, box = pages[index + 1], (left, top, grid.card_width, grid.card_height)
                front = _text(pages[index].runs, box)
                back = _text(back_page.runs, box, lambda run, page=back_page: turned_over(run, page, duplex))
            if front:
                cards.append((front, back))
    return cards


@pytest.fixture(scope="module")
def recall(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return recall_project(tmp_path_factory.mktemp("recall"))


@pytest.mark.parametrize("duplex", ["long-edge", "short-edge", "fold"])
def test_a_card_per_deletion_number_and_the_reversed_card_after_its_tip(recall: Path, tmp_path: Path,
                                                                       duplex: str) -> None:
    build(recall, ["flashcards"], tmp_path, given={"duplex": duplex})
    cards = _cards(tmp_path, duplex)
    assert len(cards) == len(EXPECTED)
    for (front, back), (label, shown, hidden) in zip(cards, EXPECTED):
        # The label heads the front and the back behind it: the back sits behind its own front.
        assert f" {label} " in f" {front} " and back.startswith(label), (front, back)
        for side, wanted in ((front, shown), (back, hidden)):
            for text in wanted:
                assert (text[1:] in side) == (text[0] == "+"), (text, side)


def test_long_cloze_and_reversed_cards_are_left_out_and_reported_alike(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    project = recall_project(tmp_path / "project")
    long_text = " ".join(["A sentence long enough to fill a card when it is said many times over."] * 60)
    (project / "tips" / "long.yaml").write_text(
        "category: Long\ntips:\n"
        f"  - title: Long cloze\n    body: \"{{{{c1::Start}}}} {long_text}\"\n"
        f"  - title: Long answer\n    reverse: true\n    body: \"{long_text}\"\n", encoding="utf-8")
    left_out = ['tips/long.yaml:3: tip "long-cloze": its cloze c1 card is left out',
                'tips/long.yaml:5: tip "long-answer": its reversed card is left out']

    built = run_guide(project, monkeypatch, "build", "--format", "flashcards")
    assert built.exit_code == 0, built.output
    assert all(f"warning: {line}" in built.output for line in left_out), built.output
    fronts = " ".join(run.text for page in read_pages(project / "output" / "flashcards.pdf")[0::2] for run in page.runs)
    assert "2/6 · reverse" not in fronts and "1/6 · c1" not in fronts and "2/6 (2/" in fronts

    checked = run_guide(project, monkeypatch, "check")
    assert checked.exit_code == 1
    assert all(f"error: {line}" in checked.output for line in left_out), checked.output
    listed = run_guide(project, monkeypatch, "list", "--category", "long")
    rows = {line.split()[0]: line for line in listed.output.splitlines()[2:4]}
    assert rows["long-cloze"].endswith("no (c1)") and rows["long-answer"].endswith("no (reverse)"), listed.output
