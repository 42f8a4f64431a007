"""Timeline colours as pdfplumber reports them, in every colour space."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.pdf_colour import classify, read_fill
from extract.pdf_settings import DEFAULT_SETTINGS
from facsimile.layouts.options import PALETTE


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ((1, 1, 0), "looptijd"),  # Word's pure yellow, RGB
        ((1.0, 0.949, 0.8), "looptijd"),  # spreadsheet pale yellow #FFF2CC
        ((1.0, 0.922, 0.612), "looptijd"),  # #FFEB9C
        ((0, 0, 1, 0), "looptijd"),  # CMYK yellow
        ((0, 0.69, 0.31), "mijlpaal"),  # Word green
        ((0.776, 0.878, 0.706), "mijlpaal"),  # pale green #C6E0B4
        ((0.5, 0, 1, 0.2), "mijlpaal"),  # CMYK green
        ((0.2, 0.4, 0.9), "onbekend"),  # blue: a colour, but not a timeline one
        (0.85, None),  # DeviceGray, as a bare float
        ((0.85,), None),
        ((1, 1, 1), None),  # white
        ((0, 0, 0, 1), None),  # CMYK black
        ("P1", "onbekend"),  # a pattern name: no colour to judge
        (((0.5, 0.5, 0.5), "P2"), "onbekend"),  # uncoloured pattern
        (None, "onbekend"),
    ],
)
def test_classify_fill(value, expected):
    assert classify(read_fill(value)) == expected


def test_fill_description_names_the_colour_space():
    assert read_fill((0, 0, 1, 0)).description == "cmyk(0,0,1,0)"
    assert read_fill(0.85).description == "gray(0.85)"
    assert read_fill((1, 1, 0)).description == "rgb(1,1,0)"


def test_legend_swatches_decide_when_present():
    # A document whose legend shows orange for looptijd and teal for mijlpaal.
    legend = {"looptijd": (1.0, 0.5, 0.0), "mijlpaal": (0.0, 0.5, 0.5)}
    assert classify(read_fill((1.0, 0.5, 0.0)), legend) == "looptijd"
    assert classify(read_fill((0.0, 0.5, 0.5)), legend) == "mijlpaal"
    assert classify(read_fill((0.5, 0.0, 1.0)), legend) == "onbekend"  # violet: neither
    assert classify(read_fill((1, 1, 1)), legend) is None  # the paper: not shaded


def test_a_grey_legend_makes_greys_count():
    legend = {"looptijd": (0.8, 0.8, 0.8), "mijlpaal": (0.45, 0.45, 0.45)}
    assert classify(read_fill(0.8), legend) == "looptijd"
    assert classify(read_fill((0.47,)), legend) == "mijlpaal"
    assert classify(read_fill(1.0), legend) is None
    assert classify(read_fill(0.8)) is None  # without a legend grey never counts


def test_an_index_into_an_indexed_colour_space_is_not_taken_for_white():
    assert classify(read_fill((7,))) == "onbekend"


def test_a_shape_spanning_several_years_counts_for_each_period_it_covers():
    from extract.pdf_matrix import _Columns, _covered

    columns = _Columns(groups=[], boundaries=[], party_left=0, timeline_left=100,
                       years=[2013, 2014, 2015, 2016], year_left=[100, 150, 200, 250],
                       year_width=50)
    merged = {"x0": 100.0, "x1": 200.0}  # one shape over 2013 and 2014 (a colspan)
    assert list(_covered(merged, columns, 25.0, 2)) == [
        (2013, 1), (2013, 2), (2014, 1), (2014, 2)]
    second_half = {"x0": 226.0, "x1": 249.0}
    assert list(_covered(second_half, columns, 25.0, 2)) == [(2015, 2)]


def test_a_pattern_cell_shows_the_colour_that_fills_most_of_it():
    from extract.pdf_pattern import dominant_fill

    hatched = b"1 1 0 rg 0 0 4 4 re f 0 0 0 RG 0.3 w 0 0 m 4 4 l S"
    assert dominant_fill(hatched) == (1.0, 1.0, 0.0)  # stroked hatching does not count
    two = b"0 0 1 0 k 0 0 1 1 re f 0.2 g 0 0 4 4 re f"
    assert dominant_fill(two) == (0.2,)  # the larger filled area wins
    assert dominant_fill(b"0 0 0 RG 0 0 m 4 4 l S") is None  # nothing filled
    assert dominant_fill(b"/P0 cs /X scn 0 0 4 4 re f") is None  # no device colour


def _pdf_with_pattern_fills(path, through_form: bool = False) -> None:
    """A one-page PDF, written object by object: a rectangle filled with a
    coloured tiling pattern (a yellow cell with dark hatching) and one filled
    with an uncoloured tiling pattern drawn in green. through_form: the coloured
    cell is drawn by a form XObject the pattern paints (`/X0 Do`), as poppler's
    cairo writer draws every pattern cell."""
    coloured = b"1 1 0 rg 0 0 4 4 re f 0 0 0 RG 0.3 w 0 0 m 4 4 l S"
    form = (b"<< /Type /XObject /Subtype /Form /BBox [0 0 4 4] /Length %d >>\n"
            b"stream\n%s\nendstream" % (len(coloured), coloured))
    resources = b"<< /XObject << /X0 7 0 R >> >>" if through_form else b"<< >>"
    uncoloured = b"0 0 m 4 4 l S 0 0 2 2 re f"
    content = (b"/Pattern cs /P0 scn 10 10 40 20 re f "
               b"/CSp cs 0 0.69 0.31 /P1 scn 60 10 40 20 re f")

    def tiling(paint: int, body: bytes, own: bytes = b"<< >>") -> bytes:
        return (b"<< /Type /Pattern /PatternType 1 /PaintType %d /TilingType 1 "
                b"/BBox [0 0 4 4] /XStep 4 /YStep 4 /Resources %s /Length %d >>\n"
                b"stream\n%s\nendstream" % (paint, own, len(body), body))

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 120 40] /Contents 4 0 R "
        b"/Resources << /Pattern << /P0 5 0 R /P1 6 0 R >> "
        b"/ColorSpace << /CSp [/Pattern /DeviceRGB] >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        tiling(1, b"/X0 Do", resources) if through_form else tiling(1, coloured),
        tiling(2, uncoloured),
        form,
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))


@pytest.mark.parametrize("through_form", [False, True])
def test_tiling_pattern_fills_read_as_the_colour_they_show(tmp_path, through_form):
    import pdfplumber

    from extract import pdf_pattern

    pdf_pattern.install()
    path = tmp_path / "patterns.pdf"
    _pdf_with_pattern_fills(path, through_form)
    with pdfplumber.open(path) as pdf:
        fills = sorted((r for r in pdf.pages[0].rects if r["fill"]), key=lambda r: r["x0"])
    assert [tuple(r["non_stroking_color"]) for r in fills] == [(1.0, 1.0, 0.0), (0, 0.69, 0.31)]
    assert [classify(read_fill(r["non_stroking_color"])) for r in fills] == ["looptijd",
                                                                             "mijlpaal"]


# --- after re-distillers: CMYK greys, glyphs ------------------------------------------

@given(level=st.floats(0.0, 0.95), extra=st.floats(0.0, DEFAULT_SETTINGS.cmyk_grey_balance),
       black=st.floats(0.0, 0.6))
def test_a_cmyk_grey_with_extra_cyan_is_grey(level, extra, black):
    """A colour-managed grey: magenta and yellow equal, cyan up to the grey balance
    above them, any black: never a colour, so never a cell or a class."""
    cyan = min(1.0, level + extra)
    fill = read_fill((cyan, level, level, black))
    assert classify(fill) is None
    assert fill.description.startswith("cmyk(")  # the colour as printed stays on record


@pytest.mark.parametrize("name", sorted(PALETTE))
def test_every_legend_colour_in_cmyk_keeps_its_hue(name):
    """Each colour a legend may use, converted to CMYK: it reads as the colour it is
    (its hue class as in RGB; none of them is taken for a grey)."""
    rgb = PALETTE[name]
    black = 1 - max(rgb)
    cmyk = tuple((1 - v - black) / (1 - black) for v in rgb) + (black,)
    assert classify(read_fill(cmyk)) == classify(read_fill(rgb)) is not None


@pytest.mark.parametrize(("printed", "read"), [
    ("pss\u00aden", "pss-en"),  # mupdf's convert names every hyphen a soft hyphen
    ("vmbo\u00ad", "vmbo-"),
    ("a\u037e", "a;"),  # the Greek question mark is a semicolon (canonically)
    ("geı\u0308nformeerd".replace("ı", "i"), "geïnformeerd"),  # i + combining diaeresis
    ("(cid:127)", "•"),  # a base-14 font's bullet (vocab/cid_glyphs.csv)
    ("¹⁰", "¹⁰"),  # superscript digits stay as printed
    ("\ufb01nanciering \ufb02exibel", "financiering flexibel"),  # ligature glyphs
])
def test_a_words_text_as_printed(printed, read):
    from extract.pdf_words import printed_text

    assert printed_text(printed) == read


def test_a_glyph_without_unicode_refuses_its_row_with_its_place(tmp_path, monkeypatch):
    """A title glyph whose code the font does not name (a re-distiller dropped the
    font's ToUnicode): the reader refuses, naming table, row, field, page and bbox,
    instead of publishing '(cid:1)'."""
    import reportlab.rl_config

    from extract import read_annex
    from ir import StageError
    from tests.test_pdf_timeline_facts import GREEN, YELLOW, _annex

    monkeypatch.setattr(reportlab.rl_config, "pageCompression", 0)  # text in the clear
    path = _annex(tmp_path / "plain.pdf", {"looptijd": YELLOW, "mijlpaal": GREEN}, None)
    data = path.read_bytes()
    assert read_annex(path).matrix_rows[0].title.text == "Eerste actie voor scholen"
    # one byte for another: the offsets stay right; code 1 has no glyph in WinAnsi
    broken = tmp_path / "unnamed.pdf"
    broken.write_bytes(data.replace(b"(Eerste actie voor", b"(Eerste \x01ctie voor", 1))
    with pytest.raises(StageError) as error:
        read_annex(broken)
    line = error.value.one_line()
    assert "matrix, row 1, title" in line and "(cid:1)" in line
    assert "page 1 bbox(" in line
    # Every letter unnamed (mupdf's convert after Writer): no table is found, and the
    # refusal says the text layer is why; one unnamed word alone would not.
    import re

    letters = bytes.maketrans(bytes(range(97, 123)), b"\x01" * 26)
    unreadable = tmp_path / "unreadable.pdf"
    unreadable.write_bytes(re.sub(rb"\(([^()\\]*)\) Tj",
                                  lambda m: b"(" + m.group(1).translate(letters) + b") Tj",
                                  data))
    with pytest.raises(StageError) as error:
        read_annex(unreadable)
    assert "the text layer does not name its glyphs" in error.value.one_line()
    header_only = tmp_path / "header-only.pdf"
    header_only.write_bytes(data.replace(b"(Actie)", b"(\x01ctie)"))
    with pytest.raises(StageError) as error:
        read_annex(header_only)
    assert "no matrix table" in error.value.one_line()


def test_every_unnamed_glyph_form_is_found():
    from extract.pdf_glyphs import unnamed_glyph

    assert unnamed_glyph("b(cid:12)tavakken") == "(cid:12)"
    assert unnamed_glyph("b\x01tavakken") == "\x01"
    assert unnamed_glyph("bètavakken¹ – ‘x’\n") is None
