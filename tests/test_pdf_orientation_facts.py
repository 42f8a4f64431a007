"""Page orientation and marks that are no table content, each fact on generated pages.

- Content drawn turned (a re-distiller baked the page's rotation into every glyph's text
  matrix, no /Rotate left) is read in upright coordinates: words, and filled cells, at
  the places the same content drawn upright has.
- Any /Rotate over any drawn turn: the page is read in the view in which its text runs
  left to right.
- A document whose pages are turned each its own way (portrait and landscape) reads
  every page upright.
- Watermarks: glyphs turned off the reading direction (diagonal, vertical) and glyphs
  far larger than the body print are no words, printed under or over the table; a
  drawn watermark (filled outlines, coloured) is no fill; a title a few ems tall stays.
- The dominant direction is weighted by text: a few turned glyphs do not turn a page.
"""

from __future__ import annotations

import math
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

from extract.pdf_annex import _pages
from extract.pdf_orientation import reading_turn, upright, without_marks
from extract.pdf_page import read_page
from extract.pdf_paths import box_cover
from extract.pdf_settings import DEFAULT_SETTINGS

PORTRAIT = (420.0, 595.0)  # A5: small pages, quick to parse
LANDSCAPE = (595.0, 420.0)
LINES = ["1 Actie Initiatiefnemer Stand van zaken", "2 a Toename bètatechnici OCW EZ",
         "b Meer vakmanschap werkgevers 2013", "3 Regionale samenwerking onderwijs"]
BODY_PT = 9


def _content(canvas: Canvas, size: tuple[float, float], lines: list[str]) -> None:
    """A few table lines and two filled cells, in upright coordinates of a page `size`."""
    width, height = size
    canvas.setFont("Helvetica", BODY_PT)
    canvas.setFillColorRGB(0, 0, 0)
    for number, text in enumerate(lines):
        canvas.drawString(40, height - 60 - 16 * number, text)
    canvas.setFillColorRGB(1, 0.8, 0)
    canvas.rect(width - 120, height - 80, 30, 12, stroke=0, fill=1)
    canvas.setFillColorRGB(0.2, 0.6, 0.2)
    path = canvas.beginPath()  # a cell painted as a closed path (a curve to pdfminer)
    path.moveTo(width - 80, height - 96)
    path.lineTo(width - 50, height - 96)
    path.lineTo(width - 50, height - 84)
    path.lineTo(width - 80, height - 84)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _turn_into(canvas: Canvas, size: tuple[float, float], turn: int) -> None:
    """Coordinates of an upright page `size` drawn turned counter-clockwise by `turn` on
    the drawn page (whose sides are swapped for 90 and 270): a viewer turning the drawn
    page clockwise by `turn` sees the content upright."""
    width, height = size
    origin = {0: (0, 0), 90: (height, 0), 180: (width, height), 270: (0, width)}[turn]
    canvas.translate(*origin)
    canvas.rotate(turn)


def _drawn_size(size: tuple[float, float], turn: int) -> tuple[float, float]:
    return size if turn in (0, 180) else (size[1], size[0])


def _pdf(path: Path, pages: list[dict]) -> Path:
    """Pages, each {size, turn, rotate, lines, under / over (more drawing in upright
    coordinates, before or after the content)}."""
    canvas = Canvas(str(path), invariant=1)
    for spec in pages:
        size, turn = spec.get("size", PORTRAIT), spec.get("turn", 0)
        drawn, rotate = _drawn_size(size, turn), spec.get("rotate", 0)
        # reportlab takes the size as displayed: with a quarter /Rotate it writes the
        # media box with its sides swapped
        canvas.setPageSize(drawn if rotate in (0, 180) else drawn[::-1])
        canvas.setPageRotation(rotate)
        canvas.saveState()
        _turn_into(canvas, size, turn)
        for draw in spec.get("under", ()):
            draw(canvas, size)
        _content(canvas, size, spec.get("lines", LINES))
        for draw in spec.get("over", ()):
            draw(canvas, size)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return path


def _read(path: Path) -> list[tuple[list[tuple], list[tuple]]]:
    """Per page: (text, x0, top) of each line, and the box and colour of each fill."""
    pages, _ = _pages(path, 10, path.name, DEFAULT_SETTINGS)
    return [([(line.text, round(line.x0, 1), round(line.top, 1)) for line in page.lines],
             sorted((round(f["x0"], 1), round(f["top"], 1), round(f["x1"], 1),
                     round(f["bottom"], 1), tuple(f["non_stroking_color"] or ()))
                    for f in page.fills)) for page in pages]


def _reference(tmp_path: Path, size=PORTRAIT, lines=LINES):
    return _read(_pdf(tmp_path / "upright.pdf", [{"size": size, "lines": lines}]))[0]


@pytest.mark.parametrize("turn", [90, 180, 270])
@pytest.mark.parametrize("size", [PORTRAIT, LANDSCAPE], ids=["portrait", "landscape"])
def test_content_drawn_turned_is_read_upright(tmp_path, turn, size):
    expected = _reference(tmp_path, size)
    assert [text for text, _, _ in expected[0]] == LINES and len(expected[1]) == 2
    path = _pdf(tmp_path / f"turned-{turn}.pdf", [{"size": size, "turn": turn}])
    with pdfplumber.open(path) as pdf:
        assert pdf.pages[0].rotation == 0  # no /Rotate: the turn is in the content only
    assert _read(path)[0] == expected


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
@pytest.mark.parametrize("turn", [0, 90, 180, 270])
def test_any_rotate_over_any_drawn_turn_reads_upright(tmp_path, rotate, turn):
    path = _pdf(tmp_path / "page.pdf", [{"turn": turn, "rotate": rotate}])
    assert _read(path)[0] == _reference(tmp_path)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert [float(v) for v in page.page_obj.attrs["MediaBox"][2:]] == \
            list(_drawn_size(PORTRAIT, turn))
        view = upright(page)
        # pdfplumber's own view is kept whenever it reads: no second parse
        assert (view is page) == (turn == rotate)
        assert view.rotation == turn


def test_mixed_document_reads_every_page_upright(tmp_path):
    specs = [{"size": PORTRAIT}, {"size": LANDSCAPE, "turn": 90},
             {"size": PORTRAIT, "turn": 180}, {"size": LANDSCAPE, "turn": 270, "rotate": 90},
             {"size": LANDSCAPE, "rotate": 270}]
    for number, spec in enumerate(specs):  # lines in another order on each page: the
        spec["lines"] = LINES[number:] + LINES[:number]  # last is no running footer
    read = _read(_pdf(tmp_path / "mixed.pdf", specs))
    assert read == [_reference(tmp_path, spec["size"], spec["lines"]) for spec in specs]


def _diagonal(text: str, size_share: float, rgb, angle: float = 45):
    def draw(canvas: Canvas, size: tuple[float, float]) -> None:
        canvas.saveState()
        canvas.setFillColorRGB(*rgb)
        canvas.translate(size[0] / 2, size[1] / 2)
        canvas.rotate(angle)
        canvas.setFont("Helvetica-Bold", size_share * min(size))
        canvas.drawCentredString(0, 0, text)
        canvas.restoreState()
    return draw


@pytest.mark.parametrize("where", ["under", "over"])
@pytest.mark.parametrize("angle", [30, 45, 90, 0], ids=["30", "45", "vertical", "level"])
@pytest.mark.parametrize("turn", [0, 90])
def test_watermark_glyphs_are_no_words(tmp_path, where, angle, turn):
    # level: a large horizontal watermark across the table, found by its size only
    mark = _diagonal("CONCEPT", 0.2, (0.85, 0.85, 0.85), angle)
    path = _pdf(tmp_path / "mark.pdf", [{"turn": turn, where: [mark]}])
    with pdfplumber.open(path) as pdf:  # the watermark's glyphs are on the page
        assert "CONCEPT" in "".join(c["text"] for c in pdf.pages[0].chars)
    assert _read(path)[0] == _reference(tmp_path)


def test_small_turned_text_is_no_words_and_does_not_turn_the_page(tmp_path):
    def stamp(canvas: Canvas, size: tuple[float, float]) -> None:
        # a vertical note in the margin: fewer characters than the table's text
        canvas.saveState()
        canvas.translate(20, 80)
        canvas.rotate(90)
        canvas.setFont("Helvetica", BODY_PT)
        canvas.drawString(0, 0, "Gedrukt op 3 juni 2013 ter inzage")
        canvas.restoreState()
    path = _pdf(tmp_path / "stamp.pdf", [{"over": [stamp]}])
    assert _read(path)[0] == _reference(tmp_path)


def test_a_title_a_few_ems_tall_is_kept(tmp_path):
    def title(canvas: Canvas, size: tuple[float, float]) -> None:
        canvas.setFont("Helvetica-Bold", 2.5 * BODY_PT)
        canvas.drawString(40, size[1] - 36, "Bijlage 2")
    path = _pdf(tmp_path / "title.pdf", [{"under": [title]}])
    lines = _read(path)[0][0]
    assert lines[0][0] == "Bijlage 2" and [text for text, _, _ in lines[1:]] == LINES


def _outline(rgb, angle: float):
    """A drawn watermark: ring-shaped filled outlines (a letter 'O' as paths), turned."""
    def draw(canvas: Canvas, size: tuple[float, float]) -> None:
        canvas.saveState()
        canvas.setFillColorRGB(*rgb)
        canvas.translate(size[0] - 100, size[1] - 90)
        canvas.rotate(angle)
        for dx in (-60, 0, 60):
            path = canvas.beginPath()
            path.ellipse(dx - 25, -35, 50, 70)
            path.ellipse(dx - 13, -22, 26, 44)
            canvas.drawPath(path, stroke=0, fill=1, fillMode=1)
            bar = canvas.beginPath()  # a letter's stem: a rectangle turned with the mark
            bar.rect(dx - 4, -35, 8, 70)
            canvas.drawPath(bar, stroke=0, fill=1)
        canvas.restoreState()
    return draw


@pytest.mark.parametrize("angle", [45, 0], ids=["diagonal", "level"])
def test_a_drawn_watermark_is_no_fill(tmp_path, angle):
    mark = _outline((1.0, 0.75, 0.75), angle)  # light red: a colour a legend could use
    path = _pdf(tmp_path / "drawn.pdf", [{"under": [mark]}])
    with pdfplumber.open(path) as pdf:
        assert len([c for c in pdf.pages[0].curves if c.get("fill")]) >= 3
    lines, fills = _read(path)[0]
    expected_lines, expected_fills = _reference(tmp_path)
    assert lines == expected_lines
    # the rings go at any angle; a level stem is a rectangle and stays a shape
    assert [f for f in fills if f[4] != (1.0, 0.75, 0.75)] == expected_fills
    assert angle == 0 or fills == expected_fills


def test_without_marks_is_the_page_itself_when_nothing_is_dropped(tmp_path):
    path = _pdf(tmp_path / "plain.pdf", [{}])
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert without_marks(page) is page
        assert read_page(page, 1).lines[0].text == LINES[0]


# --- the rules themselves, on made-up glyphs and paths ---------------------------------

def _char(angle: float, text: str = "a") -> dict:
    radians = math.radians(angle)
    return {"text": text, "matrix": (math.cos(radians), math.sin(radians),
                                     -math.sin(radians), math.cos(radians), 0, 0)}


@settings(max_examples=200, deadline=None)
@given(turn=st.sampled_from([0, 90, 180, 270]), own=st.sampled_from([0, 90, 180, 270]),
       seen_in=st.sampled_from([0, 90, 180, 270]),
       main=st.integers(1, 60), jitter=st.floats(-9, 9), other=st.sampled_from([90, 180, 270]),
       crossing=st.integers(0, 60), marks=st.lists(st.floats(11, 79), max_size=80),
       blanks=st.integers(0, 30))
def test_reading_turn_is_the_direction_most_text_runs(turn, own, seen_in, main, jitter,
                                                      other, crossing, marks, blanks):
    # `main` characters read left to right in view `turn` (in the view `seen_in` they
    # run at turn - seen_in), `crossing` ones in another view (a vertical label)
    chars = [_char(turn - seen_in + jitter) for _ in range(main)]
    chars += [_char(turn + other - seen_in) for _ in range(crossing)]
    chars += [_char(angle) for angle in marks]  # diagonal: they vote for no view
    chars += [_char(90 * k + 45, " ") for k in range(blanks)]  # blanks weigh nothing
    votes = {turn: main, (turn + other) % 360: crossing}
    half = DEFAULT_SETTINGS.reading_direction_min_share * (main + crossing)
    if votes.get(own, 0) >= half:
        expected = own  # the view as displayed, while it reads
    elif main != crossing:
        expected = max(votes, key=votes.get)
    else:
        # a tie: the drawn page's own coordinates, else the smaller turn
        expected = 0 if 0 in votes else min(votes)
    assert reading_turn(chars, own, seen_in=seen_in) == expected


@settings(max_examples=200, deadline=None)
@given(width=st.floats(2, 200), height=st.floats(2, 200), angle=st.floats(5, 85),
       rounded=st.booleans())
def test_box_cover_tells_boxes_from_turned_shapes(width, height, angle, rounded):
    corners = [(0, 0), (width, 0), (width, height), (0, height)]
    level = {"x0": 0, "x1": width, "top": 0, "bottom": height,
             "path": [("m", corners[0])] + [("l", p) for p in corners[1:]] + [("h",)]}
    assert box_cover(level) == pytest.approx(1.0)
    radians = math.radians(angle)
    turned = [(x * math.cos(radians) - y * math.sin(radians),
               x * math.sin(radians) + y * math.cos(radians)) for x, y in corners]
    xs, ys = [x for x, _ in turned], [y for _, y in turned]
    shape = {"x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys),
             "path": [("m", turned[0])] + [("l", p) for p in turned[1:]] + [("h",)]}
    assert box_cover(shape) < DEFAULT_SETTINGS.cell_path_min_cover
    if rounded:  # a cell with rounded corners still fills its box
        r = min(width, height) / 8
        k = r * 0.5523  # Bezier circle constant
        path = [("m", (r, 0)), ("l", (width - r, 0)),
                ("c", (width - r + k, 0), (width, r - k), (width, r)),
                ("l", (width, height - r)),
                ("c", (width, height - r + k), (width - r + k, height), (width - r, height)),
                ("l", (r, height)), ("c", (r - k, height), (0, height - r + k), (0, height - r)),
                ("l", (0, r)), ("c", (0, r - k), (r - k, 0), (r, 0)), ("h",)]
        cell = {"x0": 0, "x1": width, "top": 0, "bottom": height, "path": path}
        assert box_cover(cell) >= DEFAULT_SETTINGS.cell_path_min_cover


@pytest.mark.parametrize("rotate,turn", [(0, 90), (0, 180), (90, 0), (270, 90)])
def test_debug_picture_is_drawn_in_the_view_the_page_was_read_in(tmp_path, rotate, turn):
    """The page's picture is turned to the reader's view: the yellow cell shows at the
    place the reader read it (upright coordinates)."""
    from types import SimpleNamespace

    from PIL import Image

    from extract.debug_images import write_debug_images

    path = _pdf(tmp_path / "page.pdf", [{"size": LANDSCAPE, "turn": turn, "rotate": rotate}])
    nothing = SimpleNamespace(matrix_rows=(), detail_rows=(), footnotes=())
    [png] = write_debug_images(path, nothing, tmp_path / "debug", resolution=72)
    image = Image.open(png).convert("RGB")
    assert abs(image.width - LANDSCAPE[0]) <= 1 and abs(image.height - LANDSCAPE[1]) <= 1
    _, fills = _reference(tmp_path, LANDSCAPE)
    x0, top, x1, bottom, _ = fills[0]  # the yellow cell, (1, 0.8, 0)
    red, green, blue = image.getpixel((round((x0 + x1) / 2), round((top + bottom) / 2)))
    assert red > 200 and 150 < green < 230 and blue < 60


@pytest.mark.parametrize("rotate,turn", [(0, 90), (0, 180), (90, 0), (270, 90), (90, 90)])
def test_the_guess_saves_a_parse_and_never_changes_the_view(tmp_path, rotate, turn):
    """`upright(page, guess=...)` (the view the page before needed) reads the page in
    the same view whatever the guess; a right guess parses the page in that view only."""
    path = _pdf(tmp_path / "page.pdf", [{"turn": turn, "rotate": rotate}])
    texts = set()
    for guess in (None, 0, 90, 180, 270):
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[0]
            view = upright(page, guess=guess)
            assert view.rotation == turn
            texts.add(read_page(view, 1).lines[0].text)
            if guess == turn and turn != rotate:
                assert not hasattr(page, "_layout")  # pdfplumber's own view never parsed
    assert texts == {LINES[0]}


def test_glyphs_flipped_by_y_down_coordinates_are_read(tmp_path):
    """A producer drawing in y-down coordinates (a flipped CTM) with unflipped text
    matrices puts glyphs upside down in place (negative determinant) along a level
    baseline: their text is the line's, not a mark."""
    path = tmp_path / "flipped.pdf"
    canvas = Canvas(str(path), pagesize=PORTRAIT, invariant=1)
    canvas.translate(0, PORTRAIT[1])
    canvas.scale(1, -1)  # y-down
    canvas.setFont("Helvetica", BODY_PT)
    text = canvas.beginText(40, 60)
    text.textLine(LINES[0])
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        a, b, c, d = page.chars[0]["matrix"][:4]
        assert a * d - b * c < 0  # flipped glyphs indeed
        assert read_page(without_marks(upright(page)), 1).lines[0].text == LINES[0]
