"""The output formats. Each is a module with ``build(job) -> list[Output]``, a template and a stylesheet."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the format modules import WeasyPrint; naming the formats must not
    from guide.job import Job
    from guide.output import Output

FORMATS = ("cheatsheet", "flashcards", "handouts", "guide")
# Built only when asked for by name, never by "all".
EXTRAS = ("calibration",)


def builder(name: str) -> Callable[[Job], list[Output]]:
    """The ``build`` function of format ``name``, imported only when asked for."""
    return importlib.import_module(f"guide.formats.{name}").build
