"""Loading and validating guide.yaml and tips/*.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import Seed, contrast

from guide.content.loader import PALETTE, load_guide, load_settings
from guide.content.model import Guide
from guide.errors import GuideError, Problem

VALID_TIPS = "tips:\n  - title: Fine\n    body: Fine body.\n"
VALID_CATEGORY = "category: Valid\n" + VALID_TIPS


def write_files(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text) under ``root``; returns ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def load_problems(root: Path) -> list[Problem]:
    """The problems ``load_guide`` reports for ``root``; fails the test if it loads."""
    with pytest.raises(GuideError) as caught:
        load_guide(root)
    return caught.value.problems


# --- the real tips ------------------------------------------------------------------------------------------

def test_real_tips_load_as_the_seeds_categories_in_order(real_guide: Guide, seed: Seed) -> None:
    assert [category.name for category in real_guide.categories] == [category.name for category in seed.categories]
    assert (len(real_guide.categories), len(real_guide.tips)) == (7, 35)


def test_real_tips_have_the_seeds_titles_in_order(real_guide: Guide, seed: Seed) -> None:
    assert [[tip.title for tip in category.tips] for category in real_guide.categories] == [
        [tip.title for tip in category.tips] for category in seed.categories
    ]


def test_guide_title_and_subtitle_are_the_seeds(real_guide: Guide, seed: Seed) -> None:
    settings = real_guide.settings
    assert (settings.title, settings.subtitle) == (seed.title, seed.subtitle)


def test_tip_ids_are_unique(real_guide: Guide) -> None:
    ids = [tip.id for tip in real_guide.tips]
    assert len(set(ids)) == len(ids) == 35


@pytest.mark.parametrize(
    ("title", "tip_id"),
    [
        ("Bias-variance tradeoff", "bias-variance-tradeoff"),
        ("Python: don't reinvent the wheel", "python-don-t-reinvent-the-wheel"),
        ("Self joins for finding duplicates / relationships", "self-joins-for-finding-duplicates-relationships"),
        ("p-values demystified", "p-values-demystified"),
    ],
)
def test_tip_id_is_the_slug_of_its_title(real_guide: Guide, title: str, tip_id: str) -> None:
    assert {tip.title: tip.id for tip in real_guide.tips}[title] == tip_id


def test_tip_ids_do_not_change_when_tips_are_reordered_or_moved(tmp_path: Path) -> None:
    tips = ["  - title: First tip\n    body: One.\n", "  - title: Second tip\n    body: Two.\n"]
    before = write_files(tmp_path / "a", {"tips/a.yaml": "category: C\ntips:\n" + "".join(tips)})
    after = write_files(tmp_path / "b", {"tips/z.yaml": "category: C\ntips:\n" + "".join(reversed(tips))})
    ids = [{tip.title: tip.id for tip in load_guide(root).tips} for root in (before, after)]
    assert ids[0] == ids[1] == {"First tip": "first-tip", "Second tip": "second-tip"}


def test_categories_follow_their_order_key_not_file_names(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "tips/a.yaml": "category: Last\norder: 2\n" + VALID_TIPS,
        "tips/b.yaml": "category: First\norder: 1\ntips:\n  - title: Other\n    body: Other body.\n",
    })
    assert [category.name for category in load_guide(tmp_path).categories] == ["First", "Last"]


def test_command_line_settings_override_guide_yaml_and_none_is_ignored(tmp_path: Path) -> None:
    write_files(tmp_path, {"guide.yaml": "title: From file\npaper: letter\n"})
    settings = load_settings(tmp_path, {"paper": "A4", "title": None})
    assert (settings.title, settings.paper) == ("From file", "a4")


# --- bad input ----------------------------------------------------------------------------------------------

BAD_INPUT = [
    pytest.param({"tips/a.yaml": "category: A\ntips:\n  - title: No body\n"},
                 "a.yaml", 3, 'tip "No body" has no body', id="missing body"),
    pytest.param({"tips/a.yaml": "category: A\ntips:\n  - title: T\n    bodyy: Typo.\n"},
                 "a.yaml", 4, 'unknown key "bodyy" (did you mean "body"?)', id="unknown tip key"),
    pytest.param({"tips/a.yaml": "category: A\ncolour: '#123456'\ntips: []\n"},
                 "a.yaml", 2, 'unknown key "colour" (did you mean "color"?)', id="unknown category key"),
    pytest.param({"tips/a.yaml": "category: A\ntips:\n  - title: T\n    body: 42\n"},
                 "a.yaml", 4, '"body" must be text', id="body not text"),
    pytest.param({"tips/a.yaml": "category: A\norder: first\ntips: []\n"},
                 "a.yaml", 2, '"order" must be a whole number', id="order not a number"),
    pytest.param({"tips/a.yaml": "category: A\ncolor: red\n" + VALID_TIPS},
                 "a.yaml", 2, '"red" is not a colour', id="bad colour"),
    pytest.param({"tips/a.yaml": VALID_CATEGORY,
                  "tips/b.yaml": "category: B\ntips:\n  - title: Fine!\n    body: Same id.\n"},
                 "b.yaml", 3, 'same id "fine" as the tip at a.yaml:3', id="duplicate tip title"),
    pytest.param({"tips/a.yaml": "category: A\ntips:\n  - title: Python: tips\n    body: Colon.\n"},
                 "a.yaml", 3, "invalid YAML", id="broken YAML"),
    pytest.param({"tips/a.yaml": "category: A\ntips: []\n"},
                 "a.yaml", 2, 'category "A" has no tips', id="no tips"),
    pytest.param({"guide.yaml": "title: T\npapr: a4\n", "tips/a.yaml": VALID_CATEGORY},
                 "guide.yaml", 2, 'unknown key "papr" (did you mean "paper"?)', id="unknown setting"),
    pytest.param({"guide.yaml": "paper: a5\n", "tips/a.yaml": VALID_CATEGORY},
                 "guide.yaml", 1, '"a5" is not a paper size', id="bad paper"),
    pytest.param({"tips/a.yaml": "category: A\ntips:\n  - Just a sentence.\n"},
                 "a.yaml", 3, "must be a mapping", id="tip not a mapping"),
]


@pytest.mark.parametrize(("files", "file_name", "line", "message"), BAD_INPUT)
def test_bad_input_is_reported_with_file_and_line(
    tmp_path: Path, files: dict[str, str], file_name: str, line: int, message: str
) -> None:
    problems = load_problems(write_files(tmp_path, files))
    located = [(problem.path.name, problem.line) for problem in problems if message in problem.message]
    assert located == [(file_name, line)], problems


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "tips/a.yaml": "category: A\ntips:\n  - title: One\n  - title: Two\n    body: 2\n",
        "tips/b.yaml": "category: B\ncolor: blue\n" + VALID_TIPS,
    })
    located = {(problem.path.name, problem.line) for problem in load_problems(tmp_path)}
    assert located == {("a.yaml", 3), ("a.yaml", 5), ("b.yaml", 2)}


@pytest.mark.parametrize("tips", [None, {}], ids=["no tips folder", "empty tips folder"])
def test_missing_or_empty_tips_folder_is_reported(tmp_path: Path, tips: dict[str, str] | None) -> None:
    if tips is not None:
        (tmp_path / "tips").mkdir()
    [problem] = load_problems(tmp_path)
    assert problem.path == (tmp_path / "tips").resolve()
    assert "holds no tips" in problem.message


def test_problem_text_reads_file_line_column_message(tmp_path: Path) -> None:
    write_files(tmp_path, {"tips/a.yaml": "category: A\ntips:\n  - title: T\n    bodyy: Typo.\n"})
    messages = [str(problem) for problem in load_problems(tmp_path)]
    assert any(message.endswith('a.yaml:4:5: tip "T" has an unknown key "bodyy" (did you mean "body"?)')
               for message in messages), messages


@pytest.mark.parametrize("colour", PALETTE)
def test_white_chip_text_is_readable_on_every_category_colour(colour: str) -> None:
    """WCAG AA for the category chips' small white text: 4.5:1 or more."""
    assert contrast(*(int(colour[index:index + 2], 16) for index in (1, 3, 5))) >= 4.5
