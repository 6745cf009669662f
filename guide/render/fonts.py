"""The text fonts, taken from pip-installed packages so the look never depends on the machine."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

# (family, package, file, weight, style)
# The light faces serve the print theme, which sets body text in them to save ink.
FACES = (
    ("Guide Sans", "font_source_sans_pro", "SourceSansPro-Light.ttf", 300, "normal"),
    ("Guide Sans", "font_source_sans_pro", "SourceSansPro-LightIt.ttf", 300, "italic"),
    ("Guide Sans", "font_source_sans_pro", "SourceSansPro-Regular.ttf", 400, "normal"),
    ("Guide Sans", "font_source_sans_pro", "SourceSansPro-It.ttf", 400, "italic"),
    ("Guide Sans", "font_source_sans_pro", "SourceSansPro-Semibold.ttf", 600, "normal"),
    ("Guide Sans", "font_source_sans_pro", "SourceSansPro-Bold.ttf", 700, "normal"),
    ("Guide Sans", "font_source_sans_pro", "SourceSansPro-BoldIt.ttf", 700, "italic"),
    ("Guide Serif", "font_source_serif_pro", "SourceSerifPro-Light.ttf", 300, "normal"),
    ("Guide Serif", "font_source_serif_pro", "SourceSerifPro-LightIt.ttf", 300, "italic"),
    ("Guide Serif", "font_source_serif_pro", "SourceSerifPro-Regular.ttf", 400, "normal"),
    ("Guide Serif", "font_source_serif_pro", "SourceSerifPro-It.ttf", 400, "italic"),
    ("Guide Serif", "font_source_serif_pro", "SourceSerifPro-Semibold.ttf", 600, "normal"),
    ("Guide Serif", "font_source_serif_pro", "SourceSerifPro-Bold.ttf", 700, "normal"),
    ("Guide Mono", "fontpkg_source_code_pro", "SourceCodePro[wght].ttf", 400, "normal"),
)


def font_dir(package: str) -> Path:
    """The folder holding a font package's files."""
    return Path(str(resources.files(package))) / "files"


@lru_cache(maxsize=1)
def font_face_css() -> str:
    """``@font-face`` rules for every face, pointing at the packaged files."""
    rules = []
    for family, package, filename, weight, style in FACES:
        path = font_dir(package) / filename
        rules.append(
            f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return "\n".join(rules)


def font_dirs() -> tuple[Path, ...]:
    """Folders the fetcher may read fonts from."""
    return tuple(dict.fromkeys(font_dir(package) for _, package, *_ in FACES))
