"""Words of a PDF page as printed, whatever glyphs the writer used for its spaces.

A re-distiller may print no space glyphs at all (pdftocairo sets each word as its own
run), leaving only the gap; letter-spaced print widens every gap. Each test draws a
case with reportlab and compares the words read with the words drawn.
"""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from extract.pdf_settings import DEFAULT_SETTINGS
from extract.pdf_words import body_size, group_lines, page_words
from tests.test_pdf_layout_facts import (
    DETAIL_SIZE,
    INITIATOR_X,
    KEY_X,
    STATUS_X,
    TITLE_X,
    _detail,
    _row,
)

FONT = "Helvetica"


def _spaceless(x: float, below: float, text: str, size: float, gap_em: float) -> list[tuple]:
    """`text` as one piece per word, `gap_em` of the size apart, no space glyph printed."""
    pieces = []
    for word in text.split():
        pieces.append((x, below, word, size))
        x += stringWidth(word, FONT, size) + gap_em * size
    return pieces


def test_words_printed_without_space_glyphs_are_words(tmp_path):
    """Spaces left as gaps of 0.18 em (a narrow font's space, narrowed further by
    kerning: 'de ALV' after pdftocairo), closer than the extraction's word tolerance
    of 0.2 em of the body size: each gap is still a space, in the title and in the
    status, and no word is split inside."""
    title = "Meer techniek in de ALV van het onderwijs"
    status = "Zoals bekrachtigd tijdens de ALV van 7 juni 2013 loopt het volgens plan."
    rows = _detail(tmp_path, "spaceless.pdf", [
        _row("1", _spaceless(TITLE_X, 0, title, DETAIL_SIZE, 0.18),
             _spaceless(STATUS_X, 0, status, DETAIL_SIZE, 0.18)),
        _row("2", [], _spaceless(STATUS_X, 0, "Gestart in 2013.", DETAIL_SIZE, 0.18))])
    assert [(r.action_text.plain(), r.status.plain()) for r in rows] == [
        (title, status), ("Een actie voor scholen", "Gestart in 2013.")]


def test_small_print_without_space_glyphs_keeps_its_spaces(tmp_path):
    """A line at 6/7 of the body size whose spaces are gaps of 0.22 em of its own size
    (a footnote after pdftocairo): narrower than the extraction's tolerance, which is
    measured in the body size; a space all the same."""
    text = "Rapport Commissie Van der Touw, ruimte voor ontwikkeling, juni 2013."
    status = _spaceless(STATUS_X, 0, text, DETAIL_SIZE * 6 / 7, 0.22)
    rows = _detail(tmp_path, "small.pdf", [_row("1", [], [*status]), _row("2", [], [])])
    assert rows[0].status.plain() == text


def _letter_spaced(path: Path, lines: list[str], char_space: float, size: float = 8) -> Path:
    canvas = Canvas(str(path), invariant=1)
    for index, text in enumerate(lines):
        obj = canvas.beginText(50, 700 - index * 2 * size)
        obj.setFont(FONT, size)
        obj.setCharSpace(char_space)
        obj.textLine(text)
        canvas.drawText(obj)
    canvas.showPage()
    canvas.save()
    return path


def _words(path: Path) -> list[list[str]]:
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        words = page_words(page, 1, DEFAULT_SETTINGS, body_size(page))
    return [[w.text for w in line.words] for line in group_lines(words)]


def test_letter_spaced_words_stay_whole(tmp_path):
    """Letter-spaced print (1.5 pt between any two letters at 8 pt: 0.19 em, wider than
    a space gap without letter spacing) widens every gap alike: its words are whole,
    each space still a space."""
    lines = ["Stand van zaken per actie", "Techniekpact 2013 onderwijs"]
    assert _words(_letter_spaced(tmp_path / "spaced.pdf", lines, 1.5)) == [
        line.split() for line in lines]
    assert _words(_letter_spaced(tmp_path / "plain.pdf", lines, 0)) == [
        line.split() for line in lines]


DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_a_printed_space_glyph_is_a_space_however_narrow_the_gap(tmp_path):
    """A superscript marker from a substituted font set wider than the writer laid it
    out (Calc's '⁶' from NimbusSansNarrow: 0.27 em where it advanced 0.17) overlaps
    the space glyph printed after it; the gap left between the marker and the next
    word (0.1 em, after mupdf's convert rounds the positions) is narrower than a gap
    that is a space by itself. The space glyph printed there says it is one; without
    one, the same gap stays no space."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not DEJAVU.exists():
        pytest.skip("fonts-dejavu-core is not installed")
    pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
    size = 10

    def draw(path: Path, space: bool) -> Path:
        canvas = Canvas(str(path), invariant=1)
        canvas.setFont("DejaVuSans", size)
        x = 50.0
        canvas.drawString(x, 700, "praktijkleren.")
        x += stringWidth("praktijkleren.", "DejaVuSans", size)
        canvas.drawString(x, 700, "⁶")
        x += stringWidth("⁶", "DejaVuSans", size)
        start = x + 0.1 * size  # where the next word starts: 0.1 em after the marker
        if space:  # the space glyph, ending where the next word starts
            canvas.drawString(start - stringWidth(" ", "DejaVuSans", size), 700, " ")
        canvas.drawString(start, 700, "De regeling")
        canvas.showPage()
        canvas.save()
        return path

    def text(path: Path) -> list[str]:
        with pdfplumber.open(path) as pdf:
            page = pdf.pages[0]
            words = page_words(page, 1, DEFAULT_SETTINGS, body_size(page))
        return [line.text for line in group_lines(words)]

    assert text(draw(tmp_path / "spaced.pdf", True)) == ["praktijkleren.⁶ De regeling"]
    assert text(draw(tmp_path / "gap.pdf", False)) == ["praktijkleren.⁶De regeling"]


@pytest.mark.parametrize("padding", [0.5, 0.7])
def test_a_title_run_into_the_next_column_after_tight_padding_only(tmp_path, padding):
    """Cells set tight without borders (reportlab's 0.3 pt of padding a side) leave only
    0.5-0.7 pt (0.06-0.09 em at 8 pt) between an action line that fills its column and
    the initiator starting at the next column's edge: less than a space, more than
    the letters of one word leave. The column's edge, where the other rows'
    initiators start, says the word the extraction built ('techniekonderwijs.nl"Sociale')
    is two cells."""
    text = '"techniekonderwijs.nl"'
    start = INITIATOR_X - padding - stringWidth(text, FONT, DETAIL_SIZE)
    rows = _detail(tmp_path, "tight.pdf", [
        ([(KEY_X, 0, "1", DETAIL_SIZE), (start, 0, text, DETAIL_SIZE),
          (INITIATOR_X, 0, "Sociale partners", DETAIL_SIZE),
          (STATUS_X, 0, "Loopt.", DETAIL_SIZE)], 30),
        _row("2", [], _lines_at(STATUS_X, "Gestart."), height=30),
        _row("3", [], _lines_at(STATUS_X, "Klaar."), height=30)])
    assert [(r.action_text.plain(), r.initiator.text) for r in rows] == [
        (text, "Sociale partners"), ("Een actie voor scholen", "OCW"),
        ("Een actie voor scholen", "OCW")]


def _lines_at(x: float, *texts: str) -> list[tuple]:
    return [(x, 9 * index, text, DETAIL_SIZE) for index, text in enumerate(texts)]
