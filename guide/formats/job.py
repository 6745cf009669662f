"""What every format gets to build from: the guide, where to write, and the shared renderer."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from guide.config.options import Options
from guide.config.paper import PAPERS, Paper
from guide.content.model import Guide
from guide.errors import GuideError, Problem
from guide.progress import SILENT, Progress
from guide.render.pdf import Layout
from guide.store.keys import digest, files_digest
from guide.store.manifest import Manifest
from guide.store.output import Output, write_atomically


@dataclass
class Job:
    """One build: the guide, the output folder, the Jinja environment, the WeasyPrint layout, and the
    typed options (command line over guide.yaml over defaults)."""

    guide: Guide
    output: Path
    env: jinja2.Environment
    layout: Layout
    options: Options = Options()
    manifest: Manifest | None = None
    context_digest: str = ""
    progress: Progress = SILENT

    @property
    def paper(self) -> Paper:
        """The paper chosen in the settings."""
        return PAPERS[self.guide.settings.paper]

    def reusable(self, target: Path, *sources: Path) -> tuple[str, Output | None]:
        """The digest of a PDF made from ``sources`` (and everything but the tips), and the PDF on disk
        as a reused output if it was made from exactly that."""
        made_from = digest(self.context_digest, files_digest(sources), self.guide.last_changed)
        record = self.manifest.fresh(target, made_from) if self.manifest else None
        if record is None:
            return made_from, None
        return made_from, Output(target, b"", record["pages"], record["instructions"], made_from, reused=True)

    def keep_html(self, name: str, html: str | Callable[[], str], stylesheets: tuple[str, ...]) -> None:
        """With the ``html`` option, also save the document (or what ``html()`` makes, called only then) as
        standalone HTML (``output/NAME.html``), e.g. to print it with another engine and compare."""
        if self.options.html:
            document = html if isinstance(html, str) else html()
            write_atomically(self.layout.standalone(document, stylesheets).encode(), self.output / f"{name}.html")

    def html(self, template: str, **context: Any) -> str:
        """Render ``template`` with the guide and ``context``; template mistakes name file and line."""
        try:
            return self.env.get_template(template).render(
                guide=self.guide, settings=self.guide.settings, **context
            )
        except jinja2.TemplateSyntaxError as error:
            path = Path(error.filename) if error.filename else Path(template)
            raise GuideError(Problem(path, error.message or "syntax error", error.lineno)) from None
        except jinja2.TemplateError as error:
            path, line = _template_frame(error) or (Path(template), None)
            raise GuideError(Problem(path, f"template error: {error}", line)) from None


def _template_frame(error: Exception) -> tuple[Path, int] | None:
    """The innermost template file and line in ``error``'s traceback (Jinja rewrites frames to point there)."""
    found = None
    for frame, line in traceback.walk_tb(error.__traceback__):
        filename = frame.f_code.co_filename
        if filename.endswith(".html"):
            found = (Path(filename), line)
    return found
