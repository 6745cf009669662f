"""Rebuilds skip what has not changed: a manifest of input digests per format and per PDF."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import copy_project

from guide.commands.build import build


def stamps(output: Path) -> dict[str, int]:
    return {str(path.relative_to(output)): path.stat().st_mtime_ns for path in output.rglob("*.pdf")}


def test_a_rebuild_with_nothing_changed_keeps_every_pdf_and_says_so(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    first, _ = build(project, ["handouts", "cheatsheet"])
    before = stamps(project / "output")
    again, _ = build(project, ["handouts", "cheatsheet"])
    assert stamps(project / "output") == before
    assert all(pdf.reused for pdf in again) and [pdf.path for pdf in again] == [pdf.path for pdf in first]
    assert [pdf.pages for pdf in again] == [pdf.pages for pdf in first]


def test_a_rebuild_with_nothing_changed_does_not_import_weasyprint(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    build(project, ["handouts"])
    probe = ("import sys; from pathlib import Path; from guide.commands.build import build; "
             "pdfs, _ = build(Path('.'), ['handouts']); "
             "assert all(pdf.reused for pdf in pdfs); print('weasyprint' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_editing_one_tip_rewrites_only_its_category_handout(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    build(project, ["handouts"])
    before = stamps(project / "output")
    tips = project / "tips" / "statistics.yaml"
    tips.write_text(tips.read_text().replace("Central Limit Theorem", "Central Limit Theorem (CLT)"))
    pdfs, _ = build(project, ["handouts"])
    after = stamps(project / "output")
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == ["handouts/statistics-probability.pdf"]
    assert [pdf.path.name for pdf in pdfs if not pdf.reused] == ["statistics-probability.pdf"]


def test_a_deleted_or_replaced_pdf_is_built_again(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    build(project, ["cheatsheet"])
    (project / "output" / "cheatsheet.pdf").unlink()
    pdfs, _ = build(project, ["cheatsheet"])
    assert not pdfs[0].reused and (project / "output" / "cheatsheet.pdf").is_file()


def test_other_options_or_paper_are_a_different_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    build(project, ["cheatsheet"])
    pdfs, _ = build(project, ["cheatsheet"], given={"paper": "a4"})
    assert not pdfs[0].reused


def test_a_rebuild_after_an_edit_renders_only_the_edited_markdown(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from guide.content import markup

    project = copy_project(tmp_path / "project")
    build(project, ["handouts"])
    rendered: list[str] = []
    real = markup.to_html
    monkeypatch.setattr(markup, "to_html", lambda text, *view: rendered.append(text) or real(text, *view))
    tips = project / "tips" / "statistics.yaml"
    tips.write_text(tips.read_text().replace("Sampling distribution of", "Distribution of (CLT)"))
    build(project, ["handouts"])
    assert len(rendered) == 1 and "(CLT)" in rendered[0]


def test_a_damaged_cache_only_costs_time(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    build(project, ["handouts"])
    first = (project / "output" / "handouts" / "statistics-probability.pdf").read_bytes()
    for cached in (project / "output" / ".guide-cache").glob("*.json"):
        cached.write_text('{"truncated": ')
    shutil.rmtree(project / "output" / "handouts")
    build(project, ["handouts"])
    assert (project / "output" / "handouts" / "statistics-probability.pdf").read_bytes() == first


def test_a_picture_outside_tips_is_tracked(tmp_path: Path) -> None:
    """A picture anywhere in the project counts among a PDF's inputs: changing it rebuilds the PDF."""
    from PIL import Image
    from pypdf import PdfReader

    (tmp_path / "tips").mkdir()
    (tmp_path / "images").mkdir()
    (tmp_path / "tips" / "a.yaml").write_text(
        "category: A\ntips:\n  - title: T\n    body: '![picture](../images/picture.png)'\n", encoding="utf-8")
    sizes = []
    for size in ((2, 3), (5, 7)):
        Image.new("RGB", size, "red").save(tmp_path / "images" / "picture.png")
        pdfs, _ = build(tmp_path, ["handouts", "cheatsheet"])
        sizes.append([(image.image.size, pdf.reused) for pdf in pdfs for image in PdfReader(pdf.path).pages[0].images])
    assert sizes == [[((2, 3), False)] * 2, [((5, 7), False)] * 2]


def test_an_edited_cache_entry_is_ignored(tmp_path: Path) -> None:
    """The markup cache is signed: HTML put into it by hand (here a link that embeds a file) never reaches
    a PDF."""
    from pypdf import PdfReader

    (tmp_path / "tips").mkdir()
    (tmp_path / "tips" / "secret.txt").write_text("SECRET", encoding="utf-8")
    tips = tmp_path / "tips" / "a.yaml"
    tips.write_text("category: A\ntips:\n  - title: T\n    body: Harmless words.\n", encoding="utf-8")
    build(tmp_path, ["handouts"])
    cache = tmp_path / "output" / ".guide-cache" / "markup.json"
    attack = '<a rel=\\"attachment\\" href=\\"secret.txt\\">Harmless words.</a>'
    cache.write_text(cache.read_text().replace("Harmless words.", attack), encoding="utf-8")
    tips.write_text(tips.read_text(encoding="utf-8").replace("title: T", "title: U"), encoding="utf-8")
    build(tmp_path, ["handouts"])
    reader = PdfReader(tmp_path / "output" / "handouts" / "a.pdf")
    subtypes = [annotation.get_object().get("/Subtype") for annotation in reader.pages[0].get("/Annots", [])]
    assert "/FileAttachment" not in subtypes and not reader.attachments
    assert b"/EmbeddedFile" not in (tmp_path / "output" / "handouts" / "a.pdf").read_bytes()
