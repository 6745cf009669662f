"""The deck: every tip as one card or more, with the type of each face fitted to the card. This is what
``guide check`` and ``guide list`` report and what the build prints."""

from __future__ import annotations

from dataclasses import dataclass, field

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
# The variant of the card asking the other way round (a cloze card's variant is its number: ``c2``).
REVERSE = "reverse"


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
class Side:
    """One face's text: its HTML, its fit, its ``style`` (``question``: centred in question type;
    ``answer``: from the top in answer type) and the key it is checked by in the laid-out sheets
    (``q-ID``, ``a-ID``, ...; empty when another card's face, the same, is checked)."""

    html: Markup
    fit: Fit
    style: str
    key: str


@dataclass(frozen=True)
class Card:
    """One card of the deck: a tip's question and its answer or the ``part``-th of ``parts`` of it; or,
    told by ``variant``, a cloze card (``c2``) or the reversed card (``reverse``)."""

    tip: Tip
    category: Category
    number: int
    front: Side
    back: Side
    part: int = 1
    parts: int = 1
    variant: str = ""


@dataclass(frozen=True)
class Deck:
    """The cards in print order, a tip's continuation, cloze and reversed cards right after its first; and
    the cloze and reversed cards left out, as (tip, variant), because a face does not fit one card."""

    cards: list[Card]
    left_out: list[tuple[Tip, str]] = field(default_factory=list)

    @property
    def tips(self) -> int:
        return len({card.tip.id for card in self.cards} | {tip.id for tip, _ in self.left_out})

    def continued(self, strict: bool = False) -> list[Problem]:
        """A problem naming file, line and id for each tip whose answer continues on more cards."""
        advice = ": shorten it or choose a larger --card" if strict else ""
        return [Problem(card.tip.source.path, f'tip "{card.tip.id}" does not fit on one card even at '
                        f"{ANSWER_SIZES[-1]:g} pt: it continues on {card.parts} cards{advice}", card.tip.source.line)
                for card in self.cards if card.part == 1 and card.parts > 1]

    def overflows(self) -> list[Problem]:
        """A problem for each tip with a question, or a piece of answer that cannot be cut (a picture, a
        word), too tall for its card even at the smallest size, and for each cloze or reversed card left
        out."""
        found = {card.tip.id: card for card in self.cards if not (card.front.fit.fits and card.back.fit.fits)}
        problems = [Problem(card.tip.source.path, f'tip "{card.tip.id}" does not fit on a card even at '
                            f"{(QUESTION_SIZES if not card.front.fit.fits else ANSWER_SIZES)[-1]:g} pt: "
                            "shorten it or choose a larger --card", card.tip.source.line) for card in found.values()]
        return problems + [Problem(tip.source.path, f'tip "{tip.id}": its {_named(variant)} card is left out: a side '
                                   f"does not fit on one card even at {ANSWER_SIZES[-1]:g} pt; shorten the text or "
                                   "choose a larger --card", tip.source.line) for tip, variant in self.left_out]


def _named(variant: str) -> str:
    return "reversed" if variant == REVERSE else f"cloze {variant}"


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
    ``measure`` (``q-ID``, ``a-ID``, ``a-ID/N`` for a part, ``a-ID~VARIANT-SIDE`` for a cloze or reversed
    card's side) are measured whatever the estimate says."""
    area = layout(job, job.options.flashcards).area
    fitter = fitter_for(job, area)
    pairs = [(tip, category) for category in job.guide.categories for tip in category.tips]
    asked = [tip for tip, _ in pairs if not tip.deletions]
    questions = fitter.fit("question", {tip.id: question_html(tip) for tip in asked}, QUESTION_SIZES,
                           _wanted(measure, "q-"))
    answers = fitter.fit_in_parts("answer", {tip.id: answer_html(tip) for tip in asked}, ANSWER_SIZES,
                                  _wanted(measure, "a-"))
    texts = {key: html for tip, _ in pairs for key, html in variant_texts(tip).items()}
    others = fitter.fit("answer", texts, ANSWER_SIZES, _wanted(measure, "a-"))
    fitter.cache.save()
    deck = Deck([])
    for number, (tip, category) in enumerate(pairs, 1):
        if not tip.deletions:
            deck.cards.extend(_own_cards(tip, category, number, questions[tip.id], answers[tip.id]))
        _add_variants(deck, tip, category, number, texts, others, questions)
    return deck


def _add_variants(deck: Deck, tip: Tip, category: Category, number: int, texts: dict[str, str],
                  fits: dict[str, Fit], questions: dict[str, Fit]) -> None:
    """A card per cloze deletion number, then the reversed card if asked for; one a side of which does
    not fit is left out."""
    for variant in [f"c{deletion.number}" for deletion in tip.deletions] + ([REVERSE] if tip.reverse else []):
        front, back = _variant_sides(tip, variant, texts, fits, questions)
        if front.fit.fits and back.fit.fits:
            deck.cards.append(Card(tip, category, number, front, back, variant=variant))
        else:
            deck.left_out.append((tip, variant))


def _wanted(measure: frozenset[str], prefix: str) -> frozenset[str]:
    """The keys in ``measure`` that start with ``prefix`` (``q-``, ``a-``), without it."""
    return frozenset(key[len(prefix):] for key in measure if key.startswith(prefix))


def _own_cards(tip: Tip, category: Category, number: int, question: Fit,
               parts: list[tuple[str, Fit]]) -> list[Card]:
    """A tip's question-and-answer card, and the continuation cards of an answer cut into ``parts``."""
    return [Card(tip, category, number, Side(Markup(question_html(tip)), question, "question",
                                             f"q-{tip.id}" if part == 1 else ""),
                 Side(Markup(html), fit, "answer", f"a-{tip.id}" if len(parts) == 1 else f"a-{tip.id}/{part - 1}"),
                 part, len(parts))
            for part, (html, fit) in enumerate(parts, 1)]


def variant_texts(tip: Tip) -> dict[str, str]:
    """The answer-type texts of a tip's cloze cards (each front and back) and of its reversed card's front,
    by key (``ID~c2-front``, ``ID~reverse-front``)."""
    texts = {f"{tip.id}~{REVERSE}-front": mark_code_lines(str(tip.body_html))} if tip.reverse else {}
    prompt = Markup('<h3 class="answer-title">{}</h3>').format(Markup(question_html(tip))) if tip.asks else Markup()
    for deletion in tip.deletions:
        texts[f"{tip.id}~c{deletion.number}-front"] = mark_code_lines(str(prompt + deletion.front_html))
        texts[f"{tip.id}~c{deletion.number}-back"] = answer_html(tip, deletion.back_html)
    return texts


def _variant_sides(tip: Tip, variant: str, texts: dict[str, str], fits: dict[str, Fit],
                   questions: dict[str, Fit]) -> tuple[Side, Side]:
    """The front and back of a tip's cloze card or reversed card; the reversed card's back is the question
    exactly as the tip's own card shows it, so it is checked there."""
    front = f"{tip.id}~{variant}-front"
    side = Side(Markup(texts[front]), fits[front], "answer", f"a-{front}")
    if variant == REVERSE:
        return side, Side(Markup(question_html(tip)), questions[tip.id], "question", "")
    back = f"{tip.id}~{variant}-back"
    return side, Side(Markup(texts[back]), fits[back], "answer", f"a-{back}")


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


def answer_html(tip: Tip, body: Markup | None = None) -> str:
    """A card's back: the tip's title as a heading, then its body (or ``body``), each code line a block of
    its own."""
    body = tip.body_html if body is None else body
    return mark_code_lines(str(Markup('<h3 class="answer-title">{}</h3>').format(tip.title) + body))
