"""Lists as GitHub reads them, for Python-Markdown: a list may start right under a paragraph line, and a
nested list belongs to the item whose text it is indented to (2, 3 or 4 spaces), keeping its numbering, also
in a loose list (items apart by blank lines)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor

# A list item line: up to 3 spaces, a bullet or "1." (GitHub lets only a list starting at 1 cut a
# paragraph short), a space.
INTERRUPTING_ITEM = re.compile(r"^[ ]{0,3}(?:[*+-]|1[.)])[ ]+\S")


class _Nesting:
    """Items split at lines that start a sibling; lines indented to an item's text are that item's own,
    un-indented by that much, so a nested list is parsed inside its item whatever its indent."""

    CHILD_RE: re.Pattern[str]
    TAG: str

    def get_items(self, block: str) -> list[str]:
        items: list[str] = []
        column = 0
        for line in block.split("\n"):
            indent = len(line) - len(line.lstrip(" "))
            match = self.CHILD_RE.match(line)
            if match and (not items or indent < column):
                if not items and self.TAG == "ol":
                    self.STARTSWITH = re.match(r"\s*(\d+)", match.group(1))[1]
                items.append(match.group(3))
                column = match.start(3)
            elif items:
                items[-1] += "\n" + line[min(indent, column):]
        return items


class OrderedList(_Nesting, SaneOListProcessor):
    """Numbered lists, numbering kept."""


class BulletList(_Nesting, SaneUListProcessor):
    """Bullet lists."""


class ParagraphThenList(BlockProcessor):
    """A paragraph whose later line starts a list ends there: the list is a block of its own."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return any(INTERRUPTING_ITEM.match(line) for line in block.split("\n")[1:])

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        lines = blocks[0].split("\n")
        first = next(index for index, line in enumerate(lines) if index and INTERRUPTING_ITEM.match(line))
        blocks[0:1] = ["\n".join(lines[:first]), "\n".join(lines[first:])]
        return False  # the paragraph (and then the list) are parsed as usual


class LooseItemContent(BlockProcessor):
    """A block after a blank line, indented to the text of the list item just above it (by 2 or 3 spaces:
    Python-Markdown wants 4), is that item's: a nested list or a further paragraph, as on GitHub."""

    def _column(self, parent: etree.Element) -> int:
        """Where the text of the last item of the list ending ``parent`` starts, or 0 without one: after
        "- " or after "N. " for the item's number N."""
        if not len(parent) or parent[-1].tag not in ("ul", "ol") or not len(parent[-1]):
            return 0
        listed = parent[-1]
        if listed.tag == "ul":
            return 2
        return len(str(int(listed.get("start", "1")) + len(listed) - 1)) + 2

    def test(self, parent: etree.Element, block: str) -> bool:
        indent = len(block) - len(block.lstrip(" "))
        return 0 < self._column(parent) <= indent < 4

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        item = parent[-1][-1]
        column = self._column(parent)
        text = "\n".join(line[column:] if line[:column].isspace() else line.lstrip(" ")
                         for line in blocks.pop(0).split("\n"))
        if item.text and not len(item):  # the item becomes loose: its text a paragraph of its own
            paragraph = etree.SubElement(item, "p")
            paragraph.text, item.text = item.text, None
        self.parser.parseBlocks(item, [text])
        return True


class GitHubLists(Extension):
    """Registers the list processors above in place of Python-Markdown's own."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.parser.blockprocessors.register(OrderedList(md.parser), "olist", 40)
        md.parser.blockprocessors.register(BulletList(md.parser), "ulist", 30)
        md.parser.blockprocessors.register(ParagraphThenList(md.parser), "paragraph_then_list", 11)
        md.parser.blockprocessors.register(LooseItemContent(md.parser), "loose_item_content", 85)
