"""Reading Anki packages (.apkg) for ``guide import``: notes with their note type, deck and tags, and media.

A package is a zip holding the collection and its media. Older packages hold ``collection.anki2`` (or
``collection.anki21``), an SQLite database whose note types and decks are JSON in the ``col`` table, and
``media``, JSON mapping zip members ("0", "1", ...) to file names. Current ones hold
``collection.anki21b``, the same database zstd-compressed, with note types, fields, templates and decks in
tables of their own, and ``media`` as zstd-compressed protobuf, each member compressed too (those also
carry a ``collection.anki2`` that only says to update Anki, so the newest collection is read).
"""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

from guide.errors import GuideError, Problem

COLLECTIONS = ("collection.anki21b", "collection.anki21", "collection.anki2")
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
MAX_DECOMPRESSED = 1 << 30  # a collection or media file larger than 1 GiB is refused, not unpacked


@dataclass(frozen=True)
class NoteType:
    """What guide needs of a note type: its field names, whether it is a cloze type and its card count."""

    name: str
    fields: tuple[str, ...]
    cloze: bool
    templates: int


@dataclass(frozen=True)
class Note:
    """One note: its fields (HTML) in the note type's order, tags, the deck of its first card, its type."""

    number: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    deck: tuple[str, ...]  # the deck's path: ("Parent", "Child")
    kind: NoteType


@dataclass(frozen=True)
class Package:
    """The notes of a package, and a way to read its media files by name."""

    notes: tuple[Note, ...]
    media: dict[str, bytes]


def read_package(path: Path) -> Package:
    """The notes and media of the Anki package at ``path``; a file that is not one is a :class:`GuideError`."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            member = next((name for name in COLLECTIONS if name in names), None)
            if member is None:
                raise GuideError(Problem(path, f"is not an Anki package: it holds none of {', '.join(COLLECTIONS)}"))
            notes = _notes(_unpacked(archive.read(member)))
            media = _media(archive, archive.read("media") if "media" in names else b"")
    except (zipfile.BadZipFile, sqlite3.DatabaseError, ValueError, KeyError) as error:
        raise GuideError(Problem(path, f"is not a readable Anki package ({error})")) from None
    return Package(notes, media)


def _unpacked(data: bytes) -> bytes:
    """``data``, zstd-decompressed when it is compressed."""
    if not data.startswith(ZSTD_MAGIC):
        return data
    import zstandard

    with zstandard.ZstdDecompressor().stream_reader(data) as reader:
        unpacked = reader.read(MAX_DECOMPRESSED + 1)
    if len(unpacked) > MAX_DECOMPRESSED:
        raise ValueError("a compressed file unpacks to more than 1 GiB")
    return unpacked


def _notes(database: bytes) -> tuple[Note, ...]:
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(database)
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        types, decks = (_tables_schema(connection) if "notetypes" in tables else _json_schema(connection))
        first_deck = dict(connection.execute("SELECT nid, did FROM cards ORDER BY ord DESC, id DESC"))
        notes = []
        for number, (note_id, type_id, tags, fields) in enumerate(
                connection.execute("SELECT id, mid, tags, flds FROM notes ORDER BY id"), 1):
            kind = types.get(type_id, NoteType("?", (), False, 1))
            deck = decks.get(first_deck.get(note_id), ("Default",))
            notes.append(Note(number, tuple(fields.split("\x1f")), tuple(tags.split()), deck, kind))
        return tuple(notes)
    finally:
        connection.close()


def _json_schema(connection: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, tuple[str, ...]]]:
    """Note types and decks of a collection of schema 11: JSON in the ``col`` row."""
    models, decks = connection.execute("SELECT models, decks FROM col").fetchone()
    types = {int(key): NoteType(model["name"], tuple(field["name"] for field in model["flds"]),
                                model.get("type") == 1, len(model.get("tmpls", ())))
             for key, model in json.loads(models).items()}
    return types, {int(key): tuple(deck["name"].split("::")) for key, deck in json.loads(decks).items()}


def _tables_schema(connection: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, tuple[str, ...]]]:
    """Note types and decks of a collection of schema 18: tables, the note type kind in protobuf."""
    fields: dict[int, list[str]] = {}
    for type_id, name in connection.execute("SELECT ntid, name FROM fields ORDER BY ntid, ord"):
        fields.setdefault(type_id, []).append(name)
    templates = dict(connection.execute("SELECT ntid, count(*) FROM templates GROUP BY ntid"))
    types = {type_id: NoteType(name, tuple(fields.get(type_id, ())), _protobuf(config).get(1, [0])[0] == 1,
                               templates.get(type_id, 1))
             for type_id, name, config in connection.execute("SELECT id, name, config FROM notetypes")}
    decks = {deck_id: tuple(name.split("\x1f")) for deck_id, name in connection.execute("SELECT id, name FROM decks")}
    return types, decks


def _media(archive: zipfile.ZipFile, mapping: bytes) -> dict[str, bytes]:
    """File name -> contents of the package's media."""
    if not mapping:
        return {}
    if mapping.startswith(ZSTD_MAGIC):
        entries = _protobuf(_unpacked(mapping)).get(1, [])
        members = {}
        for index, entry in enumerate(entries):
            fields = _protobuf(entry)
            members[str(fields.get(255, [index])[0])] = fields[1][0].decode("utf-8")
    else:
        members = json.loads(mapping)
    names = set(archive.namelist())
    return {name: _unpacked(archive.read(member)) for member, name in members.items() if member in names}


def _protobuf(data: bytes) -> dict[int, list]:
    """The fields of a protobuf message by number: varints as ints, length-delimited fields as bytes
    (fixed-width fields are skipped). Enough for the few fields read here, without a schema."""
    fields: dict[int, list] = {}
    position = 0
    while position < len(data):
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, position = _varint(data, position)
        elif wire == 2:
            length, position = _varint(data, position)
            value, position = data[position:position + length], position + length
        elif wire in (1, 5):
            position += 8 if wire == 1 else 4
            continue
        else:
            raise ValueError(f"protobuf wire type {wire} is not supported")
        fields.setdefault(number, []).append(value)
    return fields


def _varint(data: bytes, position: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if position >= len(data):
            raise ValueError("truncated protobuf")
        byte = data[position]
        value |= (byte & 0x7F) << shift
        position += 1
        shift += 7
        if not byte & 0x80:
            return value, position
