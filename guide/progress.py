"""A progress line on the terminal for builds that take more than a second; silent anywhere else."""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

DELAY = 1.0  # seconds before anything is drawn
WIDTH = 24


class Progress:
    """Counts documents laid out per step (a format, or part of one) and redraws one status line."""

    def __init__(self, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self.started = time.monotonic()
        self.label, self.done, self.total = "", 0, 0
        self.drawn = False
        self.owner = os.getpid()

    def step(self, label: str, total: int) -> None:
        """Begin a step of ``total`` documents."""
        self.label, self.done, self.total = label, 0, total
        self._draw()

    def advance(self) -> None:
        """One more document of the current step is done."""
        self.done += 1
        self._draw()

    def close(self) -> None:
        """Clear the line, if one was drawn."""
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.drawn = False

    def _draw(self) -> None:
        # Only the process that made the line draws it: a worker process building a format keeps quiet.
        if not self.enabled or os.getpid() != self.owner or time.monotonic() - self.started < DELAY:
            return
        filled = WIDTH * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (WIDTH - filled)
        self.stream.write(f"\r\033[K{self.label:<12} [{bar}] {self.done}/{self.total}")
        self.stream.flush()
        self.drawn = True


SILENT = Progress(enabled=False)
