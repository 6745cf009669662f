"""A tips folder built as a user builds it, and what its PDFs should hold: files, card boxes, texts.

Shared by ``test_realistic.py`` and ``benchmarks/corpus/measure.py``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from printcheck import Box, card_boxes

from guide.config.cards import card_size
from guide.config.paper import PAPERS
from guide.formats.flashcards.geometry import best_grid

REALISTIC = Path(__file__).resolve().parent / "data" / "realistic"
FORMATS = ("cheatsheet", "flashcards", "handouts", "guide")
_PAGES_NEEDED = re.compile(r"--pages (\d+)")


@dataclass(frozen=True)
class Tip:
    category: str
    title: str
    question: str | None
    body: str


@dataclass
class Build:
    """A build's exit code and messages; ``alone`` holds the exit code of each format built by itself
    because the first build did not write it (their messages follow the build's own)."""

    output: Path
    command: tuple[str, ...]
    exit_code: int
    messages: list[str]
    alone: dict[str, int] = field(default_factory=dict)


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens, as guide names tips and handouts."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def copy_corpus(source: Path, target: Path) -> Path:
    """A copy of ``source``'s guide.yaml and tips/ in ``target``."""
    shutil.copytree(source / "tips", target / "tips")
    shutil.copy2(source / "guide.yaml", target / "guide.yaml")
    return target


def tips(project: Path) -> list[Tip]:
    """The project's tips, read straight from its YAML files."""
    found = []
    for path in sorted((project / "tips").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [Tip(data["category"], tip["title"], tip.get("question"), tip["body"]) for tip in data["tips"]]
    return found


def expected_pdfs(project: Path, formats: tuple[str, ...] = FORMATS) -> dict[str, list[str]]:
    """The PDFs each format should write, relative to the output folder."""
    categories = dict.fromkeys(tip.category for tip in tips(project))
    names = {"cheatsheet": ["cheatsheet.pdf"], "flashcards": ["flashcards.pdf"], "guide": ["guide.pdf"],
             "handouts": [f"handouts/{slug(category)}.pdf" for category in categories]}
    return {format: names[format] for format in formats}


def texts(project: Path, pdf: str) -> list[str]:
    """The Markdown whose every word ``pdf`` should print: questions and answers (titles too, except on
    flashcards; the cheat sheet may leave questions out)."""
    chosen = tips(project)
    if pdf.startswith("handouts/"):
        chosen = [tip for tip in chosen if f"handouts/{slug(tip.category)}.pdf" == pdf]
    if pdf == "flashcards.pdf":
        return [f"{tip.question or tip.title}\n\n{tip.body}" for tip in chosen]
    if pdf == "cheatsheet.pdf":
        return [f"{tip.title}\n\n{tip.body}" for tip in chosen]
    return [f"{tip.title}\n\n{tip.question or ''}\n\n{tip.body}" for tip in chosen]


def cards(paper: str = "letter", card: str = "default") -> list[Box]:
    """The boxes of the flashcards on every sheet (the grid is centred, so fronts and backs share them)."""
    grid = best_grid(PAPERS[paper], card_size(card))
    corners = [grid.front(slot) for slot in range(grid.per_sheet)]
    return card_boxes(corners, grid.card_width, grid.card_height)


def guide(project: Path, *args: str) -> subprocess.CompletedProcess:
    """``guide ARGS`` run in ``project`` by this interpreter, its output captured."""
    return subprocess.run([sys.executable, "-m", "guide", *args], cwd=project, capture_output=True, text=True)


def build(project: Path, *args: str, formats: tuple[str, ...] = FORMATS) -> Build:
    """``guide build ARGS`` in ``project``, then each format it did not write built by itself (the cheat
    sheet with the ``--pages`` its error asked for), so every PDF that can be made is there to read."""
    result = guide(project, "build", *args)
    done = Build(project / "output", ("guide", "build", *args), result.returncode, result.stderr.splitlines())
    pages = _PAGES_NEEDED.search(result.stderr)
    for format, pdfs in expected_pdfs(project, formats).items():
        if not all((done.output / pdf).is_file() for pdf in pdfs):
            extra = ("--pages", pages[1]) if format == "cheatsheet" and pages else ()
            alone = guide(project, "build", *args, "--format", format, *extra)
            done.alone[format] = alone.returncode
            done.messages += alone.stderr.splitlines()
    return done
