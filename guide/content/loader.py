"""Read ``guide.yaml`` and ``tips/*.yaml``, validate them, and build the :class:`Guide` model."""

from __future__ import annotations

import dataclasses
import os
import subprocess
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from markupsafe import Markup

from guide.config import options
from guide.config.options import Settings
from guide.content import badges, schema
from guide.content.cloze import FULL, View
from guide.content.images import with_placeholders
from guide.content.markup import MarkupError, cloze_numbers, to_html
from guide.content.model import Category, Deletion, Guide, Source, Tip, slugify
from guide.content.yamlfile import Located, LocatedList, read_yaml
from guide.errors import GuideError, Problem

SETTINGS_FILE = "guide.yaml"
# Distinct hues dark enough for white chip text (WCAG AA, 4.5:1 or more); in grayscale categories tell
# apart by their badges.
PALETTE = ("#1f4e79", "#2e7d32", "#7b3fa0", "#c0392b", "#9a6700", "#00838f", "#4a5563", "#ad1457",
           "#5d4037", "#6b7a1a", "#283593", "#00695c")


def load_settings(root: Path, given: Mapping[str, Any] | None = None) -> Settings:
    """Settings from ``root/guide.yaml`` (optional) under the command line's ``given`` values (by key)."""
    path = root / SETTINGS_FILE
    data = read_yaml(path) if path.is_file() else None
    if data is None:
        data = Located()
        data.key_positions = {}
    problems = schema.check_mapping(data, schema.SETTINGS, path, "settings")
    problems += _check_sections(data, path)
    if problems:
        raise GuideError(problems)
    settings = options.GUIDE.resolve(given or {}, data)
    printers = data.get("printers", {})
    if settings.printer and settings.printer not in printers:
        known = ", ".join(printers) or "none defined"
        line, column = data.position("printer") if "printer" in data else (None, None)
        raise GuideError(Problem(path, f'no printer profile {schema.quoted(settings.printer)} under "printers:" ({known})',
                                 line, column))
    return dataclasses.replace(settings, flashcards=data.get("flashcards", {}), cheatsheet=data.get("cheatsheet", {}),
                               printers=printers)


def _check_sections(data: Located, path: Path) -> list[Problem]:
    """The ``flashcards:`` and ``cheatsheet:`` sections and every printer profile (flashcard settings)."""
    if not isinstance(data, Located):  # a list or a scalar: check_mapping already said so
        return []
    problems = []
    for key, fields in (("flashcards", schema.FLASHCARDS), ("cheatsheet", schema.CHEATSHEET)):
        if isinstance(data.get(key), Located):
            problems += schema.check_mapping(data[key], fields, path, key)
    if isinstance(data.get("printers"), Located):
        for name, profile in data["printers"].items():
            problems += schema.check_mapping(profile, schema.FLASHCARDS, path, f"printer {schema.quoted(name)}",
                                             data["printers"].position(name))
    return problems


def load_guide(root: Path, tips_dir: Path | None = None, given: Mapping[str, Any] | None = None,
               markdown: Callable[[str, View], Markup] = to_html) -> Guide:
    """The whole guide rooted at ``root``; every problem in every file is reported in one error.
    ``markdown`` turns tip text into HTML (a cached :func:`guide.content.markup.to_html` in builds)."""
    root = root.resolve()
    tips_dir = (tips_dir or root / "tips").resolve()
    settings = load_settings(root, given)
    files = sorted(tips_dir.glob("*.yaml")) + sorted(tips_dir.glob("*.yml")) if tips_dir.is_dir() else []
    if not files:
        raise GuideError(Problem(tips_dir, "holds no tips: add a YAML file per category (see README)"))
    problems: list[Problem] = []
    warnings: list[str] = []

    def tip_markdown(text: str, where: Source, tip_id: str, view: View = FULL) -> Markup:
        """``markdown(text, view)`` with images the build cannot draw shown as placeholders, each warned
        about once (in the full view)."""
        body, reasons = with_placeholders(markdown(text, view), tips_dir, (root, tips_dir))
        warnings.extend(str(Problem(where.path, f'tip "{tip_id}": {reason}', where.line))
                        for reason in reasons if view == FULL)
        return body

    categories = []
    for path in files:
        try:
            category = _read_category(path, problems, markdown, tip_markdown)
        except GuideError as error:
            problems.extend(error.problems)
            continue
        if category:
            categories.append(category)
    problems.extend(_duplicates(categories))
    if problems:
        raise GuideError(problems)
    ordered = sorted(enumerate(categories), key=lambda pair: (pair[1].order is None, pair[1].order or 0, pair[0]))
    categories = [_marked(category, index) for index, (_, category) in enumerate(ordered)]
    sources = tuple([root / SETTINGS_FILE] if (root / SETTINGS_FILE).is_file() else []) + tuple(files)
    return Guide(settings, tuple(categories), root, tips_dir, _last_changed(tips_dir, files), sources,
                 tuple(warnings))


def _marked(category: Category, index: int) -> Category:
    """``category`` with its colour (its own, else the palette's) and the badge of its place in the guide."""
    color = category.color or PALETTE[index % len(PALETTE)]
    return dataclasses.replace(category, color=color, badge=badges.badge(index, color))


def _read_category(path: Path, problems: list[Problem], markdown: Callable[[str, View], Markup],
                   tip_markdown: Callable[..., Markup]) -> Category | None:
    data = read_yaml(path)
    if data is None:
        problems.append(Problem(path, "is empty: it needs a category name and a list of tips"))
        return None
    found = schema.check_mapping(data, schema.CATEGORY, path, "category file")
    problems.extend(found)
    raw_tips = data.get("tips") if isinstance(data, Located) else None
    tips = []
    if isinstance(raw_tips, LocatedList):
        for index, (raw, where) in enumerate(zip(raw_tips, raw_tips.positions), 1):
            title = raw.get("title") if isinstance(raw, dict) else None
            label = f"tip {schema.quoted(title)}" if isinstance(title, str) else f"tip {index}"
            tip_problems = schema.check_mapping(raw, schema.TIP, path, label, where)
            problems.extend(tip_problems)
            if not tip_problems:
                try:
                    tips.append(_tip(raw, path, tip_markdown, data.get("reverse") is True))
                except MarkupError as error:
                    problems.append(Problem(path, f"{label}: the body {error}", *raw.position("body")))
                except _Misplaced as error:
                    problems.append(Problem(path, f"{label}: {error.args[0]}", *raw.position(error.args[1])))
        if not raw_tips:
            line, column = data.position("tips")
            name = data.get("category")
            what = f"category {schema.quoted(name)}" if isinstance(name, str) else "category file"
            problems.append(Problem(path, f"{what} has no tips", line, column))
    if found:
        return None
    name = data["category"].strip()
    try:
        intro_html = markdown(data["intro"], FULL) if data.get("intro") else Markup("")
    except MarkupError as error:
        problems.append(Problem(path, f"category {schema.quoted(name)}: the intro {error}", *data.position("intro")))
        return None
    return Category(
        name=name,
        slug=slugify(name),
        color=data.get("color", "").strip(),
        tips=tuple(tips),
        source=Source(path, data.line),
        order=data.get("order"),
        intro_html=intro_html,
    )


class _Misplaced(Exception):
    """A key whose value does not go with the rest of the tip: (message, key)."""


def _tip(raw: Located, path: Path, markdown: Callable[..., Markup], category_reverse: bool) -> Tip:
    """The tip ``raw``; ``category_reverse`` is its category's ``reverse:``, which the tip's own overrides."""
    title = raw["title"].strip()
    question = (raw.get("question") or title).strip()
    source = Source(path, raw.line)
    tip_id = raw.get("id", "").strip() or slugify(title)
    body_html = markdown(raw["body"], source, tip_id)  # reports a malformed deletion first
    numbers = cloze_numbers(raw["body"])
    if cloze_numbers(question):
        raise _Misplaced("the question has a cloze deletion; deletions belong in the body", "question")
    if numbers and raw.get("reverse") is True:
        raise _Misplaced("a cloze tip has no reversed card: remove \"reverse: true\"", "reverse")
    return Tip(
        id=tip_id,
        title=title,
        body=raw["body"],
        body_html=body_html,
        question=question,
        tags=tuple(tag.strip() for tag in raw.get("tags", [])),
        source=source,
        question_html=markdown(question, source, tip_id),
        deletions=tuple(Deletion(number, markdown(raw["body"], source, tip_id, View("front", number)),
                                 markdown(raw["body"], source, tip_id, View("back", number)))
                        for number in numbers),
        reverse=not numbers and raw.get("reverse", category_reverse),
    )


def _duplicates(categories: list[Category]) -> list[Problem]:
    problems = []
    seen: dict[str, Tip] = {}
    for tip in (tip for category in categories for tip in category.tips):
        first = seen.setdefault(tip.id, tip)
        if first is not tip:
            where = f"{first.source.path.name}:{first.source.line}"
            problems.append(Problem(tip.source.path, f'tip {schema.quoted(tip.title)} has the same id "{tip.id}" as '
                                                     f'the tip at {where}; give one of them its own "id:"', tip.source.line))
    names: dict[str, Category] = {}
    for category in categories:
        first = names.setdefault(category.slug, category)
        if first is not category:
            problems.append(Problem(category.source.path, f'category {schema.quoted(category.name)} is also defined in {first.source.path.name}', category.source.line))
    return problems


def _last_changed(tips_dir: Path, files: list[Path]) -> str:
    """The date the tips last changed: SOURCE_DATE_EPOCH, else the last commit touching them, else file times."""
    if epoch := os.environ.get("SOURCE_DATE_EPOCH"):
        return datetime.fromtimestamp(int(epoch), timezone.utc).date().isoformat()
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", "."],
            cwd=tips_dir, capture_output=True, text=True, timeout=5, check=False,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "."],
            cwd=tips_dir, capture_output=True, text=True, timeout=5, check=False,
        )
        if result.returncode == 0 and result.stdout.strip() and not dirty.stdout.strip():
            return result.stdout.strip()
    except (OSError, subprocess.SubprocessError):
        pass
    newest = max(path.stat().st_mtime for path in files)
    return datetime.fromtimestamp(newest, timezone.utc).date().isoformat()
