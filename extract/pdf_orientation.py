"""Which way a PDF page reads, and the page turned so that its text reads left to right.

A page's text may be drawn turned for two reasons, and both are met in real annexes:
- the page carries a /Rotate, and its text was written upright in the page's own
  coordinates (a landscape table printed on a portrait page, turned for viewing) or
  turned so that the rotation shows it upright;
- the page has no /Rotate, but its content is drawn turned: a re-distiller (mupdf's
  convert, Ghostscript, pdftocairo) or a scanner's OCR layer baked the displayed
  rotation into every glyph's text matrix.
Either way the reading direction is told by the glyphs themselves: each character's
text matrix gives the direction its baseline runs, and the page is read in the quarter
turn under which most of its text runs left to right. The turn is made by pdfminer
itself (its page transformation for /Rotate, pdfinterp.process_page), so characters,
rectangles, lines and curves with their fills all come out in the same upright
coordinates, in one place, before any reader looks at them.

Glyphs that still do not run along the reading direction (a diagonal watermark, a
stamp) and glyphs far larger than the body print (a watermark set across the page)
are no table content: `without_marks` leaves them out before words are built.
"""

from __future__ import annotations

import math
from statistics import median

from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings

QUARTER_TURNS = (0, 90, 180, 270)


def baseline_angle(matrix) -> float:
    """The direction (degrees, counter-clockwise, 0 = left to right) in which a glyph's
    baseline runs on the page: its text matrix's first column. A glyph flipped upside
    down by a producer's y-down coordinates (the matrix's determinant negative) still
    runs along its baseline, and is read where it runs."""
    a, b = matrix[:2]
    return math.degrees(math.atan2(b, a)) % 360


def turn_weights(chars: list[dict], settings: PdfSettings = DEFAULT_SETTINGS
                 ) -> dict[int, int]:
    """For each clockwise quarter turn of the view (/Rotate's sense), how many of the
    characters (blanks aside) it shows running left to right, within
    `reading_angle_tolerance_deg`. A view turned clockwise by t shows a baseline at
    angle a at a - t: the turn a glyph needs is its own angle."""
    weights = dict.fromkeys(QUARTER_TURNS, 0)
    tolerance = settings.reading_angle_tolerance_deg
    for char in chars:
        if not char["text"].strip():
            continue
        angle = baseline_angle(char["matrix"])
        turn = round(angle / 90) % 4 * 90
        if _angle_between(angle, turn) <= tolerance:
            weights[turn] += 1
    return weights


def reading_turn(chars: list[dict], own: int = 0,
                 settings: PdfSettings = DEFAULT_SETTINGS, seen_in: int = 0) -> int:
    """The view (clockwise quarter turn of the drawn page, /Rotate's sense) in which the
    page's text reads left to right, from `chars` as read in the view `seen_in`: the
    page's own view (`own`, its /Rotate) while at least `reading_direction_min_share`
    of its text that runs along the page's axes reads so there; else the view in
    which the most text does, when that is at least the same share (a tie: the drawn
    page's own coordinates, else the smaller turn); else the page's own (no direction
    dominates: the page is read as it is shown).

    A view turned by t shows what the view `seen_in` shows at angle a at
    a - (t - seen_in): the text reading left to right in view t is the text seen at
    t - seen_in, so one parse tells how all four views read."""
    seen = turn_weights(chars, settings)
    weights = {t: seen[(t - seen_in) % 360] for t in QUARTER_TURNS}
    # Only glyphs that run along one of the page's axes vote: a diagonal watermark's
    # or stamp's glyphs read in no view.
    total = sum(weights.values())
    least = settings.reading_direction_min_share * total
    own %= 360
    if total == 0 or weights[own] >= least:
        return own
    best = max(QUARTER_TURNS, key=lambda t: (weights[t], t == own, t == 0))
    return best if weights[best] >= least else own


def upright(page, settings: PdfSettings = DEFAULT_SETTINGS, guess: int | None = None):
    """The page in the orientation its text reads left to right: the pdfplumber page
    itself when it does so as displayed, else the page read again in the view that
    turns it upright (0 for a page turned for viewing whose text was written upright;
    90, 180 or 270 for a page whose content was drawn turned, with or without a
    /Rotate of its own).

    The page is parsed once in one view: `guess` (the view the page before needed:
    the pages of one document are mostly turned alike), else as displayed. Every
    glyph's direction there tells how each of the four views would read
    (`reading_turn`); only a page that needs another view is parsed again."""
    own = page.rotation
    first = own if guess is None else guess % 360
    view = page if first == own else _view(page, first)
    turn = reading_turn(view.chars, own, settings, seen_in=first)
    if turn == first:
        return view
    if view is not page:
        view.close()
    return page if turn == own else _view(page, turn)


def _view(page, rotate: int):
    """`page` read with /Rotate `rotate` (pdfminer's page transformation turns every
    object); parsed at once, then the page's own /Rotate is put back."""
    import pdfplumber.page

    page_obj = page.page_obj
    attrs, own = page_obj.attrs, page_obj.rotate
    had, value = "Rotate" in attrs, attrs.get("Rotate")
    attrs["Rotate"] = rotate
    page_obj.rotate = rotate
    try:
        view = pdfplumber.page.Page(page.pdf, page_obj, page.page_number,
                                    page.initial_doctop)
        _ = view.layout  # parsed now, while the page object says `rotate`
    finally:
        if had:
            attrs["Rotate"] = value
        else:
            attrs.pop("Rotate", None)
        page_obj.rotate = own
    return view


def without_marks(page, settings: PdfSettings = DEFAULT_SETTINGS):
    """The upright page without the glyphs that are no table content: those whose
    baseline turns more than `reading_angle_tolerance_deg` from left to right (a
    diagonal or vertical watermark, a stamp) and those larger than `mark_min_size_em`
    times the body print (a watermark set across the page, whatever its direction).
    The page itself when it has none."""
    chars = page.chars
    tolerance = settings.reading_angle_tolerance_deg

    def along(char) -> bool:
        return _angle_between(baseline_angle(char["matrix"]), 0) <= tolerance

    reading = [c for c in chars if along(c)]
    sizes = [c["size"] for c in reading if c["text"].strip()]
    if not sizes:
        return page
    limit = settings.mark_min_size_em * median(sizes)
    dropped = {id(c) for c in chars if not along(c) or c["size"] > limit}
    if not dropped:
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) not in dropped)


def _angle_between(a: float, b: float) -> float:
    return abs((a - b + 180) % 360 - 180)
