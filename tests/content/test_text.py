"""Tip HTML read back as text: readable for exports, or only what the PDF prints for the glyph check."""

from __future__ import annotations

from guide.content.markup import to_html
from guide.content.text import plain_text


def test_printed_text_leaves_out_what_the_pdf_does_not_print() -> None:
    html = to_html("- one $x_µ$\n\n![a ünïcode alt](p.png) after")
    assert plain_text(html).splitlines() == ["• one x_µ", "[a ünïcode alt] after"]
    assert plain_text(html, printed=True).splitlines() == ["one", "after"]
