"""``guide watch``: rebuild on every change to the sources, survive mistakes, stop cleanly on Ctrl-C."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import page_texts

from guide.cli import main
from guide.commands import watch
from guide.commands.init import init
from guide.commands.watch import Sources, rebuild_loop

BROKEN_TIP = "category: Broken\ntips:\n  - title: No body here\n"


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A new three-tip guide, quick to build."""
    init(tmp_path / "small")
    return tmp_path / "small"


def test_sources_are_tips_theme_folders_and_settings(tmp_path: Path) -> None:
    root = tmp_path / "project"
    sources = Sources.for_project(root)
    for path in ("guide.yaml", "tips/a.yaml", "tips/images/x.png", "templates/handout.html",
                 "styles/themes/print.css"):
        assert root / path in sources, path
    for path in ("output/cheatsheet.pdf", "output/.guide-manifest.json", "README.md", "tips/.a.yaml.swp",
                 "tips/a.yaml~", "tips/#a.yaml#", "styles/.hidden/x.css", ".git/index", "tips", "other/guide.yaml"):
        assert root / path not in sources, path
    outside = Sources.for_project(root, tmp_path / "elsewhere")
    assert tmp_path / "elsewhere" / "a.yaml" in outside
    assert outside.watch_paths == [root.resolve(), (tmp_path / "elsewhere").resolve()]
    assert sources.watch_paths == [root.resolve()]


def test_rebuild_loop_rebuilds_once_per_batch_touching_a_source(tmp_path: Path) -> None:
    root = tmp_path.resolve()
    sources = Sources.for_project(root)
    builds: list[int] = []
    heard: list[list[Path]] = []
    batches = [
        {root / "output" / "cheatsheet.pdf"},                          # our own output: ignored
        {root / "tips" / "b.yaml", root / "tips" / "a.yaml", root / "README.md"},
        set(),
        {root / "tips" / ".a.yaml.swp"},                                # an editor's swap file: ignored
        {root / "guide.yaml"},
    ]
    count = rebuild_loop(iter(batches), sources, lambda: builds.append(len(builds)), heard.append)
    assert count == len(builds) == 3
    assert heard == [[root / "tips" / "a.yaml", root / "tips" / "b.yaml"], [root / "guide.yaml"]]


def test_watch_command_rebuilds_reports_errors_and_keeps_the_last_good_pdfs(
    small: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = small / "output" / "handouts" / "example.pdf"
    tips = small / "tips" / "example.yaml"
    broken = small / "tips" / "broken.yaml"
    seen: dict[str, bytes] = {}

    def changes(sources: Sources, stop: threading.Event | None = None) -> Iterator[set[Path]]:
        assert sources == Sources.for_project(small)
        seen["first"] = pdf.read_bytes()
        yield {small / "output" / "handouts" / "example.pdf"}
        (small / "guide.yaml").write_text((small / "guide.yaml").read_text().replace("Small", "Renamed Guide"))
        yield {small / "guide.yaml"}
        seen["renamed"] = pdf.read_bytes()
        broken.write_text(BROKEN_TIP)
        yield {broken}
        seen["broken"] = pdf.read_bytes()
        broken.unlink()
        tips.write_text(tips.read_text().replace("Tips are Markdown", "Tips are written in Markdown"))
        yield {broken, tips}
        raise KeyboardInterrupt

    monkeypatch.setattr(watch, "changes", changes)
    monkeypatch.chdir(small)
    result = CliRunner().invoke(main, ["watch", "--format", "handouts"])
    assert result.exit_code == 0, result.output
    lines = [re.sub(r"^(wrote|unchanged) (\S+) .*", r"built \2", line) for line in result.output.splitlines()]
    assert lines == [
        "built output/handouts/example.pdf",
        "watching for changes (Ctrl-C to stop)",
        "changed: guide.yaml",
        "built output/handouts/example.pdf",
        "watching for changes (Ctrl-C to stop)",
        "changed: tips/broken.yaml",
        'error: tips/broken.yaml:3:5: tip "No body here" has no body',
        "watching for changes (Ctrl-C to stop)",
        "changed: tips/broken.yaml, tips/example.yaml",
        "built output/handouts/example.pdf",
        "watching for changes (Ctrl-C to stop)",
        "stopped",
    ]
    assert seen["renamed"] != seen["first"]
    assert seen["broken"] == seen["renamed"]  # the failed build left the last good PDF alone
    assert "Tips are written in Markdown" in "".join(page_texts(pdf))


def test_real_file_events_reach_the_loop(small: Path) -> None:
    sources = Sources.for_project(small)
    stop = threading.Event()
    batches: list[set[Path]] = []

    def collect() -> None:
        for batch in watch.changes(sources, stop):
            batches.append(batch)
            stop.set()

    thread = threading.Thread(target=collect, daemon=True)
    thread.start()
    tip = sources.tips_dir / "example.yaml"
    deadline = time.monotonic() + 30
    while not batches and time.monotonic() < deadline:
        (sources.root / "output").mkdir(exist_ok=True)
        (sources.root / "output" / "x.pdf").write_bytes(b"ignored")
        tip.write_text(tip.read_text() + "\n")
        time.sleep(0.5)
    stop.set()
    thread.join(10)
    assert batches and batches[0] == {tip}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_ctrl_c_stops_watching_cleanly(small: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "guide", "watch", "--format", "handouts"], cwd=small, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        # A shell running tests in the background may ignore SIGINT; a terminal's Ctrl-C is not ignored.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        lines = []
        while not lines or not lines[-1].startswith("watching"):
            line = process.stdout.readline()
            assert line, "".join(lines)
            lines.append(line)
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 0, "".join(lines) + rest
    assert rest.strip() == "stopped"
    assert "Traceback" not in rest
