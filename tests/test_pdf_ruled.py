"""The ruled strategy: a matrix whose cells are ruled is read from the grid of
pdfplumber's table finder, one drawn without rules by the borderless strategy.

Each case is a small annex drawn with reportlab with known cells: a group line in
one merged cell across the table, a title and a party cell that wrap in their cell,
a fill merged over two years and one merged over two rows (a cell spanning two
ruled rows, with no rule across it), and a continuation row of the timeline.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from extract import read_annex
from extract.pdf_grid import find_grids
from extract.pdf_matrix import find_header
from extract.pdf_page import read_page
from extract.pdf_strategy import choose_strategy
from ir import StageError

YELLOW, GREEN = (1, 1, 0), (0, 0.69, 0.31)
YEARS = (2013, 2014, 2015, 2016)
GROUPS = ("employers", "employees", "education", "regions", "ministries")
# action id, number, letter, title lines, party cells (lines), fills: (first year,
# last year, colour, rows tall)
ROWS = [
    ("1", "1", "", ["Eerste actie voor scholen"], ["wg", "wn", "po", "", "ocw"],
     [(2013, 2014, YELLOW, 1), (2015, 2015, GREEN, 1)]),
    ("2a", "2", "a", ["Tweede actie deel een", "met een lange titel"],
     ["wg", "", "vo mbo", "regio's", "ocw"], [(2014, 2015, YELLOW, 2)]),
    ("2b", "", "b", ["Tweede actie deel twee"], ["", "wn", "mbo", "", "ez"], []),
    ("3", "3", "", ["Derde actie in de regio"], ["wg", "", "", "regio's", "ez"],
     [(2016, 2016, GREEN, 1)]),
    ("4", "4", "", ["Vierde actie"], ["", "wn", "hbo", "", "ocw"], [(2013, 2016, YELLOW, 1)]),
    ("5", "5", "", ["Vijfde actie"], ["wg", "wn", "", "", "szw"], [(2015, 2016, GREEN, 1)]),
]
LABELS = ["wg", "wn", "ow", "reg", "rk"]
NUMBER_X, LETTER_X, TITLE_X = 40, 56, 70
PARTY_X = [250, 300, 350, 400, 450]
YEAR_X, YEAR_W = 500, 40
RIGHT = YEAR_X + len(YEARS) * YEAR_W
LINE_H, PAD = 9, 4


def _row_height(row) -> float:
    lines = max(len(row[3]), max(len(cell.split()) for cell in row[4]))
    return PAD * 2 + LINE_H * lines


def _annex(path: Path, rules: str = "cells", glue_rows: tuple[str, str] | None = None,
           wrapped_keys: bool = False) -> Path:
    """rules: 'cells' (every cell ruled), 'none' (borderless), 'groups' (a rule
    only around the group line and the table). glue_rows: two rows printed in one
    ruled row (the rule between them left out). wrapped_keys: a key with number and
    letter ('2a') printed in the number's cell, wrapped there to '2' over 'a'."""
    size = landscape(A4)
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    height = size[1]

    def y(top: float) -> float:
        return height - top

    canvas.setFont("Helvetica", 10)
    canvas.drawString(NUMBER_X, y(40), "Bijlage 2: Overzicht van de acties (test)")
    canvas.setFont("Helvetica", 8)
    header_top, body_top = 60, 80
    canvas.drawString(NUMBER_X + 2, y(header_top + 12), "Actie")
    for x, label in zip(PARTY_X, LABELS, strict=True):
        canvas.drawString(x + 2, y(header_top + 12), label)
    for index, year in enumerate(YEARS):
        canvas.drawCentredString(YEAR_X + (index + 0.5) * YEAR_W, y(header_top + 12), str(year))
    group_bottom = body_top + 16
    canvas.drawString(NUMBER_X + 2, y(body_top + 11), "Ambitie 1: Een proef")
    tops, top = [], group_bottom
    for row in ROWS:
        tops.append(top)
        top += _row_height(row)
    bottom = top
    # Fills first, rules over them (as producers paint cell backgrounds, then borders).
    for index, (row, row_top) in enumerate(zip(ROWS, tops, strict=True)):
        for first, last, colour, tall in row[5]:
            fill_bottom = tops[index + tall] if index + tall < len(tops) else bottom
            canvas.setFillColorRGB(*colour)
            x0 = YEAR_X + (first - YEARS[0]) * YEAR_W
            canvas.rect(x0, y(fill_bottom), (last - first + 1) * YEAR_W, fill_bottom - row_top,
                        fill=1, stroke=0)
    canvas.setFillColorRGB(0, 0, 0)
    for row, row_top in zip(ROWS, tops, strict=True):
        _, number, letter, title, parties, _ = row
        base = row_top + PAD + 7
        if number:
            canvas.drawString(NUMBER_X + 2, y(base), number)
        if letter and wrapped_keys and number:
            canvas.drawString(NUMBER_X + 2, y(base + LINE_H), letter)
        elif letter:
            canvas.drawString((NUMBER_X if wrapped_keys else LETTER_X) + 2, y(base), letter)
        for line, text in enumerate(title):
            canvas.drawString(TITLE_X + 2, y(base + line * LINE_H), text)
        for x, cell in zip(PARTY_X, parties, strict=True):
            for line, text in enumerate(cell.split()):
                canvas.drawString(x + 2, y(base + line * LINE_H), text)
    if rules != "none":
        _rules(canvas, y, rules, header_top, body_top, group_bottom, tops, bottom, glue_rows)
    canvas.drawString(NUMBER_X, y(bottom + 30), "looptijd (geel)   mijlpaal/gereed (groen)")
    canvas.showPage()
    _detail_page(canvas, height)
    canvas.save()
    return path


def _rules(canvas, y, rules, header_top, body_top, group_bottom, tops, bottom, glue_rows):
    canvas.setLineWidth(0.5)
    canvas.setStrokeColorRGB(0, 0, 0)

    def across(top: float, x0: float = NUMBER_X, x1: float = RIGHT) -> None:
        canvas.line(x0, y(top), x1, y(top))

    for top in (header_top, body_top, group_bottom, bottom):
        across(top)
    canvas.line(NUMBER_X, y(header_top), NUMBER_X, y(bottom))
    canvas.line(RIGHT, y(header_top), RIGHT, y(bottom))
    if rules == "groups":
        return
    ids = [row[0] for row in ROWS]
    for index, top in enumerate(tops[1:], 1):
        if glue_rows and (ids[index - 1], ids[index]) == glue_rows:
            continue
        tall = [f for f in ROWS[index - 1][5] if f[3] == 2]
        if tall:  # a fill two rows tall is one cell: no rule across it
            first, last = tall[0][0], tall[0][1]
            across(top, NUMBER_X, YEAR_X + (first - YEARS[0]) * YEAR_W)
            across(top, YEAR_X + (last - YEARS[0] + 1) * YEAR_W)
        else:
            across(top)
    edges = [LETTER_X, TITLE_X, *PARTY_X, *(YEAR_X + i * YEAR_W for i in range(1, len(YEARS)))]
    edges.append(YEAR_X)
    for x in edges:
        canvas.line(x, y(header_top), x, y(body_top))  # header row
        canvas.line(x, y(group_bottom), x, y(bottom))  # body rows; the group line spans


def _detail_page(canvas: Canvas, height: float) -> None:
    canvas.setFont("Helvetica", 8)
    for x, label in ((NUMBER_X, "Actie"), (300, "Initiatiefnemer"), (420, "Stand van zaken")):
        canvas.drawString(x, height - 60, label)
    canvas.drawString(NUMBER_X, height - 80, "Ambitie 1: Een proef")
    for index, key in enumerate(["1", "2 a/b", "3", "4", "5"]):
        top = 100 + 20 * index
        canvas.drawString(NUMBER_X, height - top, key)
        canvas.drawString(TITLE_X, height - top, f"Actie {key}")
        canvas.drawString(300, height - top, "OCW")
        canvas.drawString(420, height - top, "Loopt.")
    canvas.showPage()


def _matrix(raw) -> dict[str, tuple]:
    return {row.number.text + (row.letter.text if row.letter else ""):
            (row.title.text, tuple(row.parties[g].text for g in GROUPS),
             {c.year: c.colour_class for c in row.timeline})
            for row in raw.matrix_rows}


def _expected() -> dict[str, tuple]:
    classes = {YELLOW: "looptijd", GREEN: "mijlpaal"}
    expected = {}
    for index, (action_id, _n, _l, title, parties, _f) in enumerate(ROWS):
        years = {}
        for above in ROWS[max(0, index - 1):index + 1]:  # a fill two rows tall serves both
            for first, last, colour, tall in above[5]:
                if above is ROWS[index] or tall == 2:
                    years.update({year: classes[colour] for year in range(first, last + 1)})
        expected[action_id] = (" ".join(title), tuple(parties), years)
    return expected


def _strategy(path: Path) -> tuple[str, int]:
    """The strategy the reader picks for the matrix page, and the columns of its grid."""
    with pdfplumber.open(path) as pdf:
        page = read_page(pdf.pages[0], 1)
    header = find_header(page)
    _, strategy = choose_strategy(page, header, None, page.lines[header.line_index:])
    return strategy.name, max((len(g.xs) - 1 for g in page.grids), default=0)


def test_a_ruled_table_is_read_from_its_grid(tmp_path):
    path = _annex(tmp_path / "ruled.pdf")
    # number, letter, title, five parties, four years
    assert _strategy(path) == ("ruled", 3 + len(PARTY_X) + len(YEARS))
    assert _matrix(read_annex(path)) == _expected()


def test_a_key_wrapped_in_its_cell_is_one_key(tmp_path):
    """'2' over 'a' in one ruled row is the key '2a' (lines alone would make a
    number row without title and a letter row)."""
    path = _annex(tmp_path / "wrapped.pdf", wrapped_keys=True)
    assert _strategy(path)[0] == "ruled"
    assert _matrix(read_annex(path)) == _expected()


def test_the_table_finder_runs_on_rules_not_on_fills(tmp_path):
    """Without rules the timeline's adjacent fills make no grid, and the page is
    read borderless, to the same rows."""
    path = _annex(tmp_path / "borderless.pdf", rules="none")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        assert page.find_tables()  # pdfplumber's defaults take the fills for a table
        assert find_grids(page, vertical_rules=2, horizontal_rules=2) == ()
    assert _strategy(path)[0] == "borderless"
    assert _matrix(read_annex(path)) == _expected()


def test_rules_only_between_groups_are_no_row_grid(tmp_path):
    path = _annex(tmp_path / "groups.pdf", rules="groups")
    assert _strategy(path)[0] == "borderless"
    assert _matrix(read_annex(path)) == _expected()


def test_a_ruled_row_holding_two_rows_is_refused_with_its_place(tmp_path):
    path = _annex(tmp_path / "glued.pdf", glue_rows=("3", "4"))
    with pytest.raises(StageError) as error:
        read_annex(path)
    text = error.value.one_line()
    assert "matrix, page 1: one ruled row holds two rows ('3' and '4')" in text
    assert "at page 1 bbox(" in text


def test_debug_images_show_the_table_finder_grid(tmp_path):
    """The debug picture of a ruled page carries pdfplumber's table finder drawing
    (its edges in red), a page without ruling none."""
    from PIL import Image

    from extract.debug_images import write_debug_images

    path = _annex(tmp_path / "ruled.pdf")
    written = write_debug_images(path, read_annex(path), tmp_path / "debug")
    assert [p.name for p in written] == ["ruled-page-001.png", "ruled-page-002.png"]

    def red(png: Path) -> int:
        data = Image.open(png).convert("RGB").tobytes()
        return sum(1 for i in range(0, len(data), 3)
                   if data[i] > 200 and data[i + 1] < 60 and data[i + 2] < 60)

    assert red(written[0]) > 1000
    assert red(written[1]) == 0


def _ruled_page(canvas, height, rows, header: bool, carried: list[str] = (),
                folio: str | None = None, cut: list[str] = (),
                rule_group: bool = False, group: bool = True) -> None:
    """One ruled matrix page: the header (when `header`), the group line (on a page
    that carries no row on), then `carried` title lines
    of the row broken at the page before, set above the grid's first rule (its
    cell drawn open at the top, as weasyprint does), then `rows` (number, letter,
    title, parties), every cell ruled; `cut`: party cells of a row the page break
    cut before its title, set under the grid's last rule with no cell drawn round
    them (weasyprint's first part of a row whose title moved on); `rule_group`: the
    group line ruled too, in one cell across the table; `group` off: no group line."""
    def y(top: float) -> float:
        return height - top

    canvas.setFont("Helvetica", 8)
    if folio:  # a page number at the top right, over the timeline's edge
        canvas.drawRightString(RIGHT, y(20), folio)
    top = 60
    if header:
        canvas.drawString(NUMBER_X + 2, y(top + 12), "Actie")
        for x, label in zip(PARTY_X, LABELS, strict=True):
            canvas.drawString(x + 2, y(top + 12), label)
        for index, year in enumerate(YEARS):
            canvas.drawCentredString(YEAR_X + (index + 0.5) * YEAR_W, y(top + 12), str(year))
        top += 20
    group_top = None
    if not carried and group:
        group_top = top
        canvas.drawString(NUMBER_X + 2, y(top + 11), "Ambitie 1: Een proef")
        top += 16
    for index, text in enumerate(carried):
        canvas.drawString(TITLE_X + 2, y(top + PAD + 7 + index * LINE_H), text)
    top += (PAD * 2 + LINE_H * len(carried)) if carried else 0
    tops = []
    for number, letter, title, parties in rows:
        tops.append(top)
        base = top + PAD + 7
        if number:
            canvas.drawString(NUMBER_X + 2, y(base), number)
        if letter:
            canvas.drawString(LETTER_X + 2, y(base), letter)
        for line, text in enumerate(title):
            canvas.drawString(TITLE_X + 2, y(base + line * LINE_H), text)
        for x, cell in zip(PARTY_X, parties, strict=True):
            canvas.drawString(x + 2, y(base), cell)
        top += PAD * 2 + LINE_H * max(1, len(title))
    for x, cell in zip(PARTY_X, cut, strict=False):
        canvas.drawString(x + 2, y(top + PAD + 7), cell)
    canvas.setLineWidth(0.5)
    for edge in [*tops, top]:
        canvas.line(NUMBER_X, y(edge), RIGHT, y(edge))
    for x in (NUMBER_X, LETTER_X, TITLE_X, *PARTY_X, YEAR_X, RIGHT):
        canvas.line(x, y(tops[0]), x, y(top))
    if rule_group and group_top is not None:
        canvas.line(NUMBER_X, y(group_top), RIGHT, y(group_top))
        for x in (NUMBER_X, RIGHT):
            canvas.line(x, y(group_top), x, y(tops[0]))
    canvas.showPage()


@pytest.mark.parametrize("letter_on", ["first_page", "title"])
@pytest.mark.parametrize("repeat", [False, True])
def test_a_ruled_row_broken_across_pages_with_its_title_on_the_next(tmp_path, letter_on,
                                                                   repeat):
    """The last row of a page prints its key and party cells there, its title on the
    next page above that page's grid (under the repeated header, or at the top). The
    letter stands in its column beside the number, or moved on glued to the title
    ('a Regeling ...'). The page number above the grid carries nothing on."""
    size = landscape(A4)
    path = tmp_path / f"broken_{letter_on}_{repeat}.pdf"
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    first = [("1", "", ["Eerste actie voor scholen"], ["wg", "wn", "po", "", "ocw"]),
             ("2", "", ["Tweede actie in de regio"], ["", "", "", "regio's", "ez"]),
             ("3", "a" if letter_on == "first_page" else "", [],
              ["wg", "wn", "", "regio's", "szw"])]
    carried = ["Regeling cofinanciering", "sectorplannen techniek"]
    if letter_on == "title":
        carried[0] = "a " + carried[0]
    second = [("", "b", ["Sectorplannen techniek"], ["wg", "wn", "mbo", "", "szw"]),
              ("4", "", ["Vierde actie"], ["", "wn", "hbo", "", "ocw"])]
    _ruled_page(canvas, size[1], first, header=True, folio="1/2")
    # The page number: not with the letter glued to the title, where a line above the
    # first row start (not read as furniture in a two-page annex) stops the row from
    # being joined to its key on the page before (a limit of the borderless path).
    _ruled_page(canvas, size[1], second, header=repeat, carried=carried,
                folio="2/2" if letter_on == "first_page" else None)
    _detail_page(canvas, size[1])
    canvas.save()
    read = {key: (title, parties) for key, (title, parties, _) in
            _matrix(read_annex(path)).items()}
    assert read == {
        "1": ("Eerste actie voor scholen", ("wg", "wn", "po", "", "ocw")),
        "2": ("Tweede actie in de regio", ("", "", "", "regio's", "ez")),
        "3a": ("Regeling cofinanciering sectorplannen techniek",
               ("wg", "wn", "", "regio's", "szw")),
        "3b": ("Sectorplannen techniek", ("wg", "wn", "mbo", "", "szw")),
        "4": ("Vierde actie", ("", "wn", "hbo", "", "ocw"))}


def _cut_annex(path: Path, second_opens: bool, repeat: bool = False) -> Path:
    size = landscape(A4)
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    first = [("1", "", ["Eerste actie voor scholen"], ["wg", "wn", "po", "", "ocw"]),
             ("2", "", ["a Tweede actie in de regio"], ["", "", "", "regio's", "ez"])]
    _ruled_page(canvas, size[1], first, header=True, cut=["wg", "wn", "", "regio's", "szw"],
                rule_group=True)
    second = [("3", "", ["Derde actie"], ["", "wn", "hbo", "", "ocw"])]
    if second_opens and repeat:  # its own ruled row under the repeated header
        opening = ("", "", ["b Regeling cofinanciering", "sectorplannen techniek"],
                   ["", "", "", "", ""])
        _ruled_page(canvas, size[1], [opening, *second], header=True, group=False)
    elif second_opens:
        _ruled_page(canvas, size[1], second, header=False,
                    carried=["b Regeling cofinanciering", "sectorplannen techniek"])
    else:
        _ruled_page(canvas, size[1], second, header=False)
    _detail_page(canvas, size[1])
    canvas.save()
    return path


@pytest.mark.parametrize("repeat", [False, True])
def test_a_ruled_rows_cells_cut_off_under_the_grid_before_its_key(tmp_path, repeat):
    """The number printed on an action's first row only, the letter glued to the
    title: the page's last row prints its party cells under the grid's last rule,
    no cell drawn round them, and its key and title ('b Regeling ...') open the next
    page, above that page's grid or (`repeat`) under its repeated header with its
    party cells empty. One row 2b with those cells (they were dropped)."""
    read = {key: (title, parties) for key, (title, parties, _) in
            _matrix(read_annex(_cut_annex(tmp_path / "cut.pdf", True, repeat))).items()}
    assert read == {
        "1": ("Eerste actie voor scholen", ("wg", "wn", "po", "", "ocw")),
        "2a": ("Tweede actie in de regio", ("", "", "", "regio's", "ez")),
        "2b": ("Regeling cofinanciering sectorplannen techniek",
               ("wg", "wn", "", "regio's", "szw")),
        "3": ("Derde actie", ("", "wn", "hbo", "", "ocw"))}


def test_cut_off_cells_with_no_row_opening_the_next_page_are_refused(tmp_path):
    """The same cells under the grid, and a next page that starts with a row of its
    own in its own cell: no row to give them to, refused with their place (never
    given to row 3, nor left out)."""
    with pytest.raises(StageError, match=r"matrix, page 1: party cells at the foot of the "
                                         r"page with no key or title") as error:
        read_annex(_cut_annex(tmp_path / "orphan.pdf", False))
    assert "page 1" in error.value.one_line()
