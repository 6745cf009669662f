"""The deck: every tip as one card or more, with the type of each face fitted to the card. This is what
``guide check`` and ``guide list`` report and what the build prints."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from guide.config.options import FlashcardOptions
from guide.content.model import Category, Tip
from guide.errors import GuideError, Problem
from guide.formats.flashcards import estimate, geometry
from guide.formats.flashcards.fit import Fit, FitCache, Fitter
from guide.formats.flashcards.geometry import Grid
from guide.formats.flashcards.metrics import custom_properties
from guide.formats.flashcards.split import mark_code_lines
from guide.formats.job import Job
from guide.store.keys import context_digest

STYLESHEETS = ("base.css", "flashcards.css")
# Type sizes (pt) tried from largest to smallest until the text fits its card. At the smallest answer
# size, code (0.88 of it) and the answer's title (0.9) stay at 6 pt or more.
QUESTION_SIZES = (15.0, 14.0, 13.0, 12.0, 11.0, 10.0, 9.0, 8.0, 7.0)
ANSWER_SIZES = (10.5, 10.0, 9.5, 9.0, 8.5, 8.0, 7.5, 7.0)
# Card regions in mm; flashcards.css draws the same boxes.
PADDING = 4.5
HEAD = 6.0
FOOT = 4.0
# A picture is at most the answer area's height less this (mm): room for the line it stands in, and a
# title or a caption line beside it.
IMAGE_ROOM = 8.0


@dataclass(frozen=True)
class Layout:
    """The sheet grid, one card's width and height, and the area a question or answer must fit (mm)."""

    grid: Grid
    card_width: float
    card_height: float
    area: tuple[float, float]

    def template_context(self) -> dict:
        """What the templates need to draw a card and its type."""
        return dict(grid=self.grid, card_width=self.card_width, card_height=self.card_height, area=self.area,
                    padding=PADDING, head=HEAD, foot=FOOT, metrics=custom_properties(), image_room=IMAGE_ROOM)


@dataclass(frozen=True)
class Card:
    """One card of the deck: a tip's question, and its answer or the ``part``-th of ``parts`` of it."""

    tip: Tip
    category: Category
    number: int
    question: Fit
    answer: Fit
    answer_html: Markup
    part: int = 1
    parts: int = 1

    @property
    def question_html(self) -> str:
        """The front's question, its inline Markdown rendered."""
        return question_html(self.tip)

    @property
    def key(self) -> str:
        """The answer's key in the fitter: the tip's id, with the part number when it continues."""
        return self.tip.id if self.parts == 1 else f"{self.tip.id}/{self.part - 1}"


@dataclass(frozen=True)
class Deck:
    """The cards in print order, a tip's continuation cards right after its first."""

    cards: list[Card]

    @property
    def tips(self) -> int:
        return len({card.tip.id for card in self.cards})

    def continued(self, strict: bool = False) -> list[Problem]:
        """A problem naming file, line and id for each tip whose answer continues on more cards."""
        advice = ": shorten it or choose a larger --card" if strict else ""
        return [Problem(card.tip.source.path, f'tip "{card.tip.id}" does not fit on one card even at '
                        f"{ANSWER_SIZES[-1]:g} pt: it continues on {card.parts} cards{advice}", card.tip.source.line)
                for card in self.cards if card.part == 1 and card.parts > 1]

    def overflows(self) -> list[Problem]:
        """A problem for each tip with a question, or a piece of answer that cannot be cut (a picture, a
        word), too tall for its card even at the smallest size."""
        found = {card.tip.id: card for card in self.cards if not (card.question.fits and card.answer.fits)}
        return [Problem(card.tip.source.path, f'tip "{card.tip.id}" does not fit on a card even at '
                        f"{(QUESTION_SIZES if not card.question.fits else ANSWER_SIZES)[-1]:g} pt: "
                        "shorten it or choose a larger --card", card.tip.source.line) for card in found.values()]


def layout(job: Job, options: FlashcardOptions) -> Layout:
    """The grid and card area for ``options``; folded cards are a front and back side by side."""
    folded = options.duplex == "fold"
    grid = _grid(job, options, folded)
    card_width = grid.card_width / 2 if folded else grid.card_width
    area = (card_width - 2 * PADDING, grid.card_height - 2 * PADDING - HEAD - FOOT)
    if min(area) < 12:
        raise GuideError(f"a {card_width:.0f} x {grid.card_height:.0f} mm card is too small for a question and its answer")
    return Layout(grid, card_width, grid.card_height, area)


def sheet_grid(job: Job) -> Grid:
    """The grid the deck's sheets are laid out on: the calibration sheet takes their size and orientation."""
    options = job.options.flashcards
    return _grid(job, options, options.duplex == "fold")


def _grid(job: Job, options: FlashcardOptions, folded: bool) -> Grid:
    """The most cards per sheet; folded cards are a front and back side by side."""
    width, height = options.card
    bleed = options.bleed if options.tint else 0.0
    # Backs moved by the offset take their ink with them: all of a tinted card, an untinted one's text.
    reach = (0.0, 0.0) if folded else geometry.back_reach(options.back_offset, 0.0 if options.tint else PADDING)
    try:
        return geometry.best_grid(job.paper, (2 * width, height) if folded else options.card, options.margin,
                                  options.gutter, bleed, reach)
    except ValueError as error:
        raise GuideError(str(error)) from None


def plan(job: Job, measure: frozenset[str] = frozenset()) -> Deck:
    """The deck as the build prints it, without laying out any sheet: the questions and answers keyed in
    ``measure`` (``q-ID``, ``a-ID``, ``a-ID/N`` for a part) are measured whatever the estimate says."""
    area = layout(job, job.options.flashcards).area
    fitter = fitter_for(job, area)
    pairs = [(tip, category) for category in job.guide.categories for tip in category.tips]
    questions = fitter.fit("question", {tip.id: question_html(tip) for tip, _ in pairs}, QUESTION_SIZES,
                           frozenset(key[2:] for key in measure if key.startswith("q-")))
    answers = fitter.fit_in_parts("answer", {tip.id: answer_html(tip) for tip, _ in pairs}, ANSWER_SIZES,
                                  frozenset(key[2:] for key in measure if key.startswith("a-")))
    fitter.cache.save()
    cards = []
    for number, (tip, category) in enumerate(pairs, 1):
        parts = answers[tip.id]
        cards += [Card(tip, category, number, questions[tip.id], fit, Markup(html), part, len(parts))
                  for part, (html, fit) in enumerate(parts, 1)]
    return Deck(cards)


def fitter_for(job: Job, area: tuple[float, float]) -> Fitter:
    """A fitter of card questions and answers into ``area``, keeping what it measures in ``output/``."""
    # A measurement depends on the code, the theme, the flashcard options and the area, not on which tips
    # are built: `guide check` and builds of some categories share what they measured.
    options = job.options.digest_input()
    cache = FitCache(job.output, context_digest(job.guide.root, {"theme": options["theme"], "area": area,
                                                                 "flashcards": options["flashcards"],
                                                                 "tips": str(job.guide.tips_dir)}))
    context = dict(metrics=custom_properties(), height=area[1], image_room=IMAGE_ROOM)
    return Fitter(job, "flashcards-measure.html", STYLESHEETS, area, cache, estimate.estimator, context)


def question_html(tip: Tip) -> str:
    """The question as inline HTML: a one-paragraph question without its paragraph, which on a card's
    front would only add the paragraph's margins."""
    html = str(tip.question_html).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html or str(escape(tip.question))


def answer_html(tip: Tip) -> str:
    """A card's back: the tip's title as a heading, then its body, each code line a block of its own."""
    return mark_code_lines(str(Markup('<h3 class="answer-title">{}</h3>').format(tip.title) + tip.body_html))
