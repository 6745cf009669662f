"""Errors the user can act on: each names a file (and where known a line and column)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as the reader knows."""

    path: Path | None
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = "" if self.path is None else _display(self.path)
        if where and self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}" if where else self.message


class GuideError(Exception):
    """A build that cannot go on; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem(None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def _display(path: Path) -> str:
    """Show a path relative to the working folder when it lies inside it. The path itself is named, not
    where a symlink leads (which may be outside, or nowhere: a loop)."""
    here = Path.cwd()
    for base in (here, here.resolve()):
        if path.absolute().is_relative_to(base):
            return str(path.absolute().relative_to(base))
    return str(path)
