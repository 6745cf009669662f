"""Property tests: whatever is in tips/*.yaml, a load either succeeds or raises GuideError naming files,
and a build exits 0 with PDFs or 1 with ``error:`` lines naming files, never a traceback, and never
touching the last good PDFs."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from guide.cli import main
from guide.content.loader import load_guide
from guide.errors import GuideError

# --- what tips are made of --------------------------------------------------------------------------------------

SCRIPTS = [
    "café naïve Ångström Łódź", "مرحبا بالعالم", "שלום עולם", "中文字符测试", "日本語のテキスト", "한국어 텍스트",
    "🎉🚀👍🏽👨\u200d👩\u200d👧", "e\u0301\u0302\u0303 Z\u0351\u0352\u0353\u0354", "\u202eright-to-left override\u202c",
    "zero\u200bwidth\u200djoiner\ufeff", "ﷺ", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛", "∀x ∈ ℝ: ∑ xᵢ² ≤ ∞", "\u0378\U000e0001\U0010fffd",
    "ǅ ß ﬁ İ ı", "\u00ad soft\u00adhyphen",
]
LONG = ["a" * 300, "https://example.com/" + "segment/" * 40 + "?q=" + "x" * 50, "-" * 120, "word " * 60,
        "`" + "c" * 200 + "`", "| " + "y" * 150 + " | z |\n|---|---|\n| 1 | 2 |"]
MARKDOWN = [
    "# Heading", "## Sub", "###### Six", "* item\n* item\n  * nested", "1. one\n2. two", "3. starts at three",
    "```python\nprint('hi')\n```", "```\nunterminated fence", "`code`", "**bold** _italic_ ~~strike~~",
    "> quote\n> > nested", "| a | b |\n|---|---|\n| 1 | 2 |", "|broken|table\n|-", "[link](http://example.com)",
    "![picture](missing.png)", "![up](../../outside.png)", "---", "<http://auto.link>", "[^1]\n\n[^1]: a note",
    "*[HTML]: abbreviation", "Term\n: definition", "    indented code", "\\", "*", "_", "[", "](", "![](",
    "$x^2$", "$$\\frac{a}{b}$$", "$\\notacommand{$", "$$", "$ $", "$\\sqrt{$", "1$ and 2$", "\\$5",
]
HTML = [
    "<script>alert(1)</script>", "<style>*{color:red}</style>", "<div>", "</div>", "<table><tr><td>",
    "<img src=x onerror=alert(1)>", "<img src=http://127.0.0.1:9/x.png>", "<!-- comment", "<![CDATA[ x ]]>",
    "&amp; &lt; &#0; &#x110000; &#xD800; &bogus; &#65;", "<a href='javascript:x'>j</a>", "<iframe src=//x>",
    "<svg><circle r=5/></svg>", "<math><mi>x</mi></math>", "<p>unclosed", "<<>>", "</p></p>", "<br/>",
    "<span style='font-size:500pt'>big</span>", "<pre>pre\ttab</pre>", "<ol start=-5><li>x</ol>",
    "<td colspan=99999>wide</td>", "<h1>h1</h1>", "<object data=x>", "<link rel=attachment href=x>",
]
# Nesting past the bound (tests/test_hostile.py has the full-size bombs).
DEEP = ["> " * 40 + "deep", "<ul><li>" * 40 + "x", "<div>" * 200, "\n".join("    " * level + "- i" for level in range(40)),
        "- " * 40 + "x", "1. " * 40 + "x"]
JINJA = ["{{ 7*7 }}", "{% for x in y %}", "{% endfor %}", "{# comment #}", "{{", "}}", "{%", "%}", "{{ guide }}"]
FRAGMENTS = SCRIPTS + LONG + MARKDOWN + HTML + JINJA + DEEP

fragment = st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20))
tip_text = st.builds(
    lambda parts, separator: separator.join(parts),
    st.lists(fragment, min_size=1, max_size=5), st.sampled_from([" ", "\n", "\n\n", ""]),
)
# Anything YAML can hold, for keys given the wrong type.
anything = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3),
    max_leaves=6,
)
TITLE_POOL = ["Same title", "same-title", "Same, title!", "!!!", "中文", "x"]  # ids that collide
UNKNOWN_KEYS = ["bodyy", "titel", "Title", "tag", "notes", "", "<<", "1"]


def chance(draw: st.DrawFn, probability: float) -> bool:
    """True with ``probability`` (never when it is 0)."""
    return probability > 0 and draw(st.floats(0, 1, exclude_max=True)) < probability


def sometimes(draw: st.DrawFn, valid: st.SearchStrategy, broken: float) -> Any:
    """A value from ``valid``, or (with chance ``broken``) a wrong one: any YAML value at all."""
    return draw(anything) if chance(draw, broken) else draw(valid)


TAGS = st.sampled_from(["ml", "sql", "中文", "über", "a b", "x" * 40])


@st.composite
def tips(draw: st.DrawFn, broken: float, label: str) -> dict[str, Any]:
    """A tip mapping; with ``broken`` 0 a valid one, its id made unique by ``label`` (like "a-2")."""
    if broken:
        title = st.one_of(st.sampled_from(TITLE_POOL), tip_text, st.text(min_size=1, max_size=30))
    else:
        title = tip_text.map(lambda text: f"{text} {label}")
    tip: dict[str, Any] = {}
    if not chance(draw, broken / 3):
        tip["title"] = sometimes(draw, title, broken / 4)
    if not chance(draw, broken / 3):
        tip["body"] = sometimes(draw, tip_text.map(lambda text: text if broken or text.strip() else text + "."),
                                broken / 4)
    if chance(draw, 0.3):
        tip["question"] = sometimes(draw, tip_text.map(lambda text: text if broken or text.strip() else "?"),
                                    broken / 4)
    if chance(draw, 0.3):
        tip["tags"] = sometimes(draw, st.lists(TAGS, max_size=3), broken / 4)
    if chance(draw, broken / 3):
        tip[draw(st.sampled_from(UNKNOWN_KEYS) | st.text(max_size=8))] = draw(anything)
    return tip


@st.composite
def category_document(draw: st.DrawFn, broken: float, label: str) -> Any:
    """A category file's document; with ``broken`` 0 a valid one whose names are unique by ``label``."""
    document: dict[str, Any] = {}
    names = st.text(min_size=1, max_size=20) | st.sampled_from(SCRIPTS)
    if not chance(draw, broken / 4):
        document["category"] = sometimes(draw, names if broken else names.map(lambda name: f"{name} {label}"),
                                         broken / 4)
    if draw(st.booleans()):
        document["order"] = sometimes(draw, st.integers(-5, 5), broken / 4)
    if draw(st.booleans()):
        colours = ["#123", "#a1b2c3"] + (["red", "#12345", ""] if broken else [])
        document["color"] = sometimes(draw, st.sampled_from(colours), broken / 4)
    if draw(st.booleans()):
        document["intro"] = sometimes(draw, tip_text, broken / 4)
    if not chance(draw, broken / 4):
        count = draw(st.integers(1, 3))
        document["tips"] = sometimes(
            draw, st.tuples(*(tips(broken, f"{label}-{index}") for index in range(count))).map(list), broken / 4)
    if chance(draw, broken / 4):
        document[draw(st.sampled_from(["colour", "name", "tip"]))] = draw(anything)
    return draw(anything) if chance(draw, broken / 8) else document


def dump(document: Any, flow: bool | None) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=80)


# YAML written by hand: escapes, tags, aliases, nesting and syntax the dumper never writes.
HANDWRITTEN = [
    'category: A\ntips:\n  - title: T\n    body: "\\ud800 lone surrogate"\n',
    'category: A\ntips:\n  - title: "\\0\\x01\\e\\N\\L\\P\\_"\n    body: "\\U0010ffff \\x7f"\n',
    "category: A\ntips: " + "[" * 3000 + "]" * 3000 + "\n",
    "category: A\ntips:\n  - title: T\n    body: " + "{a: " * 1500 + "1" + "}" * 1500 + "\n",
    "a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n? *d\n: 1\ncategory: *d\ntips: *d\n",
    "category: !!python/object/apply:os.system [echo hi]\ntips: []\n",
    "category: !!binary aGk=\ntips:\n  - title: !!timestamp 2020-01-01\n    body: !!float .nan\n",
    "category: A\ntips: !!set {a, b}\n", "category: A\ntips: &t [*t]\n", "tips: []\n",
    "base: &b {title: T, body: B}\ncategory: A\ntips:\n  - <<: *b\n", "---\n...\n", "category: A\n---\ncategory: B\n",
    "category: A\ntips:\n\t- title: T\n", "\ufeffcategory: A\ntips:\n  - title: T\n    body: B\n",
    "category: A\ncategory: B\ntips:\n  - title: T\n    body: B\n    body: C\n", "? \n: \n", "- - - -\n", "null",
    "category: A\ntips:\n  - title: T\n    body: |\n      ok\n     bad indent\n",
    "category: A\ntips: !!omap [{title: T}, {body: B}]\n", "--- !!pairs\n- category: A\n- tips: []\n",
    "category: A\n[1, 2]: x\n{a: b}: y\ntips: []\n", "category: A\ntips:\n  - title: T\n    title: T\n    body: B\n",
    "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{name}: &{name} [{', '.join([f'*{below}'] * 10)}]\n" for below, name in zip("abcde", "bcdef"))
    + "? *f\n: 1\ncategory: A\ntips: *f\n",
]


@st.composite
def file_content(draw: st.DrawFn, broken: float, label: str) -> bytes:
    """The bytes of one tips file: mostly dumped documents, sometimes mangled, hand-written or not text."""
    kind = draw(st.floats(0, 1, exclude_max=True)) if broken else 1.0
    text = dump(draw(category_document(broken, label)), draw(st.sampled_from([None, False, True])))
    if kind < broken * 0.3:
        position = draw(st.integers(0, len(text)))
        mangle = draw(st.sampled_from(["cut", "insert", "insert", "replace"]))
        insert = draw(st.sampled_from([":", "\t", "[", "{", "- ", "&x ", "*x ", "!!", "'", '"', "\n  ", "#"])
                      | fragment)
        text = {"cut": text[:position], "insert": text[:position] + insert + text[position:],
                "replace": text[:position] + insert + text[position + 1:]}[mangle]
    elif kind < broken * 0.5:
        text = draw(st.sampled_from(HANDWRITTEN))
    elif kind < broken * 0.6:
        text = draw(tip_text)
    elif kind < broken * 0.65:
        return draw(st.binary(max_size=200))
    return text.encode("utf-8")


@st.composite
def projects(draw: st.DrawFn, broken: float, max_files: int = 3) -> dict[str, bytes]:
    """Tips files by name (relative to the project)."""
    names = draw(st.lists(st.sampled_from(["a.yaml", "b.yaml", "c.yml", "z-last.yaml"]), min_size=1,
                          max_size=max_files, unique=True))
    files = {f"tips/{name}": draw(file_content(broken, name.split(".")[0])) for name in names}
    if chance(draw, broken / 4):
        settings_document = {draw(st.sampled_from(["title", "paper", "printer", "printers", "flashcards", "papr"])):
                             draw(anything)}
        files["guide.yaml"] = draw(st.sampled_from([dump(settings_document, None), "- a\n", "x", "[", ""])).encode()
    return files


@contextmanager
def project_with(files: dict[str, bytes]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="guide-property-") as folder:
        root = Path(folder)
        for name, data in files.items():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            (root / name).write_bytes(data)
        yield root


# --- loading ----------------------------------------------------------------------------------------------------

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=st.sampled_from([0.0, 0.6, 0.6]).flatmap(projects))
def test_loading_succeeds_or_reports_problems_naming_files(files: dict[str, bytes]) -> None:
    with project_with(files) as root:
        inputs = {(root / name).resolve() for name in files} | {(root / "tips").resolve()}
        try:
            guide = load_guide(root)
        except GuideError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.path is not None and problem.path.resolve() in inputs, problem
                assert str(problem).startswith(str(problem.path)), problem
                assert len(str(problem)) < 5000, "a message this long shows something unbounded"
                assert "\n" not in str(problem) and "\x1b" not in str(problem), problem
        else:
            event("loaded")
            assert guide.tips
            assert len({tip.id for tip in guide.tips}) == len(guide.tips)


@given(st.text(alphabet=st.sampled_from("'=+-@\t\rx ")) | st.text())
def test_guarded_cells_never_start_a_formula_and_come_back_through_import(cell: str) -> None:
    from guide.commands.export import FORMULA_STARTS, guarded
    from guide.commands.import_ import unguarded

    assert not guarded(cell).startswith(FORMULA_STARTS)
    assert unguarded(guarded(cell)) == cell


@given(st.text())
def test_printable_text_holds_no_control_character_or_line_break(text: str) -> None:
    from guide.content.schema import printable

    shown = printable(text)
    assert all(char.isprintable() for char in shown)
    assert len(shown.split("\n")) == 1


# --- building ---------------------------------------------------------------------------------------------------

GOOD_TIPS = "category: Kept\ntips:\n  - title: A good tip\n    body: Built before the broken ones came.\n"
ERROR_LINE = re.compile(r"error: (tips/[\w.-]+\.ya?ml|guide\.yaml|tips)(:\d+(:\d+)?)?: .+")
WROTE = re.compile(r"(wrote|unchanged) (?P<path>\S+) \((?P<pages>\d+) pages?\)")


class GoodPdf(bytes):
    """The bytes of a good build's PDF, shown short when a test fails."""

    def __repr__(self) -> str:
        return f"<{len(self)} bytes of a good PDF>"


@pytest.fixture(scope="module")
def good_pdf(tmp_path_factory: pytest.TempPathFactory) -> GoodPdf:
    """The handout of a good project, built once: every example starts with it in output/."""
    root = tmp_path_factory.mktemp("good")
    (root / "tips").mkdir()
    (root / "tips" / "kept.yaml").write_text(GOOD_TIPS, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = CliRunner().invoke(main, ["build", "--format", "handouts"])
    assert result.exit_code == 0, result.output
    return GoodPdf((root / "output" / "handouts" / "kept.pdf").read_bytes())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=st.sampled_from([0.0, 0.0, 0.3]).flatmap(lambda broken: projects(broken, max_files=2)))
def test_build_writes_pdfs_or_reports_errors_naming_files(files: dict[str, bytes], good_pdf: GoodPdf) -> None:
    kept = "output/handouts/kept.pdf"
    with project_with({**files, kept: good_pdf}) as root, pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        result = CliRunner().invoke(main, ["build", "--format", "handouts"])
        output = result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), (result.exception, output)
        assert "Traceback" not in output
        assert result.exit_code in (0, 1), output
        event(f"exit {result.exit_code}")
        # "\n" only: a problem's line may hold characters str.splitlines() also splits on (U+001E, U+2028).
        lines = [line for line in output.split("\n") if line and not line.startswith("warning: ")]
        if result.exit_code == 0:
            assert lines and all(WROTE.fullmatch(line) for line in lines), output
            for match in map(WROTE.fullmatch, lines):
                assert len(PdfReader(root / match["path"]).pages) == int(match["pages"]), match[0]
        else:
            assert lines and all(ERROR_LINE.fullmatch(line) for line in lines), output
            assert (root / kept).read_bytes() == good_pdf
            assert sorted(path.name for path in (root / "output" / "handouts").iterdir()) == ["kept.pdf"]
