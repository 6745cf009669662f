"""Declarative checks for the YAML mappings users write: keys, types and values, all problems at once."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from guide.config import options
from guide.content.model import slugify
from guide.content.yamlfile import Located
from guide.errors import Problem

HEX_COLOR = re.compile(r"#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")
MAX_SLUG = 200


@dataclass(frozen=True)
class Field:
    """One allowed key: its type, whether it must be there, and an optional value check."""

    kind: type | tuple[type, ...]
    required: bool = False
    check: Callable[[Any], str | None] | None = None


def quoted(text: str) -> str:
    """``text`` in double quotes for a message, anything unprintable escaped: a line break or a terminal
    escape sequence in a key or a title must not split or forge the one line each problem gets."""
    return f'"{printable(text)}"'


def printable(text: str) -> str:
    """``text`` with every control or otherwise unprintable character written as its escape (``\x1b``,
    ``\n``), so that it cannot drive a terminal or break a line."""
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode() for char in text)


def _non_empty(value: str) -> str | None:
    return "must not be empty" if not value.strip() else None


def _category_name(value: str) -> str | None:
    # The name's slug names the handout's file; most file systems allow 255 bytes, less the ".pdf" and
    # the temporary name it is first written to.
    if empty := _non_empty(value):
        return empty
    length = len(slugify(value.strip()))
    return f"makes a file name of {length} characters; shorten it to at most {MAX_SLUG}" if length > MAX_SLUG else None


def _color(value: str) -> str | None:
    if HEX_COLOR.fullmatch(value.strip()):
        return None
    return f'{quoted(value)} is not a colour; write it as "#rrggbb" or "#rgb", e.g. "#2f6fb0"'


def _tags(value: list) -> str | None:
    return None if all(isinstance(tag, str) and tag.strip() for tag in value) else "must be a list of words"


def _reads(read: Callable[[Any], Any]) -> Callable[[Any], str | None]:
    """A value check from a setting's reader: its complaint, or ``None`` when it reads the value."""
    def check(value: Any) -> str | None:
        try:
            read(value)
        except ValueError as error:
            return str(error)
        return None
    return check


def setting_fields(section: options.Section) -> dict[str, Field]:
    """The guide.yaml keys of a settings section, checked by the settings' own readers."""
    return {setting.key: Field(setting.kind, check=_reads(setting.read)) for setting in section.in_file()}


SETTINGS = {**setting_fields(options.GUIDE), "flashcards": Field(dict), "cheatsheet": Field(dict), "printers": Field(dict)}
# Flashcard settings in guide.yaml (``flashcards:``) and in each printer profile (``printers: NAME:``).
FLASHCARDS = setting_fields(options.FLASHCARDS)
CHEATSHEET = setting_fields(options.CHEATSHEET)

CATEGORY = {
    "category": Field(str, required=True, check=_category_name),
    "order": Field(int),
    "color": Field(str, check=_color),
    "intro": Field(str),
    "reverse": Field(bool),
    "tips": Field(list, required=True),
}

def _id(value: str) -> str | None:
    if TIP_ID.fullmatch(value.strip()):
        return None
    return f"{quoted(value)} is not an id; use lowercase letters, digits and hyphens, e.g. \"c-sharp\""


TIP_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")

TIP = {
    "id": Field(str, check=_id),
    "title": Field(str, required=True, check=_non_empty),
    "body": Field(str, required=True, check=_non_empty),
    "question": Field(str, check=_non_empty),
    "tags": Field(list, check=_tags),
    "reverse": Field(bool),
}

_TYPE_NAMES = {str: "text", int: "a whole number", list: "a list", dict: "a mapping", bool: "true or false",
               (int, float): "a number"}


def check_mapping(data: Any, fields: dict[str, Field], path: Path, what: str,
                  where: tuple[int, int] | None = None) -> list[Problem]:
    """Every problem with ``data`` against ``fields``; ``what`` names it in messages (e.g. 'tip "X"').

    ``where`` locates ``data`` when it is not a mapping (which carries its own position).
    """
    if not isinstance(data, Located):
        line, column = where or (None, None)
        return [Problem(path, f"{what} must be a mapping of keys to values", line, column)]
    problems = []
    for key, value in data.items():
        line, column = data.position(key)
        field = fields.get(key)
        if field is None:
            hint = difflib.get_close_matches(key, fields, n=1)
            suggestion = f' (did you mean "{hint[0]}"?)' if hint else f" (allowed: {', '.join(fields)})"
            problems.append(Problem(path, f'{what} has an unknown key {quoted(key)}{suggestion}', line, column))
        elif not _is_kind(value, field.kind):
            problems.append(Problem(path, f'{what}: "{key}" must be {_TYPE_NAMES[field.kind]}', line, column))
        elif field.check and (message := field.check(value)):
            problems.append(Problem(path, f'{what}: "{key}" {message}', line, column))
    for key, field in fields.items():
        if field.required and key not in data:
            line, column = data.position()
            problems.append(Problem(path, f'{what} has no {key}', line, column))
    return problems


def _is_kind(value: Any, kind: type | tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return kind is bool
    if kind is int:
        return isinstance(value, int)
    if kind is str:
        return isinstance(value, str)
    return isinstance(value, kind)
