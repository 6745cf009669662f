"""``guide import``: flashcards from an Anki package (.apkg) or a CSV or TSV file (Anki, Quizlet, a
spreadsheet) as tips files.

CSV/TSV columns are front, back and optionally category and tags, named by a header row (``front``/
``question``/``term``, ``back``/``answer``/``definition``, ``category``/``deck``, ``tags``) or, without
one, in that order; the delimiter (comma, semicolon or tab) is recognised. Anki notes bring their deck
(the last part of a subdeck's name is the category), tags and images (copied to ``tips/images/``); Cloze
notes keep their ``{{c1::...}}`` text (titled by their ``Title`` field, as ``guide export`` writes it, or
by their text), notes of a reversed note type get ``reverse: true``.
Each category becomes ``tips/<category-slug>.yaml`` with one tip per card: title and question are the
front, the body is the back, its HTML written as Markdown where that renders the same (formulas exported
by ``guide export`` become ``$...$`` again).
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import yaml
from markdownify import MarkdownConverter

from guide.commands.export import FORMULA_STARTS
from guide.content.model import slugify
from guide.errors import GuideError, Problem
from guide.store.output import write_atomically

if TYPE_CHECKING:
    from guide.commands.anki_package import Note

COLUMN_NAMES = {
    "front": ("front", "question", "term"),
    "back": ("back", "answer", "definition"),
    "category": ("category", "deck"),
    "tags": ("tags", "tag"),
}
KNOWN_COLUMNS = {name: column for column, synonyms in COLUMN_NAMES.items() for name in synonyms}
POSITIONS = ("front", "back", "category", "tags")
DELIMITERS = {".csv": ",", ".tsv": "\t", ".txt": "\t"}
SNIFFED = (",", ";", "\t")
IMAGES = "images"  # folder under tips/ for the images of imported notes
TITLE_LENGTH = 80
ANKI_SEPARATORS = {"comma": ",", "tab": "\t", "semicolon": ";", "pipe": "|", "colon": ":", "space": " "}
_LOOKS_HTML = re.compile(r"<[A-Za-z/][^>]*>|&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);")
# A formula as guide exports it: the image's alt text is the TeX.
_MATH = re.compile(
    r'<span class="math( display)?"><img class="math(?: display)?" alt="([^"]*)"[^>]*>'
    r'<span class="math-text">[^<]*</span></span>'
)


@dataclass(frozen=True)
class Row:
    """One card read from the file, with the line it starts on."""

    front: str
    back: str
    category: str
    tags: tuple[str, ...]
    line: int | None  # None for an Anki note
    reverse: bool = False


@dataclass(frozen=True)
class Cards:
    """The cards of a file and the images they show (file name under ``tips/images/`` -> contents)."""

    rows: list[Row]
    images: dict[str, bytes]


@dataclass(frozen=True)
class Written:
    """A tips file written: its path, category name and number of tips."""

    path: Path
    category: str
    tips: int


def read_cards(path: Path) -> Cards:
    """The cards of an Anki package (.apkg) or a CSV/TSV file, with the images they show."""
    if path.suffix.lower() == ".apkg":
        return anki_cards(path)
    return Cards(read_rows(path), {})


def anki_cards(path: Path) -> Cards:
    """A card per note of the Anki package at ``path``: the first field is the front, the others the
    back; a Cloze note's text is its body (deletions kept) and its title the text with them filled in.
    Images the notes show are renamed safely and pointed at ``images/`` beside the tips."""
    from guide.commands.anki_package import read_package

    package = read_package(path)
    images: dict[str, bytes] = {}
    names: dict[str, str] = {}
    rows, problems = [], []
    for note in package.notes:
        row = _note_row(note, [_with_images(field, package.media, names, images) for field in note.fields])
        missing = [name for name in ("front", "back") if not getattr(row, name)]
        if missing:
            problems.append(Problem(path, f"note {note.number} ({note.kind.name}) has no {' and no '.join(missing)}"))
        else:
            rows.append(row)
    if problems:
        raise GuideError(problems)
    if not rows:
        raise GuideError(Problem(path, "holds no notes"))
    return Cards(rows, images)


def _note_row(note: Note, fields: list[str]) -> Row:
    """The card of an Anki ``note`` whose ``fields`` point at the imported images: a Cloze note's text
    (and other fields) is the body, titled by its ``Title`` field if it has one; a note of a type making
    more than one card (Basic and reversed) is a tip with ``reverse``."""
    category = note.deck[-1] if note.deck != ("Default",) else ""
    if note.kind.cloze:
        at = note.kind.fields.index("Title") if "Title" in note.kind.fields[:len(fields)] else None
        texts = [field for index, field in enumerate(fields) if index != at]
        front = (_front(fields[at]) if at is not None else "") or (_cloze_title(texts[0]) if texts else "")
        back = "\n\n".join(_back(field) for field in texts if field.strip())
        return Row(front, back, category, note.tags, None)
    front = _front(fields[0]) if fields else ""
    back = "\n\n".join(_back(field) for field in fields[1:] if field.strip())
    return Row(front, back, category, note.tags, None, reverse=note.kind.templates > 1)


_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::[^}]*)?\}\}", re.DOTALL)
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc=)(["'])(.*?)\2""", re.IGNORECASE | re.DOTALL)


def _cloze_title(text: str) -> str:
    """A Cloze note's text with its deletions filled in, on one line, cut at a word near 80 characters."""
    line = _front(_CLOZE.sub(r"\1", text))
    if len(line) <= TITLE_LENGTH:
        return line
    return line[:TITLE_LENGTH].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _with_images(fragment: str, media: dict[str, bytes], names: dict[str, str], images: dict[str, bytes]) -> str:
    """``fragment`` with each image found in the package's ``media`` pointed at ``images/NAME``, NAME made
    safe (letters, digits, ``.-_``, unique) and the file added to ``images``; other sources are left as
    they are (the build refuses what is outside the project)."""

    def replace(match: re.Match) -> str:
        source = html.unescape(match[3])
        original = source if source in media else unquote(source)
        if original not in media:
            return match[0]
        if original not in names:
            names[original] = _safe_name(original, images)
            images[names[original]] = media[original]
        return f"{match[1]}{match[2]}{IMAGES}/{html.escape(names[original])}{match[2]}"

    return _IMG_SRC.sub(replace, fragment)


def _safe_name(name: str, taken: dict[str, bytes]) -> str:
    """A file name for ``name`` with no folder, no leading dot and only ``A-Za-z0-9._-``, not in ``taken``."""
    stem, dot, suffix = name.replace("\\", "/").rsplit("/", 1)[-1].rpartition(".")
    stem, suffix = (stem, suffix) if dot else (suffix, "")
    stem = re.sub(r"[^A-Za-z0-9_]+", "-", stem).strip("-_") or "image"
    suffix = "." + re.sub(r"[^A-Za-z0-9]+", "", suffix) if suffix else ""
    candidate, number = stem + suffix, 1
    while candidate in taken:
        number += 1
        candidate = f"{stem}-{number}{suffix}"
    return candidate


def read_rows(path: Path) -> list[Row]:
    """The cards in ``path`` (.csv, .tsv or .txt, separated by commas, semicolons or tabs, as an Anki
    ``#separator:`` line says or as the first lines show); every unreadable row is reported at once, by line."""
    delimiter = DELIMITERS.get(path.suffix.lower())
    if delimiter is None:
        raise GuideError(Problem(path, "is neither .apkg, .csv nor .tsv (or .txt, tab separated)"))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise GuideError(Problem(path, f"is not UTF-8 text ({error.reason} at byte {error.start})")) from None
    lines = text.splitlines(keepends=True)
    records = _records(path, lines, *_preamble(lines, delimiter))
    if not records:
        raise GuideError(Problem(path, "holds no cards"))
    columns = _columns(path, *records[0])
    if columns is None:
        columns = {name: index for index, name in enumerate(POSITIONS)}
    else:
        records = records[1:]
    problems, rows = [], []
    for line, record in records:
        row = _row(record, columns, line)
        missing = [name for name in ("front", "back") if not getattr(row, name)]
        if missing:
            problems.append(Problem(path, f"the card has no {' and no '.join(missing)}", line))
        else:
            rows.append(row)
    if problems:
        raise GuideError(problems)
    if not rows:
        raise GuideError(Problem(path, "holds no cards"))
    return rows


def _records(path: Path, lines: list[str], skipped: int, delimiter: str) -> list[tuple[int, list[str]]]:
    """The non-blank records after the first ``skipped`` lines, each with the line it starts on."""
    reader = csv.reader(lines[skipped:], delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = skipped + 1
    try:
        for record in reader:
            records.append((start, record))
            start = skipped + reader.line_num + 1
    except csv.Error as error:
        raise GuideError(Problem(path, f"is not valid CSV: {error}", start)) from None
    return [(line, record) for line, record in records if any(cell.strip() for cell in record)]


def _row(record: list[str], columns: dict[str, int], line: int) -> Row:
    """The card in a CSV ``record`` whose ``columns`` are known."""
    def cell(name: str) -> str:
        index = columns.get(name)
        return unguarded(record[index]).strip() if index is not None and index < len(record) else ""

    category = cell("category").split("::")[-1].strip()
    return Row(_front(cell("front")), _back(cell("back")), category, tuple(cell("tags").split()), line)


def _preamble(lines: list[str], default: str) -> tuple[int, str]:
    """How many lines of Anki's "Notes in Plain Text" header (``#separator:tab``, ``#html:true``) start
    the file, and the delimiter: the one it names, else the one the lines after it show."""
    skipped, said = 0, None
    while skipped < len(lines) and re.match(r"#[a-z ]+:", lines[skipped]):
        key, _, value = lines[skipped][1:].partition(":")
        if key.strip() == "separator":
            said = ANKI_SEPARATORS.get(value.strip().lower(), default)
        skipped += 1
    return skipped, said or _sniff(lines[skipped:], default)


def _sniff(lines: list[str], default: str) -> str:
    """The delimiter of ``SNIFFED`` that splits the first lines into the same number (2 or more) of
    columns, the most of them; ``default`` when none does, or on a tie."""
    sample = [line for line in lines[:20] if line.strip()]
    best, best_columns = default, 0
    for delimiter in (default, *SNIFFED):
        try:
            records = list(csv.reader(sample, delimiter=delimiter))
        except csv.Error:
            continue
        # The sample may end inside a record: its last one counts only when the file ends there too.
        widths = {len(record) for record in records[:-1 if len(lines) > len(sample) > 1 else None]}
        if len(widths) == 1 and (columns := widths.pop()) >= 2 and columns > best_columns:
            best, best_columns = delimiter, columns
    return best


def unguarded(cell: str) -> str:
    """A cell as it was before ``guide export`` guarded it against spreadsheet formulas."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def _columns(path: Path, line: int, first: list[str]) -> dict[str, int] | None:
    """Column indexes from a header row, or ``None`` when ``first`` is a card. A row naming a known
    column is a header: it must name the front and the back, and nothing unknown."""
    names = [cell.strip().lower() for cell in first]
    if not any(name in KNOWN_COLUMNS for name in names):
        return None
    found: dict[str | None, int] = {}
    for index, name in enumerate(names):
        found.setdefault(KNOWN_COLUMNS.get(name), index)
    found.pop(None, None)
    unknown = [cell.strip() for cell, name in zip(first, names) if name and name not in KNOWN_COLUMNS]
    missing = [column for column in ("front", "back") if column not in found]
    if unknown or missing:
        raise GuideError(Problem(path, _header_problem(unknown, missing), line))
    return found  # type: ignore[return-value] - None was popped


def _header_problem(unknown: list[str], missing: list[str]) -> str:
    what = [f"unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(repr, unknown))}"] if unknown else []
    what += [f"no {' and no '.join(missing)} column"] if missing else []
    choices = "; ".join(" or ".join(synonyms) for synonyms in COLUMN_NAMES.values())
    return f"header row: {'; '.join(what)} (known columns: {choices})"


def _front(text: str) -> str:
    """A one-line front: HTML (as Anki exports it) becomes its text."""
    if _LOOKS_HTML.search(text):
        from guide.commands.export import plain_text

        text = plain_text(text)
    return re.sub(r"\s+", " ", text).strip()


def _back(text: str) -> str:
    """The body: exported formulas back to ``$...$``, line ends normalised, trailing spaces dropped, and
    HTML as Markdown where that renders the same."""
    text = _MATH.sub(lambda match: f"$${html.unescape(match[2])}$$" if match[1] else f"${html.unescape(match[2])}$",
                     text)
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return _markdown("\n".join(lines).strip())


def _markdown(body: str) -> str:
    """``body`` with its HTML written as Markdown (by markdownify) when that renders the same, tag
    names and white space between tags aside, cloze deletions as Anki writes them (in an HTML block they
    would be left as typed); else ``body`` as it is (Markdown takes HTML)."""
    if not _LOOKS_HTML.search(body):
        return body
    from guide.content.cloze import ANKI
    from guide.content.markup import to_html

    formulas: list[str] = []

    def keep(match: re.Match) -> str:
        formulas.append(match[0])
        return f"GUIDEFORMULA{len(formulas) - 1}X"

    held = re.sub(r"\$\$.+?\$\$|\$[^$\n]+\$", keep, body)
    candidate = _Converter(heading_style="ATX", bullets="-", escape_underscores=False, escape_misc=False).convert(held)
    candidate = re.sub(r"GUIDEFORMULA(\d+)X", lambda match: formulas[int(match[1])], candidate).strip()
    candidate = re.sub(r"\n{3,}", "\n\n", candidate)
    return candidate if _same_html(to_html(candidate, ANKI), to_html(body, ANKI)) else body


def _same_html(first: str, second: str) -> bool:
    def normal(fragment: str) -> str:
        fragment = re.sub(r"<(/?)(?:div)\b[^>]*>", r"<\1p>", str(fragment))
        fragment = re.sub(r"<(/?)b>", r"<\1strong>", re.sub(r"<(/?)i>", r"<\1em>", fragment))
        fragment = re.sub(r"\s*(<[^>]+>)\s*", r"\1", fragment.replace(' alt=""', ""))
        return re.sub(r"<p></p>|<br ?/?>", lambda match: "" if match[0] == "<p></p>" else "<br>", fragment)

    return normal(first) == normal(second)


class _Converter(MarkdownConverter):  # type: ignore[misc] - markdownify has no type hints
    """Line breaks as ``<br>`` (Markdown's two trailing spaces would not survive the YAML file); inline
    tags Markdown has no syntax for stay HTML rather than lose their meaning."""

    def convert_br(self, el, text, parent_tags):
        return "<br>\n"

    def _kept(self, el, text, parent_tags):
        return f"<{el.name}>{text}</{el.name}>"

    convert_kbd = convert_mark = convert_sub = convert_sup = convert_ins = _kept


def category_yaml(name: str, rows: list[Row], source: str = "", order: int | None = None) -> str:
    """A tips file holding ``rows`` as tips of category ``name`` (at position ``order``, if given)."""
    tips = []
    for row in rows:
        tip = {"title": row.front, "question": row.front, "body": row.back + "\n"}
        if row.tags:
            tip["tags"] = list(row.tags)
        if row.reverse:
            tip["reverse"] = True
        tips.append(tip)
    header = f"# Imported from {source} by guide import.\n" if source else ""
    data = {"category": name, **({"order": order} if order is not None else {}), "tips": tips}
    body = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                     default_flow_style=None, width=100, indent=2)
    # Blank lines between tips, as in hand-written files.
    return header + re.sub(r"(?<!tips:)\n(  - title:)", r"\n\n\1", body)


def import_file(path: Path, tips_dir: Path, category: str | None = None, force: bool = False,
                root: Path | None = None) -> list[Written]:
    """Write one tips file per category of the cards in ``path`` into ``tips_dir``.

    Rows without a category go to ``category`` (default: a name made from the file's name). With several
    categories, each file's ``order:`` keeps them in the order they first appear in ``path``. Nothing is
    written when a target file exists (unless ``force``), when two cards would get the same tip id, or
    when a card or category clashes with one already in the project at ``root``.
    """
    cards = read_cards(path)
    rows = cards.rows
    fallback = (category or "").strip() or _name_from(path)
    groups: dict[str, tuple[str, list[Row]]] = {}
    for row in rows:
        name = row.category or fallback
        groups.setdefault(slugify(name), (name, []))[1].append(row)
    targets = {slug: tips_dir / f"{slug}.yaml" for slug in groups}
    problems = _clashes(path, groups, targets, tips_dir, root)
    images = {tips_dir / IMAGES / name: data for name, data in cards.images.items()}
    if not force:
        problems += _overwritten(list(targets.values()), images)
    if problems:
        raise GuideError(problems)
    _write_images(tips_dir, images)
    written = []
    for position, (slug, (name, category_rows)) in enumerate(groups.items(), 1):
        order = position if len(groups) > 1 else None
        write_atomically(category_yaml(name, category_rows, path.name, order).encode(), targets[slug])
        written.append(Written(targets[slug], name, len(category_rows)))
    return written


def _overwritten(targets: list[Path], images: dict[Path, bytes]) -> list[Problem]:
    """Tips files that exist, and images that exist with other contents: kept unless --force."""
    problems = [Problem(target, "already exists (use --force to overwrite)") for target in targets if target.exists()]
    return problems + [Problem(image, "already exists with other contents (use --force to overwrite)")
                       for image, data in images.items() if image.exists() and image.read_bytes() != data]


def _write_images(tips_dir: Path, images: dict[Path, bytes]) -> None:
    for image, data in images.items():
        write_atomically(data, image)


def _clashes(path: Path, groups: dict[str, tuple[str, list[Row]]], targets: dict[str, Path], tips_dir: Path,
             root: Path | None) -> list[Problem]:
    """Cards that would share a tip id, with each other or with the project's tips (outside the files
    about to be replaced), and categories already defined in another file."""
    problems = []
    seen: dict[str, Row] = {}
    for _, rows in groups.values():
        for row in rows:
            first = seen.setdefault(slugify(row.front), row)
            if first is not row:
                problems.append(Problem(path, f'the card "{row.front}" would get the same tip id '
                                              f'"{slugify(row.front)}" as {_where(first)}', row.line))
    existing = _existing(root, tips_dir)
    replaced = {target.resolve() for target in targets.values()}
    for other in existing:
        if other.source.path.resolve() in replaced:
            continue
        if other.slug in groups:
            problems.append(Problem(path, f'category "{groups[other.slug][0]}" is already defined in '
                                          f"{other.source.path.name}"))
        for tip in other.tips:
            if tip.id in seen:
                problems.append(Problem(path, f'the card "{seen[tip.id].front}" would have the same id "{tip.id}" '
                                              f"as the tip at {tip.source.path.name}:{tip.source.line}",
                                        seen[tip.id].line))
    return problems


def _existing(root: Path | None, tips_dir: Path):
    """The project's categories, when it loads (an empty or broken project has none to clash with)."""
    from guide.content.loader import load_guide

    if root is None or not tips_dir.is_dir():
        return ()
    try:
        return load_guide(root, tips_dir).categories
    except GuideError:
        return ()


def _where(row: Row) -> str:
    return f"the card on line {row.line}" if row.line is not None else f'the card "{row.front}"'


def _name_from(path: Path) -> str:
    words = [word for word in re.split(r"[-_\s]+", path.stem) if word]
    return " ".join(word[:1].upper() + word[1:] for word in words) or "Imported"


class _Dumper(yaml.SafeDumper):
    """Multi-line text as ``|`` blocks, lists of words in brackets, list items indented, as tips are
    written by hand."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        return super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _represent_str)
