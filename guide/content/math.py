"""TeX math in tips (``$...$`` inline, ``$$...$$`` displayed) typeset to SVG by ziamath, no LaTeX needed."""

from __future__ import annotations

import base64
import re
from functools import lru_cache

from markupsafe import Markup, escape

# Code spans and fenced blocks are matched first so that dollars inside code stay code.
_PATTERN = re.compile(
    r"(?P<fence>^```.*?^```)|(?P<code>`[^`\n]+`)"
    r"|\$\$(?P<display>.+?)\$\$"
    r"|(?<![\\$\w])\$(?P<inline>[^\s$](?:[^$\n]*?[^\s$\\])?)\$(?!\w)",
    re.DOTALL | re.MULTILINE,
)
_VIEWBOX = re.compile(r'viewBox="([-\d.]+) ([-\d.]+) ([-\d.]+) ([-\d.]+)"')
SIZE = 20.0  # typesetting size; the image is then scaled in em to the surrounding text


def extract(text: str) -> tuple[str, list[tuple[str, bool]]]:
    """Replace each formula by a placeholder word; return the text and the (tex, displayed) list."""
    formulas: list[tuple[str, bool]] = []

    def replace(match: re.Match) -> str:
        if match["fence"] or match["code"]:
            return match[0]
        formulas.append((match["display"] or match["inline"], match["display"] is not None))
        return placeholder(len(formulas) - 1)

    return _PATTERN.sub(replace, text), formulas


# What placeholder() makes.
PLACEHOLDER = re.compile(r"ZMATHZ\d+Z")


def placeholder(index: int) -> str:
    """A word Markdown leaves alone and the sanitiser keeps."""
    return f"ZMATHZ{index}Z"


def restore(html: str, formulas: list[tuple[str, bool]]) -> str:
    """Put each typeset formula where its placeholder is."""
    for index, (tex, displayed) in enumerate(formulas):
        html = html.replace(placeholder(index), to_html(tex, displayed))
    return html


@lru_cache(maxsize=1024)
def to_html(tex: str, displayed: bool) -> str:
    """An ``<img>`` holding the formula as SVG, sized in em and sat on the text's baseline."""
    import ziamath

    try:
        svg = ziamath.Latex(tex, size=SIZE, inline=not displayed).svg()
    except Exception:  # noqa: BLE001 - ziamath raises many kinds; bad TeX stays readable as code
        return str(Markup("<code class=\"math-error\">{}</code>").format(f"${tex}$"))
    _, top, width, height = (float(value) for value in _VIEWBOX.search(svg).groups())
    depth = height + top
    data = base64.b64encode(svg.encode()).decode()
    css_class = "math display" if displayed else "math"
    style = f"width: {width / SIZE:.3f}em; height: {height / SIZE:.3f}em; vertical-align: {-depth / SIZE:.3f}em"
    image = f'<img class="{css_class}" alt="{escape(tex)}" style="{style}" src="data:image/svg+xml;base64,{data}">'
    # An invisible text layer over the image, so the formula can be searched and copied.
    return f'<span class="{css_class}">{image}<span class="math-text">{escape(plain_text(tex))}</span></span>'


_COMMANDS = [
    (re.compile(r"\\(?:mathrm|mathbf|mathit|text|operatorname)\{([^{}]*)\}"), r"\1"),
    (re.compile(r"\\sqrt\{([^{}]*)\}"), r"sqrt(\1)"),
    (re.compile(r"\\frac\{([^{}]*)\}\{([^{}]*)\}"), r"(\1)/(\2)"),
    (re.compile(r"\\(?:left|right|[,;:! ])"), " "),
    (re.compile(r"\\([A-Za-z]+)"), r"\1"),
    (re.compile(r"[{}]"), ""),
    (re.compile(r"\s+"), " "),
]


def plain_text(tex: str) -> str:
    """A readable one-line rendering of ``tex``: ``\\sqrt{d_k}`` becomes ``sqrt(d_k)``."""
    for pattern, replacement in _COMMANDS:
        tex = pattern.sub(replacement, tex)
    return tex.strip()
