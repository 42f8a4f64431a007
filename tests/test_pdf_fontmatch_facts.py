"""Glyphs a re-distiller left unnamed, or named wrongly, read from their outlines
(extract/pdf_fontmatch), on PDFs built here with a known text: reportlab draws the
text with an embedded TrueType subset, and its ToUnicode map is then removed or
replaced by a wrong one, as Ghostscript and mupdf's convert leave them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from extract import pdf_fontmatch

pytest.importorskip("reportlab")
pytest.importorskip("fontTools")
pypdf = pytest.importorskip("pypdf")

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
needs_dejavu = pytest.mark.skipif(not DEJAVU.exists(), reason="fonts-dejavu-core is not "
                                  "installed (make browser installs it)")
# Dutch accents, digits, a superscript footnote marker, punctuation and a dash: what
# the annex prints; each glyph's outline is distinct in DejaVu Sans.
KNOWN = "bètavakken coördinatie ideeën 2013–2014 regio's ⁴ (vmbo)"


def _draw(text: str, font_path: Path, name: str) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont(name, str(font_path)))
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=(600, 200))
    page.setFont(name, 12)
    page.drawString(20, 100, text)
    page.save()
    return out.getvalue()


def _rewrite_maps(pdf: bytes, cmap: bytes | None) -> bytes:
    """The PDF with every font's ToUnicode map removed (cmap None) or replaced."""
    from pypdf.generic import DecodedStreamObject, NameObject

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    writer = pypdf.PdfWriter(clone_from=reader)
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if cmap is None:
                font.pop("/ToUnicode", None)
            else:
                stream = DecodedStreamObject()
                stream.set_data(cmap)
                font[NameObject("/ToUnicode")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text(pdf: bytes) -> str:
    import pdfplumber

    pdf_fontmatch.install()
    pdf_fontmatch.forget()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        return "".join(c["text"] for c in document.pages[0].chars)


def _every_code_as(char: str) -> bytes:
    """A ToUnicode map present but wrong: every one-byte code names `char` (bfchar
    blocks of at most 100 entries, as the CMap format allows)."""
    blocks = [b"%d beginbfchar\n" % len(part) + b"".join(
        b"<%02X> <%04X>\n" % (code, ord(char)) for code in part) + b"endbfchar\n"
        for part in (range(start, min(start + 100, 256)) for start in range(0, 256, 100))]
    return (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            b"/CMapName /Wrong def /CMapType 2 def\n1 begincodespacerange <00> <FF> "
            b"endcodespacerange\n" + b"".join(blocks) +
            b"endcmap CMapName currentdict /CMap defineresource pop end end\n")


@needs_dejavu
def test_the_map_intact_reads_as_drawn():
    assert _text(_draw(KNOWN, DEJAVU, "DejaVuSans")) == KNOWN


@needs_dejavu
def test_without_a_map_every_glyph_is_read_from_its_outline():
    stripped = _rewrite_maps(_draw(KNOWN, DEJAVU, "DejaVuSans"), None)
    assert _text(stripped) == KNOWN


@needs_dejavu
def test_a_wrong_map_is_overruled_by_the_outline():
    # As Ghostscript's re-encoded superscripts ('⁴' printed, 't' in the text layer):
    # every code named 't', and only the glyph that is a 't' keeps it.
    wrong = _rewrite_maps(_draw(KNOWN, DEJAVU, "DejaVuSans"), _every_code_as("t"))
    assert _text(wrong) == KNOWN


@needs_dejavu
def test_a_ligature_is_read_as_its_letters():
    # 'ﬁ' is one glyph, reached in the installed font through GSUB (f + i) and its
    # cmap (U+FB01): the repertoire of the annex text chooses the letters.
    stripped = _rewrite_maps(_draw("ofﬁcieel", DEJAVU, "DejaVuSans"), None)
    assert _text(stripped) == "officieel"


def _odd_font(path: Path) -> None:
    """A TrueType font whose glyph for 'a' is an outline no installed font has."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "a"])
    builder.setupCharacterMap({ord("a"): "a"})
    glyphs = {}
    for name, points in ((".notdef", [(0, 0), (500, 0), (500, 700)]),
                         ("a", [(13, 17), (431, 29), (377, 611), (59, 487), (211, 263)])):
        pen = TTGlyphPen(None)
        pen.moveTo(points[0])
        for point in points[1:]:
            pen.lineTo(point)
        pen.closePath()
        glyphs[name] = pen.glyph()
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({".notdef": (500, 0), "a": (457, 13)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "OddTest", "styleName": "Regular",
                            "psName": "OddTest-Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))


def test_a_glyph_no_installed_font_has_stays_unnamed_and_says_why(tmp_path):
    font = tmp_path / "odd.ttf"
    _odd_font(font)
    # Its map names every code as a control character (mupdf's convert's maps);
    # without any map, the code would read as a letter no installed font can check.
    unnamed = _rewrite_maps(_draw("aaa", font, "OddTest"), _every_code_as("\x01"))
    text = _text(unnamed)
    assert text == "\x01" * 3
    why = pdf_fontmatch.why_unnamed("\x01")
    assert why is not None and "no installed font has its outline" in why
    assert "OddTest" in why
    # The refusal (pdf_glyphs) carries the reason.
    from extract import pdf_glyphs

    assert pdf_glyphs._why("\x01") == f"; {why}"


def test_lookalikes_are_chosen_by_the_repertoire_and_their_family():
    # Hyphen and soft hyphen share an outline: the annex writes the hyphen.
    assert pdf_fontmatch.choose({"-", "\u00ad"}) == "-"
    # A ligature's letters over its presentation form.
    assert pdf_fontmatch.choose({"fi", "\ufb01"}) == "fi"
    # The text layer's own character, when it is one of them, is kept.
    assert pdf_fontmatch.choose({"-", "\u00ad"}, "\u00ad") == "\u00ad"
    # O and 0 both belong to the annex text and are no family: refused.
    assert pdf_fontmatch.choose({"O", "0"}) is None


def test_a_subset_tag_is_not_part_of_the_font_name():
    assert pdf_fontmatch._untagged("AAAAAA+DejaVuSans-Bold") == "DejaVuSans-Bold"
    assert pdf_fontmatch._untagged("DejaVuSans-Bold") == "DejaVuSans-Bold"


def _cff_pdf() -> bytes:
    """A PDF by hand: a simple Type1 font whose CFF program (FontFile3 /Type1C) has its
    own encoding (code 1 'edieresis', code 2 'a') and the PDF none: pdfminer falls
    back to StandardEncoding, which names neither code."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.misc.psCharStrings import T2CharString
    from fontTools.ttLib import TTFont

    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "edieresis", "a"])
    builder.setupCharacterMap({})
    box = T2CharString(program=[500, 0, 0, "rmoveto", 400, 0, "rlineto", 0, 600,
                                "rlineto", "endchar"])
    builder.setupCFF("OddCff", {"FullName": "OddCff"},
                     {".notdef": box, "edieresis": box, "a": box}, {})
    builder.setupHorizontalMetrics({n: (500, 0) for n in (".notdef", "edieresis", "a")})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "OddCff", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    top = builder.font["CFF "].cff.topDictIndex[0]
    top.Encoding = [".notdef", "edieresis", "a"] + [".notdef"] * 253
    saved = io.BytesIO()
    builder.save(saved)
    program = TTFont(io.BytesIO(saved.getvalue())).reader["CFF "]
    content = b"BT /F1 12 Tf 20 100 Td <0102> Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /ABCDEF+OddCff /FirstChar 1 "
        b"/LastChar 2 /Widths [500 500] /FontDescriptor 6 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /FontDescriptor /FontName /ABCDEF+OddCff /Flags 32 /FontBBox "
        b"[0 0 500 600] /ItalicAngle 0 /Ascent 800 /Descent -200 /CapHeight 600 "
        b"/StemV 80 /FontFile3 7 0 R >>",
        b"<< /Subtype /Type1C /Length %d >>\nstream\n%s\nendstream" % (len(program),
                                                                       program),
    ]
    return _pdf(objects)


def test_a_cff_font_is_read_by_its_own_glyph_names():
    assert _text(_cff_pdf()) == "ëa"


def test_glyph_names_that_say_no_character():
    assert pdf_fontmatch.glyph_name_char("edieresis") == "ë"
    assert pdf_fontmatch.glyph_name_char("f_i") == "fi"
    assert pdf_fontmatch.glyph_name_char("glyph00001") is None
    assert pdf_fontmatch.glyph_name_char("uniF001") is None


@needs_dejavu
def test_a_map_naming_what_the_font_has_no_glyph_for_yields_to_the_outline():
    # As Ghostscript's map for a ligature, 'fi' written as U+6600 U+6900 ('昀椀'):
    # DejaVu Sans draws no such character, so the outline decides.
    wrong = _rewrite_maps(_draw(KNOWN, DEJAVU, "DejaVuSans"), _every_code_as("昀"))
    assert _text(wrong) == KNOWN


def test_an_embedded_font_is_the_installed_one_by_its_name_however_spelled():
    serif = pdf_fontmatch.InstalledFont("DejaVuSerif.ttf", "DejaVuSerif", "DejaVuSerif")
    assert pdf_fontmatch.same_name("NLHPNZ+DejaVu-Serif", serif)  # WeasyPrint's spelling
    assert pdf_fontmatch.same_name("DejaVuSerif", serif)
    assert not pdf_fontmatch.same_name("DejaVuSerif-Bold", serif)


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF by hand from its numbered objects (1: catalog ... as the caller writes)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def _type1_program(encoding: dict[int, str], order: list[str]) -> bytes:
    """A Type 1 font program (as a PDF's FontFile holds it: clear text, then the
    eexec-encrypted binary part) with the glyphs `order` (in that order, each a box)
    and its own /Encoding."""
    from fontTools.misc import eexec
    from fontTools.misc.psCharStrings import T1CharString

    def charstring(program):
        code = T1CharString(program=program)
        code.compile()
        return eexec.encrypt(b"\0\0\0\0" + code.bytecode, 4330)[0]

    box = [0, 500, "hsbw", 50, 0, "rmoveto", 400, 0, "rlineto", 0, 600, "rlineto",
           -400, 0, "rlineto", "closepath", "endchar"]
    glyphs = b"".join(b"/%s %d RD %s ND\n" % (name.encode(), len(data), data)
                      for name in order for data in [charstring(box)])
    private = (b"dup /Private 8 dict dup begin\n/RD{string currentfile exch readstring pop}"
               b"executeonly def\n/ND{noaccess def}executeonly def\n/NP{noaccess put}"
               b"executeonly def\n/MinFeature{16 16} def\n/password 5839 def\n"
               b"/Subrs 0 array\nND\n2 index /CharStrings %d dict dup begin\n" % len(order)
               + glyphs + b"end\nend\nreadonly put\nnoaccess put\n"
               b"dup /FontName get exch definefont pop\nmark currentfile closefile\n")
    clear = (b"%!FontType1-1.0: OddType1 001.000\n11 dict begin\n/FontType 1 def\n"
             b"/PaintType 0 def\n/FontName /OddType1 def\n/FontMatrix [0.001 0 0 0.001 0 0]"
             b" readonly def\n/FontBBox {0 0 500 600} readonly def\n/Encoding 256 array\n"
             b"0 1 255 {1 index exch /.notdef put} for\n"
             + b"".join(b"dup %d /%s put\n" % (code, name.encode())
                        for code, name in sorted(encoding.items()))
             + b"readonly def\ncurrentdict end\ncurrentfile eexec\n")
    return clear + eexec.encrypt(b"\0\0\0\0" + private, 55665)[0] + \
        b"\n" + b"0" * 512 + b"\ncleartomark\n"


# The ToUnicode map mupdf's convert writes for the fonts it re-encodes: every code
# named as itself, a control character.
CODES_AS_THEMSELVES = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                       b"/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
                       b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                       b"1 beginbfrange <0000> <0002> <0000> endbfrange\n"
                       b"endcmap CMapName currentdict /CMap defineresource pop end end\n")


def _type1_pdf(cid: bool, encoding: dict[int, str], order: list[str]) -> bytes:
    """A page printing codes 1 and 2 of a font whose program is Type 1 (FontFile): a
    simple Type1 font, or (cid) the CIDFontType0 of a Type0 font (Identity-H), as
    mupdf's convert writes a font it substituted. Its ToUnicode map names the codes
    as themselves, its program's glyph names say the characters."""
    program = _type1_program(encoding, order)
    cmap = CODES_AS_THEMSELVES if cid else CODES_AS_THEMSELVES.replace(
        b"<0000> <FFFF>", b"<00> <FF>").replace(b"<0000> <0002> <0000>", b"<00> <02> <0000>")
    content = b"BT /F1 12 Tf 20 100 Td <%s> Tj ET" % (b"00010002" if cid else b"0102")
    descriptor = (b"<< /Type /FontDescriptor /FontName /EAAAAA+OddType1 /Flags 32 /FontBBox "
                  b"[0 0 500 600] /ItalicAngle 0 /Ascent 800 /Descent -200 /StemV 80 "
                  b"/FontFile 7 0 R >>")
    if cid:
        font = (b"<< /Type /Font /Subtype /Type0 /BaseFont /EAAAAA+OddType1 /Encoding "
                b"/Identity-H /ToUnicode 8 0 R /DescendantFonts [9 0 R] >>")
    else:
        font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /EAAAAA+OddType1 /FirstChar 0 "
                b"/LastChar 2 /Widths [0 500 500] /FontDescriptor 6 0 R /ToUnicode 8 0 R >>")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 200] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        font,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        descriptor,
        b"<< /Length1 %d /Length2 0 /Length3 0 /Length %d >>\nstream\n%s\nendstream" % (
            len(program), len(program), program),
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(cmap), cmap),
        b"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /OddType1 /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor "
        b"6 0 R /DW 500 >>",
    ]
    return _pdf(objects)


@pytest.mark.parametrize("cid", [False, True], ids=["simple", "cid"])
def test_a_type1_program_is_read_by_its_own_glyph_names(cid):
    # mupdf's convert: a substituted font's superscripts, codes 1.. named as
    # themselves ('\x01') in the text layer, 'foursuperior' in the program.
    pdf = _type1_pdf(cid, {1: "foursuperior", 2: "edieresis"},
                     [".notdef", "foursuperior", "edieresis"])
    assert _text(pdf) == "⁴ë"


def test_a_cid_type1_program_whose_encoding_and_glyph_order_differ_stays_unnamed():
    # The code reaches glyph 1 ('edieresis') by the glyph order a viewer draws by,
    # 'foursuperior' by the program's encoding: which one is printed is not known.
    pdf = _type1_pdf(True, {1: "foursuperior", 2: "edieresis"},
                     [".notdef", "edieresis", "foursuperior"])
    assert _text(pdf) == "\x01\x02"
    why = pdf_fontmatch.why_unnamed("\x01")
    assert why is not None and "OddType1" in why and "Type 1" in why
