"""``guide preview``: PNG pictures of built PDF pages, rendered by PDFium (pypdfium2)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_DPI = 100


@dataclass(frozen=True)
class Picture:
    """One page rendered: the PNG written, the PDF and page (from 1) it shows."""

    path: Path
    pdf: Path
    page: int


class MissingPage(ValueError):
    """The page asked for is beyond the end of a PDF."""


def render_pages(pdf: Path, folder: Path, page: int | None = None, dpi: float = DEFAULT_DPI,
                 name: str | None = None) -> list[Picture]:
    """Write ``folder/NAME-P.png`` for every page of ``pdf`` (or only page ``page``, from 1), at ``dpi``.

    ``NAME`` defaults to the PDF's stem; page numbers are zero-padded to sort in order. Pictures left
    from an earlier, longer PDF of the same name are removed when every page is rendered.
    """
    import pypdfium2

    name = name or pdf.stem
    folder.mkdir(parents=True, exist_ok=True)
    document = pypdfium2.PdfDocument(pdf)
    try:
        count = len(document)
        if page is not None and not 1 <= page <= count:
            raise MissingPage(f"{pdf.name} has {count} page{'s' if count != 1 else ''}, not a page {page}")
        numbers = [page] if page is not None else list(range(1, count + 1))
        width = len(str(count))
        if page is None:
            stale = re.compile(rf"{re.escape(name)}-\d+\.png")
            for old in folder.glob(f"{name}-*.png"):
                if stale.fullmatch(old.name):
                    old.unlink()
        pictures = []
        for number in numbers:
            pdf_page = document[number - 1]
            try:
                bitmap = pdf_page.render(scale=dpi / 72)
                target = folder / f"{name}-{number:0{width}d}.png"
                bitmap.to_pil().save(target, dpi=(dpi, dpi))
            finally:
                pdf_page.close()
            pictures.append(Picture(target, pdf, number))
        return pictures
    finally:
        document.close()


def preview(pdfs: list[Path], output: Path, folder: Path | None = None, page: int | None = None,
            dpi: float = DEFAULT_DPI) -> tuple[list[Picture], list[str]]:
    """Render ``pdfs`` (built into ``output``) into ``folder`` (default ``output/preview``), mirroring
    their place under ``output``: ``handouts/x.pdf`` becomes ``preview/handouts/x-1.png``.

    Returns the pictures and a warning per PDF that has no page ``page``; when none has it, that is
    an error (:class:`~guide.errors.GuideError`).
    """
    folder = folder or output / "preview"
    pictures, warnings = [], []
    for pdf in pdfs:
        try:
            relative = pdf.resolve().relative_to(output.resolve()).parent
        except ValueError:
            relative = Path()
        try:
            pictures += render_pages(pdf, folder / relative, page, dpi)
        except MissingPage as error:
            warnings.append(str(error))
    if pdfs and not pictures:
        from guide.errors import GuideError, Problem

        raise GuideError([Problem(None, warning) for warning in warnings])
    return pictures, warnings
