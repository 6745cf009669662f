"""WeasyPrint at arm's length: lay out HTML with the theme's stylesheets and write PDFs atomically."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from guide.fetcher import ProjectFetcher
from guide.fonts import font_dirs, font_face_css
from guide.theme import Theme


@dataclass(frozen=True)
class Output:
    """A finished PDF: where it goes, its bytes and page count, and how to print it (if that needs saying)."""

    path: Path
    data: bytes = field(repr=False)
    pages: int
    instructions: str = ""


class Layout:
    """Lays out HTML for one project: shared fonts, fetcher and parsed stylesheets."""

    def __init__(self, theme: Theme, roots: tuple[Path, ...], base_dir: Path):
        self.theme = theme
        self.base_url = base_dir.resolve().as_uri() + "/"
        self.fetcher = ProjectFetcher(roots + theme.style_dirs + theme.template_dirs + font_dirs())
        self.font_config = FontConfiguration()
        self.warnings: list[str] = []
        self._sheets: dict[str, CSS] = {}

    def _css(self, name: str) -> CSS:
        if name not in self._sheets:
            kwargs = dict(url_fetcher=self.fetcher, font_config=self.font_config)
            with _collect_warnings(self.warnings):
                if name == "fonts":
                    self._sheets[name] = CSS(string=font_face_css(), **kwargs)
                else:
                    self._sheets[name] = CSS(filename=str(self.theme.stylesheet(name)), **kwargs)
        return self._sheets[name]

    def render(self, html: str, stylesheets: tuple[str, ...]) -> Document:
        """Lay out ``html`` with the fonts, then ``stylesheets`` (file names looked up in the theme)."""
        sheets = [self._css("fonts"), *(self._css(name) for name in stylesheets)]
        with _collect_warnings(self.warnings):
            return HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                stylesheets=sheets, font_config=self.font_config
            )


def finish(document: Document, target: Path, instructions: str = "", tagged: bool = False) -> Output:
    """Serialise ``document`` as the PDF for ``target`` (``tagged``: PDF/UA-1 structure for screen
    readers); nothing is written yet."""
    options = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    return Output(target, document.write_pdf(**options), len(document.pages), instructions)


def write_outputs(outputs: list[Output]) -> None:
    """Write every PDF atomically, only once all of them were made: a failed build changes nothing."""
    for output in outputs:
        write_atomically(output.data, output.path)


def write_atomically(data: bytes, target: Path) -> None:
    """Replace ``target`` with ``data`` through a temporary file in the same folder."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


class _ListHandler(logging.Handler):
    def __init__(self, sink: list[str]):
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.sink:
            self.sink.append(message)


@contextmanager
def _collect_warnings(sink: list[str]) -> Iterator[None]:
    """Route WeasyPrint's warnings into ``sink`` instead of stderr."""
    logger = logging.getLogger("weasyprint")
    saved = logger.handlers[:], logger.propagate
    logger.handlers[:] = [_ListHandler(sink)]
    logger.propagate = False
    try:
        yield
    finally:
        logger.handlers[:], logger.propagate = saved
