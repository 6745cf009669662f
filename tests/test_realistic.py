"""The realistic corpus (tests/data/realistic) built with plain ``guide build``, read as a printer would.

One build per test run, shared by the pytest-xdist workers. A format the plain build does not write is built
by itself, so its pages are still checked. The checks of one format run in one worker, which reads its PDFs
once.
"""

from __future__ import annotations

from pathlib import Path

import corpus
import printcheck
import pytest
from helpers import made_once
from printcheck import Finding

FORMATS = [pytest.param(format, marks=pytest.mark.xdist_group(f"realistic-{format}")) for format in corpus.FORMATS]


@pytest.fixture(scope="session")
def realistic(tmp_path_factory: pytest.TempPathFactory) -> corpus.Build:
    """The corpus built once for the test run: do not modify its folder."""
    return made_once(tmp_path_factory, "realistic",
                     lambda folder: corpus.build(corpus.copy_corpus(corpus.REALISTIC, folder)))


def pdfs(build: corpus.Build, format: str) -> list[Path]:
    """The format's PDFs; each must exist."""
    paths = [build.output / name for name in corpus.expected_pdfs(build.output.parent, (format,))[format]]
    assert [path for path in paths if not path.is_file()] == []
    return paths


def report(findings: list[Finding]) -> str:
    return f"{len(findings)} findings, first: " + "; ".join(str(finding) for finding in findings[:5])


def test_plain_build_exits_0(realistic: corpus.Build):
    assert realistic.exit_code == 0, "\n".join(realistic.messages)


def test_plain_build_writes_every_pdf(realistic: corpus.Build):
    assert realistic.alone == {}


@pytest.mark.parametrize("format", FORMATS)
def test_no_glyph_over_another(realistic: corpus.Build, format: str):
    findings = [finding for path in pdfs(realistic, format) for finding in printcheck.overlaps(path)]
    assert findings == [], report(findings)


@pytest.mark.parametrize("format", FORMATS)
def test_nothing_in_the_safe_margin(realistic: corpus.Build, format: str):
    findings = [finding for path in pdfs(realistic, format) for finding in printcheck.in_margin(path)]
    assert findings == [], report(findings)


@pytest.mark.parametrize("format", FORMATS)
def test_nothing_under_6_pt(realistic: corpus.Build, format: str):
    findings = [finding for path in pdfs(realistic, format) for finding in printcheck.too_small(path)]
    assert findings == [], report(findings)


@pytest.mark.xdist_group("realistic-flashcards")
def test_flashcards_stay_on_their_cards(realistic: corpus.Build):
    (path,) = pdfs(realistic, "flashcards")
    findings = printcheck.outside_cards(path, corpus.cards())
    assert findings == [], report(findings)


@pytest.mark.parametrize("format", FORMATS)
def test_every_word_present(realistic: corpus.Build, format: str):
    project = realistic.output.parent
    missing = {path.name: printcheck.missing_words(corpus.texts(project, str(path.relative_to(realistic.output))), path)
               for path in pdfs(realistic, format)}
    assert {name: words for name, words in missing.items() if words} == {}
