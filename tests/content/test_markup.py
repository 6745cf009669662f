"""Tip Markdown becomes safe HTML: nothing that runs or restyles survives, ordinary formatting does."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from guide.content.markup import to_html


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Every start tag in ``html`` with its attributes, in order."""
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize(
    ("markdown", "tag"),
    [
        ("<script>alert('x')</script>\n\nText.", "script"),
        ('<iframe src="https://example.com/alert"></iframe>\n\nText.', "iframe"),
        ("<style>body { display: none } .alert {}</style>\n\nText.", "style"),
        ('Text <script>alert("x")</script> inline.', "script"),
        ('<form action="https://example.com/alert"><input name="q"></form>\n\nText.', "form"),
    ],
)
def test_dangerous_elements_are_removed_with_their_content(markdown: str, tag: str) -> None:
    html = to_html(markdown)
    assert tag not in [name for name, _ in elements(html)]
    assert "alert" not in html
    assert "Text" in html


@pytest.mark.parametrize(
    "markdown",
    [
        '<p onclick="steal()">Click</p>',
        '<img src="a.png" onerror="steal()">',
        '<a href="#" onmouseover="steal()">x</a>',
    ],
)
def test_event_handler_attributes_are_removed(markdown: str) -> None:
    html = to_html(markdown)
    assert [name for _, attrs in elements(html) for name in attrs if name.startswith("on")] == []
    assert "steal" not in html


def test_style_attributes_are_removed() -> None:
    assert [attrs for _, attrs in elements(to_html('<div style="color: red">Red</div>'))] == [{}]


def test_javascript_links_lose_their_target() -> None:
    assert elements(to_html("[click](javascript:alert(1))")) == [("p", {}), ("a", {})]


def test_web_links_are_kept() -> None:
    assert ("a", {"href": "https://example.com"}) in elements(to_html("[site](https://example.com)"))


def test_lists_are_kept() -> None:
    tags = [name for name, _ in elements(to_html("- one\n- two\n\n1. first\n2. second"))]
    assert tags == ["ul", "li", "li", "ol", "li", "li"]


def test_inline_code_is_kept_and_escaped() -> None:
    assert "<code>x &lt; y</code>" in to_html("Compare `x < y` here.")


def test_inline_code_keeps_runs_with_a_hyphen_whole() -> None:
    html = str(to_html("`git commit --amend` and `/usr/lib/site-packages/x.py`"))
    assert '<code>git commit <span class="unbroken">--amend</span></code>' in html
    assert '<code>/usr/\xadlib/\xad<span class="unbroken">site-packages/</span>x.\xadpy</code>' in html


@pytest.mark.parametrize("text, expected", [
    ("`sklearn.model_selection.StratifiedKFold`", "sklearn.\xadmodel_\xadselection.\xadStratified\xadKFold"),
    ("`std::vector`", "std::\xadvector"),
    ("`getHTTPResponse`", "get\xadHTTPResponse"),  # not inside a run of capitals
    ("`/etc/hosts`", "/etc/\xadhosts"),  # not before the root
    ("`x < y` and `a/ b`", "x &lt; y"),  # nowhere to break a name
])
def test_inline_code_may_break_only_between_the_parts_of_a_name(text: str, expected: str) -> None:
    html = str(to_html(text))
    assert f"<code>{expected}</code>" in html
    assert "<code>a/ b</code>" in html or "a/" not in text


def test_a_long_name_in_prose_breaks_as_inline_code_does_and_short_words_are_left_alone() -> None:
    html = str(to_html("See spark.sql.adaptive.coalescePartitions, *e.g.* JavaScript or https://example.com/a_b.c_d_e_f."))
    assert '<span class="long-name">spark.\xadsql.\xadadaptive.\xadcoalesce\xadPartitions</span>,' in html
    assert html.count("\xad") == 4  # none in "e.g.", "JavaScript" or the address


def test_a_long_name_next_to_raw_html_leaves_the_html_whole() -> None:
    html = str(to_html("for XGBoost <i>tree_method = 'gpu_hist'</i> option, or <b>x</b>sklearn.model_selection."))
    assert html == ("<p>for XGBoost <i>tree_method = ‘gpu_hist’</i> option, or <b>x</b>"
                    '<span class="long-name">sklearn.\xadmodel_\xadselection</span>.</p>')


def test_fenced_code_block_keeps_its_text_and_lines() -> None:
    html = to_html("```sql\nSELECT a.id\nFROM t a;\n```")
    assert "pre" in [name for name, _ in elements(html)]
    assert "SELECT" in html and "\n" in html.split("<pre>", 1)[1]


def test_emphasis_is_kept() -> None:
    assert to_html("**S**ituation and *this*") == "<p><strong>S</strong>ituation and <em>this</em></p>"


def test_straight_quotes_become_typographic() -> None:
    assert to_html("Don't say 'I built a model.'") == "<p>Don’t say ‘I built a model.’</p>"



@pytest.mark.parametrize("text, expected", [
    ("Steps:\n- a\n- b\n", "<p>Steps:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    ("Steps:\n1. a\n2. b\n", "<p>Steps:</p>\n<ol>\n<li>a</li>\n<li>b</li>\n</ol>"),
    ("- a\n  - b\n- c\n", "<ul>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ul>"),
    ("4. four\n   1. one\n   2. two\n5. five\n",
     '<ol start="4">\n<li>four<ol>\n<li>one</li>\n<li>two</li>\n</ol>\n</li>\n<li>five</li>\n</ol>'),
    ("1. a\n    - b\n2. c\n", "<ol>\n<li>a<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ol>"),
    ("In 2019.\n2020. was later\n", "<p>In 2019.\n2020. was later</p>"),  # only "1." starts a list here
])
def test_lists_read_as_on_github(text: str, expected: str) -> None:
    assert str(to_html(text)) == expected


def test_github_extras_survive_sanitising() -> None:
    html = str(to_html("| a | b |\n|:---:|---:|\n| 1 | 2 |\n\n~~gone~~ H<sub>2</sub>O x<sup>2</sup> "
                       "<kbd>Ctrl</kbd> <mark>m</mark> a<br>b <b>B</b> <i>I</i>\n\n- [ ] todo\n- [x] done\n\n"
                       "See https://example.com/x."))
    for fragment in ('<th align="center">a</th>', '<td align="right">2</td>', "<del>gone</del>",
                     "<sub>2</sub>", "<sup>2</sup>", "<kbd>Ctrl</kbd>", "<mark>m</mark>", "<br>", "<b>B</b>",
                     "<i>I</i>", '<li class="task-list-item"><input type="checkbox" disabled="" checked="">',
                     '<a class="bare" href="https://example.com/x">https://example.com/x</a>'):
        assert fragment in html


def test_a_list_marker_inside_a_code_block_stays_code() -> None:
    html = str(to_html("Run:\n\n```\nls\n- not a list\n```\n"))
    assert "- not a list" in html and "<li>" not in html


# Loose lists (items apart by blank lines) nested by 2 or 3 spaces, and the HTML GitHub (CommonMark) makes.
@pytest.mark.parametrize("text, expected", [
    ("4. four\n\n   1. one\n\n   2. two\n\n5. five\n",
     ('<ol start="4">\n<li>\n<p>four</p>\n<ol>\n<li>\n<p>one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ol>\n</li>\n'
      "<li>\n<p>five</p>\n</li>\n</ol>")),
    ("- a\n\n  - b\n\n  - c\n\n- d\n",
     "<ul>\n<li>\n<p>a</p>\n<ul>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>\n</li>\n<li>\n<p>d</p>\n</li>\n</ul>"),
    ("- a\n\n   3. b\n   4. c\n\n- d\n",
     '<ul>\n<li>\n<p>a</p>\n<ol start="3">\n<li>b</li>\n<li>c</li>\n</ol>\n</li>\n<li>\n<p>d</p>\n</li>\n</ul>'),
    ("- a\n\n  more of a\n\n- d\n", "<ul>\n<li>\n<p>a</p>\n<p>more of a</p>\n</li>\n<li>\n<p>d</p>\n</li>\n</ul>"),
    ("1. a\n\n    - b\n\n2. c\n", "<ol>\n<li>\n<p>a</p>\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li>\n<p>c</p>\n</li>\n</ol>"),
    ("1. a\n\n  - x\n", "<ol>\n<li>a</li>\n</ol>\n<ul>\n<li>x</li>\n</ul>"),  # not indented to "a": a list of its own
])
def test_loose_lists_nest_as_on_github(text: str, expected: str) -> None:
    assert str(to_html(text)) == expected
