"""The combined guide: one PDF with a cover, a table of contents, and every category as a chapter."""

from __future__ import annotations

from guide.formats.job import Job
from guide.render.pdf import finish
from guide.store.output import Output

STYLESHEETS = ("base.css", "handouts.css", "guide.css")


def build(job: Job) -> list[Output]:
    """Write ``guide.pdf``."""
    html = job.html("guide.html", paper=job.paper)
    job.keep_html("guide", html, STYLESHEETS)
    document = job.layout.render(html, STYLESHEETS)
    return [finish(document, job.output / "guide.pdf", tagged=True)]
