"""Glyphs the PDF prints but its text layer does not name: refused, never published.

A re-distiller that re-encodes fonts can drop their ToUnicode maps (Ghostscript
re-subsetting a TrueType font with its own codes, mupdf's convert writing a map that
names codes, not characters): pdfminer then reports a glyph it cannot name as
`(cid:N)`, or as the raw code, a control character. The glyph's outline is all the
file still holds of it, so which letter it was (`ë` in `bètavakken`) cannot be read;
the reader says where instead of publishing `b(cid:1)tavakken`.

Glyphs that the base-14 fonts leave unnamed in a known way (`(cid:127)`, a bullet)
are named by vocab/cid_glyphs.csv before this check (extract/pdf_words.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from extract import pdf_fontmatch
from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings
from ir import Provenance, RawAnnex, Span, StageError, TextBlocks

STAGE = "extract"
# `(cid:N)` as pdfminer writes a glyph it cannot name, or a control character (a raw
# code below 32, or DEL and the C1 range); tab, line feed and carriage return are
# white space a text layer may hold.
UNNAMED = re.compile(r"\(cid:\d+\)|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def unnamed_glyph(text: str) -> str | None:
    """The first glyph in `text` that the text layer does not name, as printed."""
    match = UNNAMED.search(text)
    return match.group(0) if match else None


def refuse_unnamed_glyphs(raw: RawAnnex) -> None:
    """A StageError for the first value of the annex that holds an unnamed glyph,
    naming the table, the row, the field and where it is printed."""
    for place, text, where in _values(raw):
        glyph = unnamed_glyph(text)
        if glyph is None:
            continue
        page = f"page {where.page}" if where.page is not None else "the document"
        box = f" bbox({', '.join(f'{v:.1f}' for v in where.bbox)})" if where.bbox else ""
        raise StageError(raw.source_file, STAGE,
                         f"{place}: a glyph the text layer does not name ({glyph!r}: the "
                         "font has no Unicode map for it, e.g. after re-distilling"
                         f"{_why(glyph)})",
                         f"{page}{box}")


def refuse_unreadable_text(pages, file: str, settings: PdfSettings = DEFAULT_SETTINGS) -> None:
    """Where no table was found: a StageError if a page's text layer does not name its
    glyphs (at least `unreadable_word_share` of its words hold one: then that, not a
    missing header, is why), at the first such word. A few unnamed accents on a page
    the tables were not found on for another reason say nothing about it."""
    for page in pages:
        unnamed = [w for w in page.words if unnamed_glyph(w.text) is not None]
        if not unnamed or len(unnamed) < settings.unreadable_word_share * len(page.words):
            continue
        word = unnamed[0]
        raise StageError(file, STAGE, "no table can be read: the text layer does not "
                         f"name its glyphs ({unnamed_glyph(word.text)!r} in {len(unnamed)} "
                         f"of {len(page.words)} words: fonts without a Unicode map, e.g. "
                         f"after re-distilling{_why(unnamed_glyph(word.text))})",
                         f"page {page.number} bbox({word.x0:.1f}, {word.top:.1f}, "
                         f"{word.x1:.1f}, {word.bottom:.1f})")


def _why(glyph: str | None) -> str:
    """Why the glyph's outline did not name it either (pdf_fontmatch), if it was tried."""
    why = pdf_fontmatch.why_unnamed(glyph) if glyph else None
    return f"; {why}" if why else ""


def _values(raw: RawAnnex) -> Iterator[tuple[str, str, Provenance]]:
    for row in raw.matrix_rows:
        key = row.number.text + (row.letter.text if row.letter else "")
        spans = [("title", row.title), ("number", row.number), ("letter", row.letter),
                 ("group line", row.ambition)]
        spans += [(f"{party} cell", span) for party, span in row.parties.items()]
        for field, span in spans:
            if span is not None:
                yield f"matrix, row {key}, {field}", span.text, span.where
    for row in raw.detail_rows:
        key = row.number.text + (row.letters.text if row.letters else "")
        for field, value in (("action text", row.action_text), ("status", row.status),
                             ("initiator", row.initiator), ("number", row.number),
                             ("letters", row.letters), ("group line", row.ambition)):
            if isinstance(value, TextBlocks):
                for block in value.blocks:
                    yield f"detail, row {key}, {field}", block.text, value.where
            elif isinstance(value, Span):
                yield f"detail, row {key}, {field}", value.text, value.where
    for note in raw.footnotes:
        yield f"footnote {note.marker.text}", note.text.text, note.text.where
    if raw.title is not None:
        yield "title", raw.title.text, raw.title.where
