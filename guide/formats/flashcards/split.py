"""Cut a card's HTML where a continuation card may take over: between blocks, list items, table rows,
code lines and, inside a paragraph, between words; and make each line of a code block a block of its own
so that a wrapped line can carry a mark."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

# Elements with no content and no end tag.
VOID = {"img", "br", "hr", "wbr", "input", "source", "col"}
# Blocks whose children are the places to cut: the cut pieces repeat the element around them.
CONTAINERS = {"ul", "ol", "blockquote", "div", "dl", "details", "section", "figure"}
# Elements laid out as blocks, whose weights are counted in lines.
BLOCKS = {"p", "ul", "ol", "li", "pre", "div", "table", "thead", "tbody", "tr", "blockquote", "dl", "dt", "dd",
          "h1", "h2", "h3", "h4", "h5", "h6", "figure", "details", "section"}
# How much cutting weighs a picture against characters of text.
PICTURE_WEIGHT = 60


@dataclass
class Element:
    """An HTML element and its children: elements and text (escaped when written back)."""

    tag: str
    attrs: list[tuple[str, str | None]] = field(default_factory=list)
    children: list[Element | str] = field(default_factory=list)

    def empty_copy(self) -> Element:
        return Element(self.tag, list(self.attrs))

    def attr(self, name: str) -> str | None:
        return dict(self.attrs).get(name)

    def blocks(self) -> list[Element]:
        """The element children; text between them is ignored only when it is white space."""
        return [child for child in self.children if isinstance(child, Element)]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("root")
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, attrs)
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.open[-1].children.append(Element(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.open[-1].children.append(data)


def parse(html: str) -> Element:
    """The element tree of ``html`` under a root element."""
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.root


def serialize(node: Element | str) -> str:
    if isinstance(node, str):
        return escape(node, quote=False)
    attrs = "".join(f' {name}="{escape(value)}"' if value is not None else f" {name}" for name, value in node.attrs)
    if node.tag in VOID:
        return f"<{node.tag}{attrs}>"
    inner = "".join(serialize(child) for child in node.children)
    return inner if node.tag == "root" else f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def top_blocks(html: str) -> list[str]:
    """The top-level blocks of ``html``; text outside any element is dropped only when blank."""
    root = parse(html)
    return [serialize(child) for child in root.children if isinstance(child, Element) or child.strip()]


def halves(html: str, line: float = 1.0) -> list[str]:
    """``html`` (one or more blocks) cut in two near the middle: see :func:`cut`."""
    return cut(html, 0.5, line)


def cut(html: str, share: float, line: float = 1.0) -> list[str]:
    """``html`` (one or more blocks) cut in two, the first holding about ``share`` of it (at least one
    piece), at the finest place the content allows: between blocks, list items, table rows, code lines,
    words; ``[html]`` when it holds nothing to cut between (one word, one picture). A block, item, row or
    code line counts as whole lines of ``line`` characters."""
    root = parse(html)
    nodes = [child for child in root.children if isinstance(child, Element) or child.strip()]
    if len(nodes) > 1:
        return _cut_nodes(nodes, share, line)
    if not nodes or isinstance(nodes[0], str):
        return [html]
    return [serialize(part) for part in _cut(nodes[0], share, line)]


def _cut_nodes(nodes: list[Element | str], share: float, line: float) -> list[str]:
    """Several blocks cut between two of them, or inside the first when it alone is far more than wanted."""
    weights = [_lines(_weight(node), line) for node in nodes]
    first, second = _split_list(nodes, weights, share)
    if len(first) == 1 and isinstance(first[0], Element) and weights[0] > 2 * share * sum(weights):
        head = _cut(first[0], share * sum(weights) / weights[0], line)
        if len(head) == 2:
            return [serialize(head[0]), serialize(head[1]) + "".join(serialize(node) for node in second)]
    return ["".join(serialize(node) for node in first), "".join(serialize(node) for node in second)]


def weight(html: str, line: float = 1.0) -> float:
    """How much ``html`` holds, as :func:`cut` counts it: characters (pictures as many), its blocks, items,
    rows and code lines rounded up to whole lines of ``line`` characters."""
    return _weight(parse(html), line)


def _lines(amount: float, line: float) -> float:
    return max(1, -(-amount // line)) * line


def _cut(element: Element, share: float, line: float) -> list[Element]:
    """``element`` as two elements of the same kind, the first holding about ``share`` of its content."""
    if element.tag == "table":
        return _cut_table(element, share, line)
    pre = _find(element, "pre")
    if pre is not None:
        return _cut_lines(element, share, line)
    children = element.blocks()
    if element.tag in CONTAINERS and len(children) > 1:
        first, second = _split_list(children, [_weight(child, line) for child in children], share)
        return [_with(element, first), _with(element, second, len(first))]
    if element.tag in CONTAINERS and len(children) == 1:
        return [_with(element, [part]) for part in _cut(children[0], share, line)]
    return _cut_words(element, share)


def _with(element: Element, children: list[Element], skipped: int = 0) -> Element:
    """A copy of ``element`` holding ``children``; a numbered list goes on counting from where it was cut."""
    copy = element.empty_copy()
    copy.children = list(children)
    if element.tag == "ol" and skipped:
        start = int(element.attr("start") or 1) + skipped
        copy.attrs = [(name, value) for name, value in copy.attrs if name != "start"] + [("start", str(start))]
    return copy


def _cut_table(table: Element, share: float, line: float) -> list[Element]:
    """Two tables, each with the head and about half the body rows."""
    head = [section for section in table.blocks() if section.tag == "thead"]
    rows = [row for section in table.blocks() if section.tag != "thead"
            for row in (section.blocks() if section.tag in ("tbody", "tfoot") else [section])]
    if len(rows) < 2:
        return [table]
    first, second = _split_list(rows, [_weight(row, line) for row in rows], share)
    return [_with(table, [*head, Element("tbody", children=part)]) for part in (first, second)]


def _cut_lines(element: Element, share: float, line: float) -> list[Element]:
    """A code block cut between its lines."""
    lines = _code_lines(_leaves(element))
    if len(lines) < 2:
        return _cut_words(element, share)
    weights = [_lines(sum(_leaf_weight(leaf) for leaf in code), line) for code in lines]
    first, second = _split_list(lines, weights, share)
    return [_rebuild(element, [leaf for line in part for leaf in line]) for part in (first, second)]


def _code_lines(leaves: list[Leaf]) -> list[list[Leaf]]:
    """The leaves of a code block by line: by ``span.line`` once :func:`mark_code_lines` made them, else
    between line breaks."""
    if not any(_line_of(leaf) for leaf in leaves):
        return _split_leaves(leaves, "\n")
    lines: list[list[Leaf]] = []
    current = None
    for leaf in leaves:
        line = _line_of(leaf)
        if not lines or line is not current:
            lines.append([])
            current = line
        lines[-1].append(leaf)
    return lines


def _line_of(leaf: Leaf) -> Element | None:
    """The ``span.line`` a leaf is in, or is (an empty line)."""
    path, content = leaf
    return next((element for element in (*path, content)
                 if isinstance(element, Element) and element.tag == "span" and element.attr("class") == "line"), None)


def _cut_words(element: Element, share: float) -> list[Element]:
    """A block of text cut between two words."""
    words = _split_leaves(_leaves(element), " ")
    if len(words) < 2:
        return [element]
    first, second = _split_list(words, [sum(_leaf_weight(leaf) for leaf in word) for word in words], share)
    return [_rebuild(element, [leaf for word in part for leaf in word]) for part in (first, second)]


# A leaf is a piece of text or an element without content (a picture, an empty line), with the elements
# it sits in, outermost first.
Leaf = tuple[tuple[Element, ...], "Element | str"]


def _leaves(element: Element, path: tuple[Element, ...] = ()) -> list[Leaf]:
    found: list[Leaf] = []
    for child in element.children:
        if isinstance(child, str) or child.tag in VOID or not child.children:
            found.append((path, child))
        else:
            found += _leaves(child, (*path, child))
    return found


def _split_leaves(leaves: list[Leaf], separator: str) -> list[list[Leaf]]:
    """Leaves grouped into words (``" "``) or lines (``"\\n"``); the separator stays at a group's end."""
    groups: list[list[Leaf]] = [[]]
    for path, leaf in leaves:
        if isinstance(leaf, Element):
            groups[-1].append((path, leaf))
            continue
        pieces = leaf.split(separator)
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            text = piece if last else piece + separator
            if text:
                groups[-1].append((path, text))
            if not last:
                groups.append([])
    return [group for group in groups if group]


def _rebuild(element: Element, leaves: list[Leaf]) -> Element:
    """A copy of ``element`` holding only ``leaves``, each inside copies of the elements it sat in."""
    copy = element.empty_copy()
    open_: list[tuple[Element | None, Element]] = [(None, copy)]
    for path, leaf in leaves:
        depth = 0
        while depth < len(path) and depth + 1 < len(open_) and open_[depth + 1][0] is path[depth]:
            depth += 1
        del open_[depth + 1:]
        for original in path[depth:]:
            inner = original.empty_copy()
            open_[-1][1].children.append(inner)
            open_.append((original, inner))
        open_[-1][1].children.append(leaf)
    return copy


def _split_list(items: list, weights: list[float], share: float) -> tuple[list, list]:
    """``items`` in two non-empty runs, the first the longest holding at most ``share`` of the weight."""
    total, running, index = sum(weights), 0.0, 1
    for end, amount in enumerate(weights[:-1], 1):
        running += amount
        if running > share * total:
            break
        index = end
    return items[:index], items[index:]


def _weight(node: Element | str, line: float = 1.0) -> float:
    """Characters in ``node``; an element's blocks (or code lines) each rounded up to whole lines."""
    if isinstance(node, str):
        return len(node)
    if node.tag == "pre":
        return sum(_lines(sum(_leaf_weight(leaf) for leaf in code), line) for code in _code_lines(_leaves(node)))
    if node.blocks() and all(child.tag in BLOCKS for child in node.blocks()):
        return sum(_weight(child, line) for child in node.blocks())
    return _lines(sum(_leaf_weight(leaf) for leaf in _leaves(node)), line)


def _leaf_weight(leaf: Leaf) -> float:
    _, content = leaf
    if isinstance(content, Element):
        return PICTURE_WEIGHT if content.tag == "img" else 0
    return len(content)


def _find(element: Element, tag: str) -> Element | None:
    if element.tag == tag:
        return element
    return next((found for child in element.blocks() if (found := _find(child, tag)) is not None), None)


def mark_code_lines(html: str) -> str:
    """``html`` with each line of every code block in a ``<span class="line">`` of its own; the line
    breaks between them go, as each line is a block. A last empty line is dropped."""
    if "<pre" not in html:
        return html
    root = parse(html)
    _mark(root)
    return serialize(root)


def _mark(element: Element) -> None:
    for child in element.blocks():
        if child.tag == "pre":
            target = next((inner for inner in child.blocks() if inner.tag == "code"), child)
            target.children = _without_line_spans(target.children)
            lines = _split_leaves(_leaves(target), "\n")
            target.children = [_line(target, line) for line in lines]
        else:
            _mark(child)


def _without_line_spans(children: list[Element | str]) -> list[Element | str]:
    """Code children with the markup's own ``span.line`` wrappers taken off (their text keeps its line
    breaks), so that the lines are marked once, as the cards cut and draw them."""
    return [inner for child in children
            for inner in (child.children if isinstance(child, Element) and child.attr("class") == "line" else [child])]


def _line(target: Element, line: list[Leaf]) -> Element:
    """One code line as a ``span.line`` holding copies of the elements its text sat in."""
    path, last = line[-1]
    if isinstance(last, str) and last.endswith("\n"):
        line = [*line[:-1], (path, last[:-1])] if last != "\n" else line[:-1]
    span = _rebuild(Element("span", [("class", "line")]), line)
    # WeasyPrint breaks a word too long for the line only inside one element: a code line that runs on
    # through several highlighted tokens may break between any two of them.
    children = span.children
    span.children = [child for index, item in enumerate(children)
                     for child in ((Element("wbr"), item) if index else (item,))]
    return span
