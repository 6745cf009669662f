"""Handouts: one portrait PDF per category, with a title block, a section and a bookmark per tip."""

from __future__ import annotations

from guide.job import Job
from guide.pdf import Output, finish


def build(job: Job) -> list[Output]:
    """Write ``handouts/<category-slug>.pdf`` for every category."""
    written = []
    for category in job.guide.categories:
        keywords = sorted({tag for tip in category.tips for tag in tip.tags})
        html = job.html("handout.html", category=category, paper=job.paper, keywords=keywords)
        document = job.layout.render(html, ("base.css", "handouts.css"))
        written.append(finish(document, job.output / "handouts" / f"{category.slug}.pdf", tagged=True))
    return written
