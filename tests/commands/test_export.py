"""``guide export``: an Anki package, a CSV and a Quizlet TSV that other apps read as they are."""

from __future__ import annotations

import csv
import html
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import genanki
import pytest
from helpers import ROOT, recall_project, run_guide

from guide.commands.export import plain_text, stable_id
from guide.content.loader import load_guide

# A 1x1 PNG.
PIXEL = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf"
                      "c0f01f0005000201a5f3d1cc0000000049454e44ae426082")




def read_apkg(path: Path, tmp_path: Path) -> dict:
    """Notes, decks, models, cards and media of an .apkg, read from its SQLite collection."""
    with zipfile.ZipFile(path) as package:
        names = package.namelist()
        package.extract("collection.anki2", tmp_path)
        media = json.loads(package.read("media"))
        files = {name: package.read(index) for index, name in media.items()}
    connection = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        notes = connection.execute("select id, guid, mid, tags, flds from notes order by id").fetchall()
        cards = dict(connection.execute("select nid, did from cards").fetchall())
        decks, models = (json.loads(value) for value in connection.execute("select decks, models from col").fetchone())
    finally:
        connection.close()
    return {"names": names, "notes": notes, "cards": cards, "decks": decks, "models": models, "media": files}


def test_anki_package_has_a_note_per_tip_in_category_subdecks(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    result = run_guide(project, monkeypatch, "export", "--to", "anki")
    assert (result.exit_code, result.output) == (0, "wrote output/flashcards.apkg (35 cards)\n")
    package = read_apkg(project / "output" / "flashcards.apkg", tmp_path)
    assert {"collection.anki2", "media"} <= set(package["names"])
    guide = load_guide(project)
    title = guide.settings.title
    assert len(package["notes"]) == 35

    by_guid = {guid: (mid, tags, fields, package["cards"][note_id])
               for note_id, guid, mid, tags, fields in package["notes"]}
    deck_names = {int(deck_id): deck["name"] for deck_id, deck in package["decks"].items()}
    for category in guide.categories:
        assert deck_names[stable_id(title, category.slug)] == f"{title}::{category.name}"
        for tip in category.tips:
            mid, tags, fields, deck_id = by_guid[genanki.guid_for(title, tip.id)]
            front, back = fields.split("\x1f")
            assert front == html.escape(tip.question)
            assert back == str(tip.body_html).strip()
            assert tags.split() == [tag.replace(" ", "_") for tag in tip.tags]
            assert deck_names[deck_id] == f"{title}::{category.name}"
            assert mid == stable_id(title, "model")
    assert deck_names[stable_id(title)] == title
    model = package["models"][str(stable_id(title, "model"))]
    assert [field["name"] for field in model["flds"]] == ["Front", "Back"]
    assert ".math-text { display: none; }" in model["css"]
    base = (ROOT / "styles" / "base.css").read_text()
    syntax = [line for line in base.splitlines() if line.startswith(".highlight .")]
    assert syntax and all(rule in model["css"] for rule in syntax)


def test_anki_ids_are_stable_across_exports_and_guides(project: Path, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    assert run_guide(project, monkeypatch, "export", "--output", "one.apkg").exit_code == 0
    assert run_guide(project, monkeypatch, "export", "--output", "two.apkg").exit_code == 0
    one, two = read_apkg(project / "one.apkg", tmp_path / "1"), read_apkg(project / "two.apkg", tmp_path / "2")
    assert [note[1:] for note in one["notes"]] == [note[1:] for note in two["notes"]]
    assert one["decks"].keys() == two["decks"].keys() and one["models"].keys() == two["models"].keys()

    settings = project / "guide.yaml"
    settings.write_text(settings.read_text().replace("title: Interview Tips & Tricks", "title: Other Guide"))
    assert run_guide(project, monkeypatch, "export", "--output", "other.apkg").exit_code == 0
    other = read_apkg(project / "other.apkg", tmp_path / "3")
    assert not {note[1] for note in one["notes"]} & {note[1] for note in other["notes"]}
    for number in (stable_id("a"), stable_id("Interview Tips & Tricks", "model")):
        assert 1 << 30 <= number < 1 << 31


def test_anki_package_carries_project_images(project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (project / "tips" / "images").mkdir()
    (project / "tips" / "images" / "dot.png").write_bytes(PIXEL)
    (project / "secret.png").write_bytes(PIXEL)
    (project / "tips" / "pictures.yaml").write_text(
        "category: Pictures\ntips:\n"
        "  - title: A dot\n    body: |\n      Look: ![dot](images/dot.png)\n"
        "  - title: Outside\n    body: |\n      ![no](../../etc/passwd) and ![far](https://example.com/x.png)\n"
    )
    result = run_guide(project, monkeypatch, "export", "--category", "pictures", "--output", "pictures.apkg")
    assert result.exit_code == 0, result.output
    assert result.output.count("warning: tips/pictures.yaml:") == 2
    assert "image https://example.com/x.png is on the network, which tips may not reach; shown as a placeholder" \
        in result.output
    package = read_apkg(project / "pictures.apkg", tmp_path)
    ((name, data),) = package["media"].items()
    assert data == PIXEL and name.endswith("-dot.png")
    backs = [note[4].split("\x1f")[1] for note in package["notes"]]
    assert f'src="{name}"' in backs[0]
    assert "<img" not in backs[1]


def test_csv_has_a_header_and_html_backs(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "export", "--to", "csv")
    assert (result.exit_code, result.output) == (0, "wrote output/flashcards.csv (35 cards)\n")
    rows = list(csv.reader(io.StringIO((project / "output" / "flashcards.csv").read_text(encoding="utf-8"))))
    assert rows[0] == ["front", "back", "category", "tags"]
    guide = load_guide(project)
    assert rows[1:] == [[tip.question, str(tip.body_html).strip(), category.name, " ".join(tip.tags)]
                        for category in guide.categories for tip in category.tips]


def test_tsv_is_quizlet_style_plain_text(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = run_guide(project, monkeypatch, "export", "--to", "tsv", "--tag", "sql")
    assert result.exit_code == 0, result.output
    lines = (project / "output" / "flashcards.tsv").read_text(encoding="utf-8").splitlines()
    guide = load_guide(project).select(tags=["sql"])
    assert len(lines) == len(guide.tips) == 3
    for line, tip in zip(lines, guide.tips):
        front, back = line.split("\t")
        assert front == tip.question
        assert "<" not in back.replace("< ", "").replace("<=", "") and "&lt;" not in back
    assert any("SELECT a.id, b.id FROM t a JOIN t b ON a.email = b.email AND a.id < b.id." in line for line in lines)


def test_plain_text_keeps_lists_formulas_and_entities() -> None:
    fragment = ('<p>A &amp; B</p><ul><li>one</li><li>two <code>x &lt; y</code></li></ul>'
                '<p><span class="math"><img class="math" alt="x^2" src="data:..."><span class="math-text">x^2</span>'
                '</span></p><img alt="diagram" src="d.png">')
    assert plain_text(fragment).splitlines() == ["A & B", "• one", "• two x < y", "x^2", "[diagram]"]


def test_cloze_and_reversed_tips_become_cloze_and_reversed_notes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = recall_project(tmp_path / "recall")
    result = run_guide(project, monkeypatch, "export")
    # Two cloze cards, two for the reversed tip, one each for the other two tips.
    assert (result.exit_code, result.output) == (0, "wrote output/flashcards.apkg (6 cards)\n")
    package = read_apkg(project / "output" / "flashcards.apkg", tmp_path)
    models = {int(key): model for key, model in package["models"].items()}
    kinds = [(models[mid]["type"], len(models[mid]["tmpls"]), fields.split("\x1f")) for _, _, mid, _, fields in package["notes"]]
    assert kinds == [
        (1, 1, ["<p>{{c1::Paris}} is the capital of {{c2::France::country}}; {{c1::Berlin}} is that of Germany.</p>",
                "", "Capitals"]),
        (0, 2, ["What is the SI unit of force?", "<p>The <strong>newton</strong>, one kilogram metre per second squared.</p>"]),
        (0, 1, ["At what temperature does water boil at sea level?", "<p>At 100 degrees Celsius.</p>"]),
        (1, 1, ["<p>Typed in code, <code>{{c9::\u00adbraces}}</code> stay; in text the {{c1::deletion}} is asked.</p>", "",
                "Code keeps braces"]),
    ]
    cloze = next(model for model in models.values() if model["type"] == 1)
    assert [field["name"] for field in cloze["flds"]] == ["Text", "Back Extra", "Title"]
    assert "{{cloze:Text}}" in cloze["tmpls"][0]["qfmt"]
