"""Matrix layout facts of the PDF reader, each on a small annex drawn with reportlab.

Each test draws one thing producers do to the matrix table (labels run together,
a cell that overflows its column or wraps at an apostrophe, a key cell too narrow
for '10a', a row broken across pages, year labels set at the left of their year)
and compares what the reader read with what was drawn, cell by cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from extract import read_annex

FONT, SIZE = "Helvetica", 8
YELLOW, GREEN = (1, 1, 0), (0, 0.69, 0.31)
GROUPS = ("employers", "employees", "education", "regions", "ministries")
LABELS = ("werkgevers", "werknemers", "onderwijsraden", "regio's", "rijk")
YEARS = (2013, 2014, 2015, 2016)
KEY_X, TITLE_X = 40, 70
PARTY_X = (250, 300, 350, 400, 450)
YEAR_X, YEAR_W = 500, 40
LINE, PAD = 9, 7  # line spacing in a cell; padding between rows


@dataclass
class Row:
    action: str  # the action id the row stands for ('10a')
    keys: tuple[str, ...]  # the key column, line by line ('10', 'a')
    title: tuple[str, ...]  # the title, line by line
    parties: tuple[tuple[str, ...], ...]  # each party cell, line by line
    fills: dict[tuple[int, int], tuple] = field(default_factory=dict)  # (year, period)

    @property
    def height(self) -> int:
        return max(len(self.keys), len(self.title), *map(len, self.parties)) * LINE


def _cells(*parties: str | tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    return tuple((p,) if isinstance(p, str) else p for p in parties)


def _matrix_page(canvas: Canvas, height: float, rows: list[Row], party_x=PARTY_X,
                 labels=LABELS, label_lines: int = 1, year_at: str = "centre",
                 label_pad: float = 0, periods: int = 2,
                 continued: tuple[str, ...] | None = None, header: bool = True,
                 header_gap: float = PAD + 2 * LINE, group: str | None = "Ambitie 1: Een proef",
                 continued_title: tuple[str, ...] = (), furniture: tuple[str, ...] = (),
                 legend: bool = True, cell_x=None,
                 under_labels: tuple[tuple[float, str], ...] = (),
                 furniture_at: float = 24, labels_top: float = 72,
                 year_texts: tuple[str, ...] | None = None,
                 label_parts: tuple[tuple[str, ...], ...] | None = None,
                 label_pitch: float = LINE, under_pitch: float = LINE) -> None:
    """One page of the matrix: 'Actie' with the party labels (each label split into
    `label_lines` pieces, one under the other) and the year labels (centred in their
    year, or set at its left edge after `label_pad`), then the rows, each year split
    into `periods`; no header where `header` is off. `continued`: party cells (one
    per party, '' for none) that carry the last row of the page before on, at the
    top, `continued_title` its title's lines. `header_gap`: from the labels'
    baseline to the first body line's. `group`: the group line above the rows.
    `furniture`: lines in the top margin (a running header, a page number), the first
    one's baseline `furniture_at` below the page's top.
    `cell_x`: where the party cells' text starts (default: at its label).
    `under_labels`: (x, text) set on a line under the labels (their wrapped ends).
    `labels_top`: the labels' baseline below the page's top (12 pt under 'Actie' by
    default); `year_texts`: the year labels as printed (default "'13" ...).
    `label_parts`: each label's lines as printed ('werk-', 'gevers'), instead of
    `labels` cut into `label_lines`; `label_pitch`: the spacing of a label's lines,
    `under_pitch`: how far under the labels `under_labels` are set."""

    def y(top: float) -> float:
        return height - top

    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(FONT, SIZE)
    for index, text in enumerate(furniture):
        canvas.drawString(KEY_X, y(furniture_at + index * LINE), text)
    top = 60
    if header:
        canvas.drawString(KEY_X, y(60), "Actie")
        for x, label in zip(party_x, labels, strict=True):
            size = -(-len(label) // label_lines)
            for line in range(label_lines):
                canvas.drawString(x, y(labels_top + LINE * line),
                                  label[line * size:(line + 1) * size])
        for x, parts in zip(party_x, label_parts or (), strict=False):
            for line, text in enumerate(parts):
                canvas.drawString(x, y(labels_top + label_pitch * line), text)
        for index, year in enumerate(YEARS):
            left = YEAR_X + index * YEAR_W
            text = year_texts[index] if year_texts else f"'{year % 100}"
            if year_at == "left":
                canvas.drawString(left + label_pad, y(labels_top), text)
            else:
                canvas.drawCentredString(left + YEAR_W / 2, y(labels_top), text)
        for x, text in under_labels:
            canvas.drawString(x, y(labels_top + under_pitch), text)
        top = labels_top + LINE * (label_lines - 1 + bool(under_labels)) + header_gap
        if label_parts:
            top += label_pitch * (max(map(len, label_parts)) - 1)
    if continued is not None or continued_title:
        for line, text in enumerate(continued_title):
            canvas.drawString(TITLE_X, y(top + line * LINE), text)
        for x, text in zip(party_x, continued or ("",) * len(party_x), strict=True):
            canvas.drawString(x, y(top), text)
        top += LINE * max(1, len(continued_title)) + PAD
    if group is not None:
        canvas.drawString(KEY_X, y(top), group)
        top += LINE + PAD
    for row in rows:
        canvas.setFillColorRGB(0, 0, 0)
        for line, text in enumerate(row.keys):
            canvas.drawString(KEY_X, y(top + line * LINE), text)
        for line, text in enumerate(row.title):
            canvas.drawString(TITLE_X, y(top + line * LINE), text)
        for x, cell in zip(cell_x or party_x, row.parties, strict=True):
            for line, text in enumerate(cell):
                canvas.drawString(x, y(top + line * LINE), text)
        for (year, period), colour in row.fills.items():
            canvas.setFillColorRGB(*colour)
            left = YEAR_X + YEARS.index(year) * YEAR_W + (period - 1) * YEAR_W / periods
            cell_top = top - LINE + 1
            canvas.rect(left, y(cell_top + row.height + PAD - 2), YEAR_W / periods,
                        row.height + PAD - 2, fill=1, stroke=0)
        top += row.height + PAD
    canvas.setFillColorRGB(0, 0, 0)
    if legend:
        canvas.drawString(KEY_X, y(top + 30), "looptijd (geel)   mijlpaal/gereed (groen)")
    canvas.showPage()


def _detail_page(canvas: Canvas, height: float, furniture: tuple[str, ...] = (),
                 furniture_at: float = 24) -> None:
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(FONT, SIZE)
    for index, text in enumerate(furniture):
        canvas.drawString(KEY_X, height - furniture_at - index * LINE, text)
    for x, label in ((KEY_X, "Actie"), (300, "Initiatiefnemer"), (420, "Stand van zaken")):
        canvas.drawString(x, height - 60, label)
    canvas.drawString(KEY_X, height - 80, "Ambitie 1: Een proef")
    canvas.drawString(KEY_X, height - 100, "1")
    canvas.drawString(TITLE_X, height - 100, "Eerste actie voor scholen")
    canvas.drawString(300, height - 100, "OCW")
    canvas.drawString(420, height - 100, "Loopt volgens plan.")
    canvas.showPage()


def _annex(path: Path, pages: list[dict], detail_furniture: tuple[str, ...] = (),
           detail_furniture_at: float = 24, detail_size: tuple[float, float] | None = None
           ) -> Path:
    """An annex with one matrix page per entry of `pages` (keyword arguments of
    _matrix_page, and `size`: the page's, landscape A4 by default), then a detail
    page (`detail_size`)."""
    size = landscape(A4)
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    for page in pages:
        page = dict(page)
        canvas.setPageSize(page.pop("size", size))
        _matrix_page(canvas, canvas._pagesize[1], **page)
    canvas.setPageSize(detail_size or size)
    _detail_page(canvas, canvas._pagesize[1], detail_furniture, detail_furniture_at)
    canvas.save()
    return path


def _read(path: Path) -> dict[str, tuple]:
    raw = read_annex(path)
    return {row.number.text + (row.letter.text if row.letter else ""):
            (row.title.text, tuple(row.parties[g].text for g in GROUPS),
             {(c.year, c.period): c.colour_class for c in row.timeline})
            for row in raw.matrix_rows}


def _truth(rows: list[Row], continued: dict[str, tuple[str, ...]] | None = None
           ) -> dict[str, tuple]:
    classes = {YELLOW: "looptijd", GREEN: "mijlpaal"}
    found = {}
    for row in rows:
        cells = [" ".join(cell) for cell in row.parties]
        for index, more in enumerate((continued or {}).get(row.action, ())):
            cells[index] = " ".join(filter(None, (cells[index], more)))
        found[row.action] = (" ".join(row.title), tuple(cells),
                             {key: classes[c] for key, c in row.fills.items()})
    return found


BASIC = [
    Row("1", ("1",), ("Eerste actie voor scholen",), _cells("wg", "wn", "po", "", "ocw"),
        {(2013, 1): YELLOW, (2013, 2): YELLOW, (2014, 1): GREEN}),
    Row("1a", ("a",), ("Eerste actie deel een",), _cells("wg", "", "vo", "regio's", "ocw"),
        {(2014, 2): YELLOW}),
    Row("2", ("2",), ("Tweede actie in de regio",), _cells("", "", "", "regio's", "ez"),
        {(2015, 1): GREEN}),
]


def test_header_labels_run_together_into_one_word(tmp_path):
    """Labels as wide as their columns touch, and read as one word
    ('werkgeverswerknemersonderwijsradenregio's'): every label is found in it."""
    party_x, x = [], 250.0
    for label in LABELS:
        party_x.append(x)
        # 'rijk' stands apart: a cell "regio's" as wide as its label needs a gutter.
        x += stringWidth(label, FONT, SIZE) + (0.3 if label != "regio's" else 12)
    path = _annex(tmp_path / "glued.pdf", [dict(rows=BASIC, party_x=tuple(party_x))])
    assert _read(path) == _truth(BASIC)


def test_a_last_party_cell_that_runs_into_the_timeline(tmp_path):
    """'ocw, szw, ez, bzk' printed past the edge of the last party column, over the
    first year: the timeline carries no text, so it is all the cell's."""
    rows = [Row("1", ("1",), ("Eerste actie voor scholen",),
                _cells("wg", "", "po", "", "ocw, szw, ez, bzk"), {(2014, 1): YELLOW}),
            *BASIC[1:]]
    assert stringWidth("ocw, szw, ez, bzk", FONT, SIZE) + PARTY_X[-1] > YEAR_X + 5
    path = _annex(tmp_path / "overflow.pdf", [dict(rows=rows)])
    assert _read(path) == _truth(rows)


def test_a_key_cell_wrapped_under_its_number(tmp_path):
    """'10' over 'a', one line apart, in a key column too narrow for '10a': one row
    10a. A number-only row with a letter row below it, a row's padding apart, stays
    two rows (1 and 1a). (The spacing of a cell's lines is learnt from a title
    wrapped onto a second line.)"""
    rows = [BASIC[0],
            Row("1a", ("a",), ("Eerste actie deel een", "in twee regels"),
                _cells("wg", "", "vo", "regio's", "ocw"), {(2014, 2): YELLOW}),
            Row("10a", ("10", "a"), ("Invoer educatieve minor", "beroepsonderwijs in hbo"),
                _cells("", "", "hbo", "", "ocw"), {(2015, 2): YELLOW}),
            Row("10b", ("b",), ("Ontwikkeling bedrijfsstages",), _cells("wg", "wn", "ho", "",
                                                                       "ocw"),
                {(2016, 1): GREEN})]
    path = _annex(tmp_path / "wrapped-key.pdf", [dict(rows=rows)])
    assert _read(path) == _truth(rows)


def test_a_party_cell_wrapped_at_its_apostrophe(tmp_path):
    """A narrow column breaks "regio's" after the apostrophe: "regio'" over "s"."""
    rows = [BASIC[0],
            Row("1a", ("a",), ("Eerste actie deel een",),
                _cells("wg", "", "vo", ("regio'", "s"), "ocw"), {(2014, 2): YELLOW})]
    path = _annex(tmp_path / "apostrophe.pdf", [dict(rows=rows)])
    read = _read(path)
    assert read["1a"][1][3] == "regio's"
    assert read == {**_truth(rows), "1a": (rows[1].title[0], ("wg", "", "vo", "regio's",
                                                              "ocw"), {(2014, 2): "looptijd"})}


def test_a_row_broken_across_pages_and_labels_over_three_lines(tmp_path):
    """The last row's cells go on at the top of the next page, its key cell empty
    there ('ez' under 'ocw, szw'); that page repeats the header with labels broken
    over three lines, whose last pieces ('s', 'den') are no cell text."""
    first = [BASIC[0], Row("2", ("2",), ("Tweede actie voor de regio",),
                           _cells("wg", "wn", "mbo", "", "ocw, szw"), {(2013, 2): GREEN})]
    second = [Row("3", ("3",), ("Derde actie in de regio",),
                  _cells("wg", "", "", "regio's", "ez"), {(2016, 2): YELLOW})]
    carried = ("", "wn", "", "", "ez")
    path = _annex(tmp_path / "broken.pdf", [
        dict(rows=first, label_lines=3),
        dict(rows=second, label_lines=3, continued=carried)])
    assert _read(path) == _truth(first + second, {"2": carried})


def test_year_labels_set_at_the_left_of_their_year(tmp_path):
    """Labels printed at each year's left edge, and fills that fit a grid shifted by
    half a year as well: the years start where the labels do, not half a year early."""
    rows = [Row("1", ("1",), ("Eerste actie voor scholen",), _cells("wg", "", "po", "", "ocw"),
                {(2014, 2): YELLOW, (2015, 1): GREEN}),
            Row("2", ("2",), ("Tweede actie in de regio",), _cells("", "", "", "regio's", "ez"),
                {(2015, 1): YELLOW})]
    path = _annex(tmp_path / "left-years.pdf", [dict(rows=rows, year_at="left")])
    assert _read(path) == _truth(rows)


def test_year_labels_set_left_after_a_padding_wider_than_a_month(tmp_path):
    """Month columns, labels set at each year's left edge after a cell's padding
    wider than a month: the grid starts at the year's edge, not at the month the
    label happens to start nearest to."""
    rows = [Row("1", ("1",), ("Eerste actie voor scholen",), _cells("wg", "", "po", "", "ocw"),
                {(2014, 3): YELLOW, (2014, 4): YELLOW, (2015, 7): GREEN}),
            Row("2", ("2",), ("Tweede actie in de regio",), _cells("", "", "", "regio's", "ez"),
                {(2016, 11): YELLOW, (2016, 12): YELLOW})]
    path = _annex(tmp_path / "padded-years.pdf",
                  [dict(rows=rows, year_at="left", label_pad=4, periods=12)])
    assert _read(path) == _truth(rows)


def test_a_letter_with_its_stop_printed_before_its_title(tmp_path):
    """'b. Tweede deel ...' in the title column after row 1a: the next letter of
    the action with its full stop (or ')') is a row 1b, and the letter after it
    is still expected ('c) ...' is row 1c)."""
    rows = [*BASIC[:2],
            Row("1b", (), ("b. Eerste actie deel twee",), _cells("", "wn", "mbo", "", "ez"),
                {(2015, 2): YELLOW}),
            Row("1c", (), ("c) Eerste actie deel drie",), _cells("wg", "", "", "", "ocw"),
                {(2016, 1): GREEN}),
            BASIC[2]]
    read = _read(_annex(tmp_path / "stop-letters.pdf", [dict(rows=rows)]))
    truth = _truth(rows)
    for action, title in (("1b", "Eerste actie deel twee"), ("1c", "Eerste actie deel drie")):
        truth[action] = (title, *truth[action][1:])
    assert read == truth


def _rows_of(path: Path) -> dict[str, tuple[str, str]]:
    """Each row's ambition (its group line) and title, by action."""
    return {row.number.text + (row.letter.text if row.letter else ""):
            (row.ambition.text if row.ambition else "", row.title.text)
            for row in read_annex(path).matrix_rows}


MORE = [Row("3", ("3",), ("Derde maatregel in de regio",), _cells("wg", "", "", "regio's", "ez"),
            {(2016, 2): YELLOW}),
        Row("4", ("4",), ("Vierde maatregel voor iedereen",), _cells("", "wn", "mbo", "", "ocw"),
            {(2013, 1): GREEN})]


def test_running_header_and_page_numbers_on_every_page(tmp_path):
    """A running header (its words naming the 'Actiematrix') and a page number that
    changes page by page ('1/4', '2/4' ...) in the top margin of every page, over
    matrix pages without a repeated header: furniture, not a group line of the
    rows under it; the rows are all there."""
    def furniture(number: int) -> tuple[str, ...]:
        return ("Techniekpact 2013 - Bijlage 2 Actiematrix (proef)", f"{number}/4")

    pages = [dict(rows=BASIC[:2], furniture=furniture(1), legend=False),
             dict(rows=BASIC[2:], header=False, group=None, furniture=furniture(2),
                  legend=False),
             dict(rows=MORE, header=False, group=None, furniture=furniture(3))]
    path = _annex(tmp_path / "furniture.pdf", pages, detail_furniture=furniture(4))
    assert _read(path) == _truth(BASIC + MORE)
    assert {ambition for ambition, _ in _rows_of(path).values()} == {"Ambitie 1: Een proef"}


def test_running_header_a_fifth_of_a_point_off_on_some_pages(tmp_path):
    """A running header and page number whose place differs by 0.2 pt between pages
    (22.9 pt from the top on two landscape A4 pages, 23.1 on three landscape A3 ones:
    a re-distiller scaling pages of two sizes): the same place, so furniture on every
    page, never the ambition of the rows under it on a matrix page without a repeated
    header."""
    import pdfplumber
    from reportlab.lib.pagesizes import A3

    # Helvetica's glyph tops stand 0.793 em above its baseline: tops at 22.9 / 23.1 pt.
    near, off = 22.9 + 0.793 * SIZE, 23.1 + 0.793 * SIZE

    def furniture(number: int) -> tuple[str, ...]:
        return ("Techniekpact 2013 - Bijlage 2 Actiematrix (proef)", f"{number}/5")

    pages = [dict(rows=BASIC[:2], furniture=furniture(1), legend=False, furniture_at=near),
             dict(rows=BASIC[2:], header=False, group=None, furniture=furniture(2),
                  legend=False, furniture_at=near),
             dict(rows=MORE[:1], header=False, group=None, furniture=furniture(3),
                  legend=False, furniture_at=off, size=landscape(A3)),
             dict(rows=MORE[1:], header=False, group=None, furniture=furniture(4),
                  furniture_at=off, size=landscape(A3))]
    path = _annex(tmp_path / "drift.pdf", pages, detail_furniture=furniture(5),
                  detail_furniture_at=off, detail_size=landscape(A3))
    with pdfplumber.open(path) as pdf:
        assert [round(min(c["top"] for c in page.chars), 2) for page in pdf.pages] == [
            22.9, 22.9, 23.1, 23.1, 23.1]
    assert _read(path) == _truth(BASIC + MORE)
    assert {ambition for ambition, _ in _rows_of(path).values()} == {"Ambitie 1: Een proef"}


def test_year_labels_wrapped_past_the_header_reach(tmp_path):
    """A legend set in the header's cells under 'Actie' pushes the labels 5.5 em down,
    and the year labels, wrapped in cells too narrow for them ("'1" over "3"), end
    past the header's reach of 6 em: every year is read all the same, and the rows."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    labels_top = 60 + 5.5 * SIZE
    left = stringWidth("'1", FONT, SIZE) / 2
    rests = tuple((YEAR_X + index * YEAR_W + YEAR_W / 2 - left, str(year % 10))
                  for index, year in enumerate(YEARS))
    page = dict(rows=BASIC, labels_top=labels_top, year_texts=("'1",) * len(YEARS),
                under_labels=rests, header_gap=PAD + 2 * LINE)
    path = _annex(tmp_path / "wrapped-low.pdf", [page])
    assert _read(path) == _truth(BASIC)


def test_a_header_repeated_on_every_page_with_its_labels_under_it(tmp_path):
    """The matrix header repeated on three pages, same words at the same place, its
    labels on a line of their own under 'Actie', and a page number over it: the
    labels line is the table's, not furniture, so every page is read with it."""
    pages = [dict(rows=rows, furniture=(f"Pagina {n} van 4",), group=group, legend=False)
             for n, rows, group in ((1, BASIC[:2], "Ambitie 1: Een proef"),
                                    (2, BASIC[2:], None), (3, MORE, None))]
    path = _annex(tmp_path / "repeated.pdf", pages, detail_furniture=("Pagina 4 van 4",))
    assert _read(path) == _truth(BASIC + MORE)


def test_a_group_line_flush_under_the_header_labels(tmp_path):
    """Tight spacing: the first body line (a group line) set right under the labels,
    its top at their bottom: a body line, so its rows carry its ambition."""
    path = _annex(tmp_path / "tight.pdf", [dict(rows=BASIC, header_gap=SIZE)])
    assert _read(path) == _truth(BASIC)
    assert {ambition for ambition, _ in _rows_of(path).values()} == {"Ambitie 1: Een proef"}


def test_a_rows_title_moved_whole_to_the_next_page(tmp_path):
    """The page's last row keeps its key and party cells, its whole title printed
    at the top of the next page (a producer moved the title cell over): one row
    with that title, for a number row and for a letter printed in the title column
    with nothing after it but its party cells."""
    for name, last in (("number", Row("2", ("2",), (), _cells("", "", "", "regio's", "ez"))),
                       ("letter", Row("1b", (), ("b",), _cells("wg", "wn", "", "", "ocw")))):
        title = ("Een titel die op de", "volgende pagina staat")
        first = [*BASIC[:2], last]
        path = _annex(tmp_path / f"moved-{name}.pdf", [
            dict(rows=first), dict(rows=MORE, continued_title=title)])
        moved = replace(last, title=title)
        assert _read(path) == _truth([*BASIC[:2], moved, *MORE]), name


def test_a_page_holding_only_a_group_line(tmp_path):
    """An ambition line left alone on its page, the rows of that ambition on the
    page after: both pages are the matrix's, and the rows carry that ambition."""
    pages = [dict(rows=BASIC),
             dict(rows=[], header=False, group="Ambitie 2: Een tweede proef", legend=False),
             dict(rows=MORE, header=False, group=None)]
    path = _annex(tmp_path / "lone-group.pdf", pages)
    assert _read(path) == _truth(BASIC + MORE)
    assert {action: ambition for action, (ambition, _) in _rows_of(path).items()
            if action in ("3", "4")} == {"3": "Ambitie 2: Een tweede proef",
                                         "4": "Ambitie 2: Een tweede proef"}


def test_labels_run_together_into_the_first_year_label(tmp_path):
    """The last labels and the first year label touch ("werkgeverswerknemers'13"):
    both labels and the year are found, not the first row's cells taken for the
    labels."""
    labels = ("rijk", "onderwijsraden", "regio's", "werkgevers", "werknemers")
    groups = ("ministries", "education", "regions", "employers", "employees")
    last = YEAR_X - 0.3 - stringWidth("werknemers", FONT, SIZE)
    party_x = (250.0, 290.0, 370.0, last - 0.2 - stringWidth("werkgevers", FONT, SIZE), last)
    rows = [Row("1", ("1",), ("Eerste actie voor scholen",),
                _cells("ocw", "po", "", "wg", "wn"), {(2013, 2): YELLOW}),
            Row("1a", ("a",), ("Eerste actie deel een",), _cells("ocw", "vo", "regio's", "", ""),
                {(2014, 2): YELLOW})]
    path = _annex(tmp_path / "into-years.pdf", [dict(rows=rows, party_x=party_x,
                                                     labels=labels, year_at="left")])
    read = {action: (title, dict(zip(GROUPS, cells, strict=True)), fills)
            for action, (title, cells, fills) in _read(path).items()}
    truth = {row.action: (" ".join(row.title),
                          {g: " ".join(c) for g, c in zip(groups, row.parties, strict=True)},
                          {k: "looptijd" for k in row.fills}) for row in rows}
    assert read == truth


def test_a_row_broken_across_pages_at_its_key(tmp_path):
    """The page's last row holds a number and its party cells only; the next page
    opens with that number's letter and the title ('a Een titel ...'): one row 2a,
    the cells of the first page, the letter and title of the second, no row 2."""
    last = Row("2", ("2",), (), _cells("wg", "", "", "regio's", "ez"), {(2015, 1): GREEN})
    opening = Row("2a", (), ("a Een titel op de", "volgende pagina"), _cells("", "", "", "", ""))
    path = _annex(tmp_path / "key-split.pdf", [
        dict(rows=[*BASIC[:2], last]), dict(rows=[opening, *MORE], group=None)])
    joined = replace(last, action="2a", title=("Een titel op de", "volgende pagina"))
    assert _read(path) == _truth([*BASIC[:2], joined, *MORE])


def test_a_number_key_run_into_its_title(tmp_path):
    """A key column just wide enough for the number: '12' and 'Pilot' touch and
    read as one word ('12Pilot'); it is row 12 with title 'Pilot ...', not a group
    line. A title starting with a number-like word ('3D-printen') stays a title."""
    rows = [*BASIC,
            Row("12", ("12Pilot",), ("", "voor scholen"), _cells("wg", "", "po", "", "ocw"),
                {(2014, 1): YELLOW}),
            Row("13", ("13",), ("3D-printen in de klas",), _cells("", "wn", "", "", "ez"),
                {(2015, 2): GREEN})]
    path = _annex(tmp_path / "glued-number.pdf", [dict(rows=rows)])
    truth = _truth(rows)
    truth["12"] = ("Pilot voor scholen", *truth["12"][1:])
    assert _read(path) == truth


def test_a_repeated_header_over_letter_rows_only(tmp_path):
    """The header repeated on a page whose rows are all letters of the action going
    on from the page before, titles wrapped: that page shows no number to learn the
    title column from, so the table's own holds, and a wrapped title line is the
    title's, not a group line."""
    letters = [Row("1b", ("b",), ("Eerste actie deel twee", "over twee regels"),
                   _cells("", "wn", "mbo", "", "ez"), {(2015, 2): YELLOW}),
               Row("1c", ("c",), ("Eerste actie deel drie", "ook in twee regels"),
                   _cells("wg", "", "", "", "ocw"), {(2016, 1): GREEN})]
    path = _annex(tmp_path / "letters-only.pdf", [
        dict(rows=BASIC[:2]), dict(rows=letters, group=None)])
    assert _read(path) == _truth(BASIC[:2] + letters)


def test_the_word_actie_inside_a_line_is_no_header(tmp_path):
    """On a page without a repeated header, a title with the word 'actie' in it and
    every party's cell beside it: no matrix header ('Actie' heads the first column,
    the first word of its line; a legend's 'looptijd actie' is no header either), so
    that row and the rows under it are read with the table's columns."""
    rows = [Row("3", ("3",), ("Derde actie voor werkgevers",),
                _cells("wg", "wn", "po", "regio's", "ocw"), {(2014, 1): YELLOW}),
            Row("4", ("4",), ("Vierde maatregel",), _cells("wg", "", "vo", "regio's", "ez"),
                {(2015, 2): GREEN})]
    path = _annex(tmp_path / "actie-in-line.pdf", [
        dict(rows=BASIC, legend=False), dict(rows=rows, header=False, group=None)])
    assert _read(path) == _truth(BASIC + rows)


def test_a_row_broken_at_its_key_where_every_row_prints_its_number(tmp_path):
    """Numbers printed on every row ('1' / '1' 'a ...'), letters glued to their titles:
    the page's last row holds the number and its party cells only, the next page
    opens with the letter that follows the rows before it and the title ('b Een
    titel ...'): one row 1b, not a row 1 with a title 'b Een titel'."""
    first = [Row("1", ("1",), ("Eerste actie voor scholen",), _cells("wg", "wn", "po", "", "ocw"),
                 {(2013, 1): YELLOW}),
             Row("1a", ("1",), ("a Eerste actie deel een",),
                 _cells("wg", "", "vo", "regio's", "ocw"), {(2014, 2): YELLOW}),
             Row("1b", ("1",), (), _cells("", "wn", "", "regio's", "ez"), {(2015, 1): GREEN})]
    opening = Row("1b", (), ("b Een titel op de", "volgende pagina"), _cells("", "", "", "", ""))
    path = _annex(tmp_path / "key-split-every.pdf", [
        dict(rows=first), dict(rows=[opening, *MORE], group=None)])
    joined = replace(first[2], title=("Een titel op de", "volgende pagina"))
    truth = _truth([first[0], replace(first[1], title=("Eerste actie deel een",)), joined,
                    *MORE])
    assert _read(path) == truth


def test_a_title_broken_after_a_hyphen_before_en(tmp_path):
    """A writer that breaks after hyphens wraps 'pss-en in VO' as 'pss-' over 'en in
    VO', the same lines as an elided compound ('havo-' over 'en vwo-scholen'): a
    function word after the conjunction says the word goes on, a content word that
    the compound is elided and keeps its space."""
    rows = [BASIC[0],
            Row("1a", ("a",), ("Uitbreiding goede pss-", "en in VO"),
                _cells("wg", "", "vo", "", "ocw"), {(2014, 2): YELLOW}),
            Row("2", ("2",), ("Meer havo-", "en vwo-scholen"),
                _cells("", "", "", "regio's", "ez"), {(2015, 1): GREEN})]
    path = _annex(tmp_path / "hyphen_en.pdf", [dict(rows=rows)])
    read = _read(path)
    assert read["1a"][0] == "Uitbreiding goede pss-en in VO"
    assert read["2"][0] == "Meer havo- en vwo-scholen"
    truth = _truth(rows)
    truth["1a"] = ("Uitbreiding goede pss-en in VO", *truth["1a"][1:])
    assert read == truth


def test_the_wrapped_ends_of_two_labels_run_together_on_a_repeated_header(tmp_path):
    """Narrow header cells wrap 'werkgevers' and 'werknemers' after 'werkgever' and
    'werknemer', set so close that the labels read as one word and so do their last
    letters ('ss'). That line is the header's, on the page the header is repeated
    on too: not a continuation of the row carried over from the page before."""
    first = PARTY_X[0] + stringWidth("werkgever", FONT, SIZE)
    party_x = (PARTY_X[0], first + 0.5, 350, 420, 460)
    labels = ("werkgever", "werknemer", "onderwijsraden", "regio's", "rijk")
    wrapped = ((first - stringWidth("s", FONT, SIZE), "ss"),)
    pages = [dict(rows=BASIC[:2], party_x=party_x, labels=labels, under_labels=wrapped,
                  legend=False),
             dict(rows=BASIC[2:], party_x=party_x, labels=labels, under_labels=wrapped,
                  group=None)]
    read = _read(_annex(tmp_path / "wrapped_ends.pdf", pages))
    assert read["1a"][1] == ("wg", "", "vo", "regio's", "ocw")
    assert read == _truth(BASIC)


def test_cells_set_right_of_their_label_and_close_to_the_next_column(tmp_path):
    """Without borders, the cells of a column start 3 pt right of its label and end
    1.7 pt before the next column's text (less than a gutter): the strip between
    the label and its cells is no gutter, and the cells stay in their column."""
    width = stringWidth("regio's", FONT, SIZE)
    party_x = (250, 300, 350, 400, 403 + width + 1.7)
    cell_x = (250, 300, 350, 403, party_x[4])
    rows = [BASIC[0], BASIC[1], Row("1b", ("b",), ("Eerste actie deel twee",),
                                    _cells("", "wn", "", "regio's", "ez"), {(2015, 1): GREEN}),
            BASIC[2]]
    read = _read(_annex(tmp_path / "gutter.pdf", [dict(rows=rows, party_x=party_x,
                                                       cell_x=cell_x)]))
    assert read["1a"][1] == ("wg", "", "vo", "regio's", "ocw")
    assert read == _truth(rows)


def test_a_title_broken_after_a_slash_printed_whole_elsewhere(tmp_path):
    """A writer that breaks after a slash wraps 'BOL/BBL-route' as 'BOL/' over
    'BBL-route'; the document prints the word whole elsewhere (here another title),
    which says the two lines join without a space."""
    rows = [BASIC[0],
            Row("1a", ("a",), ("Experimenteren alternatieve BOL/", "BBL-route"),
                _cells("wg", "", "vo", "", "ocw"), {(2014, 2): YELLOW}),
            Row("2", ("2",), ("Meer BOL/BBL-route",), _cells("", "", "", "regio's", "ez"),
                {(2015, 1): GREEN})]
    read = _read(_annex(tmp_path / "slash.pdf", [dict(rows=rows)]))
    truth = _truth(rows)
    truth["1a"] = ("Experimenteren alternatieve BOL/BBL-route", *truth["1a"][1:])
    assert read == truth


def test_labels_split_over_two_tight_lines_above_abbreviated_cells(tmp_path):
    """Tight spacing: 'werk-' over 'gevers' and 'werk-' over 'nemers', the lower
    line's top a little above the upper one's bottom, and the first row's cells
    'wg' and 'wn' within the header's reach. The split labels are the header's
    (not the first row's cells, which would leave row 1 out and its letter row 1a
    with no number above it)."""
    parts = (("werk-", "gevers"), ("werk-", "nemers"), ("onderwijs-", "raden"),
             ("regio's",), ("rijk",))
    path = _annex(tmp_path / "tight-split.pdf", [dict(
        rows=BASIC, labels=("",) * 5, label_parts=parts, label_pitch=SIZE - 1,
        header_gap=SIZE + 2, group=None)])
    assert _read(path) == _truth(BASIC)


def test_a_cell_filled_to_the_next_columns_label_under_short_labels(tmp_path):
    """Abbreviated labels ('ow', 'reg') over columns that cells fill to 1 pt before
    the next column's text ('po vo ho' up to the 'reg' column): no strip as wide as
    a space is left between the columns, and the edge is that narrow strip, not a
    point halfway between the short labels (which gave 'ho' to the regions)."""
    labels = ("wg", "wn", "ow", "reg", "rk")
    wide = stringWidth("po vo ho", FONT, SIZE)
    party_x = (250, 290, 330, 330 + wide + 1, 330 + wide + 1 + 45)
    rows = [Row("1", ("1",), ("Eerste actie voor scholen",),
                _cells("wg", "wn", "po vo ho", "", "ocw"), {(2013, 1): YELLOW}),
            Row("1a", ("a",), ("Eerste actie deel een",), _cells("", "", "vo ho", "regio's",
                                                                 "ocw"),
                {(2014, 2): YELLOW}),
            Row("1b", ("b",), ("Eerste actie deel twee",), _cells("wg", "", "po vo ho", "",
                                                                  "ez"),
                {(2015, 1): GREEN}),
            Row("2", ("2",), ("Tweede actie in de regio",), _cells("", "", "mbo", "regio's",
                                                                   "ez"),
                {(2015, 1): GREEN})]
    path = _annex(tmp_path / "filled.pdf", [dict(rows=rows, labels=labels,
                                                 party_x=party_x)])
    assert _read(path) == _truth(rows)


def test_year_labels_wrapped_over_two_tight_lines(tmp_path):
    """Tight spacing: year labels wrapped in their cells ("'1" over "3") with the
    lower line's top a little above the upper one's bottom: each is one year label
    all the same."""
    left = stringWidth("'1", FONT, SIZE) / 2
    rests = tuple((YEAR_X + index * YEAR_W + YEAR_W / 2 - left, str(year % 10))
                  for index, year in enumerate(YEARS))
    page = dict(rows=BASIC, year_texts=("'1",) * len(YEARS), under_labels=rests,
                under_pitch=SIZE - 1, header_gap=SIZE + 2)
    path = _annex(tmp_path / "wrapped-tight.pdf", [page])
    assert _read(path) == _truth(BASIC)


def test_a_title_run_into_the_first_party_column_after_tight_padding_only(tmp_path):
    """Cells set tight without borders: a title line filling its column ends 0.5 pt
    (0.06 em) before the first party column's text, less than a space: the
    extraction builds one word ('leerprestatiesocw'). Where the column's text starts
    on every row, the title ends and the cell begins."""
    line = "Instrumenten leerprestaties"
    first = TITLE_X + stringWidth(line, FONT, SIZE) + 0.5
    party_x = tuple(first + 50 * index for index in range(5))
    labels = ("rijk", "werkgevers", "werknemers", "onderwijsraden", "regio's")
    rows = [Row("1", ("1",), (line, "op WenT"), _cells("ocw", "wg", "", "po vo", "")),
            Row("1a", ("a",), ("Eerste actie",), _cells("ez", "", "wn", "vo", "regio's")),
            Row("2", ("2",), ("Tweede actie",), _cells("ocw", "wg", "", "", ""))]
    path = _annex(tmp_path / "tight-title.pdf", [dict(rows=rows, party_x=party_x,
                                                      labels=labels)])
    order = ("ministries", "employers", "employees", "education", "regions")
    read = {action: (title, dict(zip(GROUPS, cells, strict=True)))
            for action, (title, cells, _) in _read(path).items()}
    assert read == {row.action: (" ".join(row.title),
                                 {g: " ".join(c) for g, c in zip(order, row.parties,
                                                                 strict=True)})
                    for row in rows}


def test_group_lines_across_a_gutter_on_a_short_page(tmp_path):
    """A short page whose group line and legend both run across the gutter before the
    regions column (more crossings than the share tolerated of its few lines), the
    legend broken just where the education cells leave a wide space ('po   vo'): that
    space was the last strip left free, and gave 'vo' to the regions. Lines that run
    from the left over a labelled column's start are no cells and say nothing of the
    gutters: the cell is 'po vo'."""
    rows = [Row("1", ("1",), ("Eerste actie",), _cells("wg", "wn", "", "regio's", "ocw")),
            Row("1a", ("a",), ("Tweede actie",), _cells("", "", "", "", "ez"))]
    wide = ("Ambitie 1: Jong geleerd, oud gedaan, een groepsregel die over alle kolommen "
            "van de tabel doorloopt tot in de tijdlijn")
    path = tmp_path / "crossed.pdf"
    size = landscape(A4)
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    canvas.setFont(FONT, SIZE)
    first = PARTY_X[2]
    second = first + stringWidth("po", FONT, SIZE) + 3.0
    for top in (LINE + 7 + 60 + 37, LINE + 7 + 60 + 37 + LINE + PAD):
        canvas.drawString(first, size[1] - top, "po")
        canvas.drawString(second, size[1] - top, "vo")
    canvas.drawRightString(first + stringWidth("po", FONT, SIZE) - 0.2, size[1] - 300,
                           "Legenda: looptijd (geel) mijlpaal/gereed (groen), de legenda")
    canvas.drawString(second + 0.4, size[1] - 300, "onder de tabel, die over alle kolommen loopt")
    # Abbreviated labels over narrow gutters (tight cells): no space of the spanning
    # lines happens to fall in the one before 'reg'.
    party_x = (250, 300, first, second + stringWidth("vo", FONT, SIZE) + 6, 450)
    _matrix_page(canvas, size[1], rows, group=wide, legend=False, party_x=party_x,
                 labels=("wg", "wn", "ow", "reg", "rk"))
    _detail_page(canvas, size[1])
    canvas.save()
    truth = _truth(rows)
    for action in truth:
        cells = list(truth[action][1])
        cells[2] = "po vo"
        truth[action] = (truth[action][0], tuple(cells), truth[action][2])
    assert _read(path) == truth


def test_labels_run_together_where_one_reads_almost_as_the_other(tmp_path):
    """'rijk' and 'onderwijsraden' touch and read as one word ('rijkonderwijsraden'),
    which is within the fuzzy match of 'onderwijsraden' alone: the two labels run
    together whole are the two columns, not one education label over both."""
    labels = ("rijk", "onderwijsraden", "regio's", "werkgevers", "werknemers")
    groups = ("ministries", "education", "regions", "employers", "employees")
    second = 250 + stringWidth("rijk", FONT, SIZE) + 0.3
    party_x = (250.0, second, second + 80, second + 130, second + 180)
    rows = [Row("1", ("1",), ("Eerste actie voor scholen",), _cells("ez", "po", "", "wg", "wn")),
            Row("1a", ("a",), ("Eerste actie deel een",), _cells("ez", "vo", "regio's", "", ""))]
    path = _annex(tmp_path / "rijk-glued.pdf", [dict(rows=rows, party_x=party_x,
                                                     labels=labels)])
    read = {action: (title, dict(zip(GROUPS, cells, strict=True)))
            for action, (title, cells, _) in _read(path).items()}
    assert read == {row.action: (" ".join(row.title),
                                 {g: " ".join(c) for g, c in zip(groups, row.parties,
                                                                 strict=True)})
                    for row in rows}


@pytest.mark.parametrize("letters_at", ["key", "title"])
def test_a_page_of_letter_rows_only_without_a_repeated_header(tmp_path, letters_at):
    """The action number printed on its first row only, and no header repeated: the
    next page holds the action's further letters only ('c', 'd'; in the key column,
    or before the title: 'c Aansluiting ...'), no number. It is the matrix's all the
    same, and so is the page after it."""
    def lettered(action: str, title: tuple[str, ...], cells) -> Row:
        letter = action[-1]
        if letters_at == "key":
            return Row(action, (letter,), title, cells)
        return Row(action, (), (f"{letter} {title[0]}", *title[1:]), cells)

    letters = [lettered("1b", ("Eerste actie deel twee",), _cells("", "wn", "mbo", "", "ez")),
               lettered("1c", ("Eerste actie deel drie", "in twee regels"),
                        _cells("wg", "", "", "", "ocw"))]
    path = _annex(tmp_path / f"letters-{letters_at}.pdf", [
        dict(rows=BASIC[:2]), dict(rows=letters, header=False, group=None),
        dict(rows=MORE, header=False, group="Ambitie 2: Een tweede proef")])
    truth = _truth(BASIC[:2] + letters + MORE)
    for row in letters:
        truth[row.action] = (" ".join(row.title).removeprefix(f"{row.action[-1]} "),
                             *truth[row.action][1:])
    assert _read(path) == truth
