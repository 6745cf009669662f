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

from guide.render.fetcher import ProjectFetcher, Refusal, RefusedURL
from guide.render.fonts import FACES, font_dirs, font_face_css
from guide.render.theme import Theme
from guide.store.output import Output

# White space that ends a run of text right before an inline element, outside preformatted blocks.
SPACE_BEFORE_INLINE = re.compile(
    r"(<pre[\s>].*?</pre>)|(?<=[^\s>])\s+(?=<(?:a|abbr|b|cite|code|del|dfn|em|i|ins|kbd|mark|q|s|samp|small|span"
    r"|strong|sub|sup|u|var)[\s>])", re.S)

# Tags and style sheets, where a document names other files (never its text, where "url(" is just words):
# src and poster attributes, and url() in styles.
MARKUP = re.compile(r"<style\b[^>]*>.*?</style>|<[^>]+>", re.DOTALL)
# WeasyPrint's (images.py) log message for a picture it could not draw; its arguments are the URL and the error.
IMAGE_FAILED = "Failed to load image at %r: %s"
EXTERNAL = re.compile(r"""(?P<before>\b(?:src|poster)\s*=\s*|url\(\s*)(?P<quote>["']?)(?P<url>[^"')\s>]*)(?P=quote)(?P<after>\s*\)?)""")


class Layout:
    """Lays out HTML for one project: shared fonts, fetcher and parsed stylesheets."""

    def __init__(self, theme: Theme, roots: tuple[Path, ...], base_dir: Path):
        self.theme = theme
        self.base_url = base_dir.resolve().as_uri() + "/"
        # The project's folder (the first root): links to its files are written relative to it.
        self.project = roots[0].resolve()
        # What the layouts left out, as records the build attributes to tips; WeasyPrint's other warnings.
        self.refusals: list[Refusal] = []
        self.warnings: list[str] = []
        self.fetcher = ProjectFetcher(roots + theme.style_dirs + theme.template_dirs + font_dirs(), self.refusals)
        self.font_config = FontConfiguration()
        self._sheets: dict[str, CSS] = {}
        self._warm = False

    def _css(self, name: str) -> CSS:
        if name not in self._sheets:
            kwargs = dict(url_fetcher=self.fetcher, font_config=self.font_config)
            with _collect_warnings(self):
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

    def sheets(self, stylesheets: tuple[str, ...]) -> list[CSS]:
        """The fonts, then ``stylesheets`` (file names looked up in the theme), then the theme's overlays,
        each parsed (and its fonts loaded) once."""
        return [self._css("fonts"), *(self._css(name) for name in (*stylesheets, *self.theme.overlays))]

    def render(self, html: str, stylesheets: tuple[str, ...]) -> Document:
        """Lay out ``html`` with :meth:`sheets`."""
        sheets = self.sheets(stylesheets)
        with _collect_warnings(self):
            document = HTML(string=_own_spaces(html), base_url=self.base_url, url_fetcher=self.fetcher).render(
                # Presentational hints: a list's start number and an image's size written in the tip count.
                stylesheets=sheets, font_config=self.font_config, presentational_hints=True
            )
        for page in document.pages:
            page.links = [link for link in map(self._shared_link, page.links) if link]
        return document

    def warm_up(self) -> None:
        """Lay out a line in every packaged face (once), so that processes forked afterwards find the fonts
        loaded instead of each loading them again."""
        if self._warm:
            return
        self._warm = True
        faces = "".join(f'<span style="font: {style} {weight} 10pt \'{family}\'">Aa1 </span>'
                        for family, _, _, weight, style in FACES)
        self.render(f"<p>{faces}</p>", ()).write_pdf()

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


class _LayoutHandler(logging.Handler):
    """Keeps WeasyPrint's warnings in a layout: a picture it could not read as a :class:`Refusal` of its
    own, one the fetcher refused not at all (the fetcher recorded it), anything else as its message."""

    def __init__(self, layout: Layout):
        super().__init__(logging.WARNING)
        self.layout = layout

    def emit(self, record: logging.LogRecord) -> None:
        arguments = record.args if isinstance(record.args, tuple) else ()
        causes = [cause for argument in arguments for cause in _causes(argument)]
        if any(isinstance(cause, RefusedURL) for cause in causes):
            return
        if record.msg == IMAGE_FAILED and len(arguments) == 2:
            reason = next((str(cause) for cause in causes if str(cause)), "not a picture")
            refusal = Refusal(str(arguments[0]), reason, "unreadable")
            if refusal not in self.layout.refusals:
                self.layout.refusals.append(refusal)
        elif (message := record.getMessage()) not in self.layout.warnings:
            self.layout.warnings.append(message)


def _causes(argument: object) -> list[BaseException]:
    """``argument`` if it is an error, then the errors it was raised from or while handling."""
    causes = []
    while isinstance(argument, BaseException) and argument not in causes:
        causes.append(argument)
        argument = argument.__cause__ or argument.__context__
    return causes


@contextmanager
def _collect_warnings(layout: Layout) -> Iterator[None]:
    """Route WeasyPrint's warnings into ``layout`` instead of stderr."""
    logger = logging.getLogger("weasyprint")
    saved = logger.handlers[:], logger.propagate
    logger.handlers[:] = [_LayoutHandler(layout)]
    logger.propagate = False
    try:
        yield
    finally:
        logger.handlers[:], logger.propagate = saved
