"""What every format gets to build from: the guide, where to write, and the shared renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from guide.errors import GuideError, Problem
from guide.model import Guide
from guide.paper import PAPERS, Paper
from guide.pdf import Layout


@dataclass
class Job:
    """One build: the guide, the output folder, the Jinja environment, the WeasyPrint layout, and
    format options from the command line (e.g. ``card``, ``duplex``, ``pages``)."""

    guide: Guide
    output: Path
    env: jinja2.Environment
    layout: Layout
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def paper(self) -> Paper:
        """The paper chosen in the settings."""
        return PAPERS[self.guide.settings.paper]

    def html(self, template: str, **context: Any) -> str:
        """Render ``template`` with the guide and ``context``; template mistakes name file and line."""
        try:
            return self.env.get_template(template).render(
                guide=self.guide, settings=self.guide.settings, **context
            )
        except jinja2.TemplateSyntaxError as error:
            raise GuideError(Problem(_path(error.filename, template), error.message or "syntax error", error.lineno)) from None
        except jinja2.TemplateError as error:
            raise GuideError(Problem(_path(None, template), f"template error: {error}")) from None


def _path(filename: str | None, template: str) -> Path:
    return Path(filename) if filename else Path(template)
