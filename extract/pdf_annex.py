"""Reader for the annex as a PDF: both tables and the footnotes, with page and bbox
provenance on every value and the timeline read from the cells' fill colours."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from extract.keys import PREAMBLE_LINES
from extract.markers import bracket_markers_as_superscripts
from extract.pdf_detail import DetailReader, detail_header
from extract.pdf_glyphs import refuse_unnamed_glyphs, refuse_unreadable_text
from extract.pdf_matrix import read_matrix
from extract.pdf_orientation import upright, without_marks
from extract.pdf_page import (
    PageContent,
    drop_running_footers,
    read_page,
    release_page,
    without_baselines,
)
from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings
from extract.pdf_words import Line, bbox
from ir import Provenance, RawAnnex, Span, StageError

STAGE = "extract"


def read_pdf(path: Path, max_pages: int = 300, name: str | None = None,
             settings: PdfSettings = DEFAULT_SETTINGS) -> RawAnnex:
    data = path.read_bytes()
    name = name or path.name
    pages, metadata = _pages(path, max_pages, name, settings)
    if not any(page.lines for page in pages):
        raise StageError(name, STAGE, "PDF has no text layer (a scan?); OCR is out of scope",
                         f"pages 1-{len(pages)}")

    def is_detail_header(page: PageContent, line) -> bool:
        return detail_header(line) is not None

    pages = drop_furniture(pages, settings)
    years, periods, matrix = read_matrix(pages, name, is_detail_header)
    if not matrix:
        refuse_unreadable_text(pages, name, settings)
        raise StageError(name, STAGE, "no matrix table (header 'Actie' with party columns) "
                         "found", f"pages 1-{len(pages)}")
    rows, footnotes = DetailReader(name).read(pages)
    # '[1]' / '(1)' references become superscripts, as in the text reader (extract.markers).
    rows = bracket_markers_as_superscripts(rows, footnotes)
    if not rows:
        raise StageError(name, STAGE, "no detail table (header 'Actie / Initiatiefnemer / "
                         "Stand van zaken') found", f"pages 1-{len(pages)}")
    raw = RawAnnex(
        source_file=name,
        sha256=hashlib.sha256(data).hexdigest(),
        source_format="pdf",
        title=_title(pages[0], name),
        preamble=_preamble(pages[0], name),
        timeline_years=years,
        periods_per_year=periods,
        matrix_rows=tuple(matrix),
        detail_rows=tuple(rows),
        footnotes=tuple(footnotes),
        metadata=metadata,
    )
    refuse_unnamed_glyphs(raw)
    return raw


def _pages(path: Path, max_pages: int, name: str, settings: PdfSettings
           ) -> tuple[list[PageContent], tuple[tuple[str, str], ...]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    from extract import pdf_fontmatch, pdf_indexed, pdf_pattern

    pdf_indexed.install()
    pdf_pattern.install()
    pdf_fontmatch.install(settings)
    pdf_fontmatch.forget()

    try:
        # Before pdfplumber, which makes (and on closing, walks) an object for every page.
        over = _over_page_limit(path, max_pages)
        if over is not None:
            raise StageError(name, STAGE, f"PDF has {over} pages, more than "
                             f"the limit of {max_pages}", "whole file")
        with pdfplumber.open(path) as pdf:
            count = len(pdf.pages)
            if count == 0:
                raise StageError(name, STAGE, "PDF has no pages", "whole file")
            pages, guess = [], None
            for index, page in enumerate(pdf.pages, 1):
                turned = upright(page, settings, guess)
                guess = turned.rotation
                read = without_marks(turned, settings)
                pages.append(read_page(read, index, settings))
                # What pdfplumber keeps of a page (every char and shape as an object)
                # is many times what read_page keeps: released at once, memory stays
                # flat with the page count.
                for view in {id(v): v for v in (read, turned, page)}.values():
                    release_page(view)
            drop_running_footers(pages, settings)
            return pages, _metadata(pdf.metadata)
    except StageError:
        raise
    except MemoryError:
        raise  # the worker's memory limit: reported as such, not as a broken PDF
    except Exception as error:  # pdfminer raises many types for broken files
        # pdfplumber wraps pdfminer's exception; the wrapped one says what went wrong.
        cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
        if isinstance(cause, MemoryError):
            raise cause from None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise StageError(name, STAGE, "PDF is encrypted and cannot be opened without "
                             f"a password ({type(cause).__name__})", "whole file") from error
        reason = f"not a readable PDF ({type(cause).__name__}: {cause})".replace("\n", " ")
        raise StageError(name, STAGE, reason[:300], "whole file") from error


def _over_page_limit(path: Path, max_pages: int) -> str | None:
    """The page count, as said in the page tree, when there are more than `max_pages`
    pages; None otherwise. Walks at most `max_pages` + 1 pages: a file with a
    hundred thousand of them is refused before they are all made into objects."""
    from itertools import islice

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    with open(path, "rb") as handle:
        document = PDFDocument(PDFParser(handle))
        walked = sum(1 for _ in islice(PDFPage.create_pages(document), max_pages + 1))
        if walked <= max_pages:
            return None
        declared = resolve1(resolve1(document.catalog.get("Pages")) or {}).get("Count")
    return str(declared) if isinstance(declared, int) and declared > max_pages else (
        f"more than {max_pages}")


def drop_furniture(pages: list[PageContent], settings: PdfSettings) -> list[PageContent]:
    """Pages without their running headers, footers and page numbers.

    Furniture is text printed in the page's margin band at the same place page
    after page: a line at the top or the bottom of a page whose text (its digits
    aside: '2/7', 'Pagina 3 van 7') recurs on at least `furniture_min_pages` pages
    at the same distance from the page's top (or bottom) edge and the same left,
    middle or right x. Only the runs of such lines at the top and at the bottom
    of each page go: a table's own repeated header (the line naming 'Actie' and
    the label lines under it) and rows that happen to recur stay, since table
    content stops the run. Told by repetition and place, never by its words."""
    least = max(settings.furniture_min_pages, 2)
    if len(pages) < least:
        return pages
    # Places of each text (digits as '#') at each edge and side, on every page.
    seen: dict[tuple, list[tuple[float, float, float, int]]] = {}
    for page in pages:
        for line in page.lines:
            for key, y, x in _furniture_places(line, page):
                seen.setdefault(key, []).append((y, x, page.em, page.number))

    def recurs(line, page) -> bool:
        """Whether the line's text stands at its place on `least` pages: within
        `furniture_place_em` (of the smaller of both pages' body sizes) in y and x.
        Compared by distance, not by rounding to a grid, which parts two places a
        fifth of a point apart that straddle a step (22.87 and 23.04 pt from the top,
        on pages of two sizes)."""
        for key, y, x in _furniture_places(line, page):
            pages_there = {number for y2, x2, em2, number in seen.get(key, ())
                           if max(abs(y2 - y), abs(x2 - x))
                           <= settings.furniture_place_em * min(em2, page.em)}
            if len(pages_there) >= least:
                return True
        return False

    def furniture(line, page, header) -> bool:
        if any(w.text.strip(":").lower() == "actie" for w in line.words):
            return False  # a table's header line, repeated on every page of the table
        if any(0 <= line.top - top <= reach for top, reach in header):
            return False  # its label and year lines, repeated at one place as well
        return recurs(line, page)

    for page in pages:
        lines = page.lines
        header = _table_header_tops(page, settings)
        start, end = 0, len(lines)
        while start < end and furniture(lines[start], page, header):
            start += 1
        while end > start and furniture(lines[end - 1], page, header):
            end -= 1
        lines = lines[start:end]
        for edge in ({0, len(lines) - 1} if lines else set()):
            lines[edge] = _without_furniture_words(lines[edge], page, header, furniture,
                                                   settings)
        page.lines = [line for line in lines if line.words]
    return pages


def _without_furniture_words(line: Line, page: PageContent, header, furniture,
                             settings: PdfSettings) -> Line:
    """A page's first or last line without the words of furniture it was merged
    with: a cell's text run down to the page's foot (a row too tall for its page)
    overlaps a running footer set on another baseline, and the two were grouped as
    one line. The words on each baseline (bottoms within `furniture_baseline_em`)
    that are furniture as a line of their own go; words of one baseline never part
    (a row's key and title print on one)."""
    return without_baselines(line, lambda part: furniture(part, page, header),
                             settings.furniture_baseline_em * page.em)


def _furniture_places(line, page: PageContent) -> list[tuple[tuple, float, float]]:
    """Where a line would recur if it were furniture: (its text with digits as '#',
    the edge and the side it is measured from), its distance from the top or the
    bottom edge, and its left, middle or right x (a page number's width changes
    with its digits, so centred or right-set numbers keep only their middle or
    right)."""
    text = " ".join(re.sub(r"\d+", "#", line.text).lower().split())
    xs = (line.x0, (line.x0 + line.words[-1].x1) / 2, line.words[-1].x1)
    ys = (("top", line.top), ("bottom", page.height - line.bottom))
    return [((text, edge, side), y, x)
            for edge, y in ys for side, x in zip("lcr", xs, strict=True)]


def _table_header_tops(page: PageContent, settings: PdfSettings) -> list[tuple[float, float]]:
    """(top, reach) of each line naming 'Actie': a repeated table header's lines
    under it (its column labels, its year labels) repeat at one place on every page
    as furniture does, and are the table's, within the header's reach."""
    reach = settings.header_reach_em * page.em
    return [(line.top, reach) for line in page.lines
            if any(w.text.strip(":").lower() == "actie" for w in line.words)]


def _metadata(info: dict) -> tuple[tuple[str, str], ...]:
    """Text entries of the document info (Title, Subject, Producer ...), sorted."""
    return tuple(sorted((str(k), str(v)[:500]) for k, v in info.items()
                        if isinstance(v, str | int | float)))


def _preamble(page: PageContent, file: str) -> tuple[Span, ...]:
    """The first page's lines above the matrix header ('Actie ...'), where a document
    says which version it is."""
    found = []
    for line in page.lines[:PREAMBLE_LINES]:
        if line.text.lower().startswith("actie"):
            break
        found.append(Span(line.text, Provenance(file, page=page.number, bbox=bbox(line.words))))
    return tuple(found)


def _title(page: PageContent, file: str) -> Span | None:
    """The line naming the annex ('Bijlage ...'), else the first line of the first page."""
    lines = page.lines
    if not lines:
        return None
    line = next((ln for ln in lines if ln.text.lower().startswith("bijlage")), lines[0])
    return Span(line.text, Provenance(file, page=page.number, bbox=bbox(line.words)))
