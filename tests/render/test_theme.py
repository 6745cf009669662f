"""``--theme print``: ink-saving pages (measured on grayscale renders), no filled backgrounds, grey text
that keeps WCAG AAA contrast, colour only in thin rules."""

from __future__ import annotations

import ctypes
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from helpers import contrast, run_guide
from PIL import Image, ImageChops, ImageFilter
from pypdf import PdfReader

from guide import cli
from guide.commands.build import build
from guide.config.options import THEMES
from guide.errors import GuideError
from guide.render.theme import Theme, available, default_dir

# Fills of the default theme that the print theme must not use: inline code and code block backgrounds.
CODE_TINTS = {(0.933333, 0.945098, 0.956863), (0.952941, 0.960784, 0.968627)}




def fills(pdf: Path, page: int = 0) -> set[tuple[float, ...]]:
    """The fill colours (RGB, 0 to 1) the page's content stream sets."""
    data = PdfReader(pdf).pages[page].get_contents().get_data().decode("latin-1")
    return {tuple(float(part) for part in match) for match in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) rg", data)}


def thick_colour(png: Path) -> int:
    """Pixels of clear hue (not white, grey or black) inside a coloured area at least 3 pixels across
    (1/24 in at 72 dpi): filled shapes and bold coloured text, not hairlines."""
    with Image.open(png) as image:
        red, green, blue = image.convert("RGB").split()
    spread = ImageChops.subtract(ImageChops.lighter(ImageChops.lighter(red, green), blue),
                                 ImageChops.darker(ImageChops.darker(red, green), blue))
    coloured = spread.point(lambda value: 255 if value > 40 else 0)
    return coloured.filter(ImageFilter.MinFilter(3)).histogram()[255]


@pytest.fixture(scope="module")
def pictures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Output folders of a default and a print preview of the first pages of the real guide."""
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("themes"))
    runner = CliRunner()
    folders = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        for theme in THEMES:
            result = runner.invoke(cli.main, ["preview", "--page", "1", "--dpi", "72", "--theme", theme,
                                              "--output", theme])
            assert result.exit_code == 0, result.output
            folders[theme] = project / theme
    return folders


def test_the_command_line_offers_every_theme() -> None:
    offered = next(param for param in cli.build.params if param.name == "theme")
    assert offered.type.setting.choices == tuple(THEMES)
    assert available(Theme.for_project(Path("/nonexistent")).style_dirs) == list(THEMES)
    for name in tuple(THEMES)[1:]:
        assert (default_dir("styles") / "themes" / f"{name}.css").is_file()


@pytest.mark.parametrize("picture", ["cheatsheet-1.png", "flashcards-01.png", "handouts/deep-learning-1.png",
                                     "guide-01.png"])
def test_print_keeps_colour_to_thin_rules(pictures: dict[str, Path], picture: str) -> None:
    assert thick_colour(pictures["default"] / "preview" / picture) > 50
    assert thick_colour(pictures["print"] / "preview" / picture) == 0


def test_print_has_no_filled_backgrounds_and_grey_text(pictures: dict[str, Path]) -> None:
    default, printed = pictures["default"], pictures["print"]
    # Code backgrounds on the cheat sheet.
    assert CODE_TINTS <= fills(default / "cheatsheet.pdf")
    assert not CODE_TINTS & fills(printed / "cheatsheet.pdf")
    # Flashcard chips: white text on a filled accent in the default theme; grey text in an outline.
    assert (1.0, 1.0, 1.0) in fills(default / "flashcards.pdf")
    assert (1.0, 1.0, 1.0) not in fills(printed / "flashcards.pdf")
    # Handouts: text and rules in greys, no colour at all.
    handout = fills(printed / "handouts" / "deep-learning.pdf")
    assert handout and all(len(set(colour)) == 1 for colour in handout), handout


# --- ink and contrast, measured ------------------------------------------------------------------------------

INKED = ("cheatsheet.pdf", "handouts", "flashcards.pdf")


def darkness(pdf: Path) -> float:
    """Mean darkness (255 - grey level) of the PDF's pages rendered in grayscale at 50 dpi."""
    pages = [page.render(scale=50 / 72).to_pil().convert("L") for page in pdfium.PdfDocument(str(pdf))]
    return sum(255 - sum(index * count for index, count in enumerate(page.histogram())) / (page.width * page.height)
               for page in pages) / len(pages)


def ink(output: Path, name: str) -> float:
    """The darkness of one PDF, or the summed darkness of the PDFs in a folder."""
    path = output / name
    return darkness(path) if path.suffix else sum(darkness(pdf) for pdf in sorted(path.glob("*.pdf")))


@pytest.fixture(scope="module")
def inked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real guide's cheat sheet, handouts and tinted flashcards in each theme."""
    from conftest import copy_project

    project = copy_project(tmp_path_factory.mktemp("ink"))
    folders = {}
    for theme in THEMES:
        folders[theme] = tmp_path_factory.mktemp(theme)
        build(project, ["cheatsheet", "handouts", "flashcards"], folders[theme],
              given={"theme": theme, "tint": True})
    return folders


@pytest.mark.parametrize("name", INKED)
def test_print_uses_at_most_three_quarters_of_the_ink(inked: dict[str, Path], name: str) -> None:
    assert ink(inked["print"], name) <= 0.75 * ink(inked["default"], name)


def text_colours(pdf: Path) -> set[tuple[int, int, int, float]]:
    """(red, green, blue, size in pt) of every visible text object in the PDF."""
    found = set()
    for page in pdfium.PdfDocument(str(pdf)):
        for item in page.get_objects(max_depth=8):
            if item.type != pdfium.raw.FPDF_PAGEOBJ_TEXT:
                continue
            channels = [ctypes.c_uint() for _ in range(4)]
            pdfium.raw.FPDFPageObj_GetFillColor(item.raw, *(ctypes.byref(channel) for channel in channels))
            size = ctypes.c_float()
            pdfium.raw.FPDFTextObj_GetFontSize(item.raw, ctypes.byref(size))
            matrix = item.get_matrix()
            scale = abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
            red, green, blue, alpha = (channel.value for channel in channels)
            if alpha > 127:  # a formula's searchable text is painted all but transparent
                found.add((red, green, blue, round(size.value * scale, 1)))
    return found


@pytest.mark.parametrize("name", INKED)
def test_print_text_keeps_aaa_contrast(inked: dict[str, Path], name: str) -> None:
    """7:1 against white for text under 14 pt, 4.5:1 for larger headings (WCAG AAA)."""
    path = inked["print"] / name
    colours = set().union(*(text_colours(pdf) for pdf in ([path] if path.suffix else sorted(path.glob("*.pdf")))))
    low = {colour for colour in colours if contrast(*colour[:3]) < (7 if colour[3] < 14 else 4.5)}
    assert colours and not low


def test_a_rebuild_with_another_theme_is_not_skipped(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run_guide(project, monkeypatch, "build", "--format", "handouts").exit_code == 0
    pdf = project / "output" / "handouts" / "deep-learning.pdf"
    before = pdf.read_bytes()
    result = run_guide(project, monkeypatch, "build", "--format", "handouts", "--theme", "print")
    assert result.exit_code == 0, result.output
    assert pdf.read_bytes() != before
    assert (0.227451, 0.227451, 0.227451) in fills(pdf) and (0.113725, 0.129412, 0.145098) not in fills(pdf)


def test_a_project_may_override_a_theme_or_add_one(tmp_path: Path) -> None:
    (tmp_path / "styles" / "themes").mkdir(parents=True)
    (tmp_path / "styles" / "themes" / "print.css").write_text("html { color: red; }")
    (tmp_path / "styles" / "themes" / "sepia.css").write_text("html { color: brown; }")
    theme = Theme.for_project(tmp_path, "print")
    assert theme.overlays == ("themes/print.css",)
    assert theme.stylesheet("themes/print.css") == (tmp_path / "styles" / "themes" / "print.css").resolve()
    assert Theme.for_project(tmp_path, "sepia").overlays == ("themes/sepia.css",)
    assert available(theme.style_dirs) == ["default", "print", "sepia"]
    assert Theme.for_project(tmp_path).overlays == ()
    with pytest.raises(GuideError, match='no theme "neon".*themes: default, print, sepia'):
        Theme.for_project(tmp_path, "neon")


def small_project(root: Path) -> Path:
    """A project of one tip, with an empty templates/ folder to put overrides in."""
    (root / "tips").mkdir(parents=True)
    (root / "tips" / "a.yaml").write_text("category: A\ntips:\n  - title: T\n    body: Body.\n", encoding="utf-8")
    (root / "templates").mkdir()
    return root


def test_a_project_template_cannot_run_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = small_project(tmp_path / "project")
    template = (default_dir("templates") / "handout.html").read_text(encoding="utf-8")
    attack = '{{ lipsum.__globals__["os"].popen("touch ran").read() }}'
    (project / "templates" / "handout.html").write_text(f"\n\n{attack}\n{template}", encoding="utf-8")
    result = run_guide(project, monkeypatch, "build", "--format", "handouts")
    assert not (project / "ran").exists()
    assert result.exit_code == 1
    assert "error: templates/handout.html:3: template error: access to attribute '__globals__'" in result.output
    assert "Traceback" not in result.output


def test_a_template_symlinked_out_of_the_project_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = small_project(tmp_path / "project")
    (tmp_path / "secret.txt").write_text("SECRET", encoding="utf-8")
    (project / "templates" / "secret.html").symlink_to(tmp_path / "secret.txt")
    template = (default_dir("templates") / "handout.html").read_text(encoding="utf-8")
    with_secret = template.replace("{% block body %}", '{% block body %}{% include "secret.html" %}')
    (project / "templates" / "handout.html").write_text(with_secret, encoding="utf-8")
    result = run_guide(project, monkeypatch, "build", "--format", "handouts", "--html")
    assert result.exit_code == 1
    assert "error: templates/secret.html: leads outside templates/" in result.output
    assert not list((project / "output").rglob("*.pdf"))


def test_a_stylesheet_symlinked_out_of_the_project_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = small_project(tmp_path / "project")
    (tmp_path / "secret.css").write_text("/* SECRET */", encoding="utf-8")
    (project / "styles").mkdir()
    (project / "styles" / "handouts.css").symlink_to(tmp_path / "secret.css")
    result = run_guide(project, monkeypatch, "build", "--format", "handouts", "--html")
    assert result.exit_code == 1
    assert "error: styles/handouts.css: leads outside styles/" in result.output
    assert not any("SECRET" in path.read_text() for path in (project / "output").rglob("*.html"))
