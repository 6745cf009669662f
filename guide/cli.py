"""The ``guide`` command line: parses options and calls the library; heavy imports happen per command."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from guide import __version__

FORMAT_CHOICES = ("cheatsheet", "flashcards", "handouts", "all")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="guide")
def main() -> None:
    """Printable study guides: a cheat sheet, flashcards and handouts from tips written in YAML."""


@main.command()
@click.option("--format", "format_", type=click.Choice(FORMAT_CHOICES), default="all", show_default=True,
              help="What to build.")
@click.option("--paper", type=click.Choice(["letter", "a4", "legal"], case_sensitive=False),
              help="Paper size (default: guide.yaml, else letter).")
@click.option("--output", type=click.Path(file_okay=False, path_type=Path), help="Output folder [default: output/].")
@click.option("--tips", "tips_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="Folder of tips files [default: tips/].")
@click.option("--title", help="Guide title (overrides guide.yaml).")
@click.option("--card", help="Flashcard size: index-3x5, index-4x6, business, poker, a7, a6, or WxH like 90x60mm.")
@click.option("--card-size", "card", help="Same as --card, e.g. --card-size 90x60mm.")
@click.option("--duplex", type=click.Choice(["long-edge", "short-edge", "fold", "split"]),
              help="How flashcard backs are printed [default: long-edge].")
@click.option("--back-offset", metavar="X,Y", help="Shift flashcard backs by X mm right, Y mm down (as seen through the front).")
@click.option("--margin", type=float, help="Flashcard safe margin in mm [default: 6.35].")
@click.option("--gutter", type=float, help="Space between flashcards in mm [default: 0].")
@click.option("--cut-lines", is_flag=True, help="Draw dashed cut lines across the flashcard sheet.")
@click.option("--strict", is_flag=True, help="Fail when a tip does not fit on its card.")
@click.option("--debug", is_flag=True, help="Show a traceback on errors.")
def build(format_: str, paper: str | None, output: Path | None, tips_dir: Path | None, title: str | None,
          debug: bool, **options: object) -> None:
    """Build the PDFs into the output folder."""
    from guide.build import build as run_build
    from guide.errors import GuideError
    from guide.formats import FORMATS

    formats = FORMATS if format_ == "all" else (format_,)
    try:
        written, warnings = run_build(Path.cwd(), formats, output, tips_dir, {"paper": paper, "title": title},
                                      options)
    except GuideError as error:
        if debug:
            raise
        for problem in error.problems:
            click.secho(f"error: {problem}", err=True, fg="red")
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
