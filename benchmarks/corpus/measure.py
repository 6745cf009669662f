"""Build a corpus as a user would and count what is wrong on paper, per PDF, as a Markdown table.

Usage: python benchmarks/corpus/measure.py [CORPUS]   (default: tests/data/realistic)
Runs ``guide build`` and ``guide build --format flashcards --card poker`` in a temporary copy.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests"))

import corpus  # noqa: E402
import printcheck  # noqa: E402

RUNS = ((), ("--format", "flashcards", "--card", "poker"))
HEADER = ("| build | PDF | pages | glyphs over glyphs | in the safe margin | under 6 pt | outside their card "
          "| words missing |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")


def row(project: Path, build: corpus.Build, pdf: str, card: str) -> str:
    """One PDF's figures as a table row."""
    path = build.output / pdf
    name = " ".join(build.command)
    if not path.is_file():
        return f"| `{name}` | {pdf} | not written | | | | | |"
    outside = len(printcheck.outside_cards(path, corpus.cards(card=card))) if pdf == "flashcards.pdf" else ""
    figures = (len(printcheck.load(path)), len(printcheck.overlaps(path)), len(printcheck.in_margin(path)),
               len(printcheck.too_small(path)), outside,
               len(printcheck.missing_words(corpus.texts(project, pdf), path)))
    return f"| `{name}` | {pdf} | " + " | ".join(str(figure) for figure in figures) + " |"


def summary(build: corpus.Build) -> list[str]:
    """The build's exit code, its warnings counted and its errors quoted, and the formats built alone."""
    warnings = [line for line in build.messages if line.startswith("warning:")]
    errors = [line for line in build.messages if line.startswith("error:")]
    whose = " (its own and the builds below)" if build.alone else ""
    lines = [f"- `{' '.join(build.command)}`: exit {build.exit_code}, {len(warnings)} warnings{whose}"
             + "".join(f"; `{error}`" for error in errors)]
    lines += [f"  - not written by it, so built alone with `--format {format}`: exit {code}"
              for format, code in build.alone.items()]
    return lines


def measure(source: Path) -> str:
    """The figures of every run on a fresh copy of ``source``, as Markdown."""
    rows, notes = [HEADER], []
    for args in RUNS:
        with tempfile.TemporaryDirectory() as folder:
            project = corpus.copy_corpus(source, Path(folder))
            formats = ("flashcards",) if "--card" in args else corpus.FORMATS
            build = corpus.build(project, *args, formats=formats)
            card = args[args.index("--card") + 1] if "--card" in args else "default"
            for pdfs in corpus.expected_pdfs(project, formats).values():
                rows += [row(project, build, pdf, card) for pdf in pdfs]
            notes += summary(build)
            print(f"measured {' '.join(build.command)}", file=sys.stderr)
    return "\n".join(rows + [""] + notes)


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else corpus.REALISTIC
    print(measure(source.resolve()))


if __name__ == "__main__":
    main()
