"""``guide list``: the tips as an aligned table, with the flashcard fit the build would find."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import run_guide

from guide.content.loader import load_guide

LONG_TIP = """
  - title: A very long answer
    body: |
""" + "".join(f"      Sentence {n} makes this answer far too long for one flashcard, whatever its type.\n"
              for n in range(40))




def parse(output: str) -> tuple[list[str], dict[str, list[dict[str, str]]], str]:
    """Headers, rows (as header -> cell) by category heading, and the summary line of a listing.

    Cells are cut at the header's column positions, so a misaligned row reads wrong.
    """
    header, *lines, summary = output.rstrip("\n").splitlines()
    names = re.findall(r"\S+(?: \S+)*", header)
    starts = [header.index(name) for name in names]
    table: dict[str, list[dict[str, str]]] = {}
    for line in lines:
        if not line.startswith("  "):
            table[line] = []
            continue
        cells = [line[start:end].strip() for start, end in zip(starts, [*starts[1:], None])]
        for start in starts[1:]:
            assert line[start - 1] == " " and line[start] != " ", f"misaligned: {line!r}"
        table[list(table)[-1]].append(dict(zip(names, cells)))
    return names, table, summary


def test_lists_every_category_and_tip_aligned_with_card_fit(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "list")
    assert result.exit_code == 0, result.output
    names, table, summary = parse(result.output)
    assert names == ["id", "title", "tags", "card fit"]
    guide = load_guide(project)
    assert list(table) == [f"{category.name} ({len(category.tips)} tips, tips/{category.source.path.name})"
                           for category in guide.categories]
    for category, rows in zip(guide.categories, table.values()):
        assert rows == [{"id": tip.id, "title": tip.title, "tags": ", ".join(tip.tags), "card fit": "yes"}
                        for tip in category.tips]
    assert summary == "35 tips in 7 categories; every tip fits its flashcard"
    assert not list(project.rglob("*.pdf"))


def test_no_fit_skips_the_column(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "list", "--no-fit")
    assert result.exit_code == 0, result.output
    names, table, summary = parse(result.output)
    assert names == ["id", "title", "tags"]
    assert sum(len(rows) for rows in table.values()) == 35
    assert summary == "35 tips in 7 categories"


def test_category_and_tag_select_rows(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "list", "--no-fit", "--category", "deep-learning", "--tag", "training")
    assert result.exit_code == 0, result.output
    _, table, summary = parse(result.output)
    assert list(table) == ["Deep Learning (3 tips, tips/deep-learning.yaml)"]
    assert [row["id"] for row in table[list(table)[0]]] == [
        "vanishing-exploding-gradients", "regularization-techniques", "optimizer-differences"]
    assert summary == "3 tips in 1 category"

    none = run_guide(project, monkeypatch, "list", "--category", "astronomy")
    assert none.exit_code == 1
    assert "error: unknown --category \"astronomy\": (categories: " in none.output


def test_a_tip_too_long_for_its_card_is_marked(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tips = project / "tips" / "sql-coding.yaml"
    tips.write_text(tips.read_text() + LONG_TIP)
    result = run_guide(project, monkeypatch, "list", "--category", "SQL & Coding")
    assert result.exit_code == 0, result.output
    _, table, summary = parse(result.output)
    fits = {row["id"]: row["card fit"] for rows in table.values() for row in rows}
    assert re.fullmatch(r"yes, on [2-9] cards", fits.pop("a-very-long-answer"))
    assert set(fits.values()) == {"yes"}
    assert summary == "6 tips in 1 category; 1 continues on more cards"


def test_card_fit_agrees_with_the_flashcards_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    listing = run_guide(project, monkeypatch, "list", "--card", "50x35mm")
    assert listing.exit_code == 0, listing.output
    _, table, _ = parse(listing.output)
    listed = {row["id"]: row["card fit"] for rows in table.values() for row in rows if row["card fit"] != "yes"}
    build = run_guide(project, monkeypatch, "build", "--format", "flashcards", "--card", "50x35mm")
    assert build.exit_code == 0, build.output
    warned = dict(re.findall(r'warning: .*tip "([^"]+)" does not fit on one card .* continues on (\d+) cards',
                             build.output))
    assert listed and listed == {tip: f"yes, on {cards} cards" for tip, cards in warned.items()}
