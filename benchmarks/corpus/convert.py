"""Turn a Markdown question-and-answer collection into a guide project (guide.yaml + tips/*.yaml).

Usage: python benchmarks/corpus/convert.py SOURCE... --output DIR
SOURCE is a checkout of github.com/alexeygrigorev/data-science-interviews (theory.md, technical.md and
contrib/*.md are read) or Markdown files of that shape. Works offline; needs only PyYAML.
"""

from __future__ import annotations

import argparse
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

SOURCE_FILES = ("theory.md", "technical.md", "contrib/probability.md")
DIFFICULTY = {"👶": "easy", "⭐": "medium", "🚀": "expert"}
SKIPPED_SECTIONS = {"table of contents"}
UNANSWERED = {"", "answer here"}

_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,2})\s+(.+?)\s*$")
# A question: a whole line in bold (theory.md), or "**12) Name**. rest" / "**12)** text" (technical.md).
_BOLD_LINE = re.compile(r"^\*\*(?P<text>[^*].*?)\*\*\s*$")
_NUMBERED = re.compile(r"^\*\*(?P<number>\d+)\)\s*(?P<name>.*?)\*\*\s*(?P<rest>.*)$")
_BREAK_LINE = re.compile(r"^\s*(<br\s*/?>|&nbsp;)\s*$", re.IGNORECASE)
_LOCAL_IMAGE = re.compile(r"""(?:src=["']|\]\()(?P<path>img/[^"')\s]+)""")
_DECORATION = re.compile("[\u200d\ufe0f]")


@dataclass
class Tip:
    title: str
    question: str
    tags: list[str]
    lines: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        """The answer's Markdown, without leading or trailing blank lines."""
        return "\n".join(self.lines).strip("\n") + "\n"


@dataclass
class Category:
    name: str
    source: str
    intro: list[str] = field(default_factory=list)
    tips: list[Tip] = field(default_factory=list)


def slug(text: str) -> str:
    """Lowercase ASCII words joined by hyphens, as guide makes tip ids and file names."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def source_files(sources: list[Path]) -> list[Path]:
    """The Markdown files to read: each SOURCE file, or the known files of each SOURCE folder."""
    files: list[Path] = []
    for source in sources:
        if source.is_dir():
            files += [source / name for name in SOURCE_FILES if (source / name).is_file()]
        else:
            files.append(source)
    return files


def split_question(line: str) -> tuple[str, str] | None:
    """(question, difficulty tag) when ``line`` starts a question, else None."""
    if numbered := _NUMBERED.match(line):
        name, rest = numbered["name"].strip(), numbered["rest"].strip().lstrip(".").strip()
        return (f"{name.rstrip('.')}. {rest}" if name and rest else name or rest), ""
    if bold := _BOLD_LINE.match(line):
        text = _DECORATION.sub("", bold["text"])
        tag = next((tag for mark, tag in DIFFICULTY.items() if mark in text), "")
        for mark in DIFFICULTY:
            text = text.replace(mark, "")
        return text.strip(), tag
    return None


def title_of(question: str) -> str:
    """A short title: the question's first sentence, without a trailing period."""
    match = re.match(r"(.+?[?.!])(\s|$)", question)
    first = match[1] if match else question
    return first.rstrip(".").strip()


def parse(path: Path) -> list[Category]:
    """The categories of one Markdown file: ``## `` headings (or its ``# `` title when it has none)."""
    categories: list[Category] = []
    document_title, body, in_fence, skipping = path.stem.title(), None, False, False
    for line in path.read_text(encoding="utf-8").splitlines():
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        question = None if in_fence else split_question(line)
        if heading and heading[1] == "#":
            document_title = heading[2]
        elif heading:
            skipping = heading[2].lower() in SKIPPED_SECTIONS
            if not skipping:
                categories.append(Category(heading[2], path.stem))
            body = None if skipping else categories[-1].intro
        elif question and not skipping:
            if not categories:
                categories.append(Category(document_title, path.stem))
            text, difficulty = question
            tags = [path.stem] + ([difficulty] if difficulty else [])
            categories[-1].tips.append(Tip(title_of(text), text, tags))
            body = categories[-1].tips[-1].lines
        elif body is not None and not (not in_fence and _BREAK_LINE.match(line)):
            body.append(line)
    return [_finished(category) for category in categories]


def _finished(category: Category) -> Category:
    """``category`` without its unanswered tips, titles made unique."""
    tips, seen = [], set()
    for tip in category.tips:
        if tip.body.strip().lower() in UNANSWERED:
            continue
        title, number = tip.title, 2
        while slug(title) in seen:
            title, number = f"{tip.title} ({number})", number + 1
        seen.add(slug(title))
        tip.title = title
        tips.append(tip)
    category.tips = tips
    return category


def unique_ids(categories: list[Category]) -> None:
    """Rename tips whose id another category already uses, adding the category's name."""
    seen: set[str] = set()
    for category in categories:
        for tip in category.tips:
            if slug(tip.title) in seen:
                tip.title = f"{tip.title} ({category.name})"
            seen.add(slug(tip.title))


class _Dumper(yaml.SafeDumper):
    """Writes text with line breaks as literal blocks (``|``) where YAML allows it."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def tip_record(tip: Tip) -> dict:
    """A tip as the tips file holds it; the question only when it says more than the title."""
    record: dict = {"title": tip.title}
    if tip.question != tip.title:
        record["question"] = tip.question
    record["body"] = tip.body
    record["tags"] = tip.tags
    return record


def write_category(category: Category, order: int, tips_dir: Path) -> Path:
    """Write ``tips/<slug>.yaml`` for ``category``."""
    record: dict = {"category": category.name, "order": order}
    intro = "\n".join(category.intro).strip()
    if intro:
        record["intro"] = intro + "\n"
    record["tips"] = [tip_record(tip) for tip in category.tips]
    path = tips_dir / f"{slug(category.name)}.yaml"
    path.write_text(yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000),
                    encoding="utf-8")
    return path


def copy_images(categories: list[Category], roots: list[Path], tips_dir: Path) -> list[str]:
    """Copy the local images the Markdown refers to (``img/...``) next to the tips; returns missing ones."""
    texts = [tip.body for category in categories for tip in category.tips]
    texts += ["\n".join(category.intro) for category in categories]
    missing = []
    for name in sorted({match["path"] for text in texts for match in _LOCAL_IMAGE.finditer(text)}):
        found = next((root / name for root in roots if (root / name).is_file()), None)
        if found is None:
            missing.append(name)
            continue
        (tips_dir / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(found, tips_dir / name)
    return missing


def convert(sources: list[Path], output: Path, title: str) -> list[Category]:
    """Write ``output/guide.yaml`` and ``output/tips/`` from ``sources``; returns the categories."""
    files = source_files(sources)
    categories = [category for path in files for category in parse(path) if category.tips]
    unique_ids(categories)
    tips_dir = output / "tips"
    tips_dir.mkdir(parents=True, exist_ok=True)
    for order, category in enumerate(categories, 1):
        write_category(category, order, tips_dir)
    roots = sorted({path.parent for path in files} | {path.parent.parent for path in files})
    for name in copy_images(categories, roots, tips_dir):
        print(f"warning: image {name} not found next to the sources")
    settings = {"title": title, "subtitle": "Questions and answers by the data-science-interviews community.",
                "paper": "letter", "language": "en"}
    (output / "guide.yaml").write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True),
                                       encoding="utf-8")
    return categories


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="+", type=Path, help="the checkout, or its Markdown files")
    parser.add_argument("--output", type=Path, required=True, help="project folder to write")
    parser.add_argument("--title", default="Data Science Interviews")
    args = parser.parse_args()
    categories = convert(args.sources, args.output, args.title)
    count = sum(len(category.tips) for category in categories)
    print(f"wrote {count} tips in {len(categories)} categories to {args.output / 'tips'}")


if __name__ == "__main__":
    main()
