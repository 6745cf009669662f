"""Cloze deletions in tip text: read by the Markdown pipeline (never inside code), printed as each view
asks, and the tips they make; ``reverse`` on tips and categories; mistakes reported by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import recall_project

from guide.content.cloze import ANKI, View
from guide.content.loader import load_guide
from guide.content.markup import MarkupError, cloze_numbers, to_html
from guide.errors import GuideError

TEXT = "{{c1::Paris}} is the *capital* of {{c2::**France**::country}}; {{c1::Berlin}} too."


@pytest.mark.parametrize(("view", "html"), [
    (View(), ('<span class="cloze">Paris</span> is the <em>capital</em> of <span class="cloze"><strong>France'
              '</strong></span>; <span class="cloze">Berlin</span> too.')),
    (View("front", 1), ('<span class="cloze-blank">[…]</span> is the <em>capital</em> of <span><strong>France'
                        '</strong></span>; <span class="cloze-blank">[…]</span> too.')),
    (View("front", 2), ('<span>Paris</span> is the <em>capital</em> of <span class="cloze-blank">[country]</span>; '
                        '<span>Berlin</span> too.')),
    (View("back", 2), ('<span>Paris</span> is the <em>capital</em> of <span class="cloze"><strong>France</strong>'
                       '</span>; <span>Berlin</span> too.')),
    (ANKI, "{{c1::Paris}} is the <em>capital</em> of {{c2::<strong>France</strong>::country}}; {{c1::Berlin}} too."),
])
def test_each_view_prints_the_deletions_its_way(view: View, html: str) -> None:
    assert to_html(TEXT, view) == f"<p>{html}</p>"
    assert cloze_numbers(TEXT) == (1, 2)


@pytest.mark.parametrize("text", ["`{{c1::code}}`", "```\n{{c1::block}}\n```", "    {{c1::indented}}",
                                  "\\{{c1::escaped}}", "{{c1:one colon}}", "{{cloze:Text}}"])
def test_code_escapes_and_other_braces_stay_as_typed(text: str) -> None:
    assert cloze_numbers(text) == ()
    assert 'class="cloze' not in to_html(text)


@pytest.mark.parametrize("text", ["{{c::x}}", "{{c0::x}}", "{{c1::}}", "an {{c1::unclosed one", "{{c1::a {{c2::b}} c}}"])
def test_a_malformed_deletion_is_refused(text: str) -> None:
    with pytest.raises(MarkupError, match="has a malformed cloze deletion"):
        to_html(text)


def test_cloze_and_reverse_tips_load(tmp_path: Path) -> None:
    capitals, force, boiling, code = load_guide(recall_project(tmp_path)).tips
    assert [deletion.number for deletion in capitals.deletions] == [1, 2]
    assert "[country]" in capitals.deletions[1].front_html and "France" not in capitals.deletions[1].front_html
    assert (capitals.reverse, force.reverse, boiling.reverse, code.reverse) == (False, True, False, False)
    assert [deletion.number for deletion in code.deletions] == [1]
    assert "<code>{{c9::\u00adbraces}}</code>" in code.body_html  # a soft hyphen where the name may break


@pytest.mark.parametrize(("tips", "message"), [
    ("reverse: maybe\ntips:\n  - title: T\n    body: B\n", 'tips.yaml:2:1: category file: "reverse" must be true or false'),
    ("tips:\n  - title: T\n    reverse: 1\n    body: B\n", 'tips.yaml:4:5: tip "T": "reverse" must be true or false'),
    ("tips:\n  - title: T\n    body: |\n      a {{c::b}}\n",
     'tips.yaml:4:5: tip "T": the body has a malformed cloze deletion "{{c::b}}"'),
    ("tips:\n  - title: T\n    question: Is {{c1::it}}?\n    body: B\n",
     'tips.yaml:4:5: tip "T": the question has a cloze deletion; deletions belong in the body'),
    ("tips:\n  - title: T\n    reverse: true\n    body: '{{c1::B}}'\n",
     'tips.yaml:4:5: tip "T": a cloze tip has no reversed card: remove "reverse: true"'),
])
def test_mistakes_are_named_by_file_and_line(tmp_path: Path, tips: str, message: str) -> None:
    (tmp_path / "tips").mkdir()
    (tmp_path / "tips" / "tips.yaml").write_text("category: C\n" + tips, encoding="utf-8")
    with pytest.raises(GuideError) as caught:
        load_guide(tmp_path)
    assert any(message in str(problem) for problem in caught.value.problems), \
        [str(problem) for problem in caught.value.problems]
