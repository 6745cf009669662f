"""Laying out with WeasyPrint: what guide does around it shows in the PDFs of every format."""

from __future__ import annotations

import base64
import re
from itertools import pairwise
from pathlib import Path

import pytest
from helpers import page_texts

RED_PIXEL_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC"
)


@pytest.mark.parametrize(("format", "name"), [("cheatsheet", "cheatsheet.pdf"), ("flashcards", "flashcards.pdf")])
def test_no_word_is_left_alone_on_a_line_in_mid_sentence(built, format: str, name: str) -> None:
    # WeasyPrint breaks a line after its first word when the text before an inline element fills the
    # line but for its trailing space: the seed's "full scans vs index seeks, ... Adding `LIMIT`" did.
    lonely = [(first, second) for text in page_texts(built(format) / name)
              for first, second in pairwise(line.strip() for line in text.splitlines())
              if re.fullmatch(r"[a-z][\w’'-]*", first) and re.match(r"[a-z]", second)]
    assert lonely == []


def test_links_to_project_files_are_relative_and_pdfs_are_the_same_in_any_folder(tmp_path: Path) -> None:
    """A relative link in a tip must not become file:///home/<builder>/...: names of the builder's folders
    would leak into shared PDFs, and the bytes would differ from folder to folder."""
    from pypdf import PdfReader

    from guide.commands.build import build

    built = []
    for folder in ("first", "second-folder"):
        project = tmp_path / folder / "project"
        (project / "tips").mkdir(parents=True)
        (project / "tips" / "a.yaml").write_text(
            "category: A\ntips:\n  - title: T\n    body: '[notes](notes.txt), [up](../../../outside.txt), "
            "[web](https://example.com/x)'\n", encoding="utf-8")
        build(project, ["handouts"])
        built.append((project / "output" / "handouts" / "a.pdf").read_bytes())
    assert built[0] == built[1]
    assert b"file:" not in built[0] and str(tmp_path).encode() not in built[0]
    uris = [annotation.get_object()["/A"]["/URI"] for annotation in PdfReader(tmp_path / "first" / "project" / "output"
                                                                             / "handouts" / "a.pdf").pages[0]["/Annots"]]
    # A link's address printed after its text is part of the link: one link may have two areas.
    assert list(dict.fromkeys(uris)) == ["tips/notes.txt", "https://example.com/x"]


def test_standalone_html_references_nothing_outside_itself(tmp_path: Path) -> None:
    from guide.commands.build import build

    (tmp_path / "tips").mkdir()
    (tmp_path / "tips" / "own.png").write_bytes(RED_PIXEL_PNG)
    (tmp_path / "tips" / "a.yaml").write_text(
        "category: A\ntips:\n  - title: T\n    body: '![own](own.png) ![remote](https://example.com/r.png) "
        "Text about url(words) and src=words stays.'\n", encoding="utf-8")
    build(tmp_path, ["handouts"], given={"html": True})
    html = (tmp_path / "output" / "handouts" / "a.html").read_text(encoding="utf-8")
    assert "Text about url(words) and src=words stays." in html
    markup = "".join(re.findall(r"<style\b.*?</style>|<[^>]+>", html, re.DOTALL))
    references = re.findall(r"""(?:src|href|poster)\s*=\s*["']?([^"'\s>]+)|url\(\s*["']?([^"')]+)""", markup)
    outside = [url for pair in references for url in pair if url and not url.startswith(("data:", "#"))]
    assert outside == []
    assert f"data:image/png;base64,{base64.b64encode(RED_PIXEL_PNG).decode()}" in html
    assert str(tmp_path) not in html
