"""Flashcards: the question on a card's front, its answer exactly behind it, for any printer.

``plan(job)`` is the deck as the build prints it (cards, continuation cards, what does not fit), without
laying out any sheet; ``build(job)`` prints it."""

from guide.formats.flashcards.deck import Card, Deck, plan
from guide.formats.flashcards.render import build

__all__ = ["Card", "Deck", "build", "plan"]
