"""Benchmark the ``guide`` command line: wall time, peak memory and PDF size per scenario.

Usage: python benchmarks/run.py [--repeat R] [--quick]

Every run happens in a fresh temporary copy of its project, as a child process
(``sys.executable -m guide ...``, cwd = the project). Peak memory is the child's own ``ru_maxrss``,
read with ``os.wait4`` when it exits (see benchmarks/README.md).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from importlib import metadata
from pathlib import Path

from generate import generate

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results.md"
TIMEOUT_S = 3 * 3600  # a child still running after this long is killed and reported as failed
HEADER = ("scenario", "median s", "min s", "max s", "peak RSS MB", "PDF size")
FLOOR = "engine floor (one WeasyPrint layout of the final HTML)"
LAYOUT_ONLY = "import sys, weasyprint; weasyprint.HTML(sys.argv[1]).write_pdf(sys.argv[2])"
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")
# ru_maxrss is in KiB on Linux, in bytes on macOS.
RSS_UNIT = 1 if sys.platform == "darwin" else 1024

Setup = Callable[[Path], None]
Command = Callable[[Path], list[str]]


class SetupError(Exception):
    """An untimed step before the measured command failed."""


@dataclass(frozen=True)
class Scenario:
    """What to measure: ``setup`` fills a fresh empty folder, then ``command`` (built for it) is timed."""

    name: str
    setup: Setup
    command: Command
    pdfs: str = "output/**/*.pdf"  # the files whose size is reported, relative to the project


@dataclass(frozen=True)
class Child:
    """One finished child process: wall time, its peak resident set, exit status and error output."""

    seconds: float
    peak_bytes: int
    returncode: int
    stderr: str

    @property
    def error(self) -> str:
        """The last line of error output of a failed child, or "" if it succeeded."""
        if self.returncode == 0:
            return ""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        how = f"exit {self.returncode}" if self.returncode > 0 else f"killed by signal {-self.returncode}"
        return f"{how}: {lines[-1] if lines else 'no message'}"


@dataclass(frozen=True)
class Outcome:
    """One measured run: the timed child and the PDFs found in the project afterwards, or a setup failure."""

    child: Child
    pdf_sizes: tuple[int, ...]
    setup_error: str = ""

    @property
    def error(self) -> str:
        """Why the run failed, or "" if it succeeded."""
        return self.setup_error or self.child.error


def run_child(command: list[str], cwd: Path) -> Child:
    """Run ``command`` in ``cwd``; its peak RSS comes from ``os.wait4``, so it is this child's alone."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                   stderr=stderr)
        timer = threading.Timer(TIMEOUT_S, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)  # already reaped: keep Popen from waiting
        stderr.seek(0)
        text = stderr.read().decode(errors="replace")
    return Child(seconds, usage.ru_maxrss * RSS_UNIT, process.returncode, text)


def guide(*args: str) -> list[str]:
    """The command line running ``guide args`` with this interpreter."""
    return [sys.executable, "-m", "guide", *args]


def guide_command(*args: str) -> Command:
    """A command running ``guide args``, the same in every folder."""
    return lambda _: guide(*args)


def guide_step(*args: str) -> Setup:
    """A setup step running ``guide args`` in the project; it must succeed."""
    def step(folder: Path) -> None:
        child = run_child(guide(*args), folder)
        if child.error:
            raise SetupError(f"setup `guide {' '.join(args)}` failed ({child.error})")
    return step


def steps(*setups: Setup) -> Setup:
    """One setup doing ``setups`` in order."""
    def run_all(folder: Path) -> None:
        for setup in setups:
            setup(folder)
    return run_all


def copy_seed(folder: Path) -> None:
    """Copy the repository's own project (guide.yaml and tips/; the theme is the built-in one)."""
    shutil.copy2(REPO / "guide.yaml", folder / "guide.yaml")
    shutil.copytree(REPO / "tips", folder / "tips")


@cache
def generated_project(workspace: Path, tips: int) -> Path:
    """A synthetic project of ``tips`` tips (seed 0), generated once per benchmark session."""
    folder = workspace / f"generated-{tips}"
    generate(tips, folder)
    return folder


def copy_generated(workspace: Path, tips: int) -> Setup:
    """A setup copying the synthetic project of ``tips`` tips."""
    def copy(folder: Path) -> None:
        shutil.copytree(generated_project(workspace, tips), folder, dirs_exist_ok=True)
    return copy


def append_word(folder: Path) -> None:
    """Append a word to the last line of the first tip body (a ``body: |`` block) in the first tips file."""
    path = sorted((folder / "tips").glob("*.yaml"))[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "body: |"), None)
    if start is None:
        raise SetupError(f"no `body: |` block in {path.name} to edit")
    indent = len(lines[start]) - len(lines[start].lstrip())
    last = start
    for index in range(start + 1, len(lines)):
        if lines[index].strip() and len(lines[index]) - len(lines[index].lstrip()) <= indent:
            break
        last = index if lines[index].strip() else last
    lines[last] += " edited"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@cache
def build_help() -> str:
    """The text of ``guide build --help``, to see which options this version has."""
    result = subprocess.run(guide("build", "--help"), capture_output=True, text=True, check=False)
    return result.stdout


def has_option(name: str) -> bool:
    """Whether ``guide build`` accepts the option ``name`` (e.g. ``--pages``)."""
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", build_help()) is not None


def cheatsheet_pages(workspace: Path, tips: int) -> tuple[str, ...]:
    """Extra options for a cheat sheet of ``tips`` tips: none if one page holds them, else
    ``--pages N`` with N the pages the guide says it needs, at least 4 (found by an untimed probe)."""
    if not has_option("--pages"):
        return ()
    probe = run_child(guide("build", "--format", "cheatsheet"), generated_project(workspace, tips))
    shutil.rmtree(generated_project(workspace, tips) / "output", ignore_errors=True)
    if not probe.error:
        return ()
    needed = re.search(r"--pages (\d+)", probe.stderr)
    return ("--pages", str(min(max(4, int(needed[1]) if needed else 4), 20)))


def chromium_scenarios(workspace: Path) -> list[Scenario] | str:
    """Headless Chromium printing the HTML guide lays out (the seed's cheat sheet, 1,000 flashcards),
    or why that comparison is skipped."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    reasons = [] if browser else ["neither chromium nor chromium-browser is on PATH"]
    reasons += [] if has_option("--html") else ["`guide build` has no --html option"]
    if reasons:
        return "; ".join(reasons)

    def printing(name: str) -> Callable[[Path], list[str]]:
        def command(folder: Path) -> list[str]:
            page = folder / "output" / f"{name}.html"
            if not page.is_file():
                raise SetupError(f"`guide build --html` wrote no output/{name}.html")
            profile = tempfile.mkdtemp(prefix="chromium-profile-", dir=folder)
            return [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={folder / 'out.pdf'}",
                    "--no-pdf-header-footer", str(page)]
        return command

    return [
        Scenario("cheat sheet, seed: headless Chromium prints guide's HTML",
                 steps(copy_seed, guide_step("build", "--format", "cheatsheet", "--html")),
                 printing("cheatsheet"), "out.pdf"),
        Scenario("flashcards, 1,000 tips: headless Chromium prints guide's HTML",
                 steps(copy_generated(workspace, 1000), guide_step("build", "--format", "flashcards", "--html")),
                 printing("flashcards"), "out.pdf"),
    ]


def engine_layout(name: str) -> Command:
    """One WeasyPrint process laying out the final HTML that ``guide build --html`` wrote for ``name``."""
    def command(folder: Path) -> list[str]:
        page = folder / "output" / f"{name}.html"
        if not page.is_file():
            raise SetupError(f"`guide build --html` wrote no output/{name}.html")
        return [sys.executable, "-c", LAYOUT_ONLY, str(page), str(folder / "out.pdf")]
    return command


def floor_scenarios(workspace: Path, pages: tuple[str, ...]) -> list[Scenario]:
    """The engine's own floor: WeasyPrint laying out the final HTML of a build, with nothing around it."""
    return [
        Scenario(f"{FLOOR}, seed: cheat sheet", steps(copy_seed, guide_step("build", "--format", "cheatsheet", "--html")),
                 engine_layout("cheatsheet"), "out.pdf"),
        Scenario(f"{FLOOR}, 200 tips: cheat sheet {' '.join(pages)}".rstrip(),
                 steps(copy_generated(workspace, 200), guide_step("build", "--format", "cheatsheet", *pages, "--html")),
                 engine_layout("cheatsheet"), "out.pdf"),
        Scenario(f"{FLOOR}, 1,000 tips: flashcards",
                 steps(copy_generated(workspace, 1000), guide_step("build", "--format", "flashcards", "--html")),
                 engine_layout("flashcards"), "out.pdf"),
    ]


def scenarios(workspace: Path, quick: bool) -> tuple[list[Scenario], list[str]]:
    """Every scenario to measure, and notes on those skipped."""
    cold = [Scenario(f"cold build, seed: {name}", copy_seed, guide_command("build", "--format", name))
            for name in ("cheatsheet", "flashcards", "handouts", "all")]
    build_all = guide_command("build", "--format", "all")
    sizes = (1000,) if quick else (1000, 10000)
    pages = cheatsheet_pages(workspace, 200)
    found = [
        Scenario("startup: guide --version", copy_seed, guide_command("--version")),
        *cold,
        Scenario("no-op rebuild, seed: all", steps(copy_seed, guide_step("build")), build_all),
        Scenario("rebuild after editing one tip, seed: all", steps(copy_seed, guide_step("build"), append_word),
                 build_all),
        *(Scenario(f"flashcards, {tips:,} tips", copy_generated(workspace, tips),
                   guide_command("build", "--format", "flashcards")) for tips in sizes),
        Scenario("rebuild after editing one tip, 1,000 tips: flashcards",
                 steps(copy_generated(workspace, 1000), guide_step("build", "--format", "flashcards"), append_word),
                 guide_command("build", "--format", "flashcards")),
        Scenario(f"cheat sheet, 200 tips {' '.join(pages)}".rstrip(), copy_generated(workspace, 200),
                 guide_command("build", "--format", "cheatsheet", *pages)),
        *floor_scenarios(workspace, pages),
    ]
    notes = [] if not quick else ["flashcards, 10,000 tips: skipped (--quick)"]
    chromium = chromium_scenarios(workspace)
    if isinstance(chromium, str):
        notes.append(f"Chromium comparison: skipped ({chromium})")
    else:
        found += chromium
    return found, notes


def measure(scenario: Scenario, workspace: Path) -> Outcome:
    """Set up a fresh copy, time the command in it, note the PDFs, and delete the copy."""
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=workspace))
    try:
        try:
            scenario.setup(folder)
            command = scenario.command(folder)
        except SetupError as error:
            return Outcome(Child(0.0, 0, 0, ""), (), str(error))
        child = run_child(command, folder)
        made = [path for path in sorted(folder.glob(scenario.pdfs))
                if not any(part.startswith(".") for part in path.relative_to(folder).parts)]  # not caches
        return Outcome(child, tuple(path.stat().st_size for path in made))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def human_size(size: int) -> str:
    """``size`` bytes as kB or MB (powers of 1000)."""
    return f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"


def pdf_cell(sizes: tuple[int, ...]) -> str:
    """Total size of the PDFs, with their count when there are several."""
    if not sizes:
        return "no PDF"
    total = human_size(sum(sizes))
    return total if len(sizes) == 1 else f"{total} in {len(sizes)} files"


def row(name: str, outcomes: list[Outcome]) -> list[str]:
    """The table row of a scenario; a single failed run marks the whole row as failed."""
    failed = [outcome.error for outcome in outcomes if outcome.error]
    if failed:
        return [name, "–", "–", "–", "–", f"FAILED ({len(failed)}/{len(outcomes)} runs): {failed[0]}"]
    times = [outcome.child.seconds for outcome in outcomes]
    peak = max(outcome.child.peak_bytes for outcome in outcomes) / 2**20
    return [name, f"{statistics.median(times):.2f}", f"{min(times):.2f}", f"{max(times):.2f}", f"{peak:.0f}",
            pdf_cell(outcomes[-1].pdf_sizes)]


def table(rows: list[list[str]]) -> str:
    """A Markdown table of ``rows`` under ``HEADER`` (pipes in cells escaped)."""
    lines = [HEADER, ["---"] * len(HEADER), *rows]
    return "\n".join("| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in lines)


def environment(repeat: int, quick: bool) -> str:
    """One line saying where and how the numbers were taken."""
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("guide", "weasyprint"))
    return (f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; {platform.platform()}, {os.cpu_count()} CPUs; "
            f"Python {platform.python_version()}, {versions}; {repeat} runs per scenario"
            f"{', --quick' if quick else ''}.")


def run_scenario(scenario: Scenario, workspace: Path, repeat: int) -> list[Outcome]:
    """Measure ``scenario`` ``repeat`` times, printing progress to stderr."""
    outcomes = []
    for number in range(1, repeat + 1):
        outcome = measure(scenario, workspace)
        child = outcome.child
        status = outcome.error or f"{child.seconds:.2f} s, {child.peak_bytes / 2**20:.0f} MB"
        print(f"  {scenario.name} [{number}/{repeat}]: {status}", file=sys.stderr, flush=True)
        outcomes.append(outcome)
    return outcomes


@dataclass(frozen=True)
class Ratio:
    """A target: the median (or PDF size) of one scenario over another's, at most ``target``."""

    name: str
    measured: str  # scenario name prefixes
    against: str
    target: float
    per_core: bool = False  # divide the reference by the cores, as if it were spread perfectly over them
    sizes: bool = False


RATIOS = (
    Ratio("cold 1,000 flashcards ÷ engine floor per core", "flashcards, 1,000 tips", f"{FLOOR}, 1,000 tips", 1.15,
          per_core=True),
    Ratio("PDF of 1,000 flashcards ÷ Chromium's", "flashcards, 1,000 tips",
          "flashcards, 1,000 tips: headless Chromium", 0.2, sizes=True),
    Ratio("cheat sheet with fitting ÷ one layout of its HTML, seed", "cold build, seed: cheatsheet",
          f"{FLOOR}, seed: cheat sheet", 2.0),
    Ratio("cheat sheet with fitting ÷ one layout of its HTML, 200 tips", "cheat sheet, 200 tips",
          f"{FLOOR}, 200 tips", 2.0),
    Ratio("one-word edit of one tip ÷ cold build, seed: all", "rebuild after editing one tip, seed: all",
          "cold build, seed: all", 0.25),
)


def _find(measured: dict[str, list[Outcome]], prefix: str) -> list[Outcome] | None:
    found = [outcomes for name, outcomes in measured.items() if name.startswith(prefix)]
    return found[0] if found and not any(outcome.error for outcome in found[0]) else None


def ratio_lines(measured: dict[str, list[Outcome]]) -> list[str]:
    """Each target with its measured ratio, or why it could not be computed."""
    lines = []
    for ratio in RATIOS:
        top, bottom = _find(measured, ratio.measured), _find(measured, ratio.against)
        if top is None or bottom is None:
            lines.append(f"{ratio.name}: not measured")
            continue
        if ratio.sizes:
            value = sum(top[-1].pdf_sizes) / sum(bottom[-1].pdf_sizes)
        else:
            cores = (os.cpu_count() or 1) if ratio.per_core else 1
            value = (statistics.median(o.child.seconds for o in top)
                     / (statistics.median(o.child.seconds for o in bottom) / cores))
        verdict = "met" if value <= ratio.target else "not met"
        lines.append(f"{ratio.name}: **{value:.2f}** (target ≤ {ratio.target:g}: {verdict})")
    return lines


def report(rows: list[list[str]], notes: list[str], repeat: int, quick: bool, ratios: list[str]) -> str:
    """The Markdown results: table, the targets as ratios, then where they were taken and what was skipped."""
    footer = [environment(repeat, quick), *notes]
    return (table(rows) + "\n\n" + "\n".join(f"- {line}" for line in ratios) + "\n\n"
            + "\n".join(f"- {line}" for line in footer) + "\n")


def main() -> None:
    """Parse options, run every scenario, print the Markdown results and write them to results.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, metavar="R", help="runs per scenario [3]")
    parser.add_argument("--quick", action="store_true", help="skip the 10,000-tip flashcards")
    parser.add_argument("--only", metavar="TEXT", default="", help="only the scenarios whose name holds TEXT")
    args = parser.parse_args()
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    with tempfile.TemporaryDirectory(prefix="guide-bench-") as temp:
        workspace = Path(temp)
        found, notes = scenarios(workspace, args.quick)
        found = [scenario for scenario in found if args.only in scenario.name]
        measured = {scenario.name: run_scenario(scenario, workspace, args.repeat) for scenario in found}
    rows = [row(name, outcomes) for name, outcomes in measured.items()]
    text = report(rows, notes, args.repeat, args.quick, ratio_lines(measured))
    print(text, end="")
    RESULTS.write_text(text, encoding="utf-8")
    print(f"\nwritten to {RESULTS}", file=sys.stderr)


if __name__ == "__main__":
    main()
