"""WeasyPrint at arm's length: lay out HTML with the theme's stylesheets and write PDFs atomically."""

from __future__ import annotations

import base64
import logging
import mimetypes
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html import unescape
from pathlib import Path
from urllib.parse import quote, unquote, urljoin, urlsplit

from weasyprint import CSS, HTML
from weasyprint.document import Document
from weasyprint.text.fonts import FontConfiguration

from guide.render.fetcher import ProjectFetcher
from guide.render.fonts import font_dirs, font_face_css
from guide.render.theme import Theme
from guide.store.output import Output

# White space that ends a run of text right before an inline element, outside preformatted blocks.
SPACE_BEFORE_INLINE = re.compile(
    r"(<pre[\s>].*?</pre>)|(?<=[^\s>])\s+(?=<(?:a|abbr|b|cite|code|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span"
    r"|strong|sub|sup|u|var)[\s>])", re.S)

# Tags and style sheets, where a document names other files (never its text, where "url(" is just words):
# src and poster attributes, and url() in styles.
MARKUP = re.compile(r"<style\b[^>]*>.*?</style>|<[^>]+>", re.DOTALL)
EXTERNAL = re.compile(r"""(?P<before>\b(?:src|poster)\s*=\s*|url\(\s*)(?P<quote>["']?)(?P<url>[^"')\s>]*)(?P=quote)(?P<after>\s*\)?)""")


class Layout:
    """Lays out HTML for one project: shared fonts, fetcher and parsed stylesheets."""

    def __init__(self, theme: Theme, roots: tuple[Path, ...], base_dir: Path):
        self.theme = theme
        self.base_url = base_dir.resolve().as_uri() + "/"
        # The project's folder (the first root): links to its files are written relative to it.
        self.project = roots[0].resolve()
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

    def standalone(self, html: str, stylesheets: tuple[str, ...]) -> str:
        """``html`` with the fonts and stylesheets inlined, as :meth:`render` would apply them."""
        names = (*stylesheets, *self.theme.overlays)
        css = "\n".join([font_face_css(), *(self.theme.stylesheet(name).read_text() for name in names)])
        return self._embedded(html.replace("<head>", f"<head>\n<style>\n{css}\n</style>", 1))

    def _embedded(self, html: str) -> str:
        """``html`` with every picture, font and stylesheet reference replaced by the file's bytes as a
        ``data:`` URL, or by nothing where the fetcher refuses it: a browser printing it fetches nothing."""
        def inline(match: re.Match) -> str:
            quote, url = match["quote"] or "", match["url"]
            if url.startswith("data:"):
                return match[0]
            try:
                response = self.fetcher.fetch(urljoin(self.base_url, unescape(url)))
                data = response.read()
                response.close()
                kind = mimetypes.guess_type(url)[0] or "application/octet-stream"
                embedded = f"data:{kind};base64,{base64.b64encode(data).decode()}"
            except (ValueError, OSError):
                embedded = "data:,"
            return f"{match['before']}{quote}{embedded}{quote}{match['after']}"

        return MARKUP.sub(lambda markup: EXTERNAL.sub(inline, markup[0]), html)

    def render(self, html: str, stylesheets: tuple[str, ...]) -> Document:
        """Lay out ``html`` with the fonts, then ``stylesheets`` (file names looked up in the theme), then
        the theme's overlays."""
        sheets = [self._css("fonts"), *(self._css(name) for name in (*stylesheets, *self.theme.overlays))]
        with _collect_warnings(self.warnings):
            document = HTML(string=_own_spaces(html), base_url=self.base_url, url_fetcher=self.fetcher).render(
                # Presentational hints: a list's start number and an image's size written in the tip count.
                stylesheets=sheets, font_config=self.font_config, presentational_hints=True
            )
        for page in document.pages:
            page.links = [link for link in map(self._shared_link, page.links) if link]
        return document

    def _shared_link(self, link: tuple) -> tuple | None:
        """A link as it may appear in a PDF others read: one to a file in the project relative to it (the
        builder's folder names never show), one to another local file dropped."""
        kind, target, *rest = link
        if kind != "external" or not target.lower().startswith("file:"):
            return link
        path = Path(unquote(urlsplit(target).path))
        if urlsplit(target).netloc or not path.resolve().is_relative_to(self.project):
            return None
        return (kind, quote(path.resolve().relative_to(self.project).as_posix()), *rest)


def _own_spaces(html: str) -> str:
    """``html`` with the space between a run of text and a following inline element in an element of its own.

    WeasyPrint (70) counts a run's trailing space as overflow when the run fills the line but for that
    space, and then breaks after the line's first word, leaving that word alone on its line."""
    return SPACE_BEFORE_INLINE.sub(lambda match: match[1] or "<span> </span>", html)


def finish(document: Document, target: Path, instructions: str = "", tagged: bool = False,
           digest: str = "") -> Output:
    """Serialise ``document`` as the PDF for ``target`` (``tagged``: PDF/UA-1 structure for screen
    readers; ``digest``: what it was made from); nothing is written yet."""
    return Output(target, tagged_pdf(document) if tagged else document.write_pdf(), len(document.pages),
                  instructions, digest)


def tagged_pdf(document: Document) -> bytes:
    """The PDF of ``document`` with the structure tags of PDF/UA-1, for screen readers."""
    return document.write_pdf(pdf_variant="pdf/ua-1")


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
