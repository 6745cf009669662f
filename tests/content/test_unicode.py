"""Tips in any script: accents, CJK, right-to-left, emoji, math symbols, very long words and URLs.

The build must succeed, keep the text of every script the fonts cover, keep everything on the page,
and name each tip holding characters that no font has (they would print as boxes).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from guide.cli import main
from guide.content.loader import load_guide
from guide.content.model import Guide
from guide.content.text import plain_text
from guide.errors import GuideError
from guide.render.fonts import FACES, font_dir
from guide.render.glyphs import MAX_SHOWN, missing_glyphs

# Words without hyphenation points, so nothing but overflow-wrap can break them.
LONG_WORD = "a" * 200
LONG_URL = ("https://example.com/a/very/long/path/that/goes/on/and/on/forever/with/more/segments/than/anyone/"
            "could/want/index.html?query=1&other=2&more=3&and=some-more-parameters-to-make-it-long")
TABLE_WORD = "y" * 120

# (title, question or None, body) per tip; the titles double as the text to find in the PDF.
COVERED = [
    ("Accents: café, naïve, Ångström", None, "Crème brûlée, façade, Łódź, São Paulo, Ærøskøbing, Dvořák."),
    ("Right to left", "What is עברית?", "العربية نص and עברית טקסט in one line."),
    ("Math symbols", None, "∀x ∈ ℝ: ∑ xᵢ² ≤ ∞, ∂f/∂x ≈ √2 ± ε, A ⊆ B ∪ C, ¬p ∧ q ⇒ r."),
    ("Combining marks", None, "Decomposed: e\u0301te\u0301, n\u0303, a\u0308."),
    ("A very long word", None, f"Before {LONG_WORD} after."),
    ("A long URL", None, f"See {LONG_URL} and <{LONG_URL}>."),
    ("A long word in a table", None, f"| word | note |\n|---|---|\n| {TABLE_WORD} | short |\n"),
]
UNCOVERED = [
    ("Chinese 中文", "中文是什么？", "这是中文文本。"),
    ("Emoji 🎉", None, "Party 🎉 rocket 🚀 thumbs 👍🏽 family 👨\u200d👩\u200d👧."),
    ("Unassigned", None, "An unassigned code point: \u0378 (no font can have it)."),
    ("Hidden text is not checked", None, "<script>\u0378</script>Only the visible text counts: $\\alpha$."),
]


def yaml_quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def tips_file(category: str, tips: list[tuple[str, str | None, str]]) -> str:
    lines = [f"category: {category}", "tips:"]
    for title, question, body in tips:
        lines.append(f"  - title: {yaml_quote(title)}")
        if question:
            lines.append(f"    question: {yaml_quote(question)}")
        lines.append(f"    body: {yaml_quote(body)}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Built:
    project: Path
    output: str
    exit_code: int
    exception: BaseException | None


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    project = tmp_path_factory.mktemp("unicode")
    (project / "tips").mkdir()
    (project / "tips" / "covered.yaml").write_text(tips_file("Scripts", COVERED), encoding="utf-8")
    (project / "tips" / "uncovered.yaml").write_text(tips_file("Beyond the fonts", UNCOVERED), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        result = CliRunner().invoke(main, ["build", "--format", "all"])
    return Built(project, result.output, result.exit_code, result.exception)


@pytest.fixture(scope="module")
def unicode_guide(built: Built) -> Guide:
    return load_guide(built.project)


@lru_cache(maxsize=1)
def fonts_coverage() -> frozenset[int]:
    """An independent reference: the cmaps (read by fontTools) of the packaged fonts and every font
    file fontconfig lists."""
    from fontTools.ttLib import TTCollection, TTFont

    files = [font_dir(package) / filename for _, package, filename, *_ in FACES]
    if fc_list := shutil.which("fc-list"):
        listed = subprocess.run([fc_list, "--format", "%{file}\n"], capture_output=True, text=True, check=False)
        files += [Path(line) for line in listed.stdout.splitlines() if line]
    covered: set[int] = set()
    for path in dict.fromkeys(files):
        try:
            fonts = TTCollection(path).fonts if path.suffix.lower() in (".ttc", ".otc") else [TTFont(path, lazy=True)]
            for font in fonts:
                covered.update(font.getBestCmap() or {})
        except Exception:  # noqa: BLE001 - bitmap or Type 1 fonts: not something fontTools reads
            continue
    return frozenset(covered)


def needs_glyph(char: str) -> bool:
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Zs", "Zl", "Zp") and not 0xFE00 <= ord(char) <= 0xFE0F


def uncovered(text: str) -> list[str]:
    """The characters of ``text`` (first use order) that need a glyph the reference finds in no font."""
    return [char for char in dict.fromkeys(text) if needs_glyph(char) and ord(char) not in fonts_coverage()]


def printable(text: str) -> bool:
    return not uncovered(text)


def squeeze(text: str) -> str:
    """NFC text without white space or hyphens, to compare text however it was wrapped or hyphenated
    (the PDF's text may give a hyphen as U+2010, the glyph it shares with U+002D)."""
    return re.sub(r"[\s\u00ad\u2010-]+", "", unicodedata.normalize("NFC", text))


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def all_pdfs(built: Built) -> list[Path]:
    found = sorted((built.project / "output").rglob("*.pdf"))
    assert found, built.output
    return found


# --- the build -------------------------------------------------------------------------------------------------

def test_build_succeeds(built: Built) -> None:
    assert built.exit_code == 0, built.output
    assert built.exception is None, built.exception
    assert "Traceback" not in built.output
    names = {path.relative_to(built.project / "output").as_posix() for path in all_pdfs(built)}
    assert {"cheatsheet.pdf", "flashcards.pdf", "handouts/scripts.pdf", "handouts/beyond-the-fonts.pdf"} <= names


def test_text_of_the_scripts_the_fonts_cover_is_extracted(built: Built) -> None:
    text = squeeze(pdf_text(built.project / "output" / "handouts" / "scripts.pdf"))
    expected = [title for title, _, _ in COVERED] + [
        "Crème brûlée, façade, Łódź, São Paulo, Ærøskøbing, Dvořák.",
        "العربية", "עברית טקסט", "∀x ∈ ℝ", "≤ ∞", "∂f/∂x ≈ √2 ± ε", "A ⊆ B ∪ C", "¬p ∧ q ⇒ r",
        "e\u0301te\u0301", LONG_WORD, LONG_URL, TABLE_WORD,
    ]
    checked = [snippet for snippet in expected if printable(snippet)]
    assert len(checked) >= len(COVERED), "the fonts here cover too little to check anything"
    assert [snippet for snippet in checked if squeeze(snippet) not in text] == []


def test_titles_in_uncovered_scripts_keep_their_covered_words(built: Built) -> None:
    # pypdf misreads fonts with missing glyphs (WeasyPrint then writes a custom /Encoding CMap): use poppler.
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read text drawn with missing glyphs")
    path = built.project / "output" / "handouts" / "beyond-the-fonts.pdf"
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert all(word in text for word in ("Chinese", "Emoji", "Unassigned", "Party", "rocket"))


# --- on the page -----------------------------------------------------------------------------------------------

_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')
_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*?)</word>')


def words_off_the_page(path: Path) -> list[tuple[str, tuple[float, ...]]]:
    """Words (with their box) that ``pdftotext -bbox`` finds reaching outside their page."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to read word positions")
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    outside, width, height = [], 0.0, 0.0
    for line in html.splitlines():
        if page := _PAGE.search(line):
            width, height = float(page[1]), float(page[2])
        elif word := _WORD.search(line):
            x0, y0, x1, y1 = (float(value) for value in word.groups()[:4])
            if x0 < -0.5 or y0 < -0.5 or x1 > width + 0.5 or y1 > height + 0.5:
                outside.append((word[5], (x0, y0, x1, y1)))
    return outside


def test_pdfs_have_the_right_mediabox(built: Built) -> None:
    for path in all_pdfs(built):
        for page in PdfReader(path).pages:
            assert sorted((float(page.mediabox.width), float(page.mediabox.height))) == [612, 792], path


def _is_long(word: str) -> bool:
    return LONG_WORD[:20] in word or TABLE_WORD[:20] in word


def test_nothing_but_very_long_words_leaves_the_page(built: Built) -> None:
    for path in all_pdfs(built):
        assert [word for word in words_off_the_page(path) if not _is_long(word[0])] == [], path


def test_very_long_words_stay_on_the_page(built: Built) -> None:
    assert {path.name: words_off_the_page(path) for path in all_pdfs(built)} == {
        path.name: [] for path in all_pdfs(built)
    }


# --- characters no font has ------------------------------------------------------------------------------------

def glyph_warnings(guide: Guide, project: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(project)  # messages show paths relative to the working folder
    return missing_glyphs(guide)


def test_missing_glyphs_names_each_tip_with_characters_no_font_has(
    built: Built, unicode_guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = glyph_warnings(unicode_guide, built.project, monkeypatch)
    expected = {}
    for tip in unicode_guide.tips:
        missing = uncovered("\n".join((tip.title, tip.question, plain_text(tip.body_html, printed=True))))
        if missing:
            expected[tip.id] = missing
    assert "unassigned" in expected and "hidden-text-is-not-checked" not in expected
    found = {}
    for message in messages:
        match = re.fullmatch(r'tips/(\w+)\.yaml:(\d+): tip "([\w-]+)": no font has (.+) \((it will print as a box|'
                             r'they will print as boxes)\)', message)
        assert match, message
        tip = next(tip for tip in unicode_guide.tips if tip.id == match[3])
        assert (match[1], int(match[2])) == (tip.source.path.stem, tip.source.line), message
        shown = [chr(int(code, 16)) for code in re.findall(r"U\+([0-9A-F]{4,6}) ", match[4])]
        more = re.search(r" and (\d+) more$", match[4])
        found[tip.id] = shown + ["…"] * (int(more[1]) if more else 0)
    assert found == {tip: missing[:MAX_SHOWN] + ["…"] * len(missing[MAX_SHOWN:]) for tip, missing in expected.items()}


def test_an_unassigned_code_point_is_always_reported(
    built: Built, unicode_guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    line = next(tip.source.line for tip in unicode_guide.tips if tip.id == "unassigned")
    assert f'tips/uncovered.yaml:{line}: tip "unassigned": no font has U+0378 \u0378 (it will print as a box)' in (
        glyph_warnings(unicode_guide, built.project, monkeypatch))


def test_the_real_tips_need_no_missing_glyph(real_guide: Guide) -> None:
    assert missing_glyphs(real_guide) == []


def test_the_build_prints_the_missing_glyph_warnings(built: Built, unicode_guide: Guide) -> None:
    line = next(tip.source.line for tip in unicode_guide.tips if tip.id == "unassigned")
    assert f'warning: tips/uncovered.yaml:{line}: tip "unassigned": no font has U+0378' in built.output


# --- ids of tips and categories in other scripts -----------------------------------------------------------------

def test_tips_and_categories_named_in_other_scripts_get_distinct_ids(tmp_path: Path) -> None:
    (tmp_path / "tips").mkdir()
    (tmp_path / "tips" / "a.yaml").write_text(
        "category: 中文\ntips:\n  - title: 注意力机制\n    body: 一。\n  - title: 梯度消失\n    body: 二。\n", encoding="utf-8")
    (tmp_path / "tips" / "b.yaml").write_text(
        "category: العربية\ntips:\n  - title: שלום\n    body: 三。\n", encoding="utf-8")
    try:
        guide = load_guide(tmp_path)
    except GuideError as error:
        pytest.fail(str(error))
    assert len({tip.id for tip in guide.tips}) == 3
    assert len({category.slug for category in guide.categories}) == 2


def test_without_fontconfig_only_the_packaged_fonts_count(
    built: Built, unicode_guide: Guide, monkeypatch: pytest.MonkeyPatch
) -> None:
    import guide.render.glyphs

    guide.render.glyphs._system_coverage.cache_clear()
    monkeypatch.setattr(guide.render.glyphs.shutil, "which", lambda name: None)
    try:
        messages = glyph_warnings(unicode_guide, built.project, monkeypatch)
    finally:
        guide.render.glyphs._system_coverage.cache_clear()
    assert any('tip "unassigned": no font has U+0378' in message for message in messages)
    assert any('tip "right-to-left": no font has' in message and "U+05E2" in message for message in messages)
