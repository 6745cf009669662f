"""``guide check``: load and validate a project, and measure whether every tip fits its flashcard.

No PDF is written: the flashcard type is fitted exactly as the build fits it (same settings, card size
and theme), but no sheet is laid out. Measurements are kept in the flashcards' cache in ``output/``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from guide.content.loader import load_guide
from guide.content.model import Guide
from guide.errors import Problem


@dataclass(frozen=True)
class CardFit:
    """How one tip fits its flashcards: the type sizes chosen for each face, whether both fit, and on how
    many cards (more than one when the answer continues)."""

    question_size: float
    answer_size: float
    question_fits: bool
    answer_fits: bool
    cards: int = 1
    # The cloze cards (``c2``) and reversed card (``reverse``) left out, a side too tall for one card.
    left_out: tuple[str, ...] = ()

    @property
    def fits(self) -> bool:
        """Whether the question and the answer both fit, on one card or more, and no card is left out."""
        return self.question_fits and self.answer_fits and not self.left_out

    def describe(self) -> str:
        """``yes``, ``yes, on N cards``, ``no (c2, reverse)`` for cards left out, or ``no (answer)`` /
        ``no (question)`` / ``no (both)``."""
        if self.left_out and self.question_fits and self.answer_fits:
            return f"no ({', '.join(self.left_out)})"
        if self.fits:
            return "yes" if self.cards == 1 else f"yes, on {self.cards} cards"
        if not (self.question_fits or self.answer_fits):
            return "no (both)"
        return "no (question)" if not self.question_fits else "no (answer)"


@dataclass(frozen=True)
class Report:
    """A loaded guide, with each tip's flashcard fit (empty when not measured), the tips that do not fit
    (``misfits``) and those that continue on more cards (``continued``, also among the warnings); and how the
    cheat sheet is set (``cheatsheet``) or why it cannot be (``problems``), when it was measured."""

    guide: Guide
    fits: dict[str, CardFit] = field(default_factory=dict)
    misfits: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    continued: list[Problem] = field(default_factory=list)
    cheatsheet: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """``N tips in K categories``."""
        tips, categories = len(self.guide.tips), len(self.guide.categories)
        return f"{tips} tip{'s' if tips != 1 else ''} in {categories} categor{'ies' if categories != 1 else 'y'}"


def card_fits(guide: Guide, given: Mapping[str, Any] | None = None) -> Report:
    """The report of each tip's :class:`CardFit`, a problem per tip that does not fit and per tip that
    continues on more cards (as the build words them), and the warnings of the tips (pictures shown as
    placeholders) and of the layout; ``given`` are
    command-line settings (``card``, ``duplex``, ...) over guide.yaml."""
    from guide.commands.build import layout_warnings, make_job
    from guide.config.options import Options
    from guide.formats import flashcards

    options = Options.resolve(given or {}, guide.settings)
    # The flashcards keep measured fits in output/.guide-cache, shared with the builds.
    job = make_job(guide, guide.root / "output", options)
    deck = flashcards.plan(job)
    fits: dict[str, CardFit] = {}
    for card in deck.cards:
        earlier = fits.get(card.tip.id)
        answer_fits = card.back.fit.fits and (earlier is None or earlier.answer_fits)
        cards = (earlier.cards + 1) if earlier else 1
        fits[card.tip.id] = CardFit(card.front.fit.size, card.back.fit.size, card.front.fit.fits, answer_fits, cards)
    for tip, variant in deck.left_out:
        earlier = fits.get(tip.id)
        fits[tip.id] = dataclasses.replace(earlier, left_out=(*earlier.left_out, variant)) if earlier else \
            CardFit(0.0, 0.0, True, True, 0, (variant,))
    continued = deck.continued()
    warnings = [*guide.warnings, *layout_warnings(job.layout, guide), *(str(problem) for problem in continued)]
    return Report(guide, fits, deck.overflows(), warnings, continued)


def check(
    root: Path,
    tips_dir: Path | None = None,
    given: Mapping[str, Any] | None = None,
    categories: Iterable[str] = (),
    tags: Iterable[str] = (),
    fit: bool = True,
    sheet: bool = False,
) -> Report:
    """Load the project at ``root`` (raising :class:`~guide.errors.GuideError` with every problem), keep the
    chosen categories and tags, and, with ``fit``, measure each tip's flashcard; the warnings are the
    build's (pictures shown as placeholders, cards that continue); ``given`` are the command line's settings
    by key."""
    guide = load_guide(root, tips_dir, given).select(categories, tags)
    if not fit:
        return Report(guide, warnings=list(guide.warnings))
    report = card_fits(guide, given)
    return cheatsheet_fit(report, given) if sheet else report


def cheatsheet_fit(report: Report, given: Mapping[str, Any] | None = None) -> Report:
    """``report`` with how the cheat sheet is set (its type size and pages, measured as the build measures
    them, without laying out the sheet) or the build's reason why it cannot be."""
    from guide.commands.build import make_job
    from guide.config.options import Options
    from guide.errors import GuideError
    from guide.formats import cheatsheet

    options = Options.resolve(given or {}, report.guide.settings)
    job = make_job(report.guide, report.guide.root / "output", options)
    try:
        planned = cheatsheet.plan(job)
    except GuideError as error:
        return dataclasses.replace(report, problems=list(error.problems))
    how = "" if options.cheatsheet.pages else f", {cheatsheet.FEWEST}"
    return dataclasses.replace(report, cheatsheet=f"cheat sheet: {planned.describe()}{how}")
