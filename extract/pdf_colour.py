"""Fill colours of PDF shapes, read and classified as timeline colours.

pdfplumber reports a fill as `non_stroking_color` without its colour space: a
1-tuple is grey, a 3-tuple RGB, a 4-tuple CMYK. Tiling patterns arrive as the
colour they show (extract/pdf_pattern.py); any other pattern as a name (or a
PSLiteral), with no colour to classify. Classes are decided by hue, so a
pure Word yellow, a pale spreadsheet yellow and a CMYK yellow all read as
looptijd, and greys (header shading) never count.
"""

from __future__ import annotations

import colorsys
import math
from dataclasses import dataclass

import vocab
from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings

UNKNOWN = "onbekend"
PAPER, INK = (1.0, 1.0, 1.0), (0.0, 0.0, 0.0)  # unshaded: the page and the print


@dataclass(frozen=True)
class Fill:
    rgb: tuple[float, float, float] | None
    description: str  # as read, with its colour space: "cmyk(0,0,1,0)"


def read_fill(value, settings: PdfSettings = DEFAULT_SETTINGS) -> Fill:
    components = _components(value)
    if components is None:
        return Fill(None, f"pattern({value!s})")
    text = ",".join(f"{v:g}" for v in components)
    if len(components) == 1 and _raw_single(value) > 1:
        # A lone component above 1 is no grey level: it is an index into an
        # Indexed colour space, whose table pdfplumber does not give us. Kept
        # as a fill of unknown colour, to be seen rather than read as white.
        return Fill(None, f"indexed({_raw_single(value):g})")
    if len(components) == 1:
        grey = components[0]
        return Fill((grey, grey, grey), f"gray({text})")
    if len(components) == 3:
        return Fill(tuple(components), f"rgb({text})")
    if len(components) == 4:
        c, m, y, k = _grey_balanced(*components, settings.cmyk_grey_balance)
        rgb = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
        return Fill(rgb, f"cmyk({text})")
    return Fill(None, f"unknown({text})")


def _grey_balanced(c: float, m: float, y: float, k: float,
                   balance: float) -> tuple[float, float, float, float]:
    """CMYK with a colour-managed grey made neutral again. An ICC conversion to CMYK
    (Ghostscript's ColorConversionStrategy=CMYK, a print shop's RIP) prints a neutral
    grey with more cyan than magenta and yellow, its grey balance: RGB 50 % grey comes
    out near (0.51, 0.44, 0.44, 0.08), which the naive formula turns into a cyan tint
    that would count as a colour (borders, banding, header shading). Cyan above equal
    magenta and yellow by at most `balance` is that grey; any colour further from
    neutral (the palest legend tint differs by more) is kept as printed."""
    if c >= max(m, y) and c - min(m, y) <= balance:
        neutral = (m + y) / 2
        return neutral, neutral, neutral, k
    return c, m, y, k


def _raw_single(value) -> float:
    first = value if isinstance(value, int | float) else value[0]
    return float(first)


def _components(value) -> tuple[float, ...] | None:
    if isinstance(value, int | float):
        return (float(value),)
    if not isinstance(value, list | tuple) or not value:
        return None
    if not all(isinstance(v, int | float) for v in value):
        return None  # an uncoloured pattern: (base colour, pattern name)
    return tuple(min(max(float(v), 0.0), 1.0) for v in value)


def is_colourful(fill: Fill, settings: PdfSettings = DEFAULT_SETTINGS) -> bool:
    if fill.rgb is None:
        return False
    _hue, saturation, value = colorsys.rgb_to_hsv(*fill.rgb)
    return saturation >= settings.min_saturation and value >= settings.min_value


def hue(fill: Fill) -> float:
    return colorsys.rgb_to_hsv(*fill.rgb)[0] * 360


def classify(fill: Fill, legend: dict[str, tuple[float, float, float]] | None = None,
             settings: PdfSettings = DEFAULT_SETTINGS) -> str | None:
    """'looptijd', 'mijlpaal', 'onbekend' (coloured but neither), or None (not shaded).

    With a legend (class -> the colour this document gives it, from its swatches
    or the colour names it prints) the nearest legend colour decides, white and
    black counting as 'not shaded', so a legend may use any two colours, greys
    too; a fill near none of them is 'onbekend'. Without a legend, the hue ranges
    of vocab/colour_classes.csv, and greys never count.
    """
    if fill.rgb is None:
        return UNKNOWN  # a pattern: no single colour to judge
    if legend:
        return _by_legend(fill.rgb, legend, settings)
    if not is_colourful(fill, settings):
        return None
    angle = hue(fill)
    for entry in vocab.colour_classes():
        if entry.hue_from <= angle < entry.hue_to:
            return entry.colour_class
    return UNKNOWN


def _by_legend(rgb: tuple[float, float, float], legend: dict[str, tuple[float, float, float]],
               settings: PdfSettings) -> str | None:
    """Colourful legends are matched by hue (a pale shade of the legend's yellow is
    still its yellow), by colour only between legend colours of nearly one hue
    (light and dark blue); a legend of greys by nearest colour, paper and ink
    counting as not shaded."""
    colours = {name: Fill(value, "") for name, value in legend.items()}
    fill = Fill(rgb, "")
    if all(is_colourful(c, settings) for c in colours.values()):
        if not is_colourful(fill, settings):
            return None
        angle = hue(fill)
        near = [n for n, c in colours.items()
                if _hue_distance(angle, hue(c)) <= settings.legend_hue_tolerance]
        if not near:
            return UNKNOWN
        return min(near, key=lambda n: _distance(rgb, legend[n]))
    candidates: list[tuple[str | None, tuple[float, float, float]]] = list(legend.items())
    candidates += [(None, PAPER), (None, INK)]
    best, colour = min(candidates, key=lambda item: _distance(rgb, item[1]))
    if best is None:
        return None
    return best if _distance(rgb, colour) <= settings.legend_colour_tolerance else UNKNOWN


def _distance(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return math.dist(a, b)


def _hue_distance(a: float, b: float) -> float:
    difference = abs(a - b) % 360
    return min(difference, 360 - difference)
