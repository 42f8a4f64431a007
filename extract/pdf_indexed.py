"""Fills in an Indexed colour space, read as the colour they show.

pdfminer reports a fill painted in an /Indexed colour space as its bare index
(0, 1, 2 ...), indistinguishable from a grey level, and drops the colour table.
`install()` teaches pdfminer's interpreter, once per process, to look the index
up in the space's table, so pdfplumber reports the base space's components
(RGB, CMYK or grey) like any other fill. Nothing else about reading changes.
"""

from __future__ import annotations

from pdfminer import pdfinterp
from pdfminer.pdfcolor import PDFColorSpace
from pdfminer.pdftypes import resolve1, stream_value
from pdfminer.psparser import literal_name

_BASE_COMPONENTS = {"DeviceGray": 1, "G": 1, "DeviceRGB": 3, "RGB": 3, "DeviceCMYK": 4,
                    "CMYK": 4}
_installed = False


class IndexedColorSpace(PDFColorSpace):
    def __init__(self, base_components: int, table: bytes) -> None:
        super().__init__("Indexed", 1)
        self.base_components = base_components
        self.table = table

    def colour(self, index: int) -> tuple[float, ...] | None:
        start = index * self.base_components
        entry = self.table[start:start + self.base_components]
        if len(entry) != self.base_components:
            return None  # an index past the table: leave the value as pdfminer read it
        return tuple(byte / 255 for byte in entry)


def _indexed(spec) -> IndexedColorSpace | None:
    spec = resolve1(spec)
    if not isinstance(spec, list) or len(spec) < 4:
        return None
    if literal_name(resolve1(spec[0])) not in ("Indexed", "I"):
        return None
    base = resolve1(spec[1])
    if isinstance(base, list) and base and literal_name(resolve1(base[0])) == "ICCBased":
        components = int(stream_value(base[1])["N"])
    else:
        components = _BASE_COMPONENTS.get(literal_name(base[0] if isinstance(base, list)
                                                       else base))
    table = resolve1(spec[3])
    table = table.get_data() if hasattr(table, "get_data") else table
    if components is None or not isinstance(table, bytes):
        return None
    return IndexedColorSpace(components, table)


def install() -> None:
    global _installed
    if _installed:
        return
    interpreter = pdfinterp.PDFPageInterpreter
    original_resources, original_scn = interpreter.init_resources, interpreter.do_scn

    def init_resources(self, resources) -> None:
        original_resources(self, resources)
        spaces = resolve1((resources or {}).get("ColorSpace")) or {}
        for name, spec in (spaces.items() if isinstance(spaces, dict) else ()):
            try:
                space = _indexed(spec)
            except Exception:  # a malformed table: pdfminer's own reading stays
                space = None
            if space is not None:
                self.csmap[name] = space

    def do_scn(self) -> None:
        space = self.graphicstate.ncs
        original_scn(self)
        if isinstance(space, IndexedColorSpace):
            value = self.graphicstate.ncolor
            index = value[0] if isinstance(value, tuple | list) else value
            if isinstance(index, int | float):
                colour = space.colour(int(index))
                if colour is not None:
                    self.graphicstate.ncolor = colour

    interpreter.init_resources = init_resources
    interpreter.do_scn = do_scn
    _installed = True
