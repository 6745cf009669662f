"""The cheat sheet, the handouts and the guide print a cloze tip's full text, its deletions in bold (and
underlined) and their hints left out."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from helpers import page_texts, recall_project

from guide.commands.build import build


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = recall_project(tmp_path_factory.mktemp("recall"))
    build(project, ["cheatsheet", "handouts", "guide"], project / "output")
    return project / "output"


@pytest.mark.parametrize("name", ["cheatsheet.pdf", "handouts/recall.pdf", "guide.pdf"])
def test_deletions_print_in_full_and_in_bold(printed: Path, name: str) -> None:
    with pdfplumber.open(printed / name) as pdf:
        found = [word for page in pdf.pages for word in page.extract_words(extra_attrs=["fontname"])]
    text = " ".join(" ".join(page_texts(printed / name)).split())
    assert "Paris is the capital of France; Berlin is that of" in text
    assert "in text the deletion is asked." in text and "{{c9::braces}}" in text
    assert "country" not in text and "[…]" not in text and "{{c1::" not in text
    weights = {word["text"].strip(";."): "Bold" in word["fontname"] for word in found}
    assert {word: weights[word] for word in ("Paris", "France", "Berlin", "deletion", "capital", "Typed")} == \
        {"Paris": True, "France": True, "Berlin": True, "deletion": True, "capital": False, "Typed": False}
