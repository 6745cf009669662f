"""Read YAML safely, remembering the line and column of every mapping and key."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import yaml

from guide.errors import GuideError, Problem

_SURROGATE = re.compile("[\ud800-\udfff]")
# Items (scalars, lists, mappings) a file may hold once its aliases are written out: a thousand tips
# hold about twenty thousand; a "billion laughs" file of a few lines holds billions.
MAX_ITEMS = 1_000_000


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
        key = _key(key_node)
        if key in mapping.key_positions:
            line, column = mapping.key_positions[key]
            raise yaml.constructor.ConstructorError(
                None, None, f'the key "{key}" is given twice (first on line {line}, column {column})',
                key_node.start_mark)
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_positions[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)


def _key(node: yaml.Node) -> str:
    """A mapping key as written; a list or mapping as a key is refused before it is built, since aliases
    can make a tiny file hold a key of billions of items."""
    if not isinstance(node, yaml.ScalarNode):
        raise yaml.constructor.ConstructorError(
            None, None, "a key must be a word or text, not a list or mapping", node.start_mark)
    return node.value


def _refuse_tag(loader: _LocatingLoader, node: yaml.Node) -> None:
    raise yaml.constructor.ConstructorError(
        None, None, f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not supported here; write a "
        "plain mapping or list", node.start_mark)


def _construct_located_list(loader: _LocatingLoader, node: yaml.SequenceNode) -> LocatedList:
    items = LocatedList()
    items.positions = [(item.start_mark.line + 1, item.start_mark.column + 1) for item in node.value]
    yield items
    items.extend(loader.construct_object(item, deep=True) for item in node.value)


_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_located)
_LocatingLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_located_list)
for _tag in ("omap", "pairs", "set"):  # these make lists of pairs or sets: a category would vanish silently
    _LocatingLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def _load(text: str) -> Any:
    """The document in ``text``, refused before it is built if aliases make it larger than MAX_ITEMS."""
    loader = _LocatingLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and (size := _expanded_size(node, {})) > MAX_ITEMS:
            raise yaml.constructor.ConstructorError(
                None, None, f"aliases (*name) make this file hold {size:,} items; at most {MAX_ITEMS:,} are "
                "allowed", node.start_mark)
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many nodes ``node`` holds with every alias written out, counted once per distinct node."""
    if id(node) not in sizes:
        children = node.value if isinstance(node, yaml.SequenceNode) else (
            [part for pair in node.value for part in pair] if isinstance(node, yaml.MappingNode) else [])
        sizes[id(node)] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return sizes[id(node)]


def read_text(path: Path) -> str:
    """The UTF-8 text of the regular file ``path``; anything else becomes a :class:`GuideError` naming it
    (and, for a byte that is not UTF-8, its line and column)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a FIFO would wait forever, /dev/zero never end
            raise GuideError(Problem(path, "is not a regular file (a pipe, device or folder); tips must be files"))
        data = path.read_bytes()
    except OSError as error:
        raise GuideError(Problem(path, f"cannot be read: {error.strerror or error}")) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = len(data[data.rfind(b"\n", 0, error.start) + 1:error.start].decode("utf-8", "replace")) + 1
        utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:64]
        hint = "; it looks like UTF-16: save it as UTF-8" if utf16 else "; save it as UTF-8"
        message = f"is not UTF-8 text (byte 0x{data[error.start]:02x}: {error.reason}){hint}"
        raise GuideError(Problem(path, message, line, column)) from None


def read_yaml(path: Path) -> Any:
    """Parse ``path``; a syntax error becomes a :class:`GuideError` naming file, line and column."""
    text = read_text(path)
    try:
        return _load(text)
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
