"""Read YAML safely, remembering the line and column of every mapping and key."""

from __future__ import annotations

import re
import reprlib
from pathlib import Path
from typing import Any

import yaml

from guide.errors import GuideError, Problem

_SURROGATE = re.compile("[\ud800-\udfff]")


class Located(dict):
    """A YAML mapping that knows where it and each of its keys were written."""

    line: int = 0
    column: int = 0
    key_positions: dict[str, tuple[int, int]]

    def position(self, key: str | None = None) -> tuple[int, int]:
        """Line and column (1-based) of ``key``, or of the mapping itself."""
        if key is not None and key in self.key_positions:
            return self.key_positions[key]
        return self.line, self.column


class LocatedList(list):
    """A YAML sequence that knows the line and column of each item."""

    positions: list[tuple[int, int]]


# LibYAML's parser where PyYAML was built with it (about five times faster), else the pure-Python one.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LocatingLoader(_SafeLoader):
    """SafeLoader whose mappings are :class:`Located`; it never builds Python objects from tags."""

    def construct_scalar(self, node: yaml.ScalarNode) -> Any:
        # A "\ud800" escape gives a lone surrogate: not a character, and no UTF-8 library takes it.
        value = super().construct_scalar(node)
        if isinstance(value, str) and _SURROGATE.search(value):
            raise yaml.constructor.ConstructorError(
                None, None, "a \\u escape of a lone surrogate (U+D800 to U+DFFF) is not a character",
                node.start_mark,
            )
        return value


def _construct_located(loader: _LocatingLoader, node: yaml.MappingNode) -> Located:
    mapping = Located()
    mapping.line, mapping.column = node.start_mark.line + 1, node.start_mark.column + 1
    mapping.key_positions = {}
    yield mapping
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if isinstance(key, (list, dict, set)):
            key = reprlib.repr(key)  # bounded: aliases can make a tiny file hold a huge nested key
        elif not isinstance(key, str):
            key = str(key)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_positions[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)


def _construct_located_list(loader: _LocatingLoader, node: yaml.SequenceNode) -> LocatedList:
    items = LocatedList()
    items.positions = [(item.start_mark.line + 1, item.start_mark.column + 1) for item in node.value]
    yield items
    items.extend(loader.construct_object(item, deep=True) for item in node.value)


_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_located)
_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_located_list)


def read_yaml(path: Path) -> Any:
    """Parse ``path``; a syntax error becomes a :class:`GuideError` naming file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise GuideError(Problem(path, f"is not UTF-8 text ({error.reason})")) from None
    except OSError as error:
        raise GuideError(Problem(path, f"cannot be read: {error.strerror}")) from None
    try:
        return yaml.load(text, Loader=_LocatingLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = f"invalid YAML: {error.problem or error.context}"
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise GuideError(Problem(path, message, line, column)) from None
    except yaml.reader.ReaderError as error:  # a control character: located, on one line
        line = text.count("\n", 0, error.position) + 1
        column = error.position - text.rfind("\n", 0, error.position)
        code = ord(error.character) if isinstance(error.character, str) else error.character
        message = f'invalid YAML: character U+{code:04X} is not allowed (in double quotes, write it "\\u{code:04x}")'
        raise GuideError(Problem(path, message, line, column)) from None
    except yaml.YAMLError as error:
        raise GuideError(Problem(path, f"invalid YAML: {error}")) from None
    except RecursionError:
        raise GuideError(Problem(path, "invalid YAML: lists or mappings nested too deeply")) from None
