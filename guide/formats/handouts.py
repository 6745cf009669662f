"""Handouts: one portrait PDF per category, with a title block, a section and a bookmark per tip."""

from __future__ import annotations

from guide.job import Job
from guide.output import Output
from guide.pdf import finish


def build(job: Job) -> list[Output]:
    """Write ``handouts/<category-slug>.pdf`` for every category."""
    written = []
    for category in job.guide.categories:
        target = job.output / "handouts" / f"{category.slug}.pdf"
        made_from, kept = job.reusable(target, category.source.path)
        if kept:
            written.append(kept)
            continue
        keywords = sorted({tag for tip in category.tips for tag in tip.tags})
        html = job.html("handout.html", category=category, paper=job.paper, keywords=keywords)
        document = job.layout.render(html, ("base.css", "handouts.css"))
        written.append(finish(document, target, tagged=True, digest=made_from))
    return written
