"""``guide import``: flashcards from a CSV or TSV file (Anki, Quizlet, a spreadsheet) as tips files.

Columns are front, back and optionally category and tags, named by a header row (``front``/``question``/
``term``, ``back``/``answer``/``definition``, ``category``/``deck``, ``tags``) or, without one, in that
order. Each category becomes ``tips/<category-slug>.yaml`` with one tip per row: title and question are
the front, the body is the back (HTML, as Anki exports it, is valid Markdown; formulas exported by
``guide export`` become ``$...$`` again).
"""

from __future__ import annotations

import csv
import html
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from guide.content.model import slugify
from guide.errors import GuideError, Problem

COLUMN_NAMES = {
    "front": ("front", "question", "term"),
    "back": ("back", "answer", "definition"),
    "category": ("category", "deck"),
    "tags": ("tags", "tag"),
}
POSITIONS = ("front", "back", "category", "tags")
DELIMITERS = {".csv": ",", ".tsv": "\t", ".txt": "\t"}
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
    line: int


@dataclass(frozen=True)
class Written:
    """A tips file written: its path, category name and number of tips."""

    path: Path
    category: str
    tips: int


def read_rows(path: Path) -> list[Row]:
    """The cards in ``path`` (.csv: comma separated; .tsv or .txt: tab separated, or as an Anki
    ``#separator:`` line says); every unreadable row is reported at once, by line."""
    delimiter = DELIMITERS.get(path.suffix.lower())
    if delimiter is None:
        raise GuideError(Problem(path, "is neither .csv nor .tsv (or .txt, tab separated)"))
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise GuideError(Problem(path, f"is not UTF-8 text ({error.reason} at byte {error.start})")) from None
    lines = text.splitlines(keepends=True)
    skipped = 0
    # Anki's "Notes in Plain Text" starts with lines like "#separator:tab" and "#html:true".
    while skipped < len(lines) and re.match(r"#[a-z ]+:", lines[skipped]):
        key, _, value = lines[skipped][1:].partition(":")
        if key.strip() == "separator":
            delimiter = ANKI_SEPARATORS.get(value.strip().lower(), delimiter)
        skipped += 1
    reader = csv.reader(lines[skipped:], delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = skipped + 1
    try:
        for record in reader:
            records.append((start, record))
            start = skipped + reader.line_num + 1
    except csv.Error as error:
        raise GuideError(Problem(path, f"is not valid CSV: {error}", start)) from None
    records = [(line, record) for line, record in records if any(cell.strip() for cell in record)]
    if not records:
        raise GuideError(Problem(path, "holds no cards"))
    columns = _columns(records[0][1])
    if columns is None:
        columns = {name: index for index, name in enumerate(POSITIONS)}
    else:
        records = records[1:]
    problems, rows = [], []
    for line, record in records:
        def cell(name: str) -> str:
            index = columns.get(name)
            return record[index].strip() if index is not None and index < len(record) else ""
        front, back = _front(cell("front")), _back(cell("back"))
        missing = [name for name, value in (("front", front), ("back", back)) if not value]
        if missing:
            problems.append(Problem(path, f"the card has no {' and no '.join(missing)}", line))
            continue
        category = cell("category").split("::")[-1].strip()
        rows.append(Row(front, back, category, tuple(cell("tags").split()), line))
    if problems:
        raise GuideError(problems)
    if not rows:
        raise GuideError(Problem(path, "holds no cards"))
    return rows


def _columns(first: list[str]) -> dict[str, int] | None:
    """Column indexes from a header row, or ``None`` when ``first`` is a card."""
    names = [cell.strip().lower() for cell in first]
    found = {}
    for column, synonyms in COLUMN_NAMES.items():
        for index, name in enumerate(names):
            if name in synonyms:
                found[column] = index
                break
    return found if "front" in found and "back" in found else None


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


_BLOCK = re.compile(r"\s*<(p|ul|ol)>(.*?)</\1>\s*", re.DOTALL)
_ITEM = re.compile(r"\s*<li>(.*?)</li>\s*", re.DOTALL)
_INLINE = {"strong": "**", "em": "*", "code": "`"}


def _markdown(body: str) -> str:
    """``body`` with simple HTML (paragraphs, flat lists, bold, italics, code) written as Markdown, when
    the Markdown renders to exactly the same HTML; else ``body`` as it is (Markdown takes HTML)."""
    if not body.startswith("<"):
        return body
    from guide.content.markup import to_html

    expected = _layout_free(to_html(body))
    for inline in (True, False):
        candidate = _blocks_as_markdown(body, inline)
        if candidate is not None and _layout_free(to_html(candidate)) == expected:
            return candidate
    return body


def _layout_free(fragment: str) -> str:
    """HTML without the white space around paragraph and list tags, which renders the same."""
    return re.sub(r"\s*(</?(?:p|ul|ol|li)>)\s*", r"\1", str(fragment))


def _blocks_as_markdown(body: str, inline: bool) -> str | None:
    blocks, position = [], 0
    while position < len(body):
        match = _BLOCK.match(body, position)
        if not match:
            return None
        tag, inner = match[1], match[2]
        if tag == "p":
            if "<p" in inner:
                return None
            blocks.append(_inline(inner) if inline else inner)
        else:
            items = _ITEM.findall(inner)
            if "".join(f"<li>{item}</li>" for item in items) != re.sub(r">\s+<", "><", inner.strip()) or any(
                    re.search(r"<(?:p|ul|ol|li)\b", item) for item in items):
                return None
            marks = ["-"] * len(items) if tag == "ul" else [f"{number}." for number in range(1, len(items) + 1)]
            blocks.append("\n".join(f"{mark} {_inline(item) if inline else item}" for mark, item in zip(marks, items)))
        position = match.end()
    return "\n\n".join(blocks)


def _inline(fragment: str) -> str:
    """Bold, italics and code spans as Markdown, character references as characters."""
    def replace(match: re.Match) -> str:
        mark = _INLINE[match[1]]
        content = html.unescape(match[2]) if match[1] == "code" else match[2]
        return f"{mark}{content}{mark}"

    fragment = re.sub(r"<(strong|em|code)>([^<]*)</\1>", replace, fragment)
    return fragment if "&" not in fragment else re.sub(r"&(amp|lt|gt|quot|#39);", lambda m: html.unescape(m[0]), fragment)


def category_yaml(name: str, rows: list[Row], source: str = "", order: int | None = None) -> str:
    """A tips file holding ``rows`` as tips of category ``name`` (at position ``order``, if given)."""
    tips = []
    for row in rows:
        tip = {"title": row.front, "question": row.front, "body": row.back + "\n"}
        if row.tags:
            tip["tags"] = list(row.tags)
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
    rows = read_rows(path)
    fallback = (category or "").strip() or _name_from(path)
    groups: dict[str, tuple[str, list[Row]]] = {}
    for row in rows:
        name = row.category or fallback
        groups.setdefault(slugify(name), (name, []))[1].append(row)
    targets = {slug: tips_dir / f"{slug}.yaml" for slug in groups}
    problems = _clashes(path, groups, targets, tips_dir, root)
    if not force:
        problems += [Problem(target, "already exists (use --force to overwrite)")
                     for target in targets.values() if target.exists()]
    if problems:
        raise GuideError(problems)
    tips_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for position, (slug, (name, category_rows)) in enumerate(groups.items(), 1):
        order = position if len(groups) > 1 else None
        targets[slug].write_text(category_yaml(name, category_rows, path.name, order), encoding="utf-8")
        written.append(Written(targets[slug], name, len(category_rows)))
    return written


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
                                              f'"{slugify(row.front)}" as the card on line {first.line}', row.line))
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
