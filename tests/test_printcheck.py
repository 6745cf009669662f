"""The print checker finds what it looks for on small PDFs made to have it, and nothing on clean ones."""

from __future__ import annotations

from pathlib import Path

import printcheck
import pytest
from weasyprint import HTML

PAGE = "@page { size: 100mm 100mm; margin: 0 } body { margin: 0; font: 10pt sans-serif }"
CARD = (20 * printcheck.POINTS_PER_MM, 20 * printcheck.POINTS_PER_MM,
        80 * printcheck.POINTS_PER_MM, 50 * printcheck.POINTS_PER_MM)


def pdf(tmp_path: Path, body: str, css: str = "") -> Path:
    """A 100 mm square PDF of ``body`` laid out by WeasyPrint."""
    path = tmp_path / "test.pdf"
    HTML(string=f"<style>{PAGE} {css}</style>{body}").write_pdf(path)
    return path


def at(left: float, top: float, text: str, style: str = "") -> str:
    return f'<div style="position: absolute; left: {left}mm; top: {top}mm; {style}">{text}</div>'


def test_text_drawn_over_text_is_found(tmp_path: Path):
    path = pdf(tmp_path, at(20, 20, "Overlapping words") + at(20.5, 20.5, "Overlapping words"))
    findings = printcheck.overlaps(path)
    assert findings and all(finding.page == 1 for finding in findings)


def test_separate_lines_do_not_overlap(tmp_path: Path):
    assert printcheck.overlaps(pdf(tmp_path, at(20, 20, "First line<br>Second line<br>Third line"))) == []


def test_white_text_under_a_formula_is_not_ink(tmp_path: Path):
    path = pdf(tmp_path, at(20, 20, "x squared") + at(20, 20, "x squared", "color: #fff"))
    assert printcheck.overlaps(path) == []


def test_ink_near_the_edge_is_found(tmp_path: Path):
    path = pdf(tmp_path, at(3, 40, "i") + at(40, 40, "", "width: 10mm; height: 2mm; background: black")
               + at(40, 97, "", "width: 10mm; height: 1mm; background: black"))
    assert sorted(finding.what for finding in printcheck.in_margin(path)) == ["'i' in the margin", "'rect' in the margin"]


def test_ink_inside_the_margin_is_fine_and_the_margin_is_a_parameter(tmp_path: Path):
    path = pdf(tmp_path, at(10, 40, "inside"))
    assert printcheck.in_margin(path) == []
    assert len(printcheck.in_margin(path, margin_mm=30)) == len("inside")


def test_a_full_width_background_is_allowed(tmp_path: Path):
    assert printcheck.in_margin(pdf(tmp_path, at(0, 0, "", "width: 100mm; height: 100mm; background: #eee"))) == []


@pytest.mark.parametrize(("size", "found"), [(5.5, 4), (6, 0)])
def test_small_type_is_found(tmp_path: Path, size: float, found: int):
    assert len(printcheck.too_small(pdf(tmp_path, at(20, 20, "tiny", f"font-size: {size}pt")))) == found


def card(text: str, text_style: str = "") -> str:
    """A 60 x 30 mm card at (20, 20) mm holding ``text``, then a foot line inside it."""
    return (at(20, 20, f'<div style="width: 60mm; {text_style}">{text}</div>'
                       f'<div style="position: absolute; top: 25mm">foot</div>', "width: 60mm; height: 30mm"))


def test_text_on_its_card_is_fine(tmp_path: Path):
    assert printcheck.outside_cards(pdf(tmp_path, card("A short answer.")), [CARD]) == []


def test_text_running_off_its_card_is_found(tmp_path: Path):
    answer = " ".join(["A long answer that runs down past the card's bottom edge."] * 12)
    findings = printcheck.outside_cards(pdf(tmp_path, card(answer)), [CARD])
    assert findings and all(finding.top > CARD[1] for finding in findings)


def test_text_that_ran_onto_another_card_belongs_to_its_own(tmp_path: Path):
    lower = (CARD[0], CARD[3], CARD[2], CARD[3] + (CARD[3] - CARD[1]))
    answer = " ".join(["A long answer that runs on into the card below it."] * 12)
    findings = printcheck.outside_cards(pdf(tmp_path, card(answer)), [CARD, lower])
    assert findings and all(finding.top >= CARD[3] - 10 for finding in findings)


def test_an_image_wider_than_its_card_is_found(tmp_path: Path):
    image = '<img src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7">'
    path = pdf(tmp_path, card(image, "width: 75mm"), "img { width: 75mm; height: 5mm }")
    assert [finding.what for finding in printcheck.outside_cards(path, [CARD])] == ["image outside its card"]


def test_markdown_words_are_what_a_reader_sees():
    text = ("Steps:\n1. Run `git commit --amend` and [the guide](https://example.org/x)\n- [x] done\n"
            "x<sub>i</sub> is $\\sigma^2$ here ![alt text](images/a.png)\n$$E = mc^2$$\n```python\nprint(1)\n```")
    assert printcheck.markdown_words(text) == [
        "steps", "run", "git", "commit", "amend", "and", "the", "guide", "done", "xi", "is", "here", "print", "1"]


def test_missing_words_are_counted_per_copy(tmp_path: Path):
    path = pdf(tmp_path, at(20, 20, "alpha beta, and hyphen-<br>ated words"))
    assert printcheck.missing_words(["Alpha *beta* beta gamma", "hyphenated"], path) == ["beta", "gamma"]


def test_a_word_really_missing_is_found_however_the_page_is_read(tmp_path: Path):
    path = pdf(tmp_path, at(20, 20, "model_se-<br>lection and Strati<br>fied", "width: 40mm")
               + at(20, 40, "<code>a = filter(l<br>ambda</code>", "font-family: monospace"))
    expected = ["`model_selection` and `StratifiedKFold`, lambda filter"]
    assert printcheck.missing_words(expected, path) == ["stratifiedkfold"]  # "fied" is no "kfold"


def test_a_name_broken_with_the_mark_reads_as_one(tmp_path: Path):
    path = pdf(tmp_path, at(20, 20, "sklearn.model_\u00ac<br>selection.Stratified\u00ac<br>KFold first"))
    assert printcheck.missing_words(["`sklearn.model_selection.StratifiedKFold` first"], path) == []


def test_a_word_broken_without_a_mark_is_missing(tmp_path: Path):
    path = pdf(tmp_path, at(20, 20, "coalescePartitions.initialPartition<br>Num in the docs"))
    assert printcheck.missing_words(["coalescePartitions.initialPartitionNum in the docs"], path) == [
        "initialpartitionnum"]


def test_a_code_line_wrapped_inside_a_word_or_at_a_space_reads_either_way(tmp_path: Path):
    code = "font-family: monospace; width: 30mm"
    path = pdf(tmp_path, at(20, 20, "result = filter(l<br>ambda row: x is<br>not None)", code))
    assert printcheck.missing_words(["result = filter(lambda row: x is not None)"], path) == []


def test_a_list_number_drawn_after_its_item_is_a_word_of_its_own(tmp_path: Path):
    path = pdf(tmp_path, '<ol style="margin: 20mm; font-size: 10pt"><li>the docs rarely say so</li></ol>')
    assert printcheck.missing_words(["the docs rarely say so"], path) == []


def test_a_word_hyphenated_at_the_foot_of_a_page_reads_on_at_the_next(tmp_path: Path):
    foot = "@page { @bottom-center { content: 'page ' counter(page); font-size: 9pt } }"
    path = pdf(tmp_path, '<p style="margin: 20mm">the in-</p><p style="break-before: page; margin: 20mm">'
               "terpretation of results</p>", foot)
    assert printcheck.missing_words(["the interpretation of results"], path) == []


def test_emphasis_on_part_of_a_hyphenated_word_reads_as_the_word():
    assert printcheck.markdown_words("by **gamma**-which and *precision*-*recall*") == [
        "by", "gammawhich", "and", "precisionrecall"]
