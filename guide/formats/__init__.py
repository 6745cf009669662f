"""The output formats. Each is a module with ``build(job) -> list[Output]``, a template and a stylesheet."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the format modules import WeasyPrint; naming the formats must not
    from guide.formats.job import Job
    from guide.store.output import Output

# Format name (as on the command line) -> the module that builds it.
MODULES = {
    "cheatsheet": "guide.formats.cheatsheet",
    "flashcards": "guide.formats.flashcards",
    "handouts": "guide.formats.handouts",
    "guide": "guide.formats.book",
    "calibration": "guide.formats.calibration",
}
# What "all" builds; the others only when asked for by name.
FORMATS = ("cheatsheet", "flashcards", "handouts", "guide")


def builder(name: str) -> Callable[[Job], list[Output]]:
    """The ``build`` function of format ``name``, imported only when asked for."""
    return importlib.import_module(MODULES[name]).build
