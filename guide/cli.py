"""The ``guide`` command line: parses options and calls the library; heavy imports happen per command."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from guide import __version__
from guide.formats import FORMATS, MODULES

FORMAT_CHOICES = (*MODULES, "all")
# guide.render.theme.THEMES (not imported here, to keep start-up light): "default" and styles/themes/NAME.css.
THEME_CHOICES = ("default", "print")
THEME_HELP = "Look: default, or print (ink-saving: no filled backgrounds, black text, colour in thin rules)."
EXPORT_CHOICES = ("anki", "csv", "tsv")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="guide")
def main() -> None:
    """Printable study guides: a cheat sheet, flashcards and handouts from tips written in YAML."""


def _common(command):
    """Options every building command shares."""
    options = [
        click.option("--paper", type=click.Choice(["letter", "a4", "legal"], case_sensitive=False),
                     help="Paper size [default: guide.yaml, else letter]."),
        click.option("--output", type=click.Path(file_okay=False, path_type=Path),
                     help="Output folder [default: output/]."),
        click.option("--tips", "tips_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                     help="Folder of tips files [default: tips/]."),
        click.option("--duplex", type=click.Choice(["long-edge", "short-edge", "fold", "split"]),
                     help="How flashcard backs are printed [default: long-edge]."),
        click.option("--printer", help="Printer profile from guide.yaml's printers: (back offset, duplex)."),
        click.option("--debug", is_flag=True, help="Show a traceback on errors."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@main.command()
@click.option("--format", "format_", type=click.Choice(FORMAT_CHOICES), default="all", show_default=True,
              help="What to build.")
@_common
@click.option("--title", help="Guide title (overrides guide.yaml).")
@click.option("--category", "categories", multiple=True, help="Only this category (name or slug); repeatable.")
@click.option("--tag", "tags", multiple=True, help="Only tips with this tag; repeatable.")
@click.option("--pages", type=click.IntRange(1, 20), help="Cheat sheet pages to fill [default: 1].")
@click.option("--card", help="Flashcard size: index-3x5, index-4x6, business, poker, a7, a6, or WxH like 90x60mm.")
@click.option("--card-size", "card", help="Same as --card.")
@click.option("--back-offset", metavar="X,Y",
              help="Move flashcard backs X mm right, Y mm down as seen through the front (see calibrate).")
@click.option("--margin", type=click.FloatRange(0, 50), help="Flashcard safe margin in mm [default: 6.35].")
@click.option("--gutter", type=click.FloatRange(0, 50), help="Space between flashcards in mm [default: 0].")
@click.option("--cut-lines", is_flag=True, help="Draw dashed cut lines across the flashcard sheets.")
@click.option("--tint", is_flag=True, help="Give each flashcard a light background in its category's colour.")
@click.option("--bleed", type=click.FloatRange(0, 10),
              help="Run tinted backgrounds this many mm past each card's edge (widens the gutter to match).")
@click.option("--strict", is_flag=True, help="Fail when a tip does not fit on its flashcard.")
@click.option("--theme", type=click.Choice(THEME_CHOICES), default="default", show_default=True, help=THEME_HELP)
@click.option("--html", is_flag=True, help="Also save each document as standalone HTML beside its PDF.")
def build(format_: str, **options: Any) -> None:
    """Build the PDFs into the output folder."""
    _run(FORMATS if format_ == "all" else (format_,), options)


@main.command()
@_common
def calibrate(**options: Any) -> None:
    """Write a duplex calibration sheet to measure your printer's --back-offset."""
    _run(("calibration",), options)


_debug_option = click.option("--debug", is_flag=True, help="Show a traceback on errors.")
_tips_option = click.option("--tips", "tips_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                            help="Folder of tips files [default: tips/].")
_card_option = click.option("--card", help="Flashcard size for the fit check [default: guide.yaml, else 3.75x2.5in].")


@main.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--with-theme", is_flag=True, help="Also copy the built-in templates/ and styles/, to customise them.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@_debug_option
def init(folder: Path, with_theme: bool, force: bool, debug: bool) -> None:
    """Start a new study guide in FOLDER: settings, example tips, a README and a .gitignore."""
    from guide.commands.init import init as scaffold

    with _reported(debug):
        written = scaffold(folder, with_theme, force)
    for path in written:
        click.echo(f"wrote {_relative(path)}")
    here = folder.resolve() == Path.cwd().resolve()
    _say(f"next: {'' if here else f'cd {_quoted(folder)} && '}guide build", fg="green")


@main.command("list")
@click.option("--category", "categories", multiple=True, help="Only this category (name or slug); repeatable.")
@click.option("--tag", "tags", multiple=True, help="Only tips with this tag; repeatable.")
@click.option("--no-fit", is_flag=True, help="Skip the (slower) check that each tip fits its flashcard.")
@_card_option
@_tips_option
@_debug_option
def list_command(categories: tuple[str, ...], tags: tuple[str, ...], no_fit: bool, card: str | None,
                 tips_dir: Path | None, debug: bool) -> None:
    """List the categories and their tips: id, title, tags and whether each fits its flashcard."""
    from guide.commands.check import check
    from guide.commands.list import summary, table

    with _reported(debug):
        report = check(Path.cwd(), tips_dir, options={"card": card}, categories=categories, tags=tags,
                       fit=not no_fit)
    for line in table(report):
        click.echo(line)
    _say(summary(report), fg="yellow" if any(not fit.fits for fit in report.fits.values()) else None)


@main.command()
@click.option("--no-fit", is_flag=True, help="Only validate; skip the flashcard fit check.")
@_card_option
@click.option("--printer", help="Printer profile from guide.yaml's printers: (its card options apply).")
@_tips_option
@_debug_option
def check(no_fit: bool, card: str | None, printer: str | None, tips_dir: Path | None, debug: bool) -> None:
    """Validate the tips and settings and check that every tip fits its flashcard; writes no PDF.

    Exit status 1 when something is wrong, including a tip too long for its card.
    """
    from guide.commands.check import check as check_project

    with _reported(debug):
        report = check_project(Path.cwd(), tips_dir, {"printer": printer}, {"card": card}, fit=not no_fit)
    for warning in report.warnings:
        _warn(warning)
    if report.misfits:
        for problem in report.misfits:
            _error(problem)
        count = len(report.misfits)
        _error(f"{count} of {len(report.guide.tips)} tips {'does' if count == 1 else 'do'} not fit their flashcard")
        sys.exit(1)
    _say(f"ok: {report.summary}", fg="green")


@main.command()
@click.option("--format", "format_", type=click.Choice(FORMAT_CHOICES), default="all", show_default=True,
              help="What to build and picture.")
@click.option("--page", type=click.IntRange(1), help="Only this page (from 1) of each PDF [default: every page].")
@click.option("--dpi", type=click.IntRange(20, 600), default=100, show_default=True, help="Resolution of the pictures.")
@click.option("--theme", type=click.Choice(THEME_CHOICES), default="default", show_default=True, help=THEME_HELP)
@_common
def preview(format_: str, page: int | None, dpi: int, **options: Any) -> None:
    """Build, then write PNG pictures of the pages to OUTPUT/preview/ and print their paths."""
    from guide.commands.preview import preview as picture

    debug = options.pop("debug")
    output = (options["output"] or Path.cwd() / "output").resolve()
    with _reported(debug):
        written = _build(FORMATS if format_ == "all" else (format_,), options, quiet=True)
        pictures, warnings = picture([pdf.path for pdf in written], output, page=page, dpi=dpi)
    for warning in warnings:
        _warn(warning)
    for item in pictures:
        click.echo(_relative(item.path))


@main.command()
@click.option("--format", "format_", type=click.Choice(FORMAT_CHOICES), default="all", show_default=True,
              help="What to build.")
@click.option("--theme", type=click.Choice(THEME_CHOICES), default="default", show_default=True, help=THEME_HELP)
@click.option("--category", "categories", multiple=True, help="Only this category (name or slug); repeatable.")
@click.option("--tag", "tags", multiple=True, help="Only tips with this tag; repeatable.")
@_common
def watch(format_: str, **options: Any) -> None:
    """Build, then rebuild whenever a file in tips/, templates/ or styles/, or guide.yaml, changes.

    Errors are printed and the last good PDFs kept; Ctrl-C stops.
    """
    from guide.commands import watch as watching
    debug = options.pop("debug")
    formats = FORMATS if format_ == "all" else (format_,)
    sources = watching.Sources.for_project(Path.cwd(), options["tips_dir"])

    def rebuild() -> None:
        with _reported(debug, fatal=False):
            _build(formats, options)
        _say("watching for changes (Ctrl-C to stop)", dim=True)

    def announce(paths: list[Path]) -> None:
        _say(f"changed: {', '.join(_relative(path) for path in paths)}", fg="cyan")

    try:
        watching.rebuild_loop(watching.changes(sources), sources, rebuild, announce)
    except KeyboardInterrupt:
        _say("stopped")


@main.command()
@click.option("--to", "to", type=click.Choice(EXPORT_CHOICES), default="anki", show_default=True,
              help="anki: a deck (.apkg); csv: front,back,category,tags with a header; tsv: front<TAB>back "
                   "in plain text, no header (Quizlet).")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write [default: output/flashcards.apkg, .csv or .tsv].")
@click.option("--category", "categories", multiple=True, help="Only this category (name or slug); repeatable.")
@click.option("--tag", "tags", multiple=True, help="Only tips with this tag; repeatable.")
@_tips_option
@_debug_option
def export(to: str, output: Path | None, categories: tuple[str, ...], tags: tuple[str, ...], tips_dir: Path | None,
           debug: bool) -> None:
    """Export the flashcards for Anki, Quizlet or a spreadsheet."""
    from guide.commands.export import SUFFIXES
    from guide.commands.export import export as run_export
    from guide.content.loader import load_guide

    with _reported(debug):
        guide = load_guide(Path.cwd(), tips_dir).select(categories, tags)
        target = (output or guide.root / "output" / f"flashcards{SUFFIXES[to]}").absolute()
        warnings = run_export(guide, to, target)
    for warning in warnings:
        _warn(warning)
    count = len(guide.tips)
    click.echo(f"wrote {_relative(target)} ({count} card{'s' if count != 1 else ''})")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--category", help="Category of the cards without one [default: made from the file name].")
@click.option("--tips", "tips_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the tips files to [default: tips/].")
@click.option("--force", is_flag=True, help="Overwrite tips files that already exist.")
@_debug_option
def import_command(file: Path, category: str | None, tips_dir: Path | None, force: bool, debug: bool) -> None:
    """Make tips from the cards of a CSV or TSV file (front, back, optional category and tags).

    Each category becomes tips/<category>.yaml; existing files are kept unless --force.
    """
    from guide.commands.import_ import import_file

    with _reported(debug):
        written = import_file(file, (tips_dir or Path.cwd() / "tips").absolute(), category, force, root=Path.cwd())
    for item in written:
        click.echo(f'wrote {_relative(item.path)} ({item.tips} tip{"s" if item.tips != 1 else ""}, '
                   f'category "{item.category}")')


def _run(formats: tuple[str, ...], options: dict[str, Any]) -> None:
    """Build ``formats``, print one line per PDF, and turn known failures into messages."""
    debug = options.pop("debug")
    with _reported(debug):
        _build(formats, options)


def _build(formats: tuple[str, ...], options: dict[str, Any], quiet: bool = False) -> list:
    """Build ``formats`` with the build command's ``options`` (left unchanged), print the warnings and,
    unless ``quiet``, one line per PDF; returns the PDFs written. Failures are raised."""
    from guide.commands.build import build as run_build

    options = dict(options)
    overrides = {key: options.pop(key, None) for key in ("paper", "title", "printer")}
    places = {key: options.pop(key) for key in ("output", "tips_dir")}
    from guide.progress import Progress

    written, warnings = run_build(Path.cwd(), formats, places["output"], places["tips_dir"], overrides, options,
                                  Progress())
    for warning in warnings:
        _warn(warning)
    for pdf in [] if quiet else written:
        pages = f"{pdf.pages} page{'s' if pdf.pages != 1 else ''}"
        how = f": {pdf.instructions}" if pdf.instructions else ""
        click.echo(f"{'unchanged' if pdf.reused else 'wrote'} {_relative(pdf.path)} ({pages}){how}")
    return written


@contextmanager
def _reported(debug: bool, fatal: bool = True) -> Iterator[None]:
    """Turn failures inside the block into ``error:`` lines (every problem of a GuideError, each as
    file:line:column: message) and, when ``fatal``, exit status 1; ``debug`` shows the traceback instead."""
    from guide.errors import GuideError

    try:
        yield
    except GuideError as error:
        if debug:
            raise
        for problem in error.problems:
            _error(problem)
        if fatal:
            sys.exit(1)
    except Exception as error:  # noqa: BLE001 - the user gets a message, --debug the traceback
        if debug:
            raise
        _error(f"{type(error).__name__}: {error} (run with --debug for details)")
        if fatal:
            sys.exit(1)


def _color() -> bool | None:
    """No colour when NO_COLOR is set (https://no-color.org); otherwise Click's choice: on terminals only."""
    return False if os.environ.get("NO_COLOR") else None


def _say(message: object, err: bool = False, **style: Any) -> None:
    click.secho(str(message), err=err, color=_color(), **style)


def _error(message: object) -> None:
    _say(f"error: {message}", err=True, fg="red")


def _warn(message: object) -> None:
    _say(f"warning: {message}", err=True, fg="yellow")


def _quoted(path: Path) -> str:
    import shlex

    return shlex.quote(str(path))


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
