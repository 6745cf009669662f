"""Laying out with WeasyPrint: what guide does around it shows in the PDFs of every format."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from helpers import page_texts


@pytest.mark.parametrize(("format", "name"), [("cheatsheet", "cheatsheet.pdf"), ("flashcards", "flashcards.pdf")])
def test_no_word_is_left_alone_on_a_line_in_mid_sentence(built, format: str, name: str) -> None:
    # WeasyPrint breaks a line after its first word when the text before an inline element fills the
    # line but for its trailing space: the seed's "full scans vs index seeks, ... Adding `LIMIT`" did.
    lonely = [(first, second) for text in page_texts(built(format) / name)
              for first, second in pairwise(line.strip() for line in text.splitlines())
              if re.fullmatch(r"[a-z][\w’'-]*", first) and re.match(r"[a-z]", second)]
    assert lonely == []
