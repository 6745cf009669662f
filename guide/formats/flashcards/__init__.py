"""Flashcards: the question on a card's front, its answer exactly behind it, for any printer."""

from guide.formats.flashcards.cards import build

__all__ = ["build"]
