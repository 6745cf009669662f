"""``guide list``: the categories and their tips as an aligned text table."""

from __future__ import annotations

from pathlib import Path

from guide.commands.check import Report
from guide.content.schema import printable

HEADERS = ("id", "title", "tags", "card fit")
INDENT = "  "
GAP = "  "


def table(report: Report) -> list[str]:
    """The table's lines: a header, then per category a heading line and one indented row per tip.

    Columns are id, title, tags and, when the report measured the cards, "card fit" (``yes``, or ``no``
    with the face that does not fit); they are aligned across the whole table.
    """
    measured = bool(report.fits)
    headers = HEADERS if measured else HEADERS[:-1]
    rows_by_category = [
        (category, [_row(tip, report, measured) for tip in category.tips]) for category in report.guide.categories
    ]
    every_row = [list(headers)] + [row for _, rows in rows_by_category for row in rows]
    widths = [max(len(row[column]) for row in every_row) for column in range(len(headers))]

    def line(cells: list[str]) -> str:
        return (INDENT + GAP.join(cell.ljust(width) for cell, width in zip(cells, widths))).rstrip()

    lines = [line(list(headers))]
    for category, rows in rows_by_category:
        count = len(category.tips)
        name, where = printable(category.name), printable(_display(category.source.path))
        lines.append(f"{name} ({count} tip{'s' if count != 1 else ''}, {where})")
        lines += [line(row) for row in rows]
    return lines


def summary(report: Report) -> str:
    """``N tips in K categories``, and when that was measured, how many continue on more cards and how many
    do not fit their flashcard."""
    if not report.fits:
        return report.summary
    misfits = sum(not fit.fits for fit in report.fits.values())
    continued = len(report.continued)
    if not misfits and not continued:
        return f"{report.summary}; every tip fits its flashcard"
    said = [f"{continued} continue{'s' if continued == 1 else ''} on more cards"] if continued else []
    if misfits:
        said.append(f"{misfits} do{'es' if misfits == 1 else ''} not fit {'its' if misfits == 1 else 'their'} flashcard")
    return f"{report.summary}; {', '.join(said)}"


def _row(tip, report: Report, measured: bool) -> list[str]:
    cells = [printable(tip.id), printable(tip.title), printable(", ".join(tip.tags)) or "-"]
    if measured:
        cells.append(report.fits[tip.id].describe())
    return cells


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
