"""Seconds from saving a tip to the change showing in a browser on ``guide serve``'s tips page.

Usage: python benchmarks/serve_latency.py PROJECT [--runs 5] [--chromium /usr/bin/chromium]
PROJECT is copied to a temporary folder first; needs the playwright package and a chromium.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from guide.commands.serve import Project, Server
from guide.formats import FORMATS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--chromium", default=shutil.which("chromium"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "project"
        shutil.copytree(args.project, root, ignore=shutil.ignore_patterns("output", ".git"))
        tips = min((root / "tips").glob("*.yaml"))
        server = Server(Project(root, FORMATS), port=0).start()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium,
                                                 args=["--no-sandbox"] if os.geteuid() == 0 else [])
            page = browser.new_page()
            page.goto(server.url)
            page.locator(".tip").first.wait_for()
            seconds = []
            for run in range(args.runs):
                text = tips.read_text(encoding="utf-8")
                marker = f"Edited {run}"
                started = time.monotonic()
                tips.write_text(text.replace("  - title: ", f"  - title: {marker} ", 1), encoding="utf-8")
                page.get_by_text(marker).first.wait_for(timeout=30000)
                seconds.append(time.monotonic() - started)
                time.sleep(1)
            browser.close()
        server.close()
    print("save to browser update, s:", " ".join(f"{value:.2f}" for value in seconds),
          f"median {statistics.median(seconds):.2f}")


if __name__ == "__main__":
    main()
