"""One build, start to finish: skip what is unchanged, load and validate the guide, hand it to each format,
then write every PDF at once. A format that cannot be made fails alone: the others are still written."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin

from guide.errors import GuideError, Problem
from guide.progress import SILENT, Progress
from guide.store.keys import context_digest, digest, files_digest, tree
from guide.store.manifest import Manifest
from guide.store.output import Output, Stamp, locked

if TYPE_CHECKING:
    from guide.config.options import Options
    from guide.content.model import Guide
    from guide.formats.job import Job
    from guide.render.pdf import Layout


class FormatsFailed(GuideError):
    """Some formats could not be made (each problem names its format); the others were written."""

    def __init__(self, problems: list[Problem], written: list[Output], warnings: list[str]):
        super().__init__(problems)
        self.written = written
        self.warnings = warnings


def build(
    root: Path,
    formats: Iterable[str],
    output: Path | None = None,
    tips_dir: Path | None = None,
    given: Mapping[str, Any] | None = None,
    progress: Progress = SILENT,
) -> tuple[list[Output], list[str]]:
    """Build ``formats`` for the project at ``root``; returns the PDFs (written or kept) and any warnings.
    Raises :class:`FormatsFailed` after writing the others when some formats could not be made; a failed
    format keeps its last good PDF.

    ``given`` holds what the command line gave, by setting key (``paper``, ``card``, ``pages``, ...; see
    :mod:`guide.config.options`) and the deck selection (``categories``, ``tags``); ``None`` is "not
    given". When nothing a format depends on has changed since the last build, its PDFs are kept as they
    are, and when no format needs work nothing heavy is even imported.
    """
    root = root.resolve()
    tips_dir = (tips_dir or root / "tips").resolve()
    output = (output or root / "output").resolve()
    given = {key: value for key, value in (given or {}).items() if value is not None}
    inputs = {"given": given, "tips": str(tips_dir), "epoch": os.environ.get("SOURCE_DATE_EPOCH")}
    context = context_digest(root, inputs)
    tips = files_digest(tree(tips_dir))
    with locked(output):
        manifest = Manifest.load(output)
        made_from = {name: digest(context, tips, name) for name in formats}
        kept = {name: manifest.fresh_format(name, made_from[name]) for name in formats}
        if all(records is not None for records in kept.values()):
            return [_kept(path, record) for records in kept.values() for path, record in records], []
        return _build(root, tips_dir, output, given, manifest, context, made_from, kept, progress)


def _build(root: Path, tips_dir: Path, output: Path, given: Mapping[str, Any], manifest: Manifest, context: str,
           made_from: dict[str, str], kept: dict[str, list | None],
           progress: Progress) -> tuple[list[Output], list[str]]:
    """Load the guide and run every format that is not already up to date."""
    from guide.config.options import Options
    from guide.content.loader import load_guide
    from guide.content.markup import MarkdownCache
    from guide.render.glyphs import missing_glyphs
    from guide.store.output import write_outputs

    markdown = MarkdownCache(output)
    guide = load_guide(root, tips_dir, given, markdown.to_html).select(given.get("categories", ()),
                                                                       given.get("tags", ()))
    markdown.save()
    job = make_job(guide, output, Options.resolve(given, guide.settings), context, manifest)
    job.progress = progress
    layout = job.layout
    with _source_date(guide):
        produced, failed = _run_formats(job, kept, progress)
    progress.close()
    written = [pdf for pdfs in produced.values() for pdf in pdfs]

    # Files read while laying out (pictures anywhere in the project), beyond the tips and theme already digested.
    depends = [path for path in layout.fetcher.served if path.is_relative_to(root) and not path.is_relative_to(output)]

    def bookkeeping(stamps: dict[Path, Stamp]) -> None:
        for name, pdfs in produced.items():
            manifest.record(name, made_from[name], [(pdf.path, pdf.digest or made_from[name], pdf.pages,
                                                     pdf.instructions, stamps.get(pdf.path)) for pdf in pdfs],
                            depends)
        manifest.save()

    write_outputs(written, bookkeeping)
    warnings = list(guide.warnings) + layout_warnings(layout, guide) + missing_glyphs(guide)
    _raise_failures(failed, bool(produced), written, warnings)
    return written, warnings


def _run_formats(job: Job, kept: dict[str, list | None],
                 progress: Progress) -> tuple[dict[str, list[Output]], list[tuple[str, GuideError]]]:
    """Each format's PDFs (kept ones as they are), and the formats that could not be made, with why.
    Formats to make are made side by side, each in a worker process, when there are cores to spare."""
    from guide.render.parallel import run_apart, workers_for

    todo = [name for name, records in kept.items() if records is None]
    apart = workers_for(len(todo)) > 1  # else each format draws its own steps
    if apart:
        progress.step("formats", len(todo))
    made = {}
    for name, result in zip(todo, run_apart(job.layout, [partial(_made, job, name) for name in todo])):
        made[name] = result
        if apart:
            progress.advance()
    produced: dict[str, list[Output]] = {}
    failed: list[tuple[str, GuideError]] = []
    for name, records in kept.items():
        if records is not None:
            produced[name] = [_kept(path, record) for path, record in records]
            continue
        outputs, problems = made[name]
        if problems:
            failed.append((name, GuideError(problems)))
        else:
            produced[name] = outputs
    return produced, failed


def _made(job: Job, name: str) -> tuple[list[Output], list[Problem]]:
    """Format ``name``'s PDFs, or why it cannot be made."""
    from guide.formats import builder

    job.progress.step(name, 1)
    try:
        return builder(name)(job), []
    except GuideError as error:
        return [], error.problems


def _raise_failures(failed: list[tuple[str, GuideError]], made_any: bool, written: list[Output],
                    warnings: list[str]) -> None:
    """Say which formats failed: the error as it is when nothing was made or kept, else each named."""
    if failed and not made_any:
        raise GuideError([problem for _, error in failed for problem in error.problems])
    if failed:
        raise FormatsFailed([Problem(problem.path, f"{name} not made: {problem.message}", problem.line, problem.column)
                             for name, error in failed for problem in error.problems], written, warnings)


def make_job(guide: Guide, output: Path, options: Options, context: str = "", manifest: Manifest | None = None) -> Job:
    """Everything a format needs: the chosen theme over the project's templates and styles, the Jinja
    environment, the WeasyPrint layout, and the typed options."""
    from guide import __version__
    from guide.formats.job import Job
    from guide.render.pdf import Layout
    from guide.render.theme import Theme

    theme = Theme.for_project(guide.root, options.theme)
    env = theme.environment()
    env.globals["version"] = __version__
    layout = Layout(theme, roots=(guide.root, guide.tips_dir), base_dir=guide.tips_dir)
    return Job(guide, output, env, layout, options, manifest, context)


def _kept(path: Path, record: dict[str, Any]) -> Output:
    return Output(path, b"", record["pages"], record["instructions"], record["digest"], reused=True)


@contextmanager
def _source_date(guide: Guide) -> Iterator[None]:
    """Pin SOURCE_DATE_EPOCH to the tips' last change while building, so that tools stamping times
    (fontTools, instancing the variable code font) write the same bytes on every build."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if saved is None:
        day = datetime.fromisoformat(guide.last_changed).replace(tzinfo=timezone.utc)
        os.environ["SOURCE_DATE_EPOCH"] = str(int(day.timestamp()))
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]


def layout_warnings(layout: Layout, guide: Guide) -> list[str]:
    """What the layout left out, each named by the tip (or category introduction) whose pictures refer to it,
    then WeasyPrint's other warnings."""
    from guide.content.images import sources

    def resolved(url: str) -> str:
        return unquote(urljoin(layout.base_url, url))

    holders = [(category.intro_html, category.source, f'category "{category.name}" intro')
               for category in guide.categories]
    holders += [(tip.question_html + tip.body_html, tip.source, f'tip "{tip.id}"') for tip in guide.tips]
    places: dict[str, tuple] = {}
    for html, source, holder in holders:
        for src in sources(html):
            places.setdefault(resolved(src), (source, holder))
    located = []
    for refusal in layout.refusals:
        what = (f"refused {refusal.url} ({refusal.reason})" if refusal.kind == "refused"
                else f"could not load image {refusal.url} ({refusal.reason})")
        source, holder = places.get(resolved(refusal.url), (None, ""))
        located.append(str(Problem(source.path, f"{holder}: {what}", source.line)) if source else what)
    return located + layout.warnings
