"""Shared fixtures and helpers: the seed text the tips were written from, project copies, builds, PDF text.

Format test files reuse them: ``built(format)`` builds the real tips once per session, ``pdf_words(path)``
reads a PDF as normalised words and ``missing_in_order`` compares those with the seed's words.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfReader

from guide.build import build
from guide.cli import main
from guide.loader import load_guide
from guide.model import Guide

ROOT = Path(__file__).resolve().parent.parent
SEED_FILE = Path(__file__).resolve().parent / "data" / "seed.txt"

# A body paragraph ends a sentence (maybe inside a closing quote); titles and headings never do.
_SENTENCE_END = re.compile(r"[.!?]['\"’”)]?$")
# A hyphen inside a word, or one that breaks a word across lines: "one-hot", "auto-\nmatic", "auto‐\nmatic".
_WORD_HYPHEN = re.compile(r"(?<=[^\W_])[-\u2010\u00ad]\n?(?=[^\W_])")
_WORD = re.compile(r"[^\W_]+")


def pytest_configure(config: pytest.Config) -> None:
    # ziamath (math typesetting) still uses a deprecated importlib.resources call.
    config.addinivalue_line("filterwarnings", "ignore:path is deprecated:DeprecationWarning:ziamath")


# --- the seed ---------------------------------------------------------------------------------------------

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


@pytest.fixture(scope="session")
def seed() -> Seed:
    return SEED


@pytest.fixture(params=SEED.categories, ids=lambda category: category.name)
def seed_category(request: pytest.FixtureRequest) -> SeedCategory:
    """Each category of the seed in turn."""
    return request.param


# --- words and PDFs -----------------------------------------------------------------------------------------

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


# --- projects and builds ------------------------------------------------------------------------------------

def copy_project(target: Path) -> Path:
    """A copy of the project's tips/ and guide.yaml in ``target``; templates and styles are the defaults."""
    shutil.copytree(ROOT / "tips", target / "tips")
    shutil.copy2(ROOT / "guide.yaml", target / "guide.yaml")
    return target


def build_pdfs(project: Path, format: str, output: Path, paper: str | None = None) -> Path:
    """Build ``format`` for ``project`` into ``output`` through the library; returns ``output``."""
    build(project, [format], output, overrides={"paper": paper})
    return output


@pytest.fixture(scope="session", autouse=True)
def _as_a_user_builds() -> Iterator[None]:
    """Builds run without SOURCE_DATE_EPOCH, as a user's do, even where CI sets it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        yield


@pytest.fixture(scope="session")
def real_guide() -> Guide:
    """The project's own guide.yaml and tips, loaded."""
    return load_guide(ROOT)


@pytest.fixture(scope="session")
def session_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One copy of the project shared by the session's builds: do not modify it."""
    return copy_project(tmp_path_factory.mktemp("project"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A fresh copy of the project that a test may change."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(session_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """``built(format, paper=None)``: the output folder of that build of the real tips, built once."""
    outputs: dict[tuple[str, str | None], Path] = {}

    def get(format: str, paper: str | None = None) -> Path:
        if (format, paper) not in outputs:
            output = tmp_path_factory.mktemp(f"{format}-{paper or 'default'}")
            outputs[format, paper] = build_pdfs(session_project, format, output, paper)
        return outputs[format, paper]

    return get



def run_guide(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """``guide ARGS`` as a user runs it, with ``project`` as the working folder."""
    monkeypatch.chdir(project)
    return CliRunner().invoke(main, list(args))
