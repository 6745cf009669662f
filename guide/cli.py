"""The ``guide`` command line: parses options and calls the library; heavy imports happen per command."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from guide import __version__

FORMAT_CHOICES = ("cheatsheet", "flashcards", "handouts", "guide", "calibration", "all")


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
@click.option("--strict", is_flag=True, help="Fail when a tip does not fit on its flashcard.")
def build(format_: str, **options: Any) -> None:
    """Build the PDFs into the output folder."""
    from guide.formats import FORMATS

    _run(FORMATS if format_ == "all" else (format_,), options)


@main.command()
@_common
def calibrate(**options: Any) -> None:
    """Write a duplex calibration sheet to measure your printer's --back-offset."""
    _run(("calibration",), options)


def _run(formats: tuple[str, ...], options: dict[str, Any]) -> None:
    """Build ``formats``, print one line per PDF, and turn known failures into messages."""
    from guide.build import build as run_build
    from guide.errors import GuideError

    debug = options.pop("debug")
    overrides = {key: options.pop(key, None) for key in ("paper", "title", "printer")}
    places = {key: options.pop(key) for key in ("output", "tips_dir")}
    try:
        written, warnings = run_build(Path.cwd(), formats, places["output"], places["tips_dir"], overrides, options)
    except GuideError as error:
        if debug:
            raise
        for problem in error.problems:
            click.secho(f"error: {problem}", err=True, fg="red")
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - the user gets a message, --debug the traceback
        if debug:
            raise
        click.secho(f"error: {type(error).__name__}: {error} (run with --debug for details)", err=True, fg="red")
        sys.exit(1)
    for warning in warnings:
        click.secho(f"warning: {warning}", err=True, fg="yellow")
    for pdf in written:
        pages = f"{pdf.pages} page{'s' if pdf.pages != 1 else ''}"
        how = f": {pdf.instructions}" if pdf.instructions else ""
        click.echo(f"wrote {_relative(pdf.path)} ({pages}){how}")


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
