"""Every setting a build takes, declared once: its key in guide.yaml and on the command line, its help,
how its value is read, and its default. The Click options and the guide.yaml schema are made from these.

A value is taken from the first place that gives it: the command line, then the chosen printer profile
(flashcard settings only), then guide.yaml, then the default. ``None`` means "not given"; ``0`` and
``False`` are values like any other.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from guide.config import cards
from guide.config.paper import PAPERS, SAFE_MARGIN_MM

# Built-in looks: "default", and extra themes, each a stylesheet styles/themes/NAME.css layered after
# every format's own stylesheets (a project may override it in its styles/themes/).
THEMES = {
    "default": "colour-coded categories on white",
    "print": "ink-saving: no filled backgrounds, colour only in thin rules",
}


def _text(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value


def _any_text(value: str) -> str:
    return value


def _choice(choices: Mapping[str, Any], what: str) -> Callable[[str], str]:
    def read(value: str) -> str:
        if value.lower() not in choices:
            raise ValueError(f'"{value}" is not {what}; use one of {", ".join(choices)}')
        return value.lower()
    return read


def _number(low: float, high: float, unit: str = "") -> Callable[[float], float]:
    def read(value: float) -> float:
        number = float(value)
        if not low <= number <= high:  # also refuses nan
            raise ValueError(f"must be between {low:g} and {high:g}{unit}, not {value}")
        return number
    return read


def _whole(low: int, high: int) -> Callable[[int], int]:
    def read(value: int | str) -> int:
        try:
            number = int(value) if not isinstance(value, float) else None
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise ValueError(f"must be a whole number from {low} to {high}, not {value}")
        return number
    return read


def _switch(value: bool) -> bool:
    return bool(value)


@dataclass(frozen=True)
class Setting:
    """One setting: where it may be given, what it means, how its value is read, and its default."""

    key: str
    help: str
    read: Callable[[Any], Any] = _any_text  # raises ValueError with a message for the user
    default: Any = None
    kind: type | tuple[type, ...] = str  # what guide.yaml may hold
    choices: tuple[str, ...] = ()  # offered by the command line's help and completion
    flag: bool = False
    metavar: str | None = None
    in_file: bool = True
    on_command_line: bool = True

    @property
    def option(self) -> str:
        """The command-line option, e.g. ``--back-offset``."""
        return "--" + self.key.replace("_", "-")

    def value(self, given: Any) -> Any:
        """The typed value of ``given`` (the default when it is ``None``)."""
        return self.default if given is None else self.read(given)


@dataclass(frozen=True)
class Section:
    """Settings kept together: a guide.yaml section (``key``; empty for the top level) and its typed model."""

    key: str
    model: type
    settings: tuple[Setting, ...]

    def resolve(self, *layers: Mapping[str, Any]) -> Any:
        """The model from the first layer that gives each setting; layers come first to last in priority."""
        values = {}
        for setting in self.settings:
            given = next((layer[setting.key] for layer in layers if layer.get(setting.key) is not None), None)
            values[setting.key] = setting.value(given)
        return self.model(**values)

    def in_file(self) -> tuple[Setting, ...]:
        """The settings guide.yaml may hold in this section."""
        return tuple(setting for setting in self.settings if setting.in_file)


@dataclass(frozen=True)
class Settings:
    """Guide-wide settings from guide.yaml, after command-line overrides; sections stay as written."""

    title: str = "Study Guide"
    subtitle: str = ""
    author: str = ""
    paper: str = "letter"
    language: str = "en"
    printer: str = ""
    theme: str = "default"
    flashcards: Mapping[str, Any] = field(default_factory=dict)
    cheatsheet: Mapping[str, Any] = field(default_factory=dict)
    printers: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)

    def printer_profile(self) -> Mapping[str, Any]:
        """The chosen printer's flashcard settings (empty without one)."""
        return self.printers.get(self.printer, {})


@dataclass(frozen=True)
class FlashcardOptions:
    """How a deck is laid out and printed; sizes in mm."""

    card: tuple[float, float] = cards.DEFAULT_CARD
    duplex: str = "long-edge"
    back_offset: tuple[float, float] = (0.0, 0.0)
    margin: float = SAFE_MARGIN_MM
    gutter: float = 0.0
    cut_lines: bool = False
    tint: bool = False
    bleed: float = 0.0
    strict: bool = False

    def __post_init__(self) -> None:
        # A bleed reaches half-way into the gutter on each side, so it needs twice its width; it bleeds a tint.
        object.__setattr__(self, "gutter", max(self.gutter, 2 * self.bleed))
        object.__setattr__(self, "tint", self.tint or self.bleed > 0)


@dataclass(frozen=True)
class CheatsheetOptions:
    """How the cheat sheet is laid out: ``pages`` to fill (``None``: not chosen), and which tips show their
    question under the title (``questions``: auto, always or never)."""

    pages: int | None = None
    questions: str = "auto"


# Which tips the cheat sheet shows with their question (when it says more than the title).
CHEATSHEET_QUESTIONS = {"auto": "where the columns have room (the type and pages stay as without them)",
                        "always": "every one (the type is fitted with them)", "never": "none"}

GUIDE = Section("", Settings, (
    Setting("title", "Guide title.", _text, "Study Guide"),
    Setting("subtitle", "A line under the title.", _any_text, "", on_command_line=False),
    Setting("author", "Author, in the PDFs' metadata.", _any_text, "", on_command_line=False),
    Setting("paper", "Paper size.", _choice(PAPERS, "a paper size"), "letter", choices=tuple(PAPERS)),
    Setting("language", "Language code, for hyphenation.", _text, "en", on_command_line=False),
    Setting("printer", "Printer profile from guide.yaml's printers: (back offset, duplex, ...).", _text, ""),
    Setting("theme", "Look: " + "; ".join(f"{name}, {what}" for name, what in THEMES.items()) + ".",
            _choice(THEMES, "a theme"), "default", choices=tuple(THEMES)),
))

FLASHCARDS = Section("flashcards", FlashcardOptions, (
    Setting("card", "Card size: " + ", ".join(cards.CARD_PRESETS) + ", or WxH like 90x60mm or 3x5in.",
            cards.card_size, cards.DEFAULT_CARD, choices=tuple(cards.CARD_PRESETS), metavar="SIZE"),
    Setting("duplex", "How backs are printed: " + "; ".join(f"{mode}, {what}" for mode, what
                                                            in cards.DUPLEX_MODES.items()) + ".",
            cards.duplex, "long-edge", choices=tuple(cards.DUPLEX_MODES)),
    Setting("back_offset", "Move backs X mm right, Y mm down as seen through the front (see calibrate).",
            cards.offset, (0.0, 0.0), metavar="X,Y"),
    Setting("margin", "Safe margin in mm (below 6.35 only for borderless printers).", _number(0, 50, " mm"),
            SAFE_MARGIN_MM, (int, float), metavar="MM"),
    Setting("gutter", "Space between cards in mm.", _number(0, 50, " mm"), 0.0, (int, float), metavar="MM"),
    Setting("cut_lines", "Dashed cut lines across the sheets.", _switch, False, bool, flag=True),
    Setting("tint", "A light background in each card's category colour.", _switch, False, bool, flag=True),
    Setting("bleed", "Run tinted backgrounds this many mm past each card's edge.", _number(0, 10, " mm"),
            0.0, (int, float), metavar="MM"),
    Setting("strict", "Fail when a tip does not fit on its flashcard.", _switch, False, bool, flag=True),
))

CHEATSHEET = Section("cheatsheet", CheatsheetOptions, (
    Setting("pages", "Cheat sheet pages to fill [default: the fewest at which the type is 6 pt or more].",
            _whole(1, 20), None, int, metavar="N"),
    Setting("questions", "Questions under tip titles on the cheat sheet: " + "; ".join(
        f"{mode}, {what}" for mode, what in CHEATSHEET_QUESTIONS.items()) + ".",
            _choice(CHEATSHEET_QUESTIONS, "a questions mode"), "auto", choices=tuple(CHEATSHEET_QUESTIONS)),
))

# Settings only the command line gives, for one build.
HTML = Setting("html", "Also save each document as standalone HTML beside its PDF.", _switch, False, bool,
               flag=True, in_file=False)

@dataclass(frozen=True)
class Options:
    """Everything a build was asked for, typed: the look, the flashcard and cheat sheet options."""

    theme: str = "default"
    html: bool = False
    flashcards: FlashcardOptions = FlashcardOptions()
    cheatsheet: CheatsheetOptions = CheatsheetOptions()

    @classmethod
    def resolve(cls, given: Mapping[str, Any], settings: Settings) -> Options:
        """The options from the command line (``given``, by key) over ``settings`` over the defaults."""
        return cls(
            theme=settings.theme,
            html=HTML.value(given.get("html")),
            flashcards=FLASHCARDS.resolve(given, settings.printer_profile(), settings.flashcards),
            cheatsheet=CHEATSHEET.resolve(given, settings.cheatsheet),
        )

    def digest_input(self) -> dict[str, Any]:
        """The options as plain data, for the digests that decide what a rebuild can keep."""
        return dataclasses.asdict(self)
