"""Where a flashcard sheet's layout time goes, in processor instructions (valgrind), which unlike seconds
do not change with whatever else the machine is doing.

Builds a generated deck's flashcards with ``--html``, takes its first pages, and counts the instructions
WeasyPrint needs to lay them out and write the PDF: as built, with only the question and answer texts
(no head, foot or crop marks), and with those texts unwrapped (no line breaking). Needs valgrind.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHEET = re.compile(r'(?=<section class="sheet)')
RENDER = """
import sys, weasyprint
html = open(sys.argv[1]).read()
if sys.argv[2] == "render":
    weasyprint.HTML(string=html, base_url=sys.argv[1]).render().write_pdf()
"""
# Elements of a card that are not its question or answer, one per line in the template's output.
CHROME = re.compile(r'<div class="(?:head|foot|crop-mark|guide-line)[^"]*">.*?</div>\n?')
UNWRAPPED = "<style>.question, .answer, .answer * { white-space: nowrap !important; }</style></head>"


def first_pages(html: str, pages: int) -> str:
    """``html`` cut after its first ``pages`` sheets."""
    head, *sheets = SHEET.split(html)
    kept = "".join(sheets[:pages])
    return head + kept[:kept.rindex("</section>") + len("</section>")] + "\n</body>\n</html>\n"


def instructions(path: Path, action: str) -> int:
    """Instructions valgrind counts for a Python that imports WeasyPrint and, with ``render``, lays out
    ``path`` and writes its PDF."""
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, "-c", RENDER, str(path), action],
                         capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", run.stderr)[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tips", type=int, default=1000, help="tips in the generated deck [1000]")
    parser.add_argument("--pages", type=int, default=8, help="pages to lay out [8]")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is needed (Debian: apt-get install valgrind)")
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(args.tips), str(project),
                        "--categories", "8", "--seed", "0"], check=True, capture_output=True)
        subprocess.run([sys.executable, "-m", "guide", "build", "--format", "flashcards", "--html"],
                       cwd=project, check=True, capture_output=True)
        built = first_pages((project / "output" / "flashcards.html").read_text(), args.pages)
        variants = {
            "as built": built,
            "question and answer texts only": CHROME.sub("", built),
            "texts only, no line breaking": CHROME.sub("", built).replace("</head>", UNWRAPPED, 1),
        }
        baseline = instructions(project / "output" / "flashcards.html", "import")
        counts = {}
        for name, html in variants.items():
            path = project / "output" / "variant.html"
            path.write_text(html)
            counts[name] = instructions(path, "render") - baseline
            print(f"{name}: {counts[name] / 1e6:,.0f} M instructions "
                  f"({counts[name] / counts['as built']:.0%})", flush=True)


if __name__ == "__main__":
    main()
