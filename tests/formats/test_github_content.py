"""Real content reads true in the handouts: questions, link addresses, hyphens and code survive on paper."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import page_texts, run_guide

from guide.content.loader import load_guide
from guide.errors import GuideError

# Long words that justified text hyphenates at line ends (before any typed hyphen, so that a PDF mapping
# the font's hyphen glyph to the first character drawn with it would map it to the added one), and
# commands at every offset in their lines.
LONG_WORDS = " ".join(["incomprehensibilities internationalisation characteristically"] * 12)
COMMANDS = " ".join(f"{'x' * (n % 9)} `git commit --amend`" for n in range(40))
# Names at every offset in their lines, in inline code and in prose.
NAME = "sklearn.model_selection.StratifiedKFold"
NAMES = " ".join(f"{'y' * (n % 11)} `{NAME}` and {NAME}" for n in range(30))
TIPS = """\
category: Real content
tips:
  - title: Amending
    question: What does `git commit --amend` do to the *last* commit?
    body: |
      {long_words}

      Search for Q-Q plots, the bias-variance trade-off and state-of-the-art methods: every hyphen is typed
      as a hyphen and must copy out as one, even after the handout hyphenated long words above.
      See [the docs](https://example.org/guide) or https://example.net/bare.

      You get this solution: ![the closed form](img/missing.png). And ![](https://example.com/chart.png).

      {commands}

      {names}
"""


@pytest.fixture(scope="module")
def handout(tmp_path_factory: pytest.TempPathFactory) -> str:
    project = tmp_path_factory.mktemp("content")
    (project / "tips").mkdir()
    (project / "tips" / "real.yaml").write_text(TIPS.format(long_words=LONG_WORDS, commands=COMMANDS, names=NAMES))
    with pytest.MonkeyPatch.context() as patch:
        result = run_guide(project, patch, "build", "--format", "handouts")
    assert result.exit_code == 0, result.output
    return "\n".join(page_texts(project / "output" / "handouts" / "real-content.pdf"))


def test_the_question_is_printed_with_its_markdown_rendered(handout: str) -> None:
    assert "What does git commit --amend do to the last commit?" in " ".join(handout.split())
    assert "`" not in handout and "*last*" not in handout


def test_an_image_that_cannot_be_drawn_leaves_a_placeholder_naming_it(handout: str) -> None:
    text = " ".join(handout.split())
    assert "You get this solution: image: the closed form" in text
    assert "image: chart.png" in text


def test_each_placeholder_is_warned_about_by_tip_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "tips").mkdir()
    (tmp_path / "tips" / "real.yaml").write_text(TIPS.format(long_words="", commands="", names=""))
    assert list(load_guide(tmp_path).warnings) == [
        (f'{tmp_path / "tips" / "real.yaml"}:3: tip "amending": image img/missing.png was not found; '
        "shown as a placeholder"),
        (f'{tmp_path / "tips" / "real.yaml"}:3: tip "amending": image https://example.com/chart.png is on the '
        "network, which tips may not reach; shown as a placeholder"),
    ]


def test_links_keep_their_address_on_paper_once(handout: str) -> None:
    text = "".join(handout.split())
    assert "thedocs<https://example.org/guide>" in text
    assert text.count("https://example.net/bare") == 1


def test_every_typed_hyphen_copies_out_as_a_hyphen(handout: str) -> None:
    assert "\u2010" not in handout
    assert "Q-Q" in handout and "bias-variance" in handout


def test_inline_code_never_breaks_inside_an_option(handout: str) -> None:
    lines = [line.strip() for line in handout.splitlines()]
    assert not [line for line in lines if line.endswith("--") or line.startswith("amend")]
    assert " ".join(handout.split()).count("git commit --amend") == 41


def test_a_name_breaks_only_between_its_parts_with_a_mark_and_copies_out_whole(handout: str) -> None:
    lines = [line.strip() for line in handout.splitlines()]
    broken = [line for line in lines if line.endswith("\u00ac")]
    assert broken, "no name was broken: the test cannot tell a mark from none"
    assert {line[-2] for line in broken} <= {".", "_", "d"}  # sklearn.¬ model_¬ Stratified¬
    assert "\u00ad" not in handout and "\u00ac" not in handout.replace("\u00ac\n", "")
    unbroken = re.sub(r"\u00ac\n(page \d+ of \d+\n)?", "", handout)  # a name may go on at the next page
    assert "".join(unbroken.split()).count(NAME) == 60


def test_a_tip_may_take_its_own_id_and_colliding_ids_are_located(tmp_path: Path) -> None:
    (tmp_path / "tips").mkdir()
    tips = tmp_path / "tips" / "languages.yaml"
    tips.write_text("category: Languages\ntips:\n  - title: C++ & C#\n    body: a\n  - title: C & C#\n    body: b\n")
    with pytest.raises(GuideError, match=r'languages.yaml:5: tip "C & C#" has the same id "c-c" as the tip at '
                                         r'languages.yaml:3; give one of them its own "id:"'):
        load_guide(tmp_path)
    tips.write_text("category: Languages\ntips:\n  - title: C++ & C#\n    id: cpp-csharp\n    body: a\n"
                    "  - title: C & C#\n    body: b\n")
    assert [tip.id for tip in load_guide(tmp_path).tips] == ["cpp-csharp", "c-c"]
    tips.write_text("category: Languages\ntips:\n  - title: C++ & C#\n    id: C++\n    body: a\n")
    with pytest.raises(GuideError, match=r'languages.yaml:4:5: tip "C\+\+ & C#": "id" "C\+\+" is not an id'):
        load_guide(tmp_path)
