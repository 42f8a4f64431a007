"""The matrix table of a PDF annex: action keys, titles, party cells and the shaded timeline.

Found by its header (the word 'Actie' with party column labels and year labels
near it), never by page number or coordinates. Party columns come from the
header labels, snapped to ruling lines when there are any; year columns from the
year labels; the timeline from the fill colour of shapes under the years.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from statistics import median

import vocab
from extract.keys import (
    NUMBER,
    is_key,
    parse_matrix_key,
    party_group_of,
    year_of,
)
from extract.pdf_colour import classify, hue, is_colourful, read_fill
from extract.pdf_page import PageContent, column_boundaries, split_page_foot
from extract.pdf_words import Line, Word, bbox, join_lines, join_words
from ir import Provenance, RawMatrixRow, Span, StageError, TimelineCell

HEADER_REACH = 45.0  # how far (pt) above/below 'Actie' the rest of the header may sit


@dataclass
class MatrixHeader:
    page: int
    line_index: int  # first body line after the header
    parties: list[tuple[str, Word]]  # group, label; left to right
    years: list[tuple[int, Word]]
    legend: dict[str, float]  # colour class -> hue of its swatch, when the legend has swatches
    bottom: float


def find_header(page: PageContent) -> MatrixHeader | None:
    for line in page.lines:
        actie = next((w for w in line.words if w.text.strip(":").lower() == "actie"), None)
        if actie is None:
            continue
        near = [w for w in page.words if abs(w.top - actie.top) <= HEADER_REACH]
        parties = _first_per_group(near)
        if len(parties) < 2:
            continue
        years = sorted(((year_of(w.text), w) for w in near
                        if year_of(w.text) and w.x0 > parties[-1][1].x0), key=lambda p: p[1].x0)
        header_words = [actie] + [w for _, w in parties] + [w for _, w in years]
        bottom = max(w.bottom for w in header_words)
        first_body = next(i for i, ln in enumerate(page.lines + [None])
                          if ln is None or ln.top > bottom + 0.5)
        return MatrixHeader(page.number, first_body, parties, years,
                            _legend_swatches(page), bottom)
    return None


def _first_per_group(words: list[Word]) -> list[tuple[str, Word]]:
    """The topmost label of each party group: header labels sit above cell values."""
    found: dict[str, Word] = {}
    for word in sorted(words, key=lambda w: (round(w.top), w.x0)):
        for piece in _label_pieces(word):
            group = party_group_of(piece.text)
            if group and group not in found:
                found[group] = piece
    return sorted(found.items(), key=lambda item: item[1].x0)


def _label_pieces(word: Word) -> list[Word]:
    """Labels printed so close that they read as one word ('werkgeverswerknemers'),
    split where known labels meet, with x positions shared out by length."""
    if party_group_of(word.text):
        return [word]
    text = word.text
    for cut in range(2, len(text) - 1):
        if party_group_of(text[:cut]) and party_group_of(text[cut:]):
            middle = word.x0 + (word.x1 - word.x0) * cut / len(text)
            return [replace(word, text=text[:cut], x1=middle),
                    replace(word, text=text[cut:], x0=middle)]
    return [word]


def _legend_swatches(page: PageContent) -> dict[str, float]:
    """Hue of a coloured swatch printed just left of a legend word, per class, found
    anywhere on the page (above the table in the header, or in a legend below it)."""
    swatches: dict[str, float] = {}
    for entry in vocab.colour_classes():
        words = [w for w in page.words
                 if any(k in w.text.lower() for k in entry.legend_words)]
        for word in words:
            for rect in page.fills:
                fill = read_fill(rect.get("non_stroking_color"))
                beside = 0 <= word.x0 - rect["x1"] <= 12
                level = rect["top"] - 3 <= (word.top + word.bottom) / 2 <= rect["bottom"] + 3
                if beside and level and is_colourful(fill):
                    swatches[entry.colour_class] = hue(fill)
    return swatches if len(swatches) == len(vocab.colour_classes()) else {}


@dataclass
class _Columns:
    groups: list[str]
    boundaries: list[float]  # left edges of party columns 2..n
    party_left: float  # left edge of the first party column
    timeline_left: float
    years: list[int]
    year_left: list[float]
    year_width: float


def _columns(header: MatrixHeader, page: PageContent) -> _Columns:
    labels = [w for _, w in header.parties]
    body = [w for ln in page.lines[header.line_index:] for w in ln.words]
    boundaries = column_boundaries(labels, body, page.vertical_rules)
    centers = [w.center for _, w in header.years]
    width = median(b - a for a, b in zip(centers, centers[1:], strict=False)) if len(centers) > 1 \
        else 20.0
    year_left = [c - width / 2 for c in centers]
    rules_left = [x for x in page.vertical_rules if labels[0].x0 - 25 < x <= labels[0].x0 + 1]
    party_left = max(rules_left) if rules_left else labels[0].x0 - 4
    timeline_left = year_left[0] if year_left else page.width
    return _Columns([g for g, _ in header.parties], boundaries, party_left, timeline_left,
                    [y for y, _ in header.years], year_left, width)


def read_matrix(pages: list[PageContent], file: str, stop) -> tuple[tuple[int, ...], int | None,
                                                                      list[RawMatrixRow]]:
    """(timeline years, periods per year, rows). `stop(page, line)` ends the matrix."""
    rows: list[RawMatrixRow] = []
    years: tuple[int, ...] = ()
    periods: int | None = None
    ambition: Span | None = None
    number: Span | None = None
    matrix_pages = _matrix_pages(pages)
    # One legend serves the whole matrix, wherever it is printed.
    legend = next((header.legend for _, header in matrix_pages if header.legend), {})
    for page, header in matrix_pages:
        columns = _columns(header, page)
        years = tuple(columns.years)
        body = []
        for line in split_page_foot(page.lines[header.line_index:])[0]:
            if stop(page, line):
                break
            body.append(line)
        page_rows, ambition, number = _rows(body, columns, page, file, ambition, number)
        periods = _period_count(page, columns) if columns.years else None
        rows += [_with_timeline(row, band, page, columns, legend, file, periods)
                 for row, band in page_rows]
    return years, periods, rows


def _matrix_pages(pages: list[PageContent]) -> list[tuple[PageContent, MatrixHeader]]:
    """The run of consecutive pages that carry the matrix header."""
    found: list[tuple[PageContent, MatrixHeader]] = []
    for page in pages:
        header = find_header(page)
        if header is None and found:
            break
        if header is not None:
            found.append((page, header))
    return found


def _rows(body: list[Line], columns: _Columns, page: PageContent, file: str,
          ambition: Span | None, number: Span | None):
    """Matrix rows of one page with the vertical band each occupies."""
    title_x = _title_x(body, columns)
    table = _table_lines(body)
    starts: list[tuple[Line, str]] = []  # (first line, kind); other lines wrap a title
    for line in table:
        first = line.words[0]
        if first.x0 < title_x - 2 and first.center < columns.party_left:
            starts.append((line, "row" if is_key(first.text) else "group"))
    result = []
    for index, (line, kind) in enumerate(starts):
        following = starts[index + 1][0] if index + 1 < len(starts) else None
        lines = [ln for ln in table if ln.top >= line.top and
                 (following is None or ln.top < following.top)]
        where = Provenance(file, page=page.number, bbox=bbox([w for ln in lines
                                                             for w in ln.words]))
        if kind == "group":
            ambition = Span(" ".join(ln.text for ln in lines), where)
            continue
        top = (line.top + _previous_bottom(table, line)) / 2
        bottom = following.top - (following.top - lines[-1].bottom) / 2 if following \
            else lines[-1].bottom + 4
        row, number = _row(lines, columns, ambition, number, file, page.number)
        result.append((row, (top, bottom)))
    return result, ambition, number


def _table_lines(body: list[Line]) -> list[Line]:
    """Body lines up to where the table ends: the colour legend below it, or a gap
    much taller than the table's line spacing (a note, a page footer)."""
    kept: list[Line] = []
    gaps = [b.top - a.top for a, b in zip(body, body[1:], strict=False)]
    spacing = median(gaps) if gaps else 12.0
    legend_words = {w for entry in vocab.colour_classes() for w in entry.legend_words}
    for line in body:
        if any(word in line.text.lower() for word in legend_words):
            break
        if kept and line.top - kept[-1].bottom > 3 * spacing:
            break
        kept.append(line)
    return kept


def _previous_bottom(body: list[Line], line: Line) -> float:
    above = [ln.bottom for ln in body if ln.bottom <= line.top]
    return max(above) if above else line.top - 4


def _title_x(body: list[Line], columns: _Columns) -> float:
    """Where titles start: the second word of lines that begin with a number key."""
    xs = [ln.words[1].x0 for ln in body
          if len(ln.words) > 1 and NUMBER.match(ln.words[0].text)
          and ln.words[1].center < columns.party_left]
    return median(xs) if xs else columns.party_left


def _row(lines: list[Line], columns: _Columns, ambition: Span | None, number: Span | None,
         file: str, page: int) -> tuple[RawMatrixRow, Span]:
    key_word = lines[0].words[0]
    key_where = Provenance(file, page=page, bbox=bbox([key_word]))
    per_line = [[w for w in ln.within(-1, columns.party_left) if w is not key_word]
                for ln in lines]
    title_words = [w for words in per_line for w in words]
    title = ""
    for words in per_line:
        title = join_lines(title, join_words(words)) if words else title
    number_text, letter_text, title = parse_matrix_key(key_word.text, title)
    if number_text:
        number = Span(number_text, key_where)
    elif number is None:
        raise StageError(file, "extract", f"letter {key_word.text!r} before any action number",
                         key_where.describe())
    letter = Span(letter_text, key_where) if letter_text else None
    title_where = Provenance(file, page=page, bbox=bbox(title_words or [key_word]))
    parties = {}
    for index, group in enumerate(columns.groups):
        left = columns.party_left if index == 0 else columns.boundaries[index - 1]
        right = columns.boundaries[index] if index < len(columns.boundaries) \
            else columns.timeline_left
        per_line = [ln.within(left, right) for ln in lines]
        words = [w for found in per_line for w in found]
        cell_where = Provenance(file, page=page, bbox=bbox(words) if words else None)
        text = ""
        for found in per_line:
            text = join_lines(text, join_words(found)) if found else text
        parties[group] = Span(text, cell_where)
    return RawMatrixRow(ambition, number, letter, Span(title, title_where), parties), number


def _period_count(page: PageContent, columns: _Columns) -> int:
    """Sub-columns per year: the year's width over the typical shaded cell's width."""
    widths = [r["x1"] - r["x0"] for r in _timeline_fills(page, columns)]
    if not widths:
        return 1
    return max(1, round(columns.year_width / median(widths)))


def _timeline_fills(page: PageContent, columns: _Columns) -> list[dict]:
    """Shapes under the years that are coloured, or pattern-filled (kept, as
    'onbekend', so that a fill the reader cannot judge is seen, not dropped)."""
    right = columns.year_left[-1] + columns.year_width if columns.year_left else 0
    found = []
    for rect in page.fills:
        fill = read_fill(rect.get("non_stroking_color"))
        under_years = columns.timeline_left - 1 <= (rect["x0"] + rect["x1"]) / 2 <= right + 1
        if under_years and (fill.rgb is None or is_colourful(fill)):
            found.append(rect)
    return found


def _with_timeline(row: RawMatrixRow, band: tuple[float, float], page: PageContent,
                   columns: _Columns, legend: dict[str, float], file: str,
                   periods: int | None) -> RawMatrixRow:
    if not columns.years:
        return row
    cells: list[TimelineCell] = []
    period_width = columns.year_width / (periods or 1)
    for rect in _timeline_fills(page, columns):
        middle = (rect["top"] + rect["bottom"]) / 2
        if not band[0] <= middle < band[1]:
            continue
        fill = read_fill(rect.get("non_stroking_color"))
        colour_class = classify(fill, legend)
        where = Provenance(file, page=page.number,
                           bbox=(rect["x0"], rect["top"], rect["x1"], rect["bottom"]))
        for year, period in _covered(rect, columns, period_width, periods or 1):
            cells.append(TimelineCell(year, period, colour_class, fill.description, where))
    cells.sort(key=lambda c: (c.year, c.period))
    return RawMatrixRow(row.ambition, row.number, row.letter, row.title, row.parties,
                        tuple(cells))


def _covered(rect: dict, columns: _Columns, period_width: float, periods: int):
    """(year, period) of every sub-column whose middle the shape covers."""
    for year, left in zip(columns.years, columns.year_left, strict=True):
        for period in range(1, periods + 1):
            middle = left + (period - 0.5) * period_width
            if rect["x0"] - 0.5 <= middle <= rect["x1"] + 0.5:
                yield year, period
