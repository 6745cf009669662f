"""Helpers every test may import: the seed text the tips were written from, project copies, builds,
PDF words, and flashcard text positions read back from PDFs (in mm from the page's top-left corner)."""

from __future__ import annotations

import fcntl
import math
import os
import pickle
import re
import shutil
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
from click.testing import CliRunner, Result
from pypdf import PageObject, PdfReader

from guide.cli import main
from guide.commands.build import build
from guide.config.paper import MM_PER_INCH

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


SEED_FILE = Path(__file__).resolve().parent / "data" / "seed.txt"


# A body paragraph ends a sentence (maybe inside a closing quote); titles and headings never do.
_SENTENCE_END = re.compile(r"[.!?]['\"’”)]?$")


# A hyphen inside a word, or one that breaks a word across lines: "one-hot", "auto-\nmatic", "auto‐\nmatic".
_WORD_HYPHEN = re.compile(r"(?<=[^\W_])[-\u2010\u00ad]\n?(?=[^\W_])")


_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SeedTip:
    title: str
    body: str


@dataclass(frozen=True)
class SeedCategory:
    name: str
    tips: tuple[SeedTip, ...]


@dataclass(frozen=True)
class Seed:
    title: str
    subtitle: str
    categories: tuple[SeedCategory, ...]


def parse_seed(text: str) -> Seed:
    """The seed's paragraphs: tagline, title, subtitle, then category headings each followed by tips.

    A tip is a title paragraph followed by a body paragraph (bodies end a sentence); any other paragraph
    is a category heading.
    """
    _tagline, title, subtitle, *rest = [part.strip() for part in text.split("\n\n") if part.strip()]
    categories: list[tuple[str, list[SeedTip]]] = []
    index = 0
    while index < len(rest):
        if index + 1 < len(rest) and _SENTENCE_END.search(rest[index + 1]):
            categories[-1][1].append(SeedTip(rest[index], rest[index + 1]))
            index += 2
        else:
            categories.append((rest[index], []))
            index += 1
    return Seed(title, subtitle, tuple(SeedCategory(name, tuple(tips)) for name, tips in categories))


SEED = parse_seed(SEED_FILE.read_text(encoding="utf-8"))


def words(text: str) -> list[str]:
    """Lowercase runs of letters and digits; hyphenated words (also across line breaks) count as one."""
    text = _WORD_HYPHEN.sub("", unicodedata.normalize("NFKC", text))
    return _WORD.findall(text.lower())


def seed_words(category: SeedCategory) -> list[str]:
    """Every word of the category's tip titles and bodies, in seed order."""
    return [word for tip in category.tips for word in words(tip.title) + words(tip.body)]


def page_texts(path: Path) -> list[str]:
    """The extracted text of each page."""
    return [page.extract_text() for page in PdfReader(path).pages]


def pdf_words(path: Path) -> list[str]:
    """All words of the PDF, page by page, normalised like :func:`words`."""
    return words("\n".join(page_texts(path)))


def missing_in_order(expected: Sequence[str], actual: Sequence[str]) -> list[str]:
    """``expected`` from the first word not found in ``actual`` in that order; empty when all are found."""
    position = 0
    for index, word in enumerate(expected):
        try:
            position = actual.index(word, position) + 1
        except ValueError:
            return list(expected[index:])
    return []


def outline_titles(items: list) -> list:
    """A PDF outline (``reader.outline``) as nested lists of bookmark titles."""
    return [outline_titles(item) if isinstance(item, list) else item.title for item in items]


def copy_project(target: Path) -> Path:
    """A copy of the project's tips/ and guide.yaml in ``target``; templates and styles are the defaults."""
    shutil.copytree(ROOT / "tips", target / "tips")
    shutil.copy2(ROOT / "guide.yaml", target / "guide.yaml")
    return target


def contrast(red: int, green: int, blue: int) -> float:
    """WCAG contrast ratio of a colour (0-255 channels) against white."""
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    luminance = 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    return 1.05 / (luminance + 0.05)


def made_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """``make(folder)`` run once per test run: under pytest-xdist, the first worker to ask makes it in a
    folder all workers share while the others wait, then every worker reads the same (pickled) result."""
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return make(factory.mktemp(name))
    shared = factory.getbasetemp().parent  # this run's folder, above each worker's own
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        made = shared / f"{name}.pickle"
        if not made.exists():
            folder = shared / name
            folder.mkdir()
            made.write_bytes(pickle.dumps(make(folder)))
        return pickle.loads(made.read_bytes())


def each_in_one_worker(name: str, values: Sequence, group: str) -> pytest.MarkDecorator:
    """``parametrize(name, values)`` (each identified by its ``id``) where the tests of one value run in one
    pytest-xdist worker, so what they build for it is built once."""
    return pytest.mark.parametrize(name, [pytest.param(value, id=value.id, marks=pytest.mark.xdist_group(f"{group}-{value.id}"))
                                          for value in values])


def build_pdfs(project: Path, format: str, output: Path, paper: str | None = None) -> Path:
    """Build ``format`` for ``project`` into ``output`` through the library; returns ``output``."""
    build(project, [format], output, given={"paper": paper})
    return output


def run_guide(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """``guide ARGS`` as a user runs it, with ``project`` as the working folder."""
    monkeypatch.chdir(project)
    return CliRunner().invoke(main, list(args))


Rect = tuple[float, float, float, float]  # left, top, width, height in mm; y grows downward


FLIP_AXIS = {
    ("portrait", "long-edge"): "vertical",
    ("landscape", "short-edge"): "vertical",
    ("landscape", "long-edge"): "horizontal",
    ("portrait", "short-edge"): "horizontal",
}


def seen_from_front(point: tuple[float, float], page: tuple[float, float], flip: str) -> tuple[float, float]:
    """Where a point printed on the back of a (width, height) sheet lies, looking through its front.

    Turning a sheet over a vertical axis takes (x, y) to (width - x, y); over a horizontal one, to (x, height - y).
    """
    (x, y), (width, height) = point, page
    orientation = "landscape" if width > height else "portrait"
    return (width - x, y) if FLIP_AXIS[orientation, flip] == "vertical" else (x, height - y)


PT_PER_MM = 72 / MM_PER_INCH


@dataclass(frozen=True)
class Run:
    """A piece of text as pypdf reports it: its baseline origin and type size, in mm."""

    text: str
    x: float
    y: float
    size: float


@dataclass(frozen=True)
class Page:
    """A PDF page's size and text, in mm."""

    width: float
    height: float
    runs: list[Run]


def read_pages(path: Path) -> list[Page]:
    return [Page(float(page.mediabox.width) / PT_PER_MM, float(page.mediabox.height) / PT_PER_MM, page_runs(page))
            for page in PdfReader(path).pages]


def turned_over(run: Run, page: Page, flip: str) -> Run:
    """Where text printed on the back of ``page`` lies as seen through the front."""
    x, y = seen_from_front((run.x, run.y), (page.width, page.height), flip)
    return Run(run.text, x, y, run.size)


def page_runs(page: PageObject) -> list[Run]:
    """Every piece of text on the page, placed by its text matrix and the current transformation."""
    height = float(page.mediabox.height)
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        a, b, c, d, e, f = cm
        x = a * tm[4] + c * tm[5] + e
        y = b * tm[4] + d * tm[5] + f
        scale = math.hypot(tm[2] * a + tm[3] * c, tm[2] * b + tm[3] * d)
        runs.append(Run(text, x / PT_PER_MM, (height - y) / PT_PER_MM, size * scale / PT_PER_MM))

    page.extract_text(visitor_text=visit)
    return runs



def huge_png(width: int, height: int) -> bytes:
    """A valid PNG of ``width`` x ``height`` white pixels (one bit each) in a few kilobytes: a decompression bomb."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def drawn_shapes(path: Path, index: int = 0) -> list[Rect]:
    """The bounding box of every path (rectangles, rules, borders, backgrounds) painted on page ``index``."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument(str(path))[index]
    height, shapes = page.get_height(), []
    for shape in page.get_objects(max_depth=8):
        if shape.type == pdfium.raw.FPDF_PAGEOBJ_PATH:
            left, bottom, right, top = shape.get_bounds()
            shapes.append((left / PT_PER_MM, (height - top) / PT_PER_MM, (right - left) / PT_PER_MM,
                           (top - bottom) / PT_PER_MM))
    return shapes


def ink_from_edge(path: Path, dpi: float = 200) -> list[float]:
    """Per page, the distance in mm from the paper's nearest edge to its nearest visibly inked pixel (darker
    than 250 of 255 in grayscale); a page without ink reports infinity."""
    import pypdfium2 as pdfium
    from PIL import ImageOps

    distances = []
    for page in pdfium.PdfDocument(str(path)):
        pixels = page.render(scale=dpi / 72).to_pil().convert("L")
        box = ImageOps.invert(pixels).point(lambda value: 255 if value > 5 else 0).getbbox()
        if box is None:
            distances.append(math.inf)
            continue
        left, top, right, bottom = box
        nearest = min(left, top, pixels.width - right, pixels.height - bottom)
        distances.append(nearest * MM_PER_INCH / dpi)
    return distances


def short_tips_project(root: Path, categories: Sequence[str], tips: int = 1) -> Path:
    """A project of ``categories`` (in that order) with ``tips`` one-line tips each."""
    (root / "tips").mkdir(parents=True)
    (root / "guide.yaml").write_text("title: Short tips\n", encoding="utf-8")
    for index, name in enumerate(categories):
        entries = "".join(f"  - title: Tip {index}.{number}\n    question: Question {index}.{number}?\n"
                          f"    body: Answer {number}.\n" for number in range(tips))
        (root / "tips" / f"{index:02}.yaml").write_text(f"category: {name}\norder: {index}\ntips:\n{entries}",
                                                        encoding="utf-8")
    return root


def joined(runs: list[Run]) -> str:
    """The runs' text, a line break wherever the baseline moves."""
    text, baseline = "", None
    for run in runs:
        if baseline is not None and abs(run.y - baseline) > 0.01 and not text.endswith(("\n", " ")):
            text += "\n"
        text += run.text
        baseline = run.y
    return text


# A category of cloze and reversed tips: reverse on the category, one tip opting out, and a deletion in code
# that stays as typed.
RECALL_TIPS = """\
category: Recall
reverse: true
tips:
  - title: Capitals
    body: |
      {{c1::Paris}} is the capital of {{c2::France::country}}; {{c1::Berlin}} is that of Germany.
    tags: [geo]

  - title: Unit of force
    question: What is the SI unit of force?
    body: The **newton**, one kilogram metre per second squared.

  - title: Boiling point
    question: At what temperature does water boil at sea level?
    reverse: false
    body: At 100 degrees Celsius.

  - title: Code keeps braces
    question: Code keeps braces
    body: |
      Typed in code, `{{c9::braces}}` stay; in text the {{c1::deletion}} is asked.
"""


def recall_project(root: Path) -> Path:
    """A project holding only :data:`RECALL_TIPS`."""
    (root / "tips").mkdir(parents=True)
    (root / "guide.yaml").write_text("title: Recall\n", encoding="utf-8")
    (root / "tips" / "recall.yaml").write_text(RECALL_TIPS, encoding="utf-8")
    return root
