"""``guide export``: the flashcards for other apps: an Anki deck (.apkg), a CSV, or a Quizlet-style TSV.

- ``anki``: one note per tip (front: the question; back: the answer as HTML) in a subdeck per category,
  ``Title::Category``; a cloze tip is a Cloze note (its text with the deletions, and its title), a tip
  with ``reverse`` a note of a type that also makes the reversed card. Note GUIDs come from the guide title
  and tip id and deck and model ids from the title, so importing a new export into Anki updates the notes
  already there instead of duplicating them.
- ``csv``: a header ``front,back,category,tags`` then a row per tip; the back is HTML (Anki: "Allow
  HTML in fields") with cloze deletions as ``{{c1::...}}``, tags are separated by spaces. ``guide
  import`` reads it back.
- ``tsv``: no header, ``front<TAB>back`` in plain text on one line per tip, which Quizlet's import
  ("between term and definition: tab", "between cards: new line") and Anki's take as is.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import re
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse

from guide.content.cloze import ANKI
from guide.content.images import with_placeholders
from guide.content.markup import to_html
from guide.content.model import Guide, Tip
from guide.content.text import plain_text
from guide.errors import GuideError, Problem
from guide.store.output import write_atomically

FORMATS = ("anki", "csv", "tsv")
SUFFIXES = {"anki": ".apkg", "csv": ".csv", "tsv": ".tsv"}
CSV_COLUMNS = ("front", "back", "category", "tags")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

ANKI_CSS = """\
.card { font-family: "Source Sans Pro", "Helvetica Neue", Arial, sans-serif; font-size: 20px;
        line-height: 1.35; text-align: left; color: #1d2125; background: #fff; }
.card.nightMode { color: #e6e6e6; background: #2b2b2b; }
.front { text-align: center; font-weight: 600; }
code, pre { font-family: "Source Code Pro", Menlo, Consolas, monospace; font-size: 0.88em; }
pre { padding: 0.35em 0.5em; border-left: 2px solid #c3cad1; white-space: pre-wrap; }
img { max-width: 100%; }
img.math { display: inline; max-width: none; }
.title { color: #5f6b76; font-weight: 600; margin-bottom: 0.4em; }
.cloze { font-weight: 700; text-decoration: underline; color: inherit; }
img.math.display { display: block; margin: 0.3em auto; }
.card.nightMode img.math { filter: invert(1); }
span.math.display { display: block; }
.math-text { display: none; }
table { border-collapse: collapse; }
th, td { border-bottom: 1px solid #c3cad1; padding: 0.1em 0.4em; text-align: left; }
"""
# The rules that colour highlighted code (Pygments' classes inside .highlight) in a stylesheet.
SYNTAX_RULE = re.compile(r"^\.highlight \.[^{]*\{[^}]*\}", re.MULTILINE)


def anki_css(guide: Guide) -> str:
    """The Anki cards' stylesheet: :data:`ANKI_CSS` and the syntax colours of the project's theme
    (``base.css``), so that code reads in Anki as it prints."""
    from guide.render.theme import Theme

    base = Theme.for_project(guide.root).stylesheet("base.css")
    return ANKI_CSS + "\n".join(SYNTAX_RULE.findall(base.read_text(encoding="utf-8"))) + "\n"


def export(guide: Guide, to: str, target: Path, raw_cells: bool = False) -> list[str]:
    """Write ``guide``'s tips to ``target`` in format ``to`` (``anki``, ``csv`` or ``tsv``), atomically;
    returns warnings (images shown as placeholders, images left out of the Anki deck). ``raw_cells`` writes
    CSV and TSV cells as they are, without the guard against spreadsheet formulas."""
    warnings = list(guide.warnings)
    if to == "anki":
        _write_apkg(guide, target, warnings)
    elif to == "csv":
        write_atomically(csv_text(guide, raw_cells).encode("utf-8"), target)
    elif to == "tsv":
        write_atomically(tsv_text(guide, raw_cells).encode("utf-8"), target)
    else:
        raise GuideError(f'cannot export to "{to}": choose one of {", ".join(FORMATS)}')
    return warnings


def card_count(guide: Guide, to: str) -> int:
    """How many cards the export makes: in Anki one per deletion number of a cloze tip and two for a
    reversed one; elsewhere one per tip."""
    if to != "anki":
        return len(guide.tips)
    return sum(len(tip.deletions) or 1 + tip.reverse for tip in guide.tips)


def answer(guide: Guide, tip: Tip) -> str:
    """The tip's body as exported HTML: cloze deletions written as Anki writes them (``{{c1::...}}``)."""
    if not tip.deletions:
        return str(tip.body_html).strip()
    return str(with_placeholders(to_html(tip.body, ANKI), guide.tips_dir, (guide.root, guide.tips_dir))[0]).strip()


def stable_id(*parts: str) -> int:
    """An Anki deck or model id from ``parts``: the same every time, in genanki's range [2^30, 2^31)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def anki_tags(tip: Tip) -> list[str]:
    """The tip's tags as Anki tags, which cannot hold spaces: ``command line`` becomes ``command_line``."""
    return [re.sub(r"\s+", "_", tag.strip()) for tag in tip.tags]


def note_guid(guide: Guide, tip: Tip) -> str:
    """The note's GUID, from the guide's title and the tip's id (so two guides' tips never collide)."""
    import genanki

    return genanki.guid_for(guide.settings.title, tip.id)


def csv_text(guide: Guide, raw_cells: bool = False) -> str:
    """``front,back,category,tags`` and a row per tip: back in HTML, tags separated by spaces; cells are
    guarded against spreadsheet formulas unless ``raw_cells``."""
    cell = str if raw_cells else guarded
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for category in guide.categories:
        for tip in category.tips:
            row = [tip.question, answer(guide, tip), category.name, " ".join(anki_tags(tip))]
            writer.writerow([cell(value) for value in row])
    return stream.getvalue()


def tsv_text(guide: Guide, raw_cells: bool = False) -> str:
    """``front<TAB>back`` per tip, in plain text, one line each, no header (Quizlet's import format); cells
    are guarded against spreadsheet formulas unless ``raw_cells``."""
    cell = str if raw_cells else guarded
    return "".join(f"{cell(_one_line(tip.question))}\t{cell(_one_line(plain_text(tip.body_html)))}\n"
                   for tip in guide.tips)


def guarded(cell: str) -> str:
    """``cell`` with a ``'`` before it if it starts like a formula (``= + - @``, a tab or a carriage return),
    so that a spreadsheet opening the file shows the text instead of running it (OWASP: CSV injection);
    ``guide import`` takes the ``'`` off again (so a cell already starting ``'=`` gets one too)."""
    return f"'{cell}" if cell.lstrip("'").startswith(FORMULA_STARTS) else cell


# Formats that are text, by the function making it (``guide export --output -`` writes them to stdout).
TEXTS = {"csv": csv_text, "tsv": tsv_text}


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _models(title: str, css: str) -> dict[str, object]:
    """The note types of the export, by kind: ``basic``, ``reverse`` (also the card asking the other way)
    and ``cloze`` (Anki's Cloze kind, with the tip's title as a field shown above the text)."""
    import genanki

    forward = {"name": "Card 1", "qfmt": '<div class="front">{{Front}}</div>',
               "afmt": '<div class="front">{{Front}}</div>\n<hr id="answer">\n{{Back}}'}
    backward = {"name": "Card 2", "qfmt": "{{Back}}", "afmt": '{{Back}}\n<hr id="answer">\n<div class="front">{{Front}}</div>'}
    cloze = {"name": "Cloze", "qfmt": "{{cloze:Text}}",
             "afmt": '<div class="title">{{Title}}</div>\n{{cloze:Text}}{{#Back Extra}}<br>\n{{Back Extra}}{{/Back Extra}}'}
    basic = [{"name": "Front"}, {"name": "Back"}]
    return {
        "basic": genanki.Model(stable_id(title, "model"), f"{title} (guide)", fields=basic, templates=[forward],
                               css=css),
        "reverse": genanki.Model(stable_id(title, "model", "reverse"), f"{title} (guide, and reversed card)",
                                 fields=basic, templates=[forward, backward], css=css),
        "cloze": genanki.Model(stable_id(title, "model", "cloze"), f"{title} (guide cloze)",
                               fields=[{"name": "Text"}, {"name": "Back Extra"}, {"name": "Title"}],
                               templates=[cloze], css=css, model_type=genanki.Model.CLOZE),
    }


def _fields(tip: Tip, back: str) -> tuple[str, list[str]]:
    """The kind of note type for ``tip`` and its fields, ``back`` being its body with the media renamed."""
    if tip.deletions:
        return "cloze", [back, "", html.escape(tip.title)]
    return ("reverse" if tip.reverse else "basic"), [html.escape(tip.question), back]


def _write_apkg(guide: Guide, target: Path, warnings: list[str]) -> None:
    import genanki

    title = guide.settings.title
    models = _models(title, anki_css(guide))
    decks = [genanki.Deck(stable_id(title), title)]
    with tempfile.TemporaryDirectory(prefix="guide-anki-") as media_dir:
        media: dict[Path, str] = {}
        for category in guide.categories:
            deck = genanki.Deck(stable_id(title, category.slug), f"{title}::{category.name}")
            for tip in category.tips:
                back = _with_media(answer(guide, tip), guide, tip, media, Path(media_dir), warnings)
                kind, fields = _fields(tip, back)
                deck.add_note(genanki.Note(model=models[kind], fields=fields, tags=anki_tags(tip),
                                           guid=note_guid(guide, tip)))
            decks.append(deck)
        package = genanki.Package(decks, media_files=[str(Path(media_dir) / name) for name in media.values()])
        built = Path(media_dir) / "deck.apkg"
        package.write_to_file(str(built))
        write_atomically(built.read_bytes(), target)


_IMG = re.compile(r'<img\b[^>]*?\bsrc="([^"]+)"[^>]*>')


def _with_media(fragment: str, guide: Guide, tip: Tip, media: dict[Path, str], media_dir: Path,
                warnings: list[str]) -> str:
    """Point the fragment's project images at copies in the package's media (flat names, made unique
    from their contents); data URIs stay; anything else (outside the project, on the network, missing)
    is left out with a warning naming the tip, as the build does."""

    def replace(match: re.Match) -> str:
        source = html.unescape(match[1])
        parsed = urlparse(source)
        if parsed.scheme == "data":
            return match[0]
        path = (guide.tips_dir / unquote(parsed.path)).resolve() if parsed.scheme in ("", "file") else None
        inside = path is not None and any(path.is_relative_to(folder.resolve()) for folder in (guide.root, guide.tips_dir))
        if not inside or not path.is_file():
            warnings.append(str(Problem(tip.source.path, f'tip "{tip.id}": left out image {source} (not a file '
                                                         "in the project)", tip.source.line)))
            return ""
        if path not in media:
            data = path.read_bytes()
            media[path] = f"{hashlib.sha256(data).hexdigest()[:10]}-{path.name}"
            (media_dir / media[path]).write_bytes(data)
        return match[0].replace(f'src="{match[1]}"', f'src="{html.escape(media[path])}"', 1)

    return _IMG.sub(replace, fragment)
