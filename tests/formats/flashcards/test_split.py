"""Cutting a card's HTML for continuation cards: every cut keeps all the text, in order, in well-formed
pieces of the same kind, and code lines become blocks of their own."""

from __future__ import annotations

import re

import pytest
from helpers import words

from guide.content.markup import to_html
from guide.formats.flashcards.split import (
    cut,
    halves,
    mark_code_lines,
    parse,
    serialize,
    top_blocks,
)

LIST = "\n".join(f"{n}. step {n} of the recipe" for n in range(1, 11))
TABLE = "| name | value |\n|---|---|\n" + "\n".join(f"| row{n} | {n * n} |" for n in range(12))
CODE = "```python\n" + "\n".join(f"x{n} = {n}  # line {n}" for n in range(20)) + "\n```"
PARAGRAPH = "A paragraph with **bold words**, `inline code` and *emphasis* " * 8


def rendered(markdown: str) -> str:
    return mark_code_lines(str(to_html(markdown)))


def text_words(html: str) -> list[str]:
    return words(re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("markdown", [LIST, CODE, PARAGRAPH, f"Intro.\n\n{LIST}\n\n{CODE}\n\nEnd."])
@pytest.mark.parametrize("share", [0.1, 0.5, 0.9])
def test_a_cut_keeps_every_word_in_order_in_two_well_formed_pieces(markdown: str, share: float) -> None:
    html = rendered(markdown)
    head, rest = cut(html, share)
    assert text_words(head) + text_words(rest) == text_words(html)
    for piece in (head, rest):
        assert serialize(parse(piece)) == piece  # every element it opens, it closes
        assert text_words(piece)


def test_a_numbered_list_cut_in_two_goes_on_counting() -> None:
    head, rest = halves(rendered(LIST))
    count = head.count("<li>")
    assert f'start="{count + 1}"' in rest


def test_a_table_cut_in_two_repeats_its_header_row() -> None:
    html = rendered(TABLE)
    head, rest = halves(html)
    assert head.count("<th>") == rest.count("<th>") == 2
    assert text_words(head) + text_words(rest)[2:] == text_words(html)


def test_each_code_line_is_a_block_and_empty_lines_stay() -> None:
    html = rendered("```\nfirst\n\nthird\n```")
    lines = re.findall(r'<span class="line">(.*?)</span>', html)
    assert [re.sub(r"<[^>]+>", "", line) for line in lines] == ["first", "", "third"]
    assert "\n" not in html[html.index("<pre"):html.index("</pre>")]


def test_highlighted_tokens_of_a_long_code_line_may_break_between_them() -> None:
    html = rendered("```python\nresult = first_value + second_value\n```")
    assert "<wbr>" in html and text_words(html) == words("result = first_value + second_value")


@pytest.mark.parametrize("html", ["<p>word</p>", '<p><img src="x.png" alt="x"></p>'])
def test_what_cannot_be_cut_is_left_whole(html: str) -> None:
    assert halves(html) == [html]


def test_top_blocks_are_the_answer_s_blocks() -> None:
    assert len(top_blocks(rendered(f"Intro.\n\n{LIST}\n\n{CODE}"))) == 3
