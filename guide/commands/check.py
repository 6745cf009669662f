"""``guide check``: load and validate a project, and measure whether every tip fits its flashcard.

No PDF is written: the flashcard type is fitted exactly as the build fits it (same settings, card size
and theme), but no sheet is laid out. Measurements are kept in the flashcards' cache in ``output/``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guide.content.loader import load_guide
from guide.content.model import Guide
from guide.errors import Problem


@dataclass(frozen=True)
class CardFit:
    """How one tip fits its flashcard: the type sizes chosen for each face, and whether both fit."""

    question_size: float
    answer_size: float
    question_fits: bool
    answer_fits: bool

    @property
    def fits(self) -> bool:
        """Whether the question and the answer both fit."""
        return self.question_fits and self.answer_fits

    def describe(self) -> str:
        """``yes`` or ``no (answer)`` / ``no (question)`` / ``no (both)``."""
        if self.fits:
            return "yes"
        if not (self.question_fits or self.answer_fits):
            return "no (both)"
        return "no (question)" if not self.question_fits else "no (answer)"


@dataclass(frozen=True)
class Report:
    """A loaded guide, with each tip's flashcard fit (empty when not measured) and any warnings."""

    guide: Guide
    fits: dict[str, CardFit] = field(default_factory=dict)
    misfits: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """``N tips in K categories``."""
        tips, categories = len(self.guide.tips), len(self.guide.categories)
        return f"{tips} tip{'s' if tips != 1 else ''} in {categories} categor{'ies' if categories != 1 else 'y'}"


def card_fits(guide: Guide, given: Mapping[str, Any] | None = None) -> tuple[dict[str, CardFit], list[Problem], list[str]]:
    """Each tip's :class:`CardFit` by id, a problem per tip that does not fit (as the build words it), and
    the layout's warnings; ``given`` are command-line settings (``card``, ``duplex``, ...) over guide.yaml."""
    from guide.commands.build import blame, make_job
    from guide.config.options import Options
    from guide.formats.flashcards import cards as flashcards
    from guide.store.manifest import context_digest

    options = Options.resolve(given or {}, guide.settings)
    # The flashcards keep measured fits in output/.guide-cache, keyed by everything that changes them.
    context = context_digest(guide.root, {"fit": options.digest_input(), "tips": str(guide.tips_dir)})
    job = make_job(guide, guide.root / "output", options, context)
    cards = flashcards.fitted_cards(job)
    fits = {
        card.tip.id: CardFit(card.question.size, card.answer.size, card.question.fits, card.answer.fits)
        for card in cards
    }
    return fits, flashcards.too_long(cards), blame(job.layout.warnings, guide)


def check(
    root: Path,
    tips_dir: Path | None = None,
    given: Mapping[str, Any] | None = None,
    categories: Iterable[str] = (),
    tags: Iterable[str] = (),
    fit: bool = True,
) -> Report:
    """Load the project at ``root`` (raising :class:`~guide.errors.GuideError` with every problem), keep the
    chosen categories and tags, and, with ``fit``, measure each tip's flashcard; ``given`` are the
    command line's settings by key."""
    guide = load_guide(root, tips_dir, given).select(categories, tags)
    if not fit:
        return Report(guide)
    fits, misfits, warnings = card_fits(guide, given)
    return Report(guide, fits, misfits, warnings)
