"""Timeline facts of the PDF reader: the legend, the year labels, the page background.

Each test draws a small annex with reportlab that varies one thing producers vary
about the timeline (where the legend is printed and in which words, how year labels
are set when their columns are narrow, a header repeated at one place on every page,
a tinted page) and compares every timeline cell read with what was drawn, together
with the years and the periods per year.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from extract import read_annex
from extract.pdf_annex import read_pdf
from extract.pdf_settings import DEFAULT_SETTINGS
from tests.test_pdf_matrix_facts import GROUPS, KEY_X, LABELS, PARTY_X, TITLE_X

FONT, SIZE, LINE = "Helvetica", 8, 14
YEARS = (2013, 2014, 2015, 2016)
YEAR_X = 500
PINK, YELLOW, GREEN = (1.0, 0.6, 0.8), (1.0, 1.0, 0.0), (0.0, 0.69, 0.31)
LIGHT_GREY, DARK_GREY, GREY_TINT = (0.8,) * 3, (0.45,) * 3, (0.93,) * 3
PALE_YELLOW = (1.0, 0.97, 0.8)  # a page tint of the looptijd hue
TINT_LEFT = 165
# action, title, party cells, {(year, period): class}
ROWS = [
    ("1", "Eerste actie voor scholen", ("wg", "wn", "po", "", "ocw"),
     {(2013, 1): "looptijd", (2013, 2): "looptijd", (2014, 1): "mijlpaal"}),
    ("2", "Tweede actie in de regio", ("wg", "", "vo", "regio's", "ocw"),
     {(2014, 2): "looptijd", (2015, 1): "looptijd", (2016, 2): "mijlpaal"}),
    ("3", "Derde actie voor het mbo", ("", "wn", "mbo", "", "ez"),
     {(2015, 2): "mijlpaal", (2016, 1): "looptijd"}),
]

# the detail table: key, title, initiator (initiators that name party groups)
DETAIL = (("1", "Eerste actie voor scholen", "Regio's"),
          ("2", "Tweede actie in de regio", "Onderwijsraden"))
MORE_TITLES = ("Vierde actie in het hbo", "Vijfde actie voor docenten", "Zesde actie in de regio")


def _annex(path: Path, colours: dict[str, tuple], legend: tuple[str, str] | None,
           legend_on: str = "matrix", years: str = "centred", pages: int = 1,
           tint: tuple | None = None, periods: int = 2, repeat: bool = True,
           year_width: float = 40.0, pixel: float | None = None, borders: bool = False,
           header_names: tuple[str, str] | None = None, header_shade: tuple | None = None,
           edge_borders: tuple | None = None, named: tuple[str, ...] = (),
           glued_year: bool = False, labels: tuple[str, ...] = LABELS,
           past_edge: float | None = None, label_size: float = SIZE,
           label_pad: float = 2.0) -> Path:
    """An annex: `pages` matrix pages (the rows of ROWS on the first, one more row on
    each of the others; the header repeated at one place on each when `repeat`),
    then a detail page whose initiators name parties ("Regio's", "Onderwijsraden").

    colours: class -> fill colour. legend: the two items' words (swatch, then the
    words, with any sign before the words set apart as a table cell sets it), or
    None for no legend; printed under the matrix ('matrix'), right above its
    header ('before'), at the foot of the last matrix page, under its last row
    ('foot'), or at the end of the detail page ('end'). years: 'centred'
    labels, 'run' (set so close they read as one word "'13'14'15'16"), 'wrapped'
    ("'1" over "3"), 'wrapped3' ("'" over "1" over "3"), 'wrapped_full' ("20" over
    "13"), 'wrapped4' ("2" over "0" over "1" over "3"). tint: the colour of every
    page's background (a box over most of the page),
    or None. year_width: of each year's column (pt). pixel: each fill's edges snapped
    to a device pixel of this size (pt) and a pixel of border taken off its left, as a
    browser paints narrow cells; None paints them as drawn. borders: the timeline's
    row borders drawn cell by cell, as short thin grey pieces (a period's width, and a
    stub of its side). header_names: the timeline header's text in place of
    'Tijdpad', over two lines (a legend in words, wrapped in its cell). A colour is
    RGB, or CMYK when it has four components. header_shade: the colour of a box behind
    each header cell (the party labels' and the years'), or None. edge_borders: the
    colour of thin filled boxes on every period's left edge down the rows, as a browser
    paints cell borders, or None. named: lines printed above the header (a legend in
    words, 'looptijd (roze) mijlpaal/gereed' with its colour name wrapped to the next
    line). glued_year: the first year label set right after the last party label, no
    gap ("ministeries'13"). labels: the party labels, in the order of GROUPS.
    past_edge: the last row also shades the last period of the last year, its fill
    reaching this far (pt) past the timeline's right edge; None: no such fill.
    label_size: the year labels' font size; label_pad: a wrapped label's padding, left
    of it in its cell (pt).
    """
    size = landscape(A4)
    height = size[1]
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    width = stringWidth("'13", FONT, SIZE) if years == "run" else year_width
    # glued: the first year's label starts where the last party label ends
    year_x = PARTY_X[-1] + stringWidth(labels[-1], FONT, SIZE) if glued_year else YEAR_X

    def y(top: float) -> float:
        return height - top

    def paint(colour: tuple) -> None:
        if len(colour) == 4:
            canvas.setFillColorCMYK(*colour)
        else:
            canvas.setFillColorRGB(*colour)

    def background() -> None:
        if tint is not None:
            canvas.setFillColorRGB(*tint)
            # Most of the page, its middle over the timeline (where a cell's would be).
            canvas.rect(TINT_LEFT, 20, size[0] - TINT_LEFT, size[1] - 40, fill=1, stroke=0)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont(FONT, SIZE)

    def draw_legend(top: float) -> None:
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawString(KEY_X, y(top), "Legenda:")
        x = KEY_X + 50
        for colour_class, words in zip(("looptijd", "mijlpaal"), legend, strict=True):
            canvas.setFillColorRGB(*colours[colour_class])
            canvas.rect(x, y(top) - 1, 14, 8, fill=1, stroke=0)
            canvas.setFillColorRGB(0, 0, 0)
            x += 20
            sign, _, rest = words.rpartition(" ") if words.startswith("=") else ("", "", words)
            if sign:
                canvas.drawString(x, y(top), sign)
                x += stringWidth(sign, FONT, SIZE) + 8
            canvas.drawString(x, y(top), rest)
            x += stringWidth(rest, FONT, SIZE) + 30

    for page in range(pages):
        background()
        if legend is not None and legend_on == "before" and page == 0:
            draw_legend(12)
        if page == 0 or repeat:
            if header_shade is not None:
                paint(header_shade)
                edges = (*PARTY_X, year_x, *(year_x + (i + 1) * width
                                             for i in range(len(YEARS))))
                for left, right in zip(edges, edges[1:], strict=False):
                    canvas.rect(left, y(58), right - left, 12, fill=1, stroke=0)
                canvas.setFillColorRGB(0, 0, 0)
            _header(canvas, y, years, width, header_names, year_x, labels, label_size,
                    label_pad)
        for line, text in enumerate(named if page == 0 else ()):
            canvas.drawString(year_x, y(20 + 9 * line), text)
        top = 54 + 3 * 9 + LINE
        if page == 0:
            canvas.drawString(KEY_X, y(top), "Ambitie 1: Een proef")
            for action, title, parties, cells in ROWS:
                top += LINE
                canvas.setFillColorRGB(0, 0, 0)
                canvas.drawString(KEY_X, y(top), action)
                canvas.drawString(TITLE_X, y(top), title)
                for x, text in zip(PARTY_X, parties, strict=True):
                    canvas.drawString(x, y(top), text)
                if past_edge is not None and action == ROWS[-1][0]:
                    cells = {**cells, (YEARS[-1], periods): "looptijd"}
                for (year, period), colour_class in cells.items():
                    paint(colours[colour_class])
                    left = year_x + YEARS.index(year) * width + (period - 1) * width / periods
                    right = left + width / periods
                    if past_edge is not None and (year, period) == (YEARS[-1], periods):
                        right += past_edge
                    if pixel is not None:  # edges on device pixels, the border's taken
                        left, right = round(left / pixel) * pixel + pixel, \
                            max(round(right / pixel) * pixel, round(left / pixel) * pixel
                                + 2 * pixel)
                    canvas.rect(left, y(top + 4), right - left, LINE - 2, fill=1, stroke=0)
                if borders:
                    _cell_borders(canvas, y(top + 4) + LINE - 2, width / periods,
                                  len(YEARS) * periods)
            if edge_borders is not None:
                paint(edge_borders)
                for index in range(len(YEARS) * periods + 1):
                    canvas.rect(year_x + index * width / periods - 0.4, y(top + 4), 0.8,
                                top + 4 - (54 + 3 * 9), fill=1, stroke=0)
            if legend is not None and legend_on == "matrix":
                draw_legend(top + 3 * LINE)
        else:  # a page of the matrix that carries one more action
            top += LINE
            canvas.drawString(KEY_X, y(top), str(3 + page))
            canvas.drawString(TITLE_X, y(top), MORE_TITLES[page - 1])
            for x, text in zip(PARTY_X, ("wg", "wn", "", "regio's", "ocw"), strict=True):
                canvas.drawString(x, y(top), text)
        if legend is not None and legend_on == "foot" and page == pages - 1:
            draw_legend(top + 2 * LINE)
        canvas.showPage()
    background()
    for x, label in ((KEY_X, "Actie"), (300, "Initiatiefnemer"), (420, "Stand van zaken")):
        canvas.drawString(x, y(60), label)
    canvas.drawString(KEY_X, y(80), "Ambitie 1: Een proef")
    for top, (key, title, initiator) in enumerate(DETAIL, 1):
        canvas.drawString(KEY_X, y(80 + 20 * top), key)
        canvas.drawString(TITLE_X, y(80 + 20 * top), title)
        canvas.drawString(300, y(80 + 20 * top), initiator)
        canvas.drawString(420, y(80 + 20 * top), "Loopt volgens plan.")
    if legend is not None and legend_on == "end":
        draw_legend(160)
    canvas.showPage()
    canvas.save()
    return path


BORDER_GREY, BORDER_PT = (0.5,) * 3, 0.75


def _cell_borders(canvas: Canvas, bottom: float, step: float, count: int) -> None:
    """A row's border over the timeline drawn cell by cell: for each period a thin grey
    piece its width, and a stub of its side, both shorter than any rule."""
    canvas.setFillColorRGB(*BORDER_GREY)
    for index in range(count):
        left = YEAR_X + index * step
        canvas.rect(left, bottom, step, BORDER_PT, fill=1, stroke=0)
        canvas.rect(left, bottom - 3, BORDER_PT, 3, fill=1, stroke=0)
    canvas.setFillColorRGB(0, 0, 0)


def _header(canvas: Canvas, y, years: str, width: float,
            names: tuple[str, str] | None = None, year_x: float = YEAR_X,
            labels: tuple[str, ...] = LABELS, label_size: float = SIZE,
            label_pad: float = 2.0) -> None:
    """The matrix header: 'Actie', the party labels, the year labels set as `years`
    says (see _annex) in `label_size`, a wrapped one `label_pad` into its cell, the
    timeline's header 'Tijdpad' or `names` over two lines, the first year at
    `year_x`."""
    canvas.drawString(KEY_X, y(40), "Actie")
    canvas.drawString(PARTY_X[0], y(40), "Betrokken partijen")
    if names is None:
        canvas.drawString(year_x, y(40), "Tijdpad")
    else:
        canvas.drawString(year_x, y(31), names[0])
        canvas.drawString(year_x, y(40), names[1])
    for x, label in zip(PARTY_X, labels, strict=True):
        canvas.drawString(x, y(54), label)
    canvas.setFont(FONT, label_size)
    step = label_size + 1  # a wrapped label's lines
    for index, year in enumerate(YEARS):
        left, label = year_x + index * width, f"'{year % 100}"
        if years in ("run", "glued"):
            canvas.drawString(left, y(54), label)
        elif years == "wrapped":
            canvas.drawString(left + label_pad, y(54), label[:2])
            canvas.drawString(left + label_pad, y(54 + step), label[2:])
        elif years == "wrapped_full":
            canvas.drawString(left + label_pad, y(54), str(year)[:2])
            canvas.drawString(left + label_pad, y(54 + step), str(year)[2:])
        elif years == "wrapped3":
            for line, part in enumerate(label):
                canvas.drawString(left + label_pad, y(54 + step * line), part)
        elif years == "wrapped4":
            for line, part in enumerate(str(year)):
                canvas.drawString(left + label_pad, y(54 + step * line), part)
        else:
            canvas.drawCentredString(left + width / 2, y(54), label)
    canvas.setFont(FONT, SIZE)


def _read(path: Path) -> tuple[tuple[int, ...], int | None, dict]:
    raw = read_annex(path)
    cells = {row.number.text: {(c.year, c.period): c.colour_class for c in row.timeline}
             for row in raw.matrix_rows if row.number.text in {r[0] for r in ROWS}}
    return raw.timeline_years, raw.periods_per_year, cells


TRUTH = (YEARS, 2, {action: cells for action, _, _, cells in ROWS})


@pytest.mark.parametrize("words", [("= looptijd", "= mijlpaal/gereed"),
                                   ("LOOPTIJD", "MIJLPAAL / GEREED"),
                                   ("Looptijd actie", "Mijlpaal")])
def test_legend_swatches_in_any_words(tmp_path, words):
    """Pink is looptijd and yellow mijlpaal, against the hue classes (yellow is
    looptijd there): only the swatches can tell, in whatever words the legend
    names its items, a sign such as '=' set apart between swatch and word."""
    colours = {"looptijd": PINK, "mijlpaal": YELLOW}
    path = _annex(tmp_path / "legend.pdf", colours, words)
    assert _read(path) == TRUTH


def test_a_legend_at_the_end_of_the_document(tmp_path):
    """The legend printed after the detail table, on a page without the matrix,
    still decides the classes."""
    colours = {"looptijd": PINK, "mijlpaal": YELLOW}
    path = _annex(tmp_path / "end.pdf", colours, ("looptijd", "mijlpaal/gereed"),
                  legend_on="end")
    assert _read(path) == TRUTH


def test_without_a_legend_the_hue_classes_decide(tmp_path):
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}
    assert _read(_annex(tmp_path / "none.pdf", colours, None)) == TRUTH


def test_a_grey_legend_on_a_tinted_page(tmp_path):
    """Two greys for the classes, every page tinted a paler grey: the greys count
    (the legend gives them), the page's tint is no class, and the half years are
    found from the fills."""
    colours = {"looptijd": LIGHT_GREY, "mijlpaal": DARK_GREY}
    path = _annex(tmp_path / "grey.pdf", colours, ("= looptijd", "= mijlpaal/gereed"),
                  tint=GREY_TINT)
    assert _read(path) == TRUTH


def test_a_page_tinted_in_a_class_colour_is_no_cell(tmp_path):
    """A pale yellow page background under the timeline, without a legend (yellow
    is looptijd by hue): the page's background shades no cell."""
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}
    path = _annex(tmp_path / "yellow-page.pdf", colours, None, tint=PALE_YELLOW)
    assert _read(path) == TRUTH


@pytest.mark.parametrize("years", ["run", "wrapped", "wrapped3", "wrapped_full"])
def test_year_labels_run_together_or_wrapped_in_their_cells(tmp_path, years):
    """Year columns narrower than their labels: the labels set so close that they
    read as one word ("'13'14'15'16"), or each wrapped in its cell over two or
    three lines ("'1" over "3", "20" over "13": neither half is a year of its own):
    every year is read, and the fills placed in it."""
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}
    path = _annex(tmp_path / f"years-{years}.pdf", colours, None, years=years)
    assert _read(path) == TRUTH


def test_a_header_repeated_at_one_place_on_every_page_is_no_furniture(tmp_path):
    """The matrix header printed at the same place on four pages: its label lines
    repeat as a running header does, and are still the header's (each page's years
    are read; the timeline years are those of the matrix's last page)."""
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}
    path = _annex(tmp_path / "repeated.pdf", colours, None, pages=4)
    raw = read_annex(path)
    assert [row.number.text for row in raw.matrix_rows] == ["1", "2", "3", "4", "5", "6"]
    assert raw.matrix_rows[-1].parties[GROUPS[-1]].text == "ocw"
    assert _read(path) == TRUTH


def test_a_legend_item_naming_actie_is_not_the_header(tmp_path):
    """'Looptijd actie' in a legend printed right above the header: the header is
    the line with the year labels, not the legend's 'actie'."""
    colours = {"looptijd": PINK, "mijlpaal": YELLOW}
    path = _annex(tmp_path / "actie.pdf", colours, ("Looptijd actie", "Mijlpaal"),
                  legend_on="before", years="wrapped3")
    assert _read(path) == TRUTH


def test_a_legend_naming_actie_at_the_foot_of_a_page_without_header(tmp_path):
    """The legend ('Looptijd actie', 'Mijlpaal') at the foot of the matrix's last
    page, which repeats no header, right under a row whose cells name parties: the
    legend's 'actie' is no header there, and the page's row is read with the first
    page's columns."""
    colours = {"looptijd": PINK, "mijlpaal": YELLOW}
    path = _annex(tmp_path / "foot.pdf", colours, ("Looptijd actie", "Mijlpaal"),
                  legend_on="foot", pages=2, repeat=False)
    raw = read_annex(path)
    last = raw.matrix_rows[-1]
    assert [row.number.text for row in raw.matrix_rows] == ["1", "2", "3", "4"]
    assert [last.parties[group].text for group in GROUPS] == ["wg", "wn", "", "regio's", "ocw"]
    assert _read(path) == TRUTH


def test_the_detail_tables_header_is_no_matrix_page(tmp_path):
    """The detail table's header ('Actie / Initiatiefnemer / ...') over initiators
    that name party groups ("Regio's", 'Onderwijsraden'): that page is no matrix
    page without a timeline, so the matrix's years stay those of its own pages."""
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}
    raw = read_annex(_annex(tmp_path / "detail.pdf", colours, None))
    assert [row.initiator.text for row in raw.detail_rows] == ["Regio's", "Onderwijsraden"]
    assert (raw.timeline_years, raw.periods_per_year) == (YEARS, 2)


def test_colour_names_wrapped_in_the_timeline_headers_cell(tmp_path):
    """No swatches: the timeline header names the colours ('looptijd (roze)
    mijlpaal/gereed' over '(geel)', the last name wrapped in the header's cell).
    Pink is looptijd and yellow mijlpaal, against the hue classes: only the names,
    the wrapped one too, can tell."""
    colours = {"looptijd": PINK, "mijlpaal": YELLOW}
    path = _annex(tmp_path / "named.pdf", colours, None,
                  header_names=("looptijd (roze) mijlpaal/gereed", "(geel)"))
    assert _read(path) == TRUTH


def test_a_grey_timeline_with_its_borders_drawn_cell_by_cell(tmp_path):
    """Months (12 periods a year) shaded in two greys, the rows' borders over the
    timeline drawn in grey pieces a month wide and stubs of their sides: a piece of
    border, however grey, is no cell (its grey is nearer the dark legend grey than
    the paper)."""
    colours = {"looptijd": LIGHT_GREY, "mijlpaal": DARK_GREY}
    path = _annex(tmp_path / "borders.pdf", colours, ("= looptijd", "= mijlpaal/gereed"),
                  periods=12, borders=True)
    assert _read(path) == (YEARS, 12, TRUTH[2])


def test_months_a_pixel_or_two_wide(tmp_path):
    """Twelve months in a year 13.8 pt wide (a portrait page), each fill's edges snapped
    to device pixels (0.75 pt) and a pixel of border taken off: fills a pixel narrower
    or wider than their month still give 12 periods, each in its own month."""
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}
    path = _annex(tmp_path / "months.pdf", colours, None, periods=12, year_width=13.8,
                  pixel=0.75)
    assert _read(path) == (YEARS, 12, TRUTH[2])


# RGB 50 % and 85 % grey as Ghostscript's ColorConversionStrategy=CMYK writes them: a
# colour-managed grey carries more cyan than magenta and yellow (its grey balance).
RICH_GREY_BORDER, RICH_GREY_HEADER = (0.506, 0.435, 0.435, 0.075), (0.129, 0.106, 0.11, 0.0)


def _cmyk(rgb: tuple) -> tuple:
    black = 1 - max(rgb)
    return (*((1 - v - black) / (1 - black) for v in rgb), black)


def test_cmyk_greys_with_a_grey_balance_are_no_cells(tmp_path):
    """Every colour converted to CMYK as a print shop's conversion does: the cells'
    colours, the header's shading and the thin cell borders on every period's edge,
    whose greys carry extra cyan. The borders and the header stay grey (no cell, no
    period grid of their own), the cells keep their classes."""
    colours = {"looptijd": _cmyk(YELLOW), "mijlpaal": _cmyk(GREEN)}
    path = _annex(tmp_path / "cmyk.pdf", colours, None, header_shade=RICH_GREY_HEADER,
                  edge_borders=RICH_GREY_BORDER)
    assert _read(path) == TRUTH


WRITTEN_OUT = (*LABELS[:-1], "ministeries")  # the last label as long as a year or more


def test_a_shaded_header_is_no_cell_with_a_grey_legend(tmp_path):
    """A header row shaded in a grey near the legend's light grey, the years right
    after the last party column: the header's cells, the party label's next to the
    years too, are no timeline cells and move no grid."""
    colours = {"looptijd": LIGHT_GREY, "mijlpaal": DARK_GREY}
    path = _annex(tmp_path / "shaded-header.pdf", colours, ("= looptijd", "= mijlpaal/gereed"),
                  header_shade=(0.85,) * 3, years="glued", glued_year=True,
                  labels=WRITTEN_OUT)
    assert _read(path) == TRUTH


def test_a_legend_colour_name_wrapped_to_the_next_line(tmp_path):
    """The legend in words only, its last colour name wrapped onto the next line of
    its cell ('mijlpaal/gereed' / '(geel)'): pink is looptijd and yellow mijlpaal,
    against the hue classes, so only the names can tell."""
    colours = {"looptijd": PINK, "mijlpaal": YELLOW}
    path = _annex(tmp_path / "named.pdf", colours, None,
                  named=("looptijd (roze) mijlpaal/gereed", "(geel)"))
    assert _read(path) == TRUTH


def test_a_year_label_run_into_the_last_party_label(tmp_path):
    """No rule and no gap between the last party column and the first year
    ("ministeries'13" reads as one word, as under horizontal rules only): the first
    year is read, and the label too."""
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}
    path = _annex(tmp_path / "glued.pdf", colours, None, years="glued", glued_year=True,
                  labels=WRITTEN_OUT)
    assert _read(path) == TRUTH


def _moved_row_annex(path: Path, hang: float, carried: tuple[int, int] = (2013, 2)) -> Path:
    """Two matrix pages (header repeated): rows 1 and 2 of ROWS on the first, row 3
    at the top of the second, as a browser moves a row to the next page whole. The
    fill of `carried` merged over rows 2 and 3 is painted on the first page at its full
    height, `hang` pt below row 2's cells; row 3 paints its other cells itself."""
    size = landscape(A4)
    height = size[1]
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}

    def y(top: float) -> float:
        return height - top

    def row(top: float, action: str, title: str, parties: tuple, cells: dict,
            hanging: tuple | None = None) -> None:
        canvas.setFillColorRGB(0, 0, 0)
        canvas.drawString(KEY_X, y(top), action)
        canvas.drawString(TITLE_X, y(top), title)
        for x, text in zip(PARTY_X, parties, strict=True):
            canvas.drawString(x, y(top), text)
        for (year, period), colour_class in cells.items():
            canvas.setFillColorRGB(*colours[colour_class])
            left = YEAR_X + YEARS.index(year) * 40 + (period - 1) * 20
            below = hang if (year, period) == hanging else 0
            canvas.rect(left, y(top + 4) - below, 20, LINE - 2 + below, fill=1, stroke=0)

    (a1, t1, p1, c1), (a2, t2, p2, c2), (a3, t3, p3, c3) = ROWS
    canvas.setFont(FONT, SIZE)
    _header(canvas, y, "centred", 40)
    top = 54 + 3 * 9 + LINE
    canvas.drawString(KEY_X, y(top), "Ambitie 1: Een proef")
    row(top + LINE, a1, t1, p1, c1)
    row(top + 2 * LINE, a2, t2, p2, {**c2, carried: "looptijd"}, hanging=carried)
    canvas.showPage()
    canvas.setFont(FONT, SIZE)
    _header(canvas, y, "centred", 40)
    row(top + LINE, a3, t3, p3, c3)
    canvas.showPage()
    canvas.setFont(FONT, SIZE)
    for x, label in ((KEY_X, "Actie"), (300, "Initiatiefnemer"), (420, "Stand van zaken")):
        canvas.drawString(x, y(60), label)
    canvas.drawString(KEY_X, y(80), "Ambitie 1: Een proef")
    for index, (key, title, initiator) in enumerate(DETAIL, 1):
        canvas.drawString(KEY_X, y(80 + 20 * index), key)
        canvas.drawString(TITLE_X, y(80 + 20 * index), title)
        canvas.drawString(300, y(80 + 20 * index), initiator)
        canvas.drawString(420, y(80 + 20 * index), "Loopt volgens plan.")
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize(("hang", "carries"), [(LINE, True), (1.5, False)])
def test_a_fill_merged_over_a_row_moved_to_the_next_page(tmp_path, hang, carries):
    """A cell merged over the page's last row and the row the browser moved to the
    next page whole is painted on the first page at its full height, hanging below the
    last row: the part below is the moved row's cell (on the next page's top), and
    still the last row's. A fill a point and a half too long hangs into no row."""
    path = _moved_row_annex(tmp_path / f"moved-{hang}.pdf", hang)
    (a1, _, _, c1), (a2, _, _, c2), (a3, _, _, c3) = ROWS
    moved = {**c3, (2013, 2): "looptijd"} if carries else c3
    assert _read(path) == (YEARS, 2, {a1: c1, a2: {**c2, (2013, 2): "looptijd"}, a3: moved})


def test_year_labels_wrapped_one_digit_a_line_below_the_headers_reach(tmp_path):
    """A year column so narrow that each label prints one digit a line ("2" over "0"
    over "1" over "3"), its last digits further below 'Actie' than the header's labels
    are looked for (header_reach_em, cut to 4 em here): the label is followed down its
    column, so every year is read, and the fills placed in it."""
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}
    path = _annex(tmp_path / "years-wrapped4.pdf", colours, None, years="wrapped4")
    raw = read_pdf(path, settings=replace(DEFAULT_SETTINGS, header_reach_em=4.0))
    cells = {row.number.text: {(c.year, c.period): c.colour_class for c in row.timeline}
             for row in raw.matrix_rows if row.number.text in {r[0] for r in ROWS}}
    assert (raw.timeline_years, raw.periods_per_year, cells) == TRUTH
    assert _read(path) == TRUTH  # and at the default reach


@pytest.mark.parametrize("years", ["centred", "wrapped"])
def test_the_last_months_fill_a_pixel_past_the_timelines_right_edge(tmp_path, years):
    """Twelve months in a year 13.8 pt wide, the last month of the last year shaded by
    a fill that ends a device pixel (0.75 pt) past the timeline's right edge, as a
    browser snaps it, and the first month's fill on the left edge: the grid still
    starts on the left edge, the pixel past it is no month, and every fill keeps its
    month."""
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}
    path = _annex(tmp_path / f"past-edge-{years}.pdf", colours, None, periods=12,
                  year_width=13.8, past_edge=0.75, years=years)
    last = ROWS[-1][0]
    truth = {action: dict(cells) for action, _, _, cells in ROWS}
    truth[last][(YEARS[-1], 12)] = "looptijd"
    assert _read(path) == (YEARS, 12, truth)


def test_year_labels_wrapped_in_cells_so_narrow_their_first_lines_run_together(tmp_path):
    """Year columns (11.2 pt, of twelve months) narrower than their labels (14 pt,
    set flush left in their cells): each label wraps ("'1" over "3") and the upper
    halves, less than a space apart, read as one word ("'1'1'1'1"). Each label
    stands where its own glyphs are, not where sharing out the run's width by length
    would put it (an apostrophe is narrower than a digit, and the gaps between the
    labels belong to no label), so the years keep the columns' width and every month
    keeps its fills (drawn in the months ROWS names)."""
    colours = {"looptijd": YELLOW, "mijlpaal": GREEN}
    path = _annex(tmp_path / "years-wrapped-tight.pdf", colours, None, years="wrapped",
                  year_width=11.2, periods=12, label_size=14, label_pad=0.0)
    assert _read(path) == (YEARS, 12, TRUTH[2])
