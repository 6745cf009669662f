"""guide: printable study guides (cheat sheet, flashcards, handouts) from tips written in YAML."""

__version__ = "0.1.0"
