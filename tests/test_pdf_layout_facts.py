"""Single layout facts of the PDF reader, each on a small annex drawn with reportlab.

Each test varies one thing a producer varies (how keys are printed, how header labels
are written, how a fill is painted, how the page is rotated) and compares what the
reader read with what was drawn. The generated layouts (tests/test_pdf_layouts.py)
combine these facts; here a failure names the one fact that broke.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen.canvas import Canvas

from extract import read_annex
from extract.pdf_annex import read_pdf
from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings
from ir import StageError

YELLOW, GREEN = (1, 1, 0), (0, 0.69, 0.31)
YEARS = (2013, 2014, 2015, 2016)
# action id, number printed, letter printed, title, parties, {year: colour}
ROWS = [
    ("1", "1", "", "Eerste actie voor scholen", ("wg", "wn", "po", "", "ocw"),
     {2013: YELLOW, 2014: YELLOW, 2015: GREEN}),
    ("2a", "2", "a", "Tweede actie deel een", ("wg", "", "vo", "regio's", "ocw"),
     {2014: YELLOW, 2015: YELLOW}),
    ("2b", "", "b", "Tweede actie deel twee", ("", "wn", "mbo", "", "ez"),
     {2014: YELLOW, 2015: YELLOW}),
    ("3", "3", "", "Derde actie in de regio", ("wg", "", "", "regio's", "ez"),
     {2016: GREEN}),
]
LABELS = {
    "written": ["werkgevers", "werknemers", "onderwijsraden", "regio's", "rijk"],
    "abbreviated": ["wg", "wn", "ow", "reg", "rk"],
    "split": [("werk-", "gevers"), ("werk-", "nemers"), ("onderwijs-", "raden"),
              "regio's", "rijk"],
}
KEY_X, LETTER_X, TITLE_X = 40, 56, 70
PARTY_X = [250, 300, 350, 400, 450]
YEAR_X, YEAR_W, ROW_H = 500, 40, 16


def _annex(path: Path, keys: str = "columns", labels: str = "written", fills: str = "cell",
           rotate: int = 0, detail_key: str = "2 a", footnote: str = "foot",
           footer: bool = False, detail_rows: list | None = None, note: str = "¹",
           ruled: bool = False, after: tuple = ()) -> Path:
    """A two-page annex: the matrix on page 1, the detail table on page 2.

    keys: 'columns' (number and letter in their own columns), 'one_cell' ('2a'),
    'glued' (the letter in the title column, in front of the title).
    fills: 'cell' (one rectangle per year), 'merged_rows' (2a and 2b share one
    rectangle two rows tall), 'closed_path' (cells drawn as moveto/lineto paths).
    footer: every page ends with a running footer at the table's edge and size, and
    the detail table breaks after its first row, leaving the repeated header alone
    at the foot of its page (the detail table then spans pages 2 and 3).
    detail_rows: the detail table's rows drawn line by line instead (_drawn_detail_page),
    with one footnote at the foot, numbered `note`; a row None starts a new page (the
    header repeated), `ruled` draws the column borders, `after` lines follow the table
    at its own size (footnotes collected after it), or at the size given with a line
    as (text, size).
    """
    size = landscape(A4)
    canvas = Canvas(str(path), pagesize=size, invariant=1)
    canvas.setPageRotation(rotate)
    height = size[1]

    def y(top: float) -> float:  # reportlab draws from the bottom
        return height - top

    canvas.setFont("Helvetica", 10)
    canvas.drawString(KEY_X, y(40), "Bijlage 2: Overzicht van de acties (test)")
    canvas.setFont("Helvetica", 8)
    canvas.drawString(KEY_X, y(70), "Actie")
    for x, label in zip(PARTY_X, LABELS[labels], strict=True):
        parts = label if isinstance(label, tuple) else (label,)
        for line, part in enumerate(parts):
            canvas.drawString(x, y(82 + 9 * line), part)
    for index, year in enumerate(YEARS):
        canvas.drawCentredString(YEAR_X + (index + 0.5) * YEAR_W, y(82), f"'{year % 100}")
    canvas.drawString(KEY_X, y(110), "Ambitie 1: Een proef")
    top = 110 + ROW_H
    for action_id, number, letter, title, parties, years in ROWS:
        if keys == "columns":
            canvas.drawString(KEY_X, y(top), number or letter)
            if number and letter:
                canvas.drawString(LETTER_X, y(top), letter)
            canvas.drawString(TITLE_X, y(top), title)
        elif keys == "one_cell":
            canvas.drawString(KEY_X, y(top), action_id)
            canvas.drawString(TITLE_X, y(top), title)
        else:  # glued: the number only on the first row, the letter before the title
            canvas.drawString(KEY_X, y(top), number)
            canvas.drawString(TITLE_X, y(top), f"{letter} {title}" if letter else title)
        for x, text in zip(PARTY_X, parties, strict=True):
            canvas.drawString(x, y(top), text)
        for index, year in enumerate(YEARS):
            colour = years.get(year)
            merged = fills == "merged_rows" and action_id in ("2a", "2b")
            if colour is None or (merged and action_id == "2b"):
                continue
            tall = 2 * ROW_H if merged else ROW_H
            _fill(canvas, YEAR_X + index * YEAR_W, y(top - 11 + tall), YEAR_W, tall - 2,
                  colour, fills == "closed_path")
        top += ROW_H
    canvas.setFillColorRGB(0, 0, 0)
    canvas.drawString(KEY_X, y(top + 30), "looptijd (geel)   mijlpaal/gereed (groen)")
    if footer:
        _running_footer(canvas, height, 1)
    canvas.showPage()
    canvas.setPageRotation(rotate)
    if detail_rows is not None:
        _drawn_detail_page(canvas, height, detail_rows, note, ruled, after,
                           footer=2 if footer else None)
    else:
        _detail_page(canvas, height, detail_key, footnote, footer)
    canvas.save()
    return path


def _fill(canvas: Canvas, x: float, y: float, width: float, height: float, colour,
          as_path: bool) -> None:
    canvas.setFillColorRGB(*colour)
    if not as_path:
        canvas.rect(x, y, width, height, fill=1, stroke=0)
        return
    path = canvas.beginPath()
    path.moveTo(x, y)
    path.lineTo(x + width, y)
    path.lineTo(x + width, y + height)
    path.lineTo(x, y + height)
    path.close()
    canvas.drawPath(path, fill=1, stroke=0)


def _running_footer(canvas: Canvas, height: float, number: int) -> None:
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(KEY_X, height - 575, f"PROEF - een lopende voettekst pagina {number}")


def _detail_page(canvas: Canvas, height: float, detail_key: str, footnote: str,
                 footer: bool = False) -> None:
    def y(top: float) -> float:
        return height - top

    def header(top: float) -> None:
        for x, label in ((KEY_X, "Actie"), (300, "Initiatiefnemer"), (420, "Stand van zaken")):
            canvas.drawString(x, y(top), label)

    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont("Helvetica", 8)
    header(60)
    canvas.drawString(KEY_X, y(80), "Ambitie 1: Een proef")
    rows = [("1", "Eerste actie voor scholen, uitgebreid", "OCW", "Loopt volgens plan.")]
    rows.append((detail_key, "Tweede actie in twee delen", "PO-Raad", "Gestart in 2013."))
    rows.append(("3", "Derde actie in de regio", "Regio's", "Afgerond."))
    top = 100
    for index, (key, action, initiator, status) in enumerate(rows):
        if footer and index == 1:  # the header repeated, then the row moved on
            header(540)
            _running_footer(canvas, height, 2)
            canvas.showPage()
            canvas.setFont("Helvetica", 8)
            header(60)
            top = 80
        canvas.drawString(KEY_X, y(top), key)
        canvas.drawString(TITLE_X, y(top), action)
        canvas.drawString(300, y(top), initiator)
        canvas.drawString(420, y(top), status)
        top += 20
    if footnote == "after_table":
        canvas.drawString(KEY_X, y(top + 20), "¹ Een voetnoot na de tabel")
    else:
        canvas.setFont("Helvetica", 6)
        canvas.drawString(KEY_X, y(560), "¹ Een voetnoot onderaan de pagina")
    if footer:
        _running_footer(canvas, height, 3)
    canvas.showPage()


# Detail columns as _detail_page draws them; a drawn row is a list of
# (x, top below the row's top, text, font size) and its height.
STATUS_X, INITIATOR_X, DETAIL_SIZE = 420, 300, 8


def _drawn_detail_page(canvas: Canvas, height: float, rows: list, note: str = "¹",
                       ruled: bool = False, after: tuple = (), footer: int | None = None
                       ) -> None:
    """The detail header and group line, then each row exactly as given, and a
    footnote at the page's foot (so that a marker in a cell has its note; none where
    `note` is None). `footer`: the running footer on every page, numbered from it."""
    def header() -> None:
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("Helvetica", DETAIL_SIZE)
        for x, label in ((KEY_X, "Actie"), (INITIATOR_X, "Initiatiefnemer"),
                         (STATUS_X, "Stand van zaken")):
            canvas.drawString(x, height - 60, label)
        if ruled:  # the column borders, 2 pt left of each column's text
            for x in (KEY_X - 2, INITIATOR_X - 2, STATUS_X - 2, 780):
                canvas.line(x, height - 50, x, height - 540)

    header()
    canvas.drawString(KEY_X, height - 80, "Ambitie 1: Een proef")
    top = 100
    for row in rows:
        if row is None:
            if footer is not None:
                _running_footer(canvas, height, footer)
                footer += 1
            canvas.showPage()
            header()
            top = 80
            continue
        pieces, row_height = row
        for x, below, text, size in pieces:
            canvas.setFont("Helvetica", size)
            canvas.drawString(x, height - (top + below), text)
        top += row_height
    canvas.setFont("Helvetica", DETAIL_SIZE)
    for index, text in enumerate(after):
        text, size = text if isinstance(text, tuple) else (text, DETAIL_SIZE)
        canvas.setFont("Helvetica", size)
        canvas.drawString(KEY_X, height - (top + 20 + index * 10), text)
    if note is not None:
        canvas.setFont("Helvetica", 6)
        canvas.drawString(KEY_X, height - 560, f"{note} Een voetnoot onderaan de pagina")
    if footer is not None:
        _running_footer(canvas, height, footer)
    canvas.showPage()


def _lines(x: float, pitch: float, *texts: str, start: float = 0) -> list[tuple]:
    """One cell's lines, `pitch` points apart."""
    return [(x, start + index * pitch, text, DETAIL_SIZE) for index, text in enumerate(texts)]


def _row(key: str, action: list[tuple], status: list[tuple], initiator: str = "OCW",
         height: float = 60) -> tuple[list[tuple], float]:
    action = action or _lines(TITLE_X, 9, "Een actie voor scholen")
    return [(KEY_X, 0, key, DETAIL_SIZE), (INITIATOR_X, 0, initiator, DETAIL_SIZE),
            *action, *status], height


def _matrix(raw) -> dict[str, tuple]:
    return {row.number.text + (row.letter.text if row.letter else ""):
            (row.title.text, tuple(row.parties[g].text for g in
                                   ("employers", "employees", "education", "regions",
                                    "ministries")),
             {c.year: c.colour_class for c in row.timeline})
            for row in raw.matrix_rows}


def _expected() -> dict[str, tuple]:
    classes = {YELLOW: "looptijd", GREEN: "mijlpaal"}
    return {action_id: (title, parties, {year: classes[c] for year, c in years.items()})
            for action_id, _n, _l, title, parties, years in ROWS}


@pytest.mark.parametrize("keys", ["columns", "one_cell", "glued"])
def test_every_key_notation_gives_the_same_rows(tmp_path, keys):
    raw = read_annex(_annex(tmp_path / f"{keys}.pdf", keys=keys))
    assert _matrix(raw) == _expected()


@pytest.mark.parametrize("labels", ["written", "abbreviated", "split"])
def test_header_labels_written_abbreviated_or_split(tmp_path, labels):
    raw = read_annex(_annex(tmp_path / f"{labels}.pdf", labels=labels))
    assert _matrix(raw) == _expected()


@pytest.mark.parametrize("fills", ["merged_rows", "closed_path"])
def test_fills_merged_over_rows_or_drawn_as_paths(tmp_path, fills):
    raw = read_annex(_annex(tmp_path / f"{fills}.pdf", fills=fills))
    assert _matrix(raw) == _expected()


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_rotated_pages_read_as_drawn(tmp_path, rotate):
    raw = read_annex(_annex(tmp_path / f"rotate-{rotate}.pdf", rotate=rotate))
    assert _matrix(raw) == _expected()
    assert [r.number.text for r in raw.detail_rows] == ["1", "2", "3"]


@pytest.mark.parametrize(("key", "letters"), [("2 a", "a"), ("2a-b", "a b"), ("2 a/b", "a b"),
                                              ("2a, b", "a b")])
def test_detail_key_notations(tmp_path, key, letters):
    raw = read_annex(_annex(tmp_path / "detail.pdf", detail_key=key))
    second = raw.detail_rows[1]
    assert (second.number.text, second.letters.text) == ("2", letters)
    assert "Tweede actie" in second.action_text.plain()


@pytest.mark.parametrize("footnote", ["foot", "after_table"])
def test_footnotes_at_the_foot_or_after_the_table(tmp_path, footnote):
    raw = read_annex(_annex(tmp_path / "notes.pdf", footnote=footnote))
    assert [n.marker.text for n in raw.footnotes] == ["¹"]
    assert raw.footnotes[0].text.text.startswith("Een voetnoot")
    assert all(not (r.ambition and "voetnoot" in r.ambition.text) for r in raw.detail_rows)


def test_a_running_footer_and_a_lone_repeated_header_are_no_group_lines(tmp_path):
    """A footer at the table's edge and size on every page, and the detail header
    repeated alone at a page's foot, are neither rows nor the group of the rows
    after them."""
    raw = read_annex(_annex(tmp_path / "footer.pdf", footer=True))
    assert _matrix(raw) == _expected()
    assert [r.number.text for r in raw.detail_rows] == ["1", "2", "3"]
    assert {r.ambition.text for r in raw.detail_rows} == {"Ambitie 1: Een proef"}
    assert not any("voettekst" in r.status.plain() for r in raw.detail_rows)


def test_a_letter_row_with_no_number_above_it_is_refused_with_its_place(tmp_path):
    global ROWS
    saved = ROWS
    ROWS = [(*saved[2][:1], "", "b", *saved[2][3:])] + saved[3:]
    try:
        path = _annex(tmp_path / "orphan.pdf")
    finally:
        ROWS = saved
    with pytest.raises(StageError) as error:
        read_annex(path)
    text = error.value.one_line()
    assert "matrix, page 1: a letter row ('b') with no action number above it" in text
    assert "at page 1 bbox(" in text


def test_settings_are_named_and_change_the_reading(tmp_path):
    path = _annex(tmp_path / "settings.pdf")
    assert isinstance(DEFAULT_SETTINGS, PdfSettings)
    # With no saturation counting as colour, nothing under the years is shaded.
    blind = replace(DEFAULT_SETTINGS, min_saturation=1.01)
    read = read_pdf(path, settings=blind)
    assert all(not row.timeline for row in read.matrix_rows)
    assert _matrix(read_pdf(path)) == _expected()


def _detail(tmp_path: Path, name: str, rows: list, note: str = "¹", **drawn) -> list:
    return list(read_annex(_annex(tmp_path / name, detail_rows=rows, note=note, **drawn)
                           ).detail_rows)


def test_cells_whose_line_pitches_differ_keep_their_own_lines(tmp_path):
    """Sub-items set as paragraphs (13.5 pt apart) beside running text (9 pt apart):
    a line of one cell overlaps two of the other, and must not chain them."""
    action = _lines(TITLE_X, 13.5, "Eerste actie voor scholen:", "b. Leerlijn voor de pabo",
                    "c. Toetsen voor de leerlingen", "d. Peilingen door de inspectie")
    status = _lines(STATUS_X, 9, "SLO is in de zomer gestart met", "de leerlijn wetenschap en",
                    "technologie. Eind december is er", "een eerste skelet, dat in 2014",
                    "verder wordt uitgewerkt met de", "scholen.")
    rows = _detail(tmp_path, "drift.pdf", [_row("1", action, status), _row("2", [], [])])
    assert " ".join(rows[0].action_text.plain().split()) == (
        "Eerste actie voor scholen: b. Leerlijn voor de pabo c. Toetsen voor de leerlingen "
        "d. Peilingen door de inspectie")
    assert rows[0].status.plain() == (
        "SLO is in de zomer gestart met de leerlijn wetenschap en technologie. Eind december "
        "is er een eerste skelet, dat in 2014 verder wordt uitgewerkt met de scholen.")


def test_a_hyphen_at_a_line_end_that_opens_the_next_word(tmp_path):
    """Writers break after any hyphen: 'en -begeleiding' and '(-publieke)' wrap after
    their hyphen, a spaced dash wraps as a dash, a compound as a compound."""
    status = _lines(STATUS_X, 9, "Loopbaanoriëntatie en -", "begeleiding in publiek-private (-",
                    "publieke) samenwerking, onderwijs -", "bedrijfsleven, in havo- en vmbo-",
                    "scholen en op- en bijscholing.")
    rows = _detail(tmp_path, "hyphen.pdf", [_row("1", [], status)])
    assert rows[0].status.plain() == (
        "Loopbaanoriëntatie en -begeleiding in publiek-private (-publieke) samenwerking, "
        "onderwijs - bedrijfsleven, in havo- en vmbo-scholen en op- en bijscholing.")


def test_a_dash_wrapped_to_a_line_start_is_no_list_item(tmp_path):
    """'- een ...' starting a line after a full one is the running text's dash; after
    a line the writer ended short it opens a list item."""
    wrapped = _lines(STATUS_X, 9, "Uitgevoerd door het PBT, de regio en de", "- een regionale "
                     "aanpak.")
    listed = _lines(STATUS_X, 9, "Het plan van aanpak is gereed en loopt", "nu.", "Mijlpalen:",
                    "- juli 2013: gestart", "- dec. 2013: gereed")
    rows = _detail(tmp_path, "dash.pdf", [_row("1", [], wrapped), _row("2", [], listed)])
    assert rows[0].status.plain() == "Uitgevoerd door het PBT, de regio en de - een regionale " \
        "aanpak."
    assert rows[1].status.plain() == "Het plan van aanpak is gereed en loopt nu.\nMijlpalen:\n" \
        "• juli 2013: gestart\n• dec. 2013: gereed"


@pytest.mark.parametrize(("first", "rest", "letters"), [
    ("2 b,", "c", "b c"), ("2 b-", "d", "b c d"), ("2 b en", "c", "b c")])
def test_a_key_cell_wrapped_over_two_lines_is_one_key(tmp_path, first, rest, letters):
    """A narrow key column wraps '2 b, c' as '2 b,' over 'c': one row, both letters."""
    action = _lines(TITLE_X, 9, "Tweede actie in twee", "delen voor de regio")
    rows = _detail(tmp_path, "key.pdf", [
        _row("1", [], _lines(STATUS_X, 9, "Loopt.")),
        _row(first, action + [(KEY_X, 9, rest, DETAIL_SIZE)], _lines(STATUS_X, 9, "Gestart.")),
        _row("3", [], _lines(STATUS_X, 9, "Afgerond."))])
    assert [(r.number.text, r.letters.text if r.letters else "") for r in rows] == [
        ("1", ""), ("2", letters), ("3", "")]
    assert rows[1].action_text.plain() == "Tweede actie in twee delen voor de regio"


@pytest.mark.parametrize(("marker", "size", "note", "read"), [
    ("1", 5, "¹", ".¹"), ("¹", DETAIL_SIZE, "¹", ".¹"), ("(1)", DETAIL_SIZE, "(1)", ".¹"),
    ("[1]", DETAIL_SIZE, "[1]", ".¹"), ("(1)", DETAIL_SIZE, "¹", ". (1)")])
def test_a_footnote_marker_wrapped_onto_its_own_line(tmp_path, marker, size, note, read):
    """A reference the writer wrapped alone onto the next line (raised small digits,
    a superscript, a bracketed number in the footnotes' own notation) ends the text
    before it; '(1)' in an annex that numbers its footnotes '¹' is text."""
    status = _lines(STATUS_X, 9, "De prijsfactoren blijven zoals ze zijn.") + [
        (STATUS_X, 8 if size < DETAIL_SIZE else 9, marker, size)]
    rows = _detail(tmp_path, "marker.pdf", [_row("1", [], status), _row("2", [], [])], note)
    assert rows[0].status.plain() == f"De prijsfactoren blijven zoals ze zijn{read}"


@pytest.mark.parametrize("note", ["(1)", "[1]"])
def test_a_bracketed_reference_wrapped_to_a_line_start(tmp_path, note):
    status = _lines(STATUS_X, 9, "De prijsfactoren blijven zoals ze zijn.",
                    f"{note} Het kabinet volgt het advies.")
    rows = _detail(tmp_path, "start.pdf", [_row("1", [], status), _row("2", [], [])], note)
    assert rows[0].status.plain() == "De prijsfactoren blijven zoals ze zijn.¹ Het kabinet " \
        "volgt het advies."


@pytest.mark.parametrize(("hyphen_break", "joined"), [(True, "VAPRO/OVP"), (False, "VAPRO/ OVP")])
def test_a_slash_at_a_line_end_goes_on_as_the_writer_breaks(tmp_path, hyphen_break, joined):
    """A writer that breaks lines inside words (a line of the document ends in 'vmbo-'
    over 'mbo') broke 'VAPRO/OVP' after its slash; one that breaks only at spaces
    (reportlab) ended a line in a slash because a space followed it."""
    compound = ("De route vmbo-", "mbo is gestart.") if hyphen_break else (
        "De route vmbo-mbo is", "gestart.")
    rows = _detail(tmp_path, "slash.pdf", [
        _row("1", [], _lines(STATUS_X, 9, *compound)),
        _row("2", [], _lines(STATUS_X, 9, "Met de procesindustrie (VAPRO/", "OVP) is het "
                             "aanbod opgesteld.")), _row("3", [], [])])
    assert rows[1].status.plain() == f"Met de procesindustrie ({joined}) is het aanbod opgesteld."
    assert rows[0].status.plain() == "De route vmbo-mbo is gestart."


# Footnotes of different lengths, so that their word gaps fall in different places.
NOTES_AFTER = tuple(f"({n}) " + " ".join(["Een", "voetnoot", "na", "de", "tabel", "over", "de",
                                          "volle", "breedte", "gezet", "zodat", "hij", "door",
                                          "alle", "kolommen", "heen", "loopt", "en", "verder"]
                                         [n % 4:] + ["x" * (n + 2)] * 4)
                    for n in range(1, 9))


def test_a_last_page_with_one_row_and_the_footnotes_after_it_keeps_the_columns(tmp_path):
    """The table's last page holds one row, then the footnotes collected after the
    table, as long lines across every column: the columns are those of the table's
    other pages (same header places), not gutters sought in the footnotes' text."""
    status = _lines(STATUS_X, 9, "In het Techniekpact staan de", "belangrijkste initiatieven.")
    action = _lines(TITLE_X, 9, "Implementeren van de regionale Techniepacten")
    rows = _detail(tmp_path, "last.pdf", [
        _row("1", [], _lines(STATUS_X, 9, "Loopt volgens plan.")),
        _row("2", [], _lines(STATUS_X, 9, "Gestart in 2013.")), None,
        _row("3", action, status, initiator="Regio's")], note="(9)", after=NOTES_AFTER)
    last = rows[-1]
    assert (last.number.text, last.initiator.text) == ("3", "Regio's")
    assert last.action_text.plain() == "Implementeren van de regionale Techniepacten"


def test_a_word_run_across_a_ruled_border_is_two_cells(tmp_path):
    """In a ruled table, an action's line that runs up to its cell's border with the
    initiator set right after it ('opgeleide|OCW', closer than a space) is split at
    the border: the extraction joined them into one word."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = "Meer universitair opgeleide"
    start = INITIATOR_X - 2.6 - stringWidth(text, "Helvetica", DETAIL_SIZE)
    action = [(start, 0, text, DETAIL_SIZE)]
    rows = _detail(tmp_path, "ruled.pdf", [
        ([(KEY_X, 0, "1", DETAIL_SIZE), *action, (INITIATOR_X - 1.4, 0, "OCW", DETAIL_SIZE),
          (STATUS_X, 0, "Loopt.", DETAIL_SIZE)], 30),
        _row("2", [], _lines(STATUS_X, 9, "Gestart."))], ruled=True)
    assert (rows[0].action_text.plain(), rows[0].initiator.text) == (text, "OCW")


@pytest.mark.parametrize("gap", [0.7, 1.1])
def test_a_raised_marker_set_close_after_its_word_is_part_of_it(tmp_path, gap):
    """A raised small marker set 0.7 or 1.1 pt after its 8 pt word (less than a space
    of the body text, more than one of its own small print) belongs to that word."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = "De PO-Raad benut de visie."
    end = STATUS_X + stringWidth(text, "Helvetica", DETAIL_SIZE)
    status = [(STATUS_X, 0, text, DETAIL_SIZE), (end + gap, -3, "1", 5),
              (end + gap + stringWidth("1", "Helvetica", 5) + 2.5, 0, "Dit plan", DETAIL_SIZE)]
    rows = _detail(tmp_path, "raised.pdf", [_row("1", [], status), _row("2", [], [])])
    assert rows[0].status.plain() == "De PO-Raad benut de visie.¹ Dit plan"


def test_an_action_number_wrapped_in_its_key_cell_is_one_number(tmp_path):
    """A key column too narrow for two digits wraps '10' as '1' over '0', '12 a' as
    '1 a' over '2', and '13 a' as '1' over '3 a': where rows are padded (a row's first
    line further below the line above than a cell's next line), the digits under a
    number at a cell's line spacing go on with it."""
    def wrapped(first: str, rest: str) -> tuple[list[tuple], float]:
        pieces, height = _row(first, _lines(TITLE_X, 9, "Een actie voor", "scholen"),
                              _lines(STATUS_X, 9, "Loopt.", "Volgens plan."))
        return [*pieces, (KEY_X, 9, rest, DETAIL_SIZE)], height

    rows = _detail(tmp_path, "wrapped.pdf", [
        _row("9", _lines(TITLE_X, 9, "Een actie voor", "scholen"), _lines(STATUS_X, 9, "Loopt.")),
        wrapped("1", "0"), wrapped("1 a", "2"),
        _row("b", _lines(TITLE_X, 9, "Een actie voor", "scholen"), _lines(STATUS_X, 9, "Af.")),
        wrapped("1", "3 a")])
    assert [(r.number.text, r.letters.text if r.letters else "") for r in rows] == [
        ("9", ""), ("10", ""), ("12", "a"), ("12", "b"), ("13", "a")]
    assert rows[1].action_text.plain() == "Een actie voor scholen"
    assert rows[1].status.plain() == "Loopt. Volgens plan."


def test_numbers_one_line_apart_in_rows_without_padding_stay_two_rows(tmp_path):
    """Where rows sit at a cell's line spacing, '2' over '3' are two rows."""
    rows = _detail(tmp_path, "tight.pdf", [
        _row("1", _lines(TITLE_X, 9, "Een actie voor", "scholen"), _lines(STATUS_X, 9, "Loopt."),
             height=18),
        _row("2", [], _lines(STATUS_X, 9, "Gestart."), height=9),
        _row("3", [], _lines(STATUS_X, 9, "Af."), height=9)])
    assert [r.number.text for r in rows] == ["1", "2", "3"]


@pytest.mark.parametrize(("first", "rest", "under"), [("6 b", "c", "b"), ("6", "b", "6")])
def test_letters_wrapped_in_their_key_cell_are_the_rows_letters(tmp_path, first, rest, under):
    """A key cell '6 b c' wrapped at its space as '6 b' over 'c' (under the letters),
    or '6b' wrapped as '6' over 'b' (under the number), in padded rows: one row with
    every letter, not a row per line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x = KEY_X + stringWidth(first[:first.index(under)], "Helvetica", DETAIL_SIZE)
    pieces, height = _row(first, _lines(TITLE_X, 9, "Een actie voor", "scholen"),
                          _lines(STATUS_X, 9, "Loopt.", "Volgens plan."))
    rows = _detail(tmp_path, "letters.pdf", [
        _row("5", _lines(TITLE_X, 9, "Een actie voor", "scholen"), _lines(STATUS_X, 9, "Af.")),
        ([*pieces, (x, 9, rest, DETAIL_SIZE)], height),
        _row("7", _lines(TITLE_X, 9, "Een actie voor", "scholen"), _lines(STATUS_X, 9, "Af."))])
    letters = "b c" if first == "6 b" else "b"
    assert [(r.number.text, r.letters.text if r.letters else "") for r in rows] == [
        ("5", ""), ("6", letters), ("7", "")]
    assert rows[1].status.plain() == "Loopt. Volgens plan."


def test_a_word_run_across_a_borderless_column_edge_is_two_cells(tmp_path):
    """Set tight without borders, an action's line runs up to the initiator column
    and the initiator starts 1.2 pt after it (less than the extraction's word gap,
    more than letters of one word leave): the column's left edge, where the other
    rows' initiators start, splits the word the extraction built ('opgeleide|OCW')."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    text = "Meer universitair opgeleide"
    start = INITIATOR_X - 1.2 - stringWidth(text, "Helvetica", DETAIL_SIZE)
    rows = _detail(tmp_path, "borderless.pdf", [
        ([(KEY_X, 0, "1", DETAIL_SIZE), (start, 0, text, DETAIL_SIZE),
          (INITIATOR_X, 0, "Werkgevers", DETAIL_SIZE), (STATUS_X, 0, "Loopt.", DETAIL_SIZE)], 30),
        _row("2", [], _lines(STATUS_X, 9, "Gestart."), height=30),
        _row("3", [], _lines(STATUS_X, 9, "Klaar."), height=30)])
    assert [(r.action_text.plain(), r.initiator.text) for r in rows] == [
        (text, "Werkgevers"), ("Een actie voor scholen", "OCW"),
        ("Een actie voor scholen", "OCW")]


def test_lines_set_touching_with_a_marker_raised_into_the_line_above(tmp_path):
    """Lines one font size apart touch; a small marker raised half a size at the end
    of the second line reaches into the first. It belongs to the second line, and
    must not chain the two lines into one (their words interleaved)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    second = "haar strategisch meerjarenplan."
    end = STATUS_X + stringWidth(second, "Helvetica", DETAIL_SIZE)
    status = [*_lines(STATUS_X, DETAIL_SIZE, "De PO-Raad benut de visie bij", second,
                      "Dit plan dient als bron."),
              (end + 0.3, DETAIL_SIZE - 4, "1", 6)]
    rows = _detail(tmp_path, "touching.pdf", [_row("1", [], status), _row("2", [], [])])
    assert rows[0].status.plain() == (
        "De PO-Raad benut de visie bij haar strategisch meerjarenplan.¹ Dit plan dient als bron.")


def test_a_title_wrapped_before_a_number_on_a_page_of_one_row(tmp_path):
    """A page holding one row whose action wraps before a number ('160 per jaar'):
    that line opens with a number too, but in the title column, not at the keys'
    edge, and says nothing about where titles start."""
    action = _lines(TITLE_X, 9, "Deelnemers aan de opleiding groeit naar", "160 per jaar en",
                    "opleiden van trainees.")
    status = _lines(STATUS_X, 9, "Het aantal groeit volgens", "plan.")
    rows = _detail(tmp_path, "number_wrap.pdf", [_row("1", [], []), None,
                                                 _row("2", action, status)])
    assert [r.number.text for r in rows] == ["1", "2"]
    assert rows[1].action_text.plain() == (
        "Deelnemers aan de opleiding groeit naar 160 per jaar en opleiden van trainees.")
    assert rows[1].status.plain() == "Het aantal groeit volgens plan."


def test_a_slash_at_a_line_end_joined_as_the_document_prints_the_word(tmp_path):
    """A writer that breaks after a slash but never inside a word at a hyphen shows
    no sign of it in its hyphens; the word printed whole in another cell ('GL/TL')
    says the broken one ('GL/' over 'TL.') goes on without a space."""
    first = _lines(STATUS_X, 9, "Extra aandacht voor GL/", "TL. Dat loopt.")
    second = _lines(STATUS_X, 9, "Ook GL/TL doet mee.")
    rows = _detail(tmp_path, "slash_seen.pdf", [_row("1", [], first), _row("2", [], second)])
    assert rows[0].status.plain() == "Extra aandacht voor GL/TL. Dat loopt."


def test_a_line_in_other_print_right_under_the_last_footnote_is_no_part_of_it(tmp_path):
    """Footnotes after the table, the last one wrapped onto a second line, then a
    notice set right under it in smaller print (fpdf2's closing line, 6 pt under 7 pt
    notes), as close as a note's own next line: the wrapped line goes on with its
    note, the notice is no part of it."""
    after = (("(1) Een voetnoot na de tabel", 7), ("(2) Een tweede voetnoot die", 7),
             ("doorloopt op een tweede regel.", 7),
             ("PROEF - een mededeling in kleiner schrift", 6))
    status = _lines(STATUS_X, 9, "Loopt volgens plan,", "het tweede deel", "start in 2014.")
    raw = read_annex(_annex(tmp_path / "notice.pdf", note="(3)", after=after, detail_rows=[
        _row(str(number), [], status, height=30) for number in range(1, 5)]))
    assert [note.text.text for note in raw.footnotes] == [
        "Een voetnoot na de tabel", "Een tweede voetnoot die doorloopt op een tweede regel.",
        "Een voetnoot onderaan de pagina"]


def test_a_cell_run_down_into_the_running_footer_keeps_its_line(tmp_path):
    """A row too tall for its page runs its last status line down into the running
    footer, 4 pt (half an em) above the footer's baseline: the two overlap enough to
    be grouped as one line. The footer's words, furniture at the place where the other
    pages print it alone, go; the status line stays the row's (not an ambition line
    opened by the footer's first word at the table's left edge)."""
    status = _lines(STATUS_X, 9, "Loopt volgens plan, het", "tweede deel start in 2014",
                    "en loopt door tot 2016.", start=473)
    rows = _detail(tmp_path, "overrun.pdf", [
        _row("1", [], _lines(STATUS_X, 9, "Loopt.")), None,
        _row("2", [], _lines(STATUS_X, 9, "Gestart.")), None,
        _row("3", [], status, height=500)], note=None, footer=True)
    assert [(r.number.text, r.ambition.text, r.status.plain()) for r in rows] == [
        ("1", "Ambitie 1: Een proef", "Loopt."), ("2", "Ambitie 1: Een proef", "Gestart."),
        ("3", "Ambitie 1: Een proef",
         "Loopt volgens plan, het tweede deel start in 2014 en loopt door tot 2016.")]


def test_an_action_number_wrapped_in_its_key_cell_across_a_page_break(tmp_path):
    """A key column too narrow for two digits, rows broken across pages: '1' ends a
    page after row 9 and '0' opens the next; '1 a' ends a page after row 11 and '2'
    opens the next. Read alone the numbers would go back (1 after 9 and 11; no action
    is numbered 0): they are 10 and 12a, their cells going on overleaf. A row '2' at
    the top of a page after the first row '1' that ended the page before is row 2."""
    def piece(key: str, title: str, status: str, initiator: str = "") -> list[tuple]:
        cells = [(KEY_X, 0, key, DETAIL_SIZE), (TITLE_X, 0, title, DETAIL_SIZE),
                 (STATUS_X, 0, status, DETAIL_SIZE)]
        return cells + ([(INITIATOR_X, 0, initiator, DETAIL_SIZE)] if initiator else [])

    rows = _detail(tmp_path, "overleaf.pdf", [
        (piece("1", "Nog een actie", "Af.", "OCW"), 30), None,
        (piece("2", "Een actie voor scholen", "Af.", "OCW"), 30),
        _row("9", [], _lines(STATUS_X, 9, "Loopt.")),
        (piece("1", "Een actie voor", "Loopt volgens", "OCW"), 30), None,
        (piece("0", "scholen", "plan."), 30),
        _row("11", [], _lines(STATUS_X, 9, "Gestart.")),
        (piece("1 a", "Een fonds voor", "Het fonds", "OCW"), 30), None,
        (piece("2", "de regio", "start in 2014."), 30)])
    assert [(r.number.text, r.letters.text if r.letters else "", r.action_text.plain(),
             r.status.plain()) for r in rows] == [
        ("1", "", "Nog een actie", "Af."), ("2", "", "Een actie voor scholen", "Af."),
        ("9", "", "Een actie voor scholen", "Loopt."),
        ("10", "", "Een actie voor scholen", "Loopt volgens plan."),
        ("11", "", "Een actie voor scholen", "Gestart."),
        ("12", "a", "Een fonds voor de regio", "Het fonds start in 2014.")]


def test_a_group_line_alone_on_the_tables_first_page_goes_to_the_rows_below(tmp_path):
    """Rows kept whole, the first too tall for what is left of its page: the detail
    table's first page holds its header and the first group line only, no row key
    to place the titles by. The group line is still the ambition of every row below
    it, on the pages after."""
    rows = _detail(tmp_path, "group_alone.pdf", [
        None, _row("1", [], _lines(STATUS_X, 9, "Loopt.")),
        _row("2", [], _lines(STATUS_X, 9, "Gestart."))])
    assert [(r.number.text, r.ambition.text if r.ambition else "") for r in rows] == [
        ("1", "Ambitie 1: Een proef"), ("2", "Ambitie 1: Een proef")]


@pytest.mark.parametrize("marker", ["1", "¹"])
def test_a_last_line_of_one_word_and_its_marker_ends_the_page_above_its_footnote(
        tmp_path, marker):
    """A status whose last line is one word and its footnote marker (raised small
    digits, or a superscript glyph printed small), the last line of the table on its
    page, right above the page's footnotes: half its words are small print, the
    line's median size is under the body's, yet the line is the cell's, not the
    page's foot."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    status = _lines(STATUS_X, 9, "Hierdoor blijven instellingen een hogere",
                    "prijsfactor ontvangen voor dure technische")
    end = STATUS_X + stringWidth("opleidingen.", "Helvetica", DETAIL_SIZE)
    status += [(STATUS_X, 18, "opleidingen.", DETAIL_SIZE), (end + 0.5, 15, marker, 5)]
    rows = _detail(tmp_path, "last_marker.pdf", [
        _row("1", [], _lines(STATUS_X, 9, "Loopt.")), _row("2", [], status, height=40)])
    assert rows[1].status.plain() == ("Hierdoor blijven instellingen een hogere prijsfactor "
                                      "ontvangen voor dure technische opleidingen.¹")


@pytest.mark.parametrize("size", [DETAIL_SIZE, 5])
def test_a_reference_wrapped_alone_onto_the_last_line_above_the_footnotes(tmp_path, size):
    """The writer wrapped a superscript reference alone onto the cell's next line,
    the table's last on its page, right above the page's footnotes, at the text's
    size or in small print: a line of references only opens no footnote and is no
    page number; it ends the cell."""
    status = _lines(STATUS_X, 9, "De prijsfactoren blijven zoals ze zijn.") + [
        (STATUS_X, 9, "¹", size)]
    rows = _detail(tmp_path, "last_lone.pdf", [
        _row("1", [], _lines(STATUS_X, 9, "Loopt.")), _row("2", [], status, height=40)])
    assert rows[1].status.plain() == "De prijsfactoren blijven zoals ze zijn.¹"
