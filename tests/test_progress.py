"""The progress line: drawn on a terminal once a build has taken a second, never into a pipe or file."""

from __future__ import annotations

import io

from guide import progress
from guide.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_slow_build_on_a_terminal_shows_its_step_and_count(monkeypatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    screen = Terminal()
    bar = Progress(screen)
    bar.step("flashcards", 4)
    bar.advance()
    assert screen.getvalue().endswith("1/4") and "flashcards" in screen.getvalue()
    bar.close()
    assert screen.getvalue().endswith("\r\033[K")


def test_nothing_is_drawn_into_a_pipe_or_before_a_second_has_passed(monkeypatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    piped = io.StringIO()
    Progress(piped).step("handouts", 7)
    assert piped.getvalue() == ""
    monkeypatch.setattr(progress, "DELAY", 60.0)
    screen = Terminal()
    Progress(screen).step("handouts", 7)
    assert screen.getvalue() == ""


def test_a_worker_process_draws_nothing(monkeypatch) -> None:
    monkeypatch.setattr(progress, "DELAY", 0.0)
    screen = Terminal()
    bar = Progress(screen)
    monkeypatch.setattr(progress.os, "getpid", lambda: bar.owner + 1)  # as in a process forked from here
    bar.step("cheatsheet", 3)
    bar.advance()
    assert screen.getvalue() == ""
