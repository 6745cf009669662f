"""The type metrics of a card's text, defined once: the templates write them into the page as CSS custom
properties that flashcards.css uses, and the height estimate reads them from here, so the two cannot drift."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Metrics:
    """Sizes as multiples of the font size of the element they apply to (em), or plain line heights."""

    line_height: float = 1.28        # answer text
    gap: float = 0.35                # below a paragraph, a list and the answer's title
    item_gap: float = 0.1            # below a list item
    list_indent: float = 1.2         # a list's left padding
    title_scale: float = 0.9         # the answer's title, of the answer's size
    title_line_height: float = 1.2
    question_line_height: float = 1.2
    code_scale: float = 0.88         # code, of the surrounding text's size
    inline_code_pad: float = 0.15    # each side of inline code, of the code's size
    pre_line_height: float = 1.25    # of the code's size
    pre_pad_x: float = 0.5           # of the code's size
    pre_pad_y: float = 0.35
    pre_margin_top: float = 0.2
    pre_margin_bottom: float = 0.4
    pre_rule_px: float = 2.0         # the rule at a code block's left, in CSS px
    wrap_indent: float = 1.2         # room for the continuation mark before a wrapped code line, of the code's size


METRICS = Metrics()
# Line heights are plain numbers in CSS; every other metric is a length or a font size in em (or px).
_UNITLESS = {"line_height", "title_line_height", "question_line_height", "pre_line_height"}


def custom_properties(metrics: Metrics | None = None) -> str:
    """``--card-line-height: 1.28; --card-gap: 0.35em; ...``: the declarations flashcards.css reads, and
    ``--card-pre-line``, a code block's line height as a length."""
    metrics = metrics or METRICS
    declarations = [f"--card-pre-line: {metrics.pre_line_height:g}em;"]
    for name, value in asdict(metrics).items():
        if name.endswith("_px"):
            declarations.append(f"--card-{name[:-3].replace('_', '-')}: {value:g}px;")
        else:
            unit = "" if name in _UNITLESS else "em"
            declarations.append(f"--card-{name.replace('_', '-')}: {value:g}{unit};")
    return " ".join(declarations)
