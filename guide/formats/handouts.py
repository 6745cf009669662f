"""Handouts: one portrait PDF per category, with a title block, a section and a bookmark per tip."""

from __future__ import annotations

from weasyprint.document import Document

from guide.formats.job import Job
from guide.render.parallel import map_layouts
from guide.render.pdf import tagged_pdf
from guide.store.output import Output

STYLESHEETS = ("base.css", "handouts.css")


def build(job: Job) -> list[Output]:
    """Make ``handouts/<category-slug>.pdf`` for every category whose inputs changed, in parallel."""
    targets = {category.slug: job.output / "handouts" / f"{category.slug}.pdf" for category in job.guide.categories}
    checked = {slug: job.reusable(target, category.source.path)
               for (slug, target), category in zip(targets.items(), job.guide.categories)}
    todo = [category for category in job.guide.categories if not checked[category.slug][1]]
    htmls = [job.html("handout.html", category=category, paper=job.paper,
                      keywords=sorted({tag for tip in category.tips for tag in tip.tags}))
             for category in todo]
    for category, html in zip(todo, htmls):
        job.keep_html(f"handouts/{category.slug}", html, STYLESHEETS)
    job.progress.step("handouts", len(htmls))
    made = dict(zip((category.slug for category in todo),
                    map_layouts(job.layout, htmls, STYLESHEETS, _serialised, job.progress)))
    return [
        checked[slug][1] or Output(target, *made[slug], digest=checked[slug][0])
        for slug, target in targets.items()
    ]


def _serialised(document: Document) -> tuple[bytes, int]:
    return tagged_pdf(document), len(document.pages)
