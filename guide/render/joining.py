"""PDFs laid out separately made into one: pages joined or replaced, and each font embedded once.

WeasyPrint embeds in every document a subset of each font holding only the glyphs that document uses,
with the glyphs at their places in the full font. The subsets of one font made by several documents are
therefore merged by copying glyphs' bytes, and one program serves all of them."""

from __future__ import annotations

import io
import struct
import sys
from array import array
from collections import defaultdict
from collections.abc import Iterable
from itertools import accumulate

import pikepdf
from fontTools.ttLib.sfnt import SFNTReader, SFNTWriter

# Tables that hold something per glyph besides outlines and horizontal metrics: fonts with them are left
# as they are.
PER_GLYPH = {"gvar", "vmtx", "hdmx", "VORG", "CFF ", "CFF2", "LTSH", "VDMX", "EBLC", "CBLC", "sbix"}


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
    """``pdf`` written with one program per font and its dictionaries compressed in object streams; the
    same pages always give the same bytes."""
    _share_fonts(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
             deterministic_id=True)
    return buffer.getvalue()


def _share_fonts(pdf: pikepdf.Pdf) -> None:
    """Point every descriptor of one TrueType font at a single program merged from the subsets."""
    descriptors: dict[bytes, list[pikepdf.Dictionary]] = defaultdict(list)
    programs: dict[bytes, dict[tuple[int, int], Program]] = defaultdict(dict)
    read: dict[tuple[int, int], Program] = {}  # a program several descriptors share is read once
    for descriptor in _truetype_descriptors(pdf):
        stream = descriptor.FontFile2
        if stream.objgen not in read:
            read[stream.objgen] = Program(stream.read_bytes())
        program = read[stream.objgen]
        font = program.identity(str(descriptor.FontName).partition("+")[2])
        descriptors[font].append(descriptor)
        programs[font][stream.objgen] = program
    for font, found in programs.items():
        if len(found) < 2 or not all(program.mergeable() for program in found.values()):
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


class Program:
    """A TrueType font program's tables, and its glyphs' outlines and metrics by glyph number."""

    def __init__(self, data: bytes):
        reader = SFNTReader(io.BytesIO(data))
        self.tables = {tag: reader[tag] for tag in reader.keys()}
        self.count = struct.unpack_from(">H", self.tables["maxp"], 4)[0]

    def identity(self, name: str) -> bytes:
        """What tells the full font apart from another: its name without the subset's tag, and the
        revision and dates (``head``) its subsets keep from it."""
        head = self.tables["head"]
        return name.encode() + head[4:8] + head[20:36]

    def mergeable(self) -> bool:
        """Whether the glyphs are all there is per glyph: no variations, vertical metrics or CFF outlines."""
        return {"glyf", "loca", "hmtx"} <= self.tables.keys() and not self.tables.keys() & PER_GLYPH

    def glyphs(self) -> list[bytes]:
        long = struct.unpack_from(">h", self.tables["head"], 50)[0] == 1
        loca = array("I" if long else "H", self.tables["loca"])
        if sys.byteorder == "little":
            loca.byteswap()
        offsets = loca if long else [offset * 2 for offset in loca]
        glyf = self.tables["glyf"]
        return [glyf[start:end] for start, end in zip(offsets, offsets[1:])]

    def metrics(self) -> list[bytes]:
        """Each glyph's advance and left side bearing, as four bytes."""
        hmtx, metrics = self.tables["hmtx"], struct.unpack_from(">H", self.tables["hhea"], 34)[0]
        pairs = [hmtx[4 * index:4 * index + 4] for index in range(metrics)]
        last_advance = pairs[-1][:2]
        bearings = hmtx[4 * metrics:]
        return pairs + [last_advance + bearings[2 * index:2 * index + 2] for index in range(self.count - metrics)]


def _merged(programs: list[Program]) -> bytes:
    """One TrueType program holding every glyph drawn in any of ``programs``, each at its own place: a
    glyph made of others names them by number, so its bytes are copied unchanged."""
    base = max(programs, key=lambda program: program.count)
    glyphs, metrics = base.glyphs(), base.metrics()
    for other in programs:
        if other is base:
            continue
        for number, (glyph, metric) in enumerate(zip(other.glyphs(), other.metrics())):
            if glyph and not glyphs[number]:
                glyphs[number], metrics[number] = glyph, metric
    padded = [glyph + b"\0" * (-len(glyph) % 4) for glyph in glyphs]
    offsets = [0, *accumulate(map(len, padded))]
    tables = {**base.tables, "glyf": b"".join(padded), "loca": struct.pack(f">{len(offsets)}I", *offsets),
              "hmtx": b"".join(metrics)}
    tables["head"] = _patched(tables["head"], 50, ">h", 1)  # long offsets in loca
    tables["hhea"] = _patched(tables["hhea"], 34, ">H", len(metrics))  # a full metric for every glyph
    buffer = io.BytesIO()
    writer = SFNTWriter(buffer, len(tables))
    for tag, data in sorted(tables.items()):
        writer[tag] = data
    writer.close()
    return buffer.getvalue()


def _patched(table: bytes, offset: int, layout: str, value: int) -> bytes:
    patched = bytearray(table)
    struct.pack_into(layout, patched, offset, value)
    return bytes(patched)
