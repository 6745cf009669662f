"""Seconds from saving a tip to ``guide watch`` having replaced the PDFs (all formats by default).

Usage: python benchmarks/watch_latency.py PROJECT [--runs 5] [--format all]
PROJECT's guide.yaml, tips/ (and templates/, styles/ if any) are copied to a temporary folder first. A run ends when watch says it is watching again, which it
says once every PDF of the rebuild is in place.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

READY = "watching for changes"


def wait_for_ready(process: subprocess.Popen) -> list[str]:
    """The lines watch prints up to and including its next "watching for changes"."""
    lines = []
    while not lines or READY not in lines[-1]:
        line = process.stdout.readline()
        if not line:
            raise SystemExit("guide watch stopped:\n" + "".join(lines))
        lines.append(line)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", default="all")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        for part in ("tips", "templates", "styles"):
            if (args.project / part).is_dir():
                shutil.copytree(args.project / part, root / part)
        shutil.copy2(args.project / "guide.yaml", root / "guide.yaml")
        tips = min((root / "tips").glob("*.yaml"))
        process = subprocess.Popen([sys.executable, "-m", "guide", "watch", "--format", args.format], cwd=root,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            wait_for_ready(process)  # the first, cold build
            seconds, written = [], 0
            for run in range(args.runs):
                time.sleep(1)  # "watching" is said just before the watcher starts listening
                text = tips.read_text(encoding="utf-8")
                started = time.monotonic()
                tips.write_text(text.replace("body: ", f"body: Edited {run}. ", 1), encoding="utf-8")
                lines = wait_for_ready(process)
                seconds.append(time.monotonic() - started)
                written = sum(line.startswith("wrote ") for line in lines)
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=60)
    print(f"save to PDFs replaced ({written} written, the rest unchanged), s:",
          " ".join(f"{value:.2f}" for value in seconds), f"median {statistics.median(seconds):.2f}")


if __name__ == "__main__":
    main()
