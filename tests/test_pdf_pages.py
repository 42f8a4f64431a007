"""The page lifecycle of the PDF reader: each page parsed once, released after reading.

- A page with /Rotate is parsed without its rotation, and whether pdfplumber's rotated
  view would read left to right is computed from those characters
  (extract.pdf_orientation.turn_weights); that computation must agree with actually
  parsing the rotated view, for text drawn upright and for text drawn turned (so that
  the rotation shows it upright).
- Released pages give up their content streams; a stream two pages share is still read
  for the second page.
- What a page keeps of a filled shape is the few entries the readers use.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from extract.pdf_annex import _pages
from extract.pdf_orientation import turn_weights, upright
from extract.pdf_page import FILL_KEYS, read_page
from extract.pdf_settings import DEFAULT_SETTINGS

WORDS = "Actie Initiatiefnemer Stand van zaken"


def _page(path: Path, rotate: int, drawn: str) -> Path:
    """One page with /Rotate `rotate`; its text drawn upright in the page's own
    coordinates ('upright') or turned so that the rotation shows it upright ('turned')."""
    width, height = A4
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setPageRotation(rotate)
    if drawn == "turned":
        # /Rotate turns the page clockwise for viewing: text turned counter-clockwise
        # by the same angle is then seen upright.
        canvas.translate(width / 2, height / 2)
        canvas.rotate(rotate)
        canvas.translate(-width / 2, -height / 2)
    canvas.setFont("Helvetica", 10)
    for line in range(6):
        canvas.drawString(120, 600 - 14 * line, f"{line + 1} {WORDS}")
    canvas.setFillColorRGB(1, 1, 0)
    canvas.rect(120, 400, 40, 12, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return path


@pytest.mark.parametrize("rotate", [90, 180, 270])
@pytest.mark.parametrize("drawn", ["upright", "turned"])
def test_turned_view_known_without_parsing_it(tmp_path, rotate, drawn):
    path = _page(tmp_path / f"{drawn}-{rotate}.pdf", rotate, drawn)
    with pdfplumber.open(path) as pdf:
        rotated = pdf.pages[0].chars
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        page.page_obj.attrs["Rotate"] = 0
        page.page_obj.rotate = 0
        unrotated = pdfplumber.page.Page(pdf, page.page_obj, 1, 0).chars
    text = sum(1 for c in rotated if c["text"].strip())
    # what the turned view shows left to right, known from the unturned characters
    assert turn_weights(unrotated)[rotate] == turn_weights(rotated)[0]
    assert turn_weights(rotated)[0] == (text if drawn == "turned" else 0)


@pytest.mark.parametrize("rotate", [90, 180, 270])
@pytest.mark.parametrize("drawn", ["upright", "turned"])
def test_upright_reads_the_view_that_reads_left_to_right(tmp_path, rotate, drawn):
    path = _page(tmp_path / f"{drawn}-{rotate}.pdf", rotate, drawn)
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        read = upright(page)
        assert (read is page) == (drawn == "turned")  # the rotated view only when it reads
        assert turn_weights(read.chars)[0] == sum(1 for c in read.chars if c["text"].strip())
        content = read_page(read, 1, DEFAULT_SETTINGS)
    assert content.lines[0].text == f"1 {WORDS}"


def test_filled_shapes_keep_only_what_the_readers_use(tmp_path):
    path = _page(tmp_path / "page.pdf", 0, "upright")
    with pdfplumber.open(path) as pdf:
        content = read_page(pdf.pages[0], 1, DEFAULT_SETTINGS)
    assert [tuple(fill) for fill in content.fills] == [FILL_KEYS]
    assert content.fills[0]["non_stroking_color"] == (1, 1, 0)


def _shared_stream_pdf(path: Path) -> Path:
    """Two pages whose /Contents is one and the same stream object."""
    stream = b"BT /F1 10 Tf 72 700 Td (Actie gedeelde inhoud) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 6 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def test_a_content_stream_shared_by_two_pages_is_read_on_both(tmp_path):
    path = _shared_stream_pdf(tmp_path / "shared.pdf")
    pages, _ = _pages(path, 10, path.name, DEFAULT_SETTINGS)
    assert [[line.text for line in page.lines] for page in pages] == \
        [["Actie gedeelde inhoud"], ["Actie gedeelde inhoud"]]


def test_released_pages_give_up_their_content_streams(tmp_path):
    from extract.pdf_page import release_page

    path = _page(tmp_path / "page.pdf", 0, "upright")
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        ids = [stream.objid for stream in page.page_obj.contents]
        read_page(page, 1, DEFAULT_SETTINGS)
        assert all(objid in pdf.doc._cached_objs for objid in ids)
        release_page(page)
        assert page.page_obj.contents == []
        assert not any(objid in pdf.doc._cached_objs for objid in ids)
