"""The typed model every format renders from: a guide of categories of tips."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup

from guide.config.options import Settings


def slugify(text: str) -> str:
    """A stable, ASCII, lowercase id: "Bias-variance tradeoff" -> "bias-variance-tradeoff".

    Letters with no ASCII form (中文, العربية) would vanish, so such a title also gets a short hash of
    itself: two different titles never share an id, and file names stay ASCII.
    """
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_text = decomposed.encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    lost = any(char.isalnum() and not char.isascii() and not unicodedata.combining(char) for char in decomposed)
    if lost or not slug:
        suffix = hashlib.sha256(text.strip().encode()).hexdigest()[:8]
        return f"{slug or 'tip'}-{suffix}"
    return slug


@dataclass(frozen=True)
class Source:
    """Where a piece of input was written, for messages."""

    path: Path
    line: int


@dataclass(frozen=True)
class Deletion:
    """One cloze card of a tip: its deletion number, the text with that number blanked (front) and with
    it highlighted (back), as safe HTML."""

    number: int
    front_html: Markup
    back_html: Markup


@dataclass(frozen=True)
class Tip:
    """One tip: a title, a Markdown body (also as safe HTML) and a question (the title unless given), whose
    inline Markdown (code, emphasis) is rendered too."""

    id: str
    title: str
    body: str
    body_html: Markup
    question: str
    tags: tuple[str, ...]
    source: Source
    question_html: Markup = field(default_factory=Markup)
    # A cloze tip's cards, one per deletion number (its body holds {{c1::...}}); none for other tips.
    deletions: tuple[Deletion, ...] = ()
    # Whether the tip also gets the card asking the other way: the answer in front, the question behind.
    reverse: bool = False

    @property
    def asks(self) -> bool:
        """Whether the question says more than the title, so a format showing the title shows it too."""
        return self.question != self.title


@dataclass(frozen=True)
class Category:
    """A named, coloured group of tips, read from one YAML file."""

    name: str
    slug: str
    color: str
    tips: tuple[Tip, ...]
    source: Source
    order: int | None = None
    intro_html: Markup = Markup("")
    # The shape drawn before the name (guide.content.badges), assigned with the colour.
    badge: Markup = Markup("")

    def with_tags(self, tags: set[str]) -> Category:
        """Only the tips carrying one of ``tags`` (lowercase); all of them when ``tags`` is empty."""
        if not tags:
            return self
        return dataclasses.replace(self, tips=tuple(tip for tip in self.tips if tags & {t.lower() for t in tip.tags}))


@dataclass(frozen=True)
class Guide:
    """Everything a format needs: settings, categories in order, and the folders they came from."""

    settings: Settings
    categories: tuple[Category, ...]
    root: Path
    tips_dir: Path
    last_changed: str = ""
    sources: tuple[Path, ...] = field(default=())
    # What the reader should know but that does not stop a build (e.g. an image shown as a placeholder).
    warnings: tuple[str, ...] = field(default=())

    @property
    def tips(self) -> tuple[Tip, ...]:
        """All tips, category by category."""
        return tuple(tip for category in self.categories for tip in category.tips)

    def select(self, categories: Iterable[str] = (), tags: Iterable[str] = ()) -> Guide:
        """Only the named categories (by name or slug) and tips carrying one of ``tags``; empty means all."""
        from guide.errors import GuideError

        problems = [*_unknown("--category", "categories", categories, {c.slug: c.name for c in self.categories}, slugify),
                    *_unknown("--tag", "tags", tags, {tag.lower(): tag for tip in self.tips for tag in tip.tags}, str.lower)]
        if problems:
            raise GuideError(problems)
        wanted = {slugify(name) for name in categories}
        tag_set = {tag.lower() for tag in tags}
        chosen = [kept for category in self.categories if not wanted or category.slug in wanted
                  if (kept := category.with_tags(tag_set)).tips]
        if not chosen:
            raise GuideError("no tip matches the chosen --category/--tag")
        return dataclasses.replace(self, categories=tuple(chosen))


def _unknown(option: str, plural: str, names: Iterable[str], known: dict[str, str], key) -> list[str]:
    """A message per name in ``names`` that is not in ``known`` (key -> display name) once made a key,
    with the closest known name and the list of them all."""
    import difflib

    messages = []
    for name in names:
        if key(name) in known:
            continue
        close = difflib.get_close_matches(key(name), known, n=1, cutoff=0.6)
        hint = f'did you mean "{known[close[0]]}"? ' if close else ""
        listed = ", ".join(f'"{value}"' for value in sorted(known.values(), key=str.lower))
        messages.append(f'unknown {option} "{name}": {hint}({plural}: {listed})')
    return messages
