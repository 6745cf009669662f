"""The ``guide`` command line: parses options and calls the library; heavy imports happen per command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from guide import __version__
from guide.config.options import CHEATSHEET, FLASHCARDS, GUIDE, HTML, Setting
from guide.formats import FORMATS, MODULES

FORMAT_CHOICES = (*MODULES, "all")
EXPORT_CHOICES = ("anki", "csv", "tsv")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="guide")
def main() -> None:
    """Printable study guides: a cheat sheet, flashcards and handouts from tips written in YAML."""


class _SettingType(click.ParamType):
    """A command-line value read by its setting's own reader; kept as given, so guide.yaml and the command
    line are read the same way later. A value the reader refuses is a usage error (exit status 2)."""

    def __init__(self, setting: Setting):
        self.setting = setting
        self.name = setting.key

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return self.setting.metavar or "[" + "|".join(self.setting.choices) + "]" if self.setting.choices \
            else self.setting.metavar or "TEXT"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        try:
            self.setting.read(value)
        except ValueError as error:
            self.fail(str(error), param, ctx)
        return value

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
        from click.shell_completion import CompletionItem

        return [CompletionItem(choice) for choice in self.setting.choices if choice.startswith(incomplete)]


def _option(setting: Setting, *names: str) -> Callable:
    """The Click option for ``setting``: not given is ``None``, so guide.yaml and the defaults apply."""
    if setting.flag:
        name = setting.option[2:]
        if not setting.in_file:  # nothing to turn off
            return click.option(setting.option, setting.key, is_flag=True, default=None, help=setting.help)
        return click.option(f"--{name}/--no-{name}", setting.key, default=None, help=setting.help)
    return click.option(setting.option, *names, setting.key, type=_SettingType(setting), default=None,
                        help=setting.help, shell_complete=_PROJECT_COMPLETIONS.get(setting.key))


def _options(*decorators: Callable) -> Callable:
    """Apply ``decorators`` in the order they are listed (as the help lists them)."""
    def apply(command: Callable) -> Callable:
        for decorator in reversed(decorators):
            command = decorator(command)
        return command
    return apply


_tips_option = click.option("--tips", "tips_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
                            help="Folder of tips files [default: tips/].")
_debug_option = click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def _root() -> Path:
    """The project every command works on: the nearest folder up from here holding guide.yaml."""
    from guide.config.project import find_root

    return find_root(Path.cwd())


def _completions(names: Iterable[str], incomplete: str) -> list:
    from click.shell_completion import CompletionItem

    return [CompletionItem(name) for name in dict.fromkeys(names) if name.lower().startswith(incomplete.lower())]


def _read_yaml(path: Path) -> Any:
    """``path`` as plain YAML, or ``None``: completion must be quick and quiet, so nothing is validated."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None


def _tips_files(ctx: click.Context) -> list[dict]:
    folder = ctx.params.get("tips_dir") or _root() / "tips"
    return [data for path in sorted(Path(folder).glob("*.y*ml")) if isinstance(data := _read_yaml(path), dict)]


def _complete_categories(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    return _completions((str(data.get("category", "")) for data in _tips_files(ctx)), incomplete)


def _complete_tags(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    tags = (str(tag) for data in _tips_files(ctx) for tip in data.get("tips") or () if isinstance(tip, dict)
            for tag in tip.get("tags") or ())
    return _completions(sorted(tags, key=str.lower), incomplete)


def _complete_printers(ctx: click.Context, param: click.Parameter, incomplete: str) -> list:
    settings = _read_yaml(_root() / "guide.yaml")
    printers = settings.get("printers") if isinstance(settings, dict) else None
    return _completions(map(str, printers if isinstance(printers, dict) else ()), incomplete)


# Settings whose values come from the project, completed by reading it.
_PROJECT_COMPLETIONS = {"printer": _complete_printers}

_selection = _options(
    click.option("--category", "categories", multiple=True, shell_complete=_complete_categories,
                 help="Only this category (name or slug); repeatable."),
    click.option("--tag", "tags", multiple=True, shell_complete=_complete_tags,
                 help="Only tips with this tag; repeatable."),
)
_guide_settings = _options(*(_option(setting) for setting in GUIDE.settings if setting.on_command_line))
_flashcard_settings = _options(*(_option(setting, *(("--card-size",) if setting.key == "card" else ()))
                                 for setting in FLASHCARDS.settings))
# What every command that reads the tips accepts: where they are, which of them, and how cards are made.
_reading = _options(_tips_option, _selection, _guide_settings, _flashcard_settings)
# What every command that builds PDFs accepts besides.
_building = _options(
    click.option("--output", type=click.Path(file_okay=False, path_type=Path), help="Output folder [default: output/]."),
    _reading,
    *(_option(setting) for setting in CHEATSHEET.settings),
    _option(HTML),
    _debug_option,
)


def _format_option(what: str) -> Callable:
    return click.option("--format", "format_", type=click.Choice(FORMAT_CHOICES), default="all", show_default=True,
                        help=what)


@main.command()
@_format_option("What to build.")
@_building
def build(format_: str, **options: Any) -> None:
    """Build the PDFs into the output folder."""
    _run(FORMATS if format_ == "all" else (format_,), options)


@main.command()
@_building
def calibrate(**options: Any) -> None:
    """Write a duplex calibration sheet, laid out like the flashcard sheets, to measure your printer's --back-offset."""
    if options["duplex"] in ("fold", "split"):
        raise click.BadParameter(f'"{options["duplex"]}" prints no backs through the paper, so there is no offset '
                                 "to measure: use long-edge or short-edge", param_hint="'--duplex'")
    _run(("calibration",), options)


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
@click.option("--no-fit", is_flag=True, help="Skip the (slower) check that each tip fits its flashcard.")
@_reading
@_debug_option
def list_command(no_fit: bool, tips_dir: Path | None, debug: bool, **given: Any) -> None:
    """List the categories and their tips: id, title, tags and whether each fits its flashcard."""
    from guide.commands.check import check
    from guide.commands.list import summary, table

    with _reported(debug):
        report = check(_root(), tips_dir, given, given["categories"], given["tags"], fit=not no_fit)
    for line in table(report):
        click.echo(line)
    _say(summary(report), fg="yellow" if any(not fit.fits for fit in report.fits.values()) else None)


@main.command()
@click.option("--no-fit", is_flag=True, help="Only validate; skip measuring the flashcards and the cheat sheet.")
@_reading
@_debug_option
def check(no_fit: bool, tips_dir: Path | None, debug: bool, **given: Any) -> None:
    """Validate the tips and settings, check that every tip fits its flashcard and say how the cheat sheet is
    set (type size and pages); writes no PDF.

    Exit status 1 when something is wrong, including a tip too long for its card or the cheat sheet.
    """
    from guide.commands.check import check as check_project

    with _reported(debug):
        report = check_project(_root(), tips_dir, given, given["categories"], given["tags"], fit=not no_fit,
                               sheet=not no_fit)
    for warning in report.warnings:
        _warn(warning)
    if report.cheatsheet:
        click.echo(report.cheatsheet)
    for problem in report.problems:
        _error(problem)
    if report.misfits:
        for problem in report.misfits:
            _error(problem)
        count = len(report.misfits)
        _error(f"{count} of {len(report.guide.tips)} tips {'does' if count == 1 else 'do'} not fit their flashcard")
    if report.misfits or report.problems:
        sys.exit(1)
    _say(f"ok: {report.summary}", fg="green")


@main.command()
@_format_option("What to build and picture.")
@click.option("--page", type=click.IntRange(1), help="Only this page (from 1) of each PDF [default: every page].")
@click.option("--dpi", type=click.IntRange(20, 600), default=100, show_default=True, help="Resolution of the pictures.")
@_building
def preview(format_: str, page: int | None, dpi: int, **options: Any) -> None:
    """Build, then write PNG pictures of the pages to OUTPUT/preview/ and print their paths."""
    from guide.commands.preview import preview as picture

    debug = options.pop("debug")
    output = (options["output"] or _root() / "output").resolve()
    with _reported(debug):
        written = _build(FORMATS if format_ == "all" else (format_,), options, quiet=True)
        pictures, warnings = picture([pdf.path for pdf in written], output, page=page, dpi=dpi)
    for warning in warnings:
        _warn(warning)
    for item in pictures:
        click.echo(_relative(item.path))


@main.command()
@_format_option("What to build.")
@_building
def watch(format_: str, **options: Any) -> None:
    """Build, then rebuild whenever a file in tips/, templates/ or styles/, or guide.yaml, changes.

    Errors are printed and the last good PDFs kept; Ctrl-C stops.
    """
    from guide.commands import watch as watching

    debug = options.pop("debug")
    formats = FORMATS if format_ == "all" else (format_,)
    sources = watching.Sources.for_project(_root(), options["tips_dir"])

    def rebuild() -> None:
        with _reported(debug, fatal=False):
            _build(formats, options)
        _say("watching for changes (Ctrl-C to stop)", dim=True)

    try:
        watching.rebuild_loop(watching.changes(sources), sources, rebuild, _announce)
    except KeyboardInterrupt:
        _say("stopped")


@main.command()
@_format_option("Which PDFs to build and picture.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (the default lets only this computer in).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the tips page in the web browser.")
@_building
def serve(format_: str, host: str, port: int, open_browser: bool, **options: Any) -> None:
    """Show the tips and the PDFs' pages in the browser, rebuilt and updated on every save.

    Errors appear on the page (file:line) and the last good pages stay; Ctrl-C stops.
    """
    from guide.commands.serve import Project
    from guide.commands.serve import serve as run_server

    debug = options.pop("debug")
    project = Project(_root(), FORMATS if format_ == "all" else (format_,), options.pop("tips_dir"),
                      options.pop("output"), options)
    with _reported(debug):
        try:
            run_server(project, host, port, open_browser, _say, _announce)
        except KeyboardInterrupt:
            _say("stopped")


@main.command()
@click.option("--to", "to", type=click.Choice(EXPORT_CHOICES), default="anki", show_default=True,
              help="anki: a deck (.apkg); csv: front,back,category,tags with a header; tsv: front<TAB>back "
                   "in plain text, no header (Quizlet).")
@click.option("--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
              help="File to write, or - for standard output (csv, tsv) [default: output/flashcards.apkg, .csv or .tsv].")
@_selection
@click.option("--raw-cells", is_flag=True,
              help="CSV/TSV: write cells as they are, without the ' put before cells starting with = + - @ "
                   "(which a spreadsheet would run as formulas).")
@_tips_option
@_debug_option
def export(to: str, output: Path | None, categories: tuple[str, ...], tags: tuple[str, ...], raw_cells: bool,
           tips_dir: Path | None, debug: bool) -> None:
    """Export the flashcards for Anki, Quizlet or a spreadsheet."""
    from guide.commands.export import SUFFIXES, TEXTS, card_count
    from guide.commands.export import export as run_export
    from guide.content.loader import load_guide

    to_stdout = output == Path("-")
    if to_stdout and to not in TEXTS:
        raise click.BadParameter(f"an {to} deck is a binary file and cannot go to standard output: name a file "
                                 f"(or choose --to {' or '.join(TEXTS)})", param_hint="'--output'")
    with _reported(debug):
        guide = load_guide(_root(), tips_dir).select(categories, tags)
        if to_stdout:
            click.echo(TEXTS[to](guide, raw_cells), nl=False)
            return
        target = (output or guide.root / "output" / f"flashcards{SUFFIXES[to]}").absolute()
        warnings = run_export(guide, to, target, raw_cells)
    for warning in warnings:
        _warn(warning)
    count = card_count(guide, to)
    click.echo(f"wrote {_relative(target)} ({count} card{'s' if count != 1 else ''})")


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--category", help="Category of the cards without one [default: made from the file name].")
@click.option("--tips", "tips_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Folder to write the tips files to [default: tips/].")
@click.option("--force", is_flag=True, help="Overwrite tips files that already exist.")
@_debug_option
def import_command(file: Path, category: str | None, tips_dir: Path | None, force: bool, debug: bool) -> None:
    """Make tips from an Anki package (.apkg) or the cards of a CSV or TSV file (front, back, optional
    category and tags).

    Each category (an Anki subdeck) becomes tips/<category>.yaml, images go to tips/images/; existing
    files are kept unless --force.
    """
    from guide.commands.import_ import import_file

    with _reported(debug):
        root = _root()
        written = import_file(file, (tips_dir or root / "tips").absolute(), category, force, root=root)
    for item in written:
        click.echo(f'wrote {_relative(item.path)} ({item.tips} tip{"s" if item.tips != 1 else ""}, '
                   f'category "{item.category}")')


def _announce(paths: list[Path]) -> None:
    """Tell which sources changed, before a rebuild."""
    _say(f"changed: {', '.join(_relative(path) for path in paths)}", fg="cyan")


def _run(formats: tuple[str, ...], options: dict[str, Any]) -> None:
    """Build ``formats``, print one line per PDF, and turn known failures into messages."""
    debug = options.pop("debug")
    with _reported(debug):
        _build(formats, options)


def _build(formats: tuple[str, ...], options: dict[str, Any], quiet: bool = False) -> list:
    """Build ``formats`` with the command line's ``options`` (left unchanged), print the warnings and,
    unless ``quiet``, one line per PDF; returns the PDFs written. Failures are raised."""
    from guide.commands.build import FormatsFailed
    from guide.commands.build import build as run_build
    from guide.progress import Progress

    given = dict(options)
    output, tips_dir = given.pop("output"), given.pop("tips_dir")
    try:
        written, warnings = run_build(_root(), formats, output, tips_dir, given, Progress())
    except FormatsFailed as failure:  # the formats that were made are reported before the failures
        _report(failure.written, failure.warnings, quiet)
        raise
    _report(written, warnings, quiet)
    return written


def _report(written: list, warnings: list[str], quiet: bool) -> None:
    """Print the warnings and, unless ``quiet``, one line per PDF."""
    for warning in warnings:
        _warn(warning)
    for pdf in [] if quiet else written:
        pages = f"{pdf.pages} page{'s' if pdf.pages != 1 else ''}"
        how = f": {pdf.instructions}" if pdf.instructions else ""
        click.echo(f"{'unchanged' if pdf.reused else 'wrote'} {_relative(pdf.path)} ({pages}){how}")


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
        if isinstance(error, OSError) and error.filename:  # e.g. a file in tips/ that cannot be read
            from guide.errors import Problem

            _error(Problem(Path(error.filename), error.strerror or str(error)))
        else:
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
        # From inside the project (tips/, say), its files are nearer as ../output/...
        return os.path.relpath(path) if path.is_relative_to(_root()) else str(path)
