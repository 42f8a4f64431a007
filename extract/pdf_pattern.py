"""Fills painted with a tiling pattern, read as the colour the pattern shows.

pdfminer reports a fill in a /Pattern colour space as the pattern's name (a
coloured pattern) or as (base colour, name) (an uncoloured one), so the reader
sees no colour and a patterned timeline cell reads 'onbekend'. `install()`
teaches pdfminer's interpreter, once per process, to report instead:
- for an uncoloured tiling pattern (PaintType 2), the colour given with `scn`,
  which is the colour its cells are drawn in;
- for a coloured tiling pattern (PaintType 1), the colour that fills the most
  area of one pattern cell (hatching lines and thin strokes do not count: they
  are stroked, not filled), as a reader sees a hatched yellow cell as yellow.
A shading pattern (PatternType 2) or a cell whose fills cannot be read stays a
pattern name, classified 'onbekend' (seen, never guessed).
"""

from __future__ import annotations

import re

from pdfminer import pdfinterp
from pdfminer.psparser import PSKeyword, PSLiteral, literal_name

_installed = False
_FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}
_PAINTS = _FILLS | {"S", "s", "n"}
_COMPONENT_SPACES = {"DeviceGray": 1, "G": 1, "DeviceRGB": 3, "RGB": 3, "DeviceCMYK": 4,
                     "CMYK": 4}


def dominant_fill(content: bytes) -> tuple[float, ...] | None:
    """The non-stroking colour that fills the largest area in a content stream
    (each path's area taken as its bounding box), or None if nothing is filled
    in a device colour."""
    from io import BytesIO

    from pdfminer.psparser import PSEOF, PSStackParser

    parser = PSStackParser(BytesIO(content))
    colour: tuple[float, ...] | None = (0.0,)  # the initial fill colour is black
    space_components = 1
    operands: list = []
    points: list[tuple[float, float]] = []
    area: dict[tuple[float, ...], float] = {}
    order: list[tuple[float, ...]] = []
    while True:
        try:
            _pos, token = parser.nexttoken()
        except PSEOF:
            break
        if not isinstance(token, PSKeyword):
            operands.append(token)
            continue
        op = token.name.decode("latin-1") if isinstance(token.name, bytes) else str(token.name)
        numbers = [float(v) for v in operands if isinstance(v, int | float)]
        if op in ("g", "rg", "k"):
            colour = tuple(numbers)
            space_components = len(numbers)
        elif op == "cs" and operands and isinstance(operands[-1], PSLiteral):
            space_components = _COMPONENT_SPACES.get(literal_name(operands[-1]), 0)
            colour = None if not space_components else (0.0,) * space_components
        elif op in ("sc", "scn"):
            colour = tuple(numbers) if space_components and len(numbers) == space_components \
                else None
        elif op == "re" and len(numbers) == 4:
            x, y, w, h = numbers
            points += [(x, y), (x + w, y + h)]
        elif op in ("m", "l", "c", "v", "y") and len(numbers) >= 2:
            points += list(zip(numbers[0::2], numbers[1::2], strict=False))
        elif op in _PAINTS:
            if op in _FILLS and colour is not None and points:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                size = (max(xs) - min(xs)) * (max(ys) - min(ys))
                if colour not in area:
                    order.append(colour)
                area[colour] = area.get(colour, 0.0) + size
            points = []
        operands = []
    if not area:
        return None
    return max(order, key=lambda c: area[c])  # max keeps the first of equal areas


def _pattern_colour(pattern) -> tuple[float, ...] | None:
    from pdfminer.pdftypes import PDFStream, resolve1

    pattern = resolve1(pattern)
    if not isinstance(pattern, PDFStream):
        return None  # a shading pattern is a dictionary, not a stream
    if resolve1(pattern.get("PatternType")) != 1 or resolve1(pattern.get("PaintType")) != 1:
        return None
    try:
        return dominant_fill(_cell_content(pattern, FORM_DEPTH))
    except Exception:  # a malformed pattern cell: it stays a pattern, 'onbekend'
        return None


# How deep form XObjects inside a pattern cell are followed: poppler's cairo writer
# draws each cell as one form (`/x12 Do`); a loop of forms naming each other ends here.
FORM_DEPTH = 4
_DO = re.compile(rb"/([^\s/\[\]()<>{}%]+)\s+Do\b")


def _cell_content(stream, depth: int) -> bytes:
    """A pattern cell's (or form's) content with the content of every form XObject it
    paints (`/Name Do`) put in its place, so a cell drawn through a form shows its
    fills as if drawn in the cell itself (a form's own matrix aside: the areas of
    one cell are compared with each other)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    data = stream.get_data()
    resources = resolve1(stream.get("Resources")) or {}
    forms = resolve1(resources.get("XObject")) if isinstance(resources, dict) else None
    if depth <= 0 or not isinstance(forms, dict):
        return data

    def inline(match: re.Match) -> bytes:
        form = resolve1(forms.get(match.group(1).decode("latin-1")))
        if not isinstance(form, PDFStream) or literal_name(form.get("Subtype")) != "Form":
            return b" "
        return b" q " + _cell_content(form, depth - 1) + b" Q "

    return _DO.sub(inline, data)


def _uncoloured_pattern_space(spec):
    from pdfminer.pdfcolor import PDFColorSpace
    from pdfminer.pdftypes import resolve1

    if not isinstance(spec, list) or len(spec) != 2:
        return None
    if not isinstance(spec[0], PSLiteral) or literal_name(spec[0]) != "Pattern":
        return None
    base = resolve1(spec[1])
    name = literal_name(base[0] if isinstance(base, list) and base else base) \
        if isinstance(base, list | PSLiteral) else None
    if name == "ICCBased" and isinstance(base, list) and len(base) > 1:
        components = int(resolve1(resolve1(base[1]).get("N", 0)))
    else:
        components = _COMPONENT_SPACES.get(name)
    return PDFColorSpace("Pattern", components + 1) if components else None


def install() -> None:
    global _installed
    if _installed:
        return
    from pdfminer.pdftypes import resolve1

    interpreter = pdfinterp.PDFPageInterpreter
    original_resources, original_scn = interpreter.init_resources, interpreter.do_scn

    def init_resources(self, resources) -> None:
        original_resources(self, resources)
        spaces = resolve1((resources or {}).get("ColorSpace")) or {}
        for name, spec in (spaces.items() if isinstance(spaces, dict) else ()):
            space = _uncoloured_pattern_space(resolve1(spec))
            if space is not None:
                # pdfminer gives [/Pattern base] one component, so `c1..cn /P scn`
                # loses its colour; it takes n + 1 operands.
                self.csmap[name] = space
        patterns = resolve1((resources or {}).get("Pattern")) or {}
        self._pattern_colours = {}
        for name, spec in (patterns.items() if isinstance(patterns, dict) else ()):
            colour = _pattern_colour(spec)
            if colour is not None:
                self._pattern_colours[name] = colour

    def do_scn(self) -> None:
        original_scn(self)
        if getattr(self.graphicstate.ncs, "name", None) != "Pattern":
            return
        value = self.graphicstate.ncolor
        if isinstance(value, str):
            colour = getattr(self, "_pattern_colours", {}).get(value)
            if colour is not None:
                self.graphicstate.ncolor = colour
        elif isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], str):
            base = value[0]
            if isinstance(base, tuple | list) and all(isinstance(v, int | float) for v in base):
                self.graphicstate.ncolor = tuple(base)
            elif isinstance(base, int | float):
                self.graphicstate.ncolor = (base,)

    interpreter.init_resources = init_resources
    interpreter.do_scn = do_scn
    _installed = True
