"""``guide import``: cards from CSV/TSV files become tips files that load, build and export again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from helpers import ROOT, recall_project

from guide.cli import main
from guide.content.loader import load_guide


def run(cwd: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(cwd)
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """A project with settings and no tips yet."""
    folder = tmp_path / "empty"
    folder.mkdir()
    shutil.copy2(ROOT / "guide.yaml", folder / "guide.yaml")
    return folder


def test_csv_export_round_trips_through_import(project: Path, empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(project, monkeypatch, "export", "--to", "csv").exit_code == 0
    exported = project / "output" / "flashcards.csv"
    result = run(empty, monkeypatch, "import", str(exported))
    assert result.exit_code == 0, result.output
    original, imported = load_guide(project), load_guide(empty)
    assert result.output.splitlines() == [
        f'wrote tips/{category.slug}.yaml ({len(category.tips)} tips, category "{category.name}")'
        for category in original.categories
    ]
    assert [category.name for category in imported.categories] == [category.name for category in original.categories]
    for before, after in zip(original.tips, imported.tips):
        assert (after.title, after.question, after.tags) == (before.question, before.question, before.tags)
        assert after.body_html == before.body_html

    assert run(empty, monkeypatch, "export", "--to", "csv").exit_code == 0
    assert (empty / "output" / "flashcards.csv").read_bytes() == exported.read_bytes()
    # Simple HTML came back as Markdown, formulas as TeX.
    deep = yaml.safe_load((empty / "tips" / "deep-learning.yaml").read_text())
    assert deep["tips"][0]["body"].startswith("Use ReLU instead of sigmoid/tanh")
    assert r"$\mathrm{Attention}(Q,K,V)" in deep["tips"][1]["body"]
    text = (empty / "tips" / "deep-learning.yaml").read_text()
    assert "\n  - title: How do you fix vanishing or exploding gradients?\n" in text
    assert "    body: |\n      Use ReLU" in text


def test_quizlet_tsv_without_header_or_category(empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deck = empty / "spanish-verbs.tsv"
    deck.write_text("ser (yo)\tsoy\nir (yo, preterite)\tfui\n", encoding="utf-8")
    result = run(empty, monkeypatch, "import", "spanish-verbs.tsv")
    assert (result.exit_code, result.output) == (0, 'wrote tips/spanish-verbs.yaml (2 tips, category "Spanish Verbs")\n')
    guide = load_guide(empty)
    (category,) = guide.categories
    assert [(tip.title, tip.question, tip.body) for tip in category.tips] == [
        ("ser (yo)", "ser (yo)", "soy\n"), ("ir (yo, preterite)", "ir (yo, preterite)", "fui\n")]
    clash = run(empty, monkeypatch, "import", "spanish-verbs.tsv", "--category", "Verbos")
    assert clash.exit_code == 1  # the same cards again, in another category
    assert 'the card "ser (yo)" would have the same id "ser-yo" as the tip at spanish-verbs.yaml:4' in clash.output
    elsewhere = run(empty, monkeypatch, "import", "spanish-verbs.tsv", "--category", "Verbos", "--tips", "other")
    assert elsewhere.exit_code == 0, elsewhere.output
    assert load_guide(empty, empty / "other").categories[0].name == "Verbos"


def test_header_names_anki_headers_and_subdecks(empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (empty / "anki.txt").write_text(
        "#separator:tab\n#html:true\n"
        "Deck\tTerm\tDefinition\tTags\n"
        "Languages::French\t<b>chat</b>&nbsp;(m)\tcat\tnoun animals\n"
        "Languages::French\tchien\t<ul><li>dog</li><li>hound</li></ul>\tnoun\n", encoding="utf-8")
    result = run(empty, monkeypatch, "import", "anki.txt")
    assert result.exit_code == 0, result.output
    (category,) = load_guide(empty).categories
    assert category.name == "French"
    first, second = category.tips
    assert (first.title, first.tags) == ("chat (m)", ("noun", "animals"))
    assert second.body == "- dog\n- hound\n"


def test_existing_category_files_are_kept_unless_forced(empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (empty / "cards.csv").write_text("front,back,category\nQ1,A1,Basics\n", encoding="utf-8")
    assert run(empty, monkeypatch, "import", "cards.csv").exit_code == 0
    target = empty / "tips" / "basics.yaml"
    target.write_text(target.read_text().replace("A1", "edited"))
    (empty / "cards.csv").write_text("front,back,category\nQ1,A2,Basics\n", encoding="utf-8")
    refused = run(empty, monkeypatch, "import", "cards.csv")
    assert refused.exit_code == 1
    assert "error: tips/basics.yaml: already exists (use --force to overwrite)" in refused.output
    assert "edited" in target.read_text()
    forced = run(empty, monkeypatch, "import", "cards.csv", "--force")
    assert forced.exit_code == 0, forced.output
    assert load_guide(empty).tips[0].body == "A2\n"


def test_bad_rows_are_reported_by_line_and_nothing_is_written(empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (empty / "cards.csv").write_text(
        'front,back\nQ1,"a back\nover two lines"\n,no front\nQ3,\nq1!,same id as Q1\n', encoding="utf-8")
    result = run(empty, monkeypatch, "import", "cards.csv")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "error: cards.csv:4: the card has no front",
        "error: cards.csv:5: the card has no back",
    ]
    (empty / "cards.csv").write_text('front,back\nQ1,"a back\nover two lines"\nq1!,same id as Q1\n')
    result = run(empty, monkeypatch, "import", "cards.csv")
    assert result.output.splitlines() == [
        'error: cards.csv:4: the card "q1!" would get the same tip id "q1" as the card on line 2']
    assert not (empty / "tips").exists()


def test_cards_clashing_with_the_project_are_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "more.csv").write_text("front,back,category\nBias-variance tradeoff,again,Extra\n")
    result = run(project, monkeypatch, "import", "more.csv")
    assert result.exit_code == 1
    assert ('error: more.csv:2: the card "Bias-variance tradeoff" would have the same id "bias-variance-tradeoff" '
            "as the tip at ml-fundamentals.yaml:5") in result.output
    (project / "more.csv").write_text("front,back,category\nNew card,fine,General Interview Strategy\n")
    result = run(project, monkeypatch, "import", "more.csv")
    assert result.exit_code == 1
    assert 'error: more.csv: category "General Interview Strategy" is already defined in strategy.yaml' in result.output
    assert not (project / "tips" / "general-interview-strategy.yaml").exists()
    assert not (project / "tips" / "extra.yaml").exists()


def test_imported_tips_build(empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (empty / "cards.csv").write_text('front,back\n"What is 2+2?","**4**, and `2*2` too"\n', encoding="utf-8")
    assert run(empty, monkeypatch, "import", "cards.csv").exit_code == 0
    result = run(empty, monkeypatch, "check")
    assert (result.exit_code, result.output.splitlines()[-1]) == (0, "ok: 1 tip in 1 category")
    assert "<strong>4</strong>" in load_guide(empty).tips[0].body_html


def test_unknown_file_kind_is_an_error(empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (empty / "cards.xlsx").write_bytes(b"PK")
    result = run(empty, monkeypatch, "import", "cards.xlsx")
    assert result.exit_code == 1
    assert "error: cards.xlsx: is neither .apkg, .csv nor .tsv" in result.output


# --- Anki packages ------------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def genanki_package(folder: Path) -> Path:
    """An Anki package of the older layout (collection.anki2, JSON media), as genanki writes it: Basic,
    reversed and Cloze notes in two subdecks, tags, and an image with spaces in its name."""
    import genanki

    picture = folder / "my picture (1).png"
    picture.write_bytes(PNG)
    spanish = genanki.Deck(1_500_000_001, "Languages::Spanish")
    french = genanki.Deck(1_500_000_002, "Languages::French")
    spanish.add_note(genanki.Note(genanki.BASIC_MODEL, ["ser (yo)", "<b>soy</b><br>irregular"], tags=["verbs"]))
    spanish.add_note(genanki.Note(genanki.BASIC_AND_REVERSED_CARD_MODEL,
                                  ["el gato", f'<div>the cat</div><div><img src="{picture.name}"></div>']))
    french.add_note(genanki.Note(genanki.CLOZE_MODEL, ["{{c1::Paris}} is the capital of {{c2::France::country}}",
                                                       "<i>since 508</i>"], tags=["geo"]))
    package = folder / "deck.apkg"
    genanki.Package([spanish, french], media_files=[str(picture)]).write_to_file(str(package))
    return package


def varint(value: int) -> bytes:
    out = b""
    while True:
        byte, value = value & 0x7F, value >> 7
        out += bytes([byte | (0x80 if value else 0)])
        if not value:
            return out


def message(*fields: tuple[int, bytes | int]) -> bytes:
    """A protobuf message from (field number, bytes or int) pairs."""
    return b"".join(varint(number << 3 | (0 if isinstance(value, int) else 2))
                    + (varint(value) if isinstance(value, int) else varint(len(value)) + value)
                    for number, value in fields)


def current_package(folder: Path) -> Path:
    """An Anki package of the current layout: collection.anki21b (zstd) of schema 18 (note types, fields,
    templates and decks in tables, the Cloze kind in protobuf), zstd protobuf media, zstd media files,
    and the collection.anki2 placeholder that tells old Anki versions to update."""
    import sqlite3
    import zipfile

    import zstandard

    database = folder / "collection.sqlite"
    connection = sqlite3.connect(database)
    connection.executescript("""
        CREATE TABLE notetypes (id INTEGER PRIMARY KEY, name TEXT, config BLOB);
        CREATE TABLE fields (ntid INTEGER, ord INTEGER, name TEXT, config BLOB);
        CREATE TABLE templates (ntid INTEGER, ord INTEGER, name TEXT, config BLOB);
        CREATE TABLE decks (id INTEGER PRIMARY KEY, name TEXT);
        CREATE TABLE notes (id INTEGER PRIMARY KEY, guid TEXT, mid INTEGER, tags TEXT, flds TEXT);
        CREATE TABLE cards (id INTEGER PRIMARY KEY, nid INTEGER, did INTEGER, ord INTEGER);
    """)
    connection.executemany("INSERT INTO notetypes VALUES (?, ?, ?)",
                           [(1, "Basic (and reversed card)", message((3, b"css"))),
                            (2, "Cloze", message((1, 1), (3, b"css")))])
    connection.executemany("INSERT INTO fields VALUES (?, ?, ?, x'')",
                           [(1, 0, "Front"), (1, 1, "Back"), (2, 0, "Text"), (2, 1, "Back Extra")])
    connection.executemany("INSERT INTO templates VALUES (?, ?, ?, x'')", [(1, 0, "Card 1"), (1, 1, "Card 2"), (2, 0, "Cloze")])
    connection.executemany("INSERT INTO decks VALUES (?, ?)", [(1, "Default"), (7, "Science\x1fPhysics")])
    connection.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?)", [
        (10, "a", 1, " units  physics ", 'Unit of force?\x1fthe newton <img src="../../evil name.png">'),
        (11, "b", 2, "", "Light travels at {{c1::300 000 km/s}}\x1f"),
    ])
    connection.executemany("INSERT INTO cards VALUES (?, ?, ?, ?)",
                           [(100, 10, 7, 0), (101, 10, 7, 1), (102, 11, 7, 0)])
    connection.commit()
    connection.close()
    compress = zstandard.ZstdCompressor().compress
    media = message((1, message((1, b"../../evil name.png"), (2, len(PNG)), (3, b"\x00" * 20))))
    package = folder / "current.apkg"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki2", b"placeholder: please update to the latest Anki version")
        archive.writestr("collection.anki21b", compress(database.read_bytes()))
        archive.writestr("media", compress(media))
        archive.writestr("0", compress(PNG))
    return package


def test_anki_package_of_the_older_layout(empty: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    package = genanki_package(tmp_path)
    result = run(empty, monkeypatch, "import", str(package))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ['wrote tips/spanish.yaml (2 tips, category "Spanish")',
                                          'wrote tips/french.yaml (1 tip, category "French")']
    guide = load_guide(empty)
    spanish, french = guide.categories
    ser, cat = spanish.tips
    assert (ser.title, ser.question, ser.tags) == ("ser (yo)", "ser (yo)", ("verbs",))
    assert ser.body == "**soy**<br>\nirregular\n"  # HTML became Markdown, the line break kept
    assert (cat.tags, cat.reverse, ser.reverse) == ((), True, False)
    assert cat.body == "the cat\n\n![](images/my-picture-1.png)\n"
    assert (empty / "tips" / "images" / "my-picture-1.png").read_bytes() == PNG
    (cloze,) = french.tips
    assert cloze.title == "Paris is the capital of France"
    assert (cloze.tags, [deletion.number for deletion in cloze.deletions]) == (("geo",), [1, 2])
    assert cloze.body == "{{c1::Paris}} is the capital of {{c2::France::country}}\n\n*since 508*\n"
    assert run(empty, monkeypatch, "check", "--no-fit").exit_code == 0


def test_anki_package_of_the_current_compressed_layout(empty: Path, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path: Path) -> None:
    result = run(empty, monkeypatch, "import", str(current_package(tmp_path)))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ['wrote tips/physics.yaml (2 tips, category "Physics")']
    force, light = load_guide(empty).tips
    assert (force.title, force.tags, force.reverse) == ("Unit of force?", ("units", "physics"), True)
    # The media file's name tried to leave the project: it lands in tips/images/ under a safe name.
    assert force.body == "the newton ![](images/evil-name.png)\n"
    assert [path.name for path in (empty / "tips" / "images").iterdir()] == ["evil-name.png"]
    assert not (tmp_path / "evil name.png").exists() and not (empty.parent / "evil name.png").exists()
    assert (light.title, light.body, light.tags) == ("Light travels at 300 000 km/s",
                                                     "Light travels at {{c1::300 000 km/s}}\n", ())


def test_anki_export_round_trips_through_import(project: Path, empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run(project, monkeypatch, "export", "--to", "anki").exit_code == 0
    result = run(empty, monkeypatch, "import", str(project / "output" / "flashcards.apkg"))
    assert result.exit_code == 0, result.output
    original, imported = load_guide(project), load_guide(empty)
    assert [category.name for category in imported.categories] == [category.name for category in original.categories]
    assert len(imported.tips) == len(original.tips)
    for before, after in zip(original.tips, imported.tips):
        assert (after.title, after.question, after.tags) == (before.question, before.question, before.tags)
        assert after.body_html == before.body_html


@pytest.mark.parametrize("to", ["anki", "csv"])
def test_cloze_and_reversed_tips_round_trip_through_export_and_import(tmp_path: Path, empty: Path, to: str,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    project = recall_project(tmp_path / "recall")
    deck = project / f"deck.{'apkg' if to == 'anki' else to}"
    assert run(project, monkeypatch, "export", "--to", to, "--output", str(deck)).exit_code == 0
    result = run(empty, monkeypatch, "import", str(deck), "--category", "Recall")
    assert result.exit_code == 0, result.output
    original, imported = load_guide(project).tips, load_guide(empty).tips
    assert len(imported) == len(original) == 4
    for before, after in zip(original, imported):
        assert (after.title if before.deletions else after.question) == before.question
        # A CSV has no column saying a tip is reversed.
        assert (after.body_html, after.deletions, after.tags) == (before.body_html, before.deletions, before.tags)
        assert after.reverse == (before.reverse and to == "anki")
    assert "{{c1::Paris}} is the capital" in (empty / "tips" / "recall.yaml").read_text()


def test_a_file_that_is_not_an_anki_package_is_an_error(empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (empty / "deck.apkg").write_bytes(b"not a zip")
    result = run(empty, monkeypatch, "import", "deck.apkg")
    assert result.exit_code == 1
    assert result.output.startswith("error: deck.apkg: is not a readable Anki package")
    assert not (empty / "tips").exists()


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_the_delimiter_is_recognised(empty: Path, monkeypatch: pytest.MonkeyPatch, delimiter: str) -> None:
    rows = [("Question", "Answer", "Deck"), ("Capital of France?", "Paris, on the Seine", "Geo"),
            ("2 + 2?", "4", "Maths")]
    (empty / "cards.csv").write_text("".join(delimiter.join(
        f'"{cell}"' if delimiter in cell else cell for cell in row) + "\n" for row in rows), encoding="utf-8")
    result = run(empty, monkeypatch, "import", "cards.csv")
    assert result.exit_code == 0, result.output
    assert [(tip.question, tip.body.strip()) for tip in load_guide(empty).tips] == [
        ("Capital of France?", "Paris, on the Seine"), ("2 + 2?", "4")]


def test_unknown_header_columns_are_refused_with_the_known_ones(empty: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (empty / "cards.csv").write_text("question,reply,notes\nWhat is 2+2?,4,easy\n", encoding="utf-8")
    result = run(empty, monkeypatch, "import", "cards.csv")
    assert result.exit_code == 1
    assert result.output == ("error: cards.csv:1: header row: unknown columns 'reply', 'notes'; no back column "
                             "(known columns: front or question or term; back or answer or definition; "
                             "category or deck; tags or tag)\n")
    assert not (empty / "tips").exists()
