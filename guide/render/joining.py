"""PDFs laid out separately made into one: pages joined or replaced, and each font embedded once.

WeasyPrint embeds in every document a subset of each font holding only the glyphs that document uses,
with the glyphs at their places in the full font. The subsets of one font made by several documents are
therefore merged by copying glyphs, and one program serves all of them."""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable

import pikepdf
from fontTools.ttLib import TTFont


def join(parts: list[bytes]) -> bytes:
    """One PDF of the pages of ``parts``, in order, with the first part's catalogue and metadata."""
    with pikepdf.open(io.BytesIO(parts[0])) as pdf:
        for part in parts[1:]:
            with pikepdf.open(io.BytesIO(part)) as other:
                pdf.pages.extend(other.pages)
        return _saved(pdf)


def replace_pages(base: bytes, pages: bytes, positions: tuple[int, ...]) -> bytes:
    """``base`` with its pages at ``positions`` replaced, in order, by the pages of ``pages``."""
    with pikepdf.open(io.BytesIO(base)) as pdf, pikepdf.open(io.BytesIO(pages)) as new:
        for position, page in zip(positions, new.pages):
            pdf.pages[position] = page
        return _saved(pdf)


def _saved(pdf: pikepdf.Pdf) -> bytes:
    """``pdf`` written with one program per font and its dictionaries compressed in object streams; the same pages always give the same bytes."""
    _share_fonts(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
             deterministic_id=True)
    return buffer.getvalue()


def _share_fonts(pdf: pikepdf.Pdf) -> None:
    """Point every descriptor of one TrueType font at a single program merged from the subsets."""
    descriptors: dict[tuple, list[pikepdf.Dictionary]] = defaultdict(list)
    programs: dict[tuple, dict[tuple[int, int], bytes]] = defaultdict(dict)
    for descriptor in _truetype_descriptors(pdf):
        program = descriptor.FontFile2.read_bytes()
        font = _identity(descriptor, program)
        descriptors[font].append(descriptor)
        programs[font][descriptor.FontFile2.objgen] = program
    for font, found in programs.items():
        if len(found) < 2:
            continue
        merged = _merged(list(found.values()))
        stream = pdf.make_indirect(pikepdf.Stream(pdf, merged, Length1=len(merged)))
        for descriptor in descriptors[font]:
            descriptor.FontFile2 = stream


def _truetype_descriptors(pdf: pikepdf.Pdf) -> Iterable[pikepdf.Dictionary]:
    for page in pdf.pages:
        fonts = page.obj.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get("/FontDescriptor")
                if descriptor is not None and "/FontFile2" in descriptor:
                    yield descriptor


def _identity(descriptor: pikepdf.Dictionary, program: bytes) -> tuple:
    """What tells one full font from another: its name without the subset's tag, and the dates and
    revision its subsets keep from it."""
    head = TTFont(io.BytesIO(program), lazy=True)["head"]
    return str(descriptor.FontName).partition("+")[2], head.created, head.modified, head.fontRevision


def _merged(programs: list[bytes]) -> bytes:
    """One TrueType program holding every glyph drawn in any of ``programs``, each at its own place."""
    fonts = [TTFont(io.BytesIO(program)) for program in programs]
    base = max(fonts, key=lambda font: font["maxp"].numGlyphs)
    names, glyphs, metrics = base.getGlyphOrder(), base["glyf"], base["hmtx"]
    for other in fonts:
        if other is base:
            continue
        for place, name in enumerate(other.getGlyphOrder()):
            glyph = other["glyf"][name]
            if glyph.numberOfContours == 0 or glyphs[names[place]].numberOfContours != 0:
                continue
            # A glyph made of others names them, and the subsets name a place differently.
            for component in getattr(glyph, "components", ()):
                component.glyphName = names[other.getGlyphID(component.glyphName)]
            glyphs[names[place]] = glyph
            metrics[names[place]] = other["hmtx"][name]
    buffer = io.BytesIO()
    base.save(buffer)
    return buffer.getvalue()
