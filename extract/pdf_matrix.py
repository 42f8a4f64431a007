"""The matrix table of a PDF annex: action keys, titles, party cells and the shaded timeline.

Found by its header (the word 'Actie' with party column labels and year labels
near it), never by page number or coordinates. Each page's rows and party columns
are read by a strategy (extract/pdf_strategy.py): ruled, from the cell grid of
pdfplumber's table finder, where the page has one that fits the table; else
borderless, from the header labels (snapped to ruling lines when there are any),
the gutters and the keys. Year columns come from the year labels; the timeline
from the fill colour of shapes under the years.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cache
from statistics import median

import vocab
from extract.keys import (
    GLUED_LETTER,
    GLUED_NUMBER,
    LETTER,
    NUMBER,
    NUMBER_LETTER,
    is_key,
    parse_matrix_key,
    party_group_of,
    plain_label,
    year_of,
)
from extract.pdf_colour import classify, read_fill
from extract.pdf_legend import document_legend
from extract.pdf_page import PageContent, column_boundaries, split_page_foot
from extract.pdf_settings import DEFAULT_SETTINGS
from extract.pdf_words import (
    Line,
    Word,
    bbox,
    document_words,
    join_lines,
    join_lines_seen,
    join_words,
    on_next_line,
)
from extract.pdf_years import year_pieces, year_words
from extract.rows import matrix_key, next_letter
from ir import Provenance, RawMatrixRow, Span, StageError, TimelineCell


@dataclass
class MatrixHeader:
    page: int
    line_index: int  # first body line after the header
    parties: list[tuple[str, Word]]  # group, label; left to right
    years: list[tuple[int, Word]]
    bottom: float


def find_header(page: PageContent) -> MatrixHeader | None:
    """The matrix header of the page: a word 'Actie' opening its line, with party
    labels near it (at least two) and the year labels. Of several such lines, the
    one with the most year labels, then party labels, near it is the header's."""
    found: list[MatrixHeader] = []
    for line in page.lines:
        # 'Actie' heads the table's first column: the first word of its line. Elsewhere
        # the word is running text ('Legenda: looptijd actie ...', a title's 'actie').
        actie = line.words[0] if line.words[0].text.strip(":").lower() == "actie" else None
        if actie is None:
            continue
        reach = page.settings.header_reach_em * page.em
        near = [piece for w in page.words if abs(w.top - actie.top) <= reach
                for piece in _label_and_year(w)]
        parties = _first_per_group(near, page)
        if len(parties) < 2:
            continue
        years = _year_labels([w for w in year_words(near, page, page.words) if year_of(w.text)
                              and w.x0 > parties[-1][1].x0], page)
        header_words = [actie] + [w for _, w in parties] + [w for _, w in years]
        bottom = _label_rest_bottom(page, parties, max(w.bottom for w in header_words))
        first_body = next(i for i, ln in enumerate(page.lines + [None])
                          if ln is None or _below_header(ln, bottom))
        found.append(MatrixHeader(page.number, first_body, parties, years, bottom))
    # max keeps the first of equal ones: the topmost
    return max(found, key=lambda h: (len(h.years), len(h.parties)), default=None)


def _below_header(line: Line, bottom: float) -> bool:
    """Whether a line lies under a header whose lowest label ends at `bottom`: its
    middle does. Tight spacing sets the first body line flush under the labels (its
    top at their bottom, or a little above it); a label's own line has its middle
    above its bottom."""
    return (line.top + line.bottom) / 2 > bottom


def _label_rest_bottom(page: PageContent, parties: list[tuple[str, Word]], bottom: float
                       ) -> float:
    """The header's bottom, past the last pieces of labels broken over three lines or
    more ('werkn' / 'emer' / 's'): lines right under the header whose every word,
    set under a label, continues that label's text into (the start of) a known label.
    A first body line does not ('rijk' + 'ez', 'werkgevers' + 'wg')."""
    settings, em = page.settings, page.em
    reach = settings.label_stack_em * em
    labels = [label for _, label in parties]
    label_top = min(label.top for label in labels)
    texts: dict[int, str] = {}

    def under(word: Word) -> Word | None:
        return next((lb for lb in labels if abs(word.x0 - lb.x0) <= reach), None)

    def grow(found: dict[int, str], label: Word, text: str) -> str:
        before = found.get(id(label), texts.get(id(label), ""))
        return (before[:-1] if before.endswith("-") else before) + text

    def starts(text: str) -> bool:
        return _label_start(text, settings.label_prefix_min_chars)

    def run_together(found: dict[int, str], word: Word) -> dict[int, str] | None:
        """The wrapped ends of two neighbouring labels printed so close that they
        read as one word ('werkgever' / 'werknemer' over 'ss'): split where both
        labels grow into (the start of) a known label."""
        near = min(range(len(labels)), key=lambda i: abs(word.x0 - labels[i].x0))
        for first, second in ((near - 1, near), (near, near + 1)):
            if first < 0 or second >= len(labels):
                continue
            for cut in range(1, len(word.text)):
                left = grow(found, labels[first], word.text[:cut])
                right = grow(found, labels[second], word.text[cut:])
                if starts(left) and starts(right):
                    return {id(labels[first]): left, id(labels[second]): right}
        return None

    def grown(line: Line, wrapped: bool) -> dict[int, str] | None:
        found: dict[int, str] = {}
        # Labels run together on their own line ('werkgeverwerknemer') grow apart.
        pieces = [p for w in line.words for p in _label_pieces(w, settings.label_prefix_min_chars)]
        for word in pieces:
            label = under(word)
            text = grow(found, label, word.text) if label is not None else ""
            if label is not None and starts(text):
                found[id(label)] = text
                continue
            pair = run_together(found, word) if wrapped else None
            if pair is None and label is None:
                return None
            if pair is None:
                found[id(label)] = text  # the caller's check turns the line down
            else:
                found.update(pair)
        return found

    end = bottom
    for line in page.lines:
        if line.bottom < label_top:
            continue
        if not _below_header(line, bottom):  # the labels' own lines
            texts.update(grown(Line([w for w in line.words if under(w)], line.page), False)
                         or {})
            continue
        if line.top - end > reach:
            break
        more = grown(line, True)
        if more is None or not all(_label_start(text, settings.label_prefix_min_chars)
                                   for text in more.values()):
            break
        texts.update(more)
        end = line.bottom
    return end


def _year_labels(words: list[Word], page: PageContent) -> list[tuple[int, Word]]:
    """The year labels of the header: the largest set printed on one line, left to
    right (a year in the annex's title above the table is not one of them)."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.top):
        if rows and word.top - rows[-1][0].top <= page.settings.label_stack_em * page.em / 2:
            rows[-1].append(word)
        else:
            rows.append([word])
    if not rows:
        return []
    best = max(rows, key=len)
    return sorted(((year_of(w.text), w) for w in best), key=lambda p: p[1].x0)


def _first_per_group(words: list[Word], page: PageContent) -> list[tuple[str, Word]]:
    """The topmost label of each party group: header labels sit above cell values."""
    found: dict[str, Word] = {}
    for word in sorted(_stacked_labels(words, page), key=lambda w: (round(w.top), w.x0)):
        for piece in _label_pieces(word, page.settings.label_prefix_min_chars):
            group = party_group_of(piece.text)
            if group and group not in found:
                found[group] = piece
    return sorted(found.items(), key=lambda item: item[1].x0)


def _stacked_labels(words: list[Word], page: PageContent) -> list[Word]:
    """The words, plus labels split over two lines ('werk-' over 'gevers') joined
    into one word, where the upper part alone names no party."""
    reach = page.settings.label_stack_em * page.em
    joined = []
    for upper in words:
        if party_group_of(upper.text):
            continue
        for lower in words:
            below = on_next_line(upper, lower, reach, page.settings)
            aligned = abs(lower.x0 - upper.x0) <= reach or abs(lower.center - upper.center) <= reach
            if not (below and aligned):
                continue
            text = (upper.text[:-1] if upper.text.endswith("-") else upper.text) + lower.text
            if party_group_of(text):
                joined.append(Word(text, min(upper.x0, lower.x0), max(upper.x1, lower.x1),
                                   upper.top, lower.bottom, upper.size, upper.page))
    return words + joined


def _label_start(text: str, minimum: int) -> bool:
    """A known header label, exactly, or its first `minimum` letters or more."""
    lowered = plain_label(text)
    return any(label == lowered or (len(lowered) >= minimum and label.startswith(lowered))
               for label in _known_labels())


@cache
def _known_labels() -> tuple[str, ...]:
    return tuple(plain_label(label) for _, label in vocab.party_header_labels())


def _label_and_year(word: Word) -> list[Word]:
    """A party label run into the first year label ('rijk2013', "rijk'13", or labels
    run together before it: "werkgeverswerknemers'13") as two words, x positions
    shared out by length; any other word as it is."""
    text = word.text
    if year_of(text):
        return [word]
    # The year first, before the label alone: a label that reads as itself with a year
    # run into it ("werkgevers'13", no rule between the cells; "werknemers'13", split
    # off a run of labels at a column edge) is still two words.
    for cut in range(2, len(text) - 1):
        if (year_of(text[cut:]) or year_pieces(text[cut:])) and _labels(text[:cut]):
            middle = word.x0 + (word.x1 - word.x0) * cut / len(text)
            return [replace(word, text=text[:cut], x1=middle),
                    replace(word, text=text[cut:], x0=middle)]
    return [word]


def _labels(text: str) -> bool:
    """A party label, or labels run together ('werkgeverswerknemers'), whole."""
    if party_group_of(text):
        return True
    word = Word(text, 0.0, float(len(text)), 0.0, 0.0, 0.0, 0)
    pieces = _label_pieces(word, len(text))  # no piece cut short
    return len(pieces) > 1


def _label_pieces(word: Word, minimum: int) -> list[Word]:
    """Labels printed so close that they read as one word ('werkgeverswerknemers',
    or every label of the header run together), split where known labels meet, with
    x positions shared out by length. A label cut short by its column ('werknem',
    its end wrapped below) counts when at least `minimum` letters of it are there.
    Of the ways to cut, the one with the fewest cut-short pieces, then the fewest
    pieces, wins. Labels run together whole win over the near match of one long
    label ('rijkonderwijsraden' is 'rijk' and 'onderwijsraden', though within
    party_group_of's fuzzy ratio of 'onderwijsraden' alone)."""
    text = word.text
    if plain_label(text) in _known_labels():
        return [word]
    whole = _label_split(text, len(text))
    if whole is None and party_group_of(text):
        return [word]
    found = whole or _label_split(text, minimum)
    if found is None:
        return [word]
    pieces, start = [], 0
    share = (word.x1 - word.x0) / len(text)
    for end in found:
        pieces.append(replace(word, text=text[start:end], x0=word.x0 + start * share,
                              x1=word.x0 + end * share))
        start = end
    return pieces


def _label_split(text: str, minimum: int) -> list[int] | None:
    """The ends of the pieces of `text` cut into two or more (starts of) labels
    (_label_pieces), or None."""
    # best[i]: (cost, cuts) of the best split of text[:i] into label pieces.
    best: dict[int, tuple[tuple[int, int], list[int]]] = {0: ((0, 0), [])}
    for end in range(2, len(text) + 1):
        options = []
        for start, (cost, cuts) in best.items():
            piece = text[start:end]
            if end - start < 2 or not _label_start(piece, minimum):
                continue
            short = 0 if plain_label(piece) in _known_labels() else 1
            options.append(((cost[0] + short, cost[1] + 1), cuts + [end]))
        if options:
            best[end] = min(options)
    if len(text) not in best or len(best[len(text)][1]) < 2:
        return None
    return best[len(text)][1]


@dataclass
class _Columns:
    groups: list[str]
    boundaries: list[float]  # left edges of party columns 2..n
    party_left: float  # left edge of the first party column
    timeline_left: float
    years: list[int]
    year_left: list[float]
    year_width: float
    title_x: float = 0.0  # where titles start: keys sit left of it
    year_labels: list[tuple[float, float]] = field(default_factory=list)  # x0, x1 of each
    # Every word of the document: how a title's lines join where a line ends in a
    # slash or hyphen (join_lines_seen).
    document: frozenset[str] = frozenset()


def _columns(header: MatrixHeader, page: PageContent) -> _Columns:
    settings, em = page.settings, page.em
    labels = [w for _, w in header.parties]
    body = [w for ln in page.lines[header.line_index:] for w in ln.words]
    boundaries = column_boundaries(labels, body, page)
    centers = [w.center for _, w in header.years]
    width = median(b - a for a, b in zip(centers, centers[1:], strict=False)) if len(centers) > 1 \
        else settings.single_year_width_em * em
    year_left = [c - width / 2 for c in centers]
    reach, slack = settings.party_rule_reach_em * em, settings.label_rule_slack_pt
    rules_left = [x for x in page.vertical_rules
                  if labels[0].x0 - reach < x <= labels[0].x0 + slack]
    party_left = max(rules_left) if rules_left else labels[0].x0 - settings.party_left_pad_em * em
    timeline_left = year_left[0] if year_left else page.width
    lines = page.lines[header.line_index:]
    return _Columns([g for g, _ in header.parties], boundaries, party_left, timeline_left,
                    [y for y, _ in header.years], year_left, width,
                    _title_x(lines, party_left), [(w.x0, w.x1) for _, w in header.years])


@dataclass
class _Carry:
    """What one row hands to the next: its group line, action number and letter."""

    ambition: Span | None = None
    number: Span | None = None
    letter: Span | None = None
    # Party cells of a row the page break cut before its key and title (both on the
    # next page, whose first row they go to): set by the ruled strategy.
    cut: dict[str, Span] | None = None


def read_matrix(pages: list[PageContent], file: str, stop) -> tuple[tuple[int, ...], int | None,
                                                                      list[RawMatrixRow]]:
    """(timeline years, periods per year, rows). `stop(page, line)` ends the matrix."""
    rows: list[RawMatrixRow] = []
    years: tuple[int, ...] = ()
    periods: int | None = None
    carry = _Carry()
    matrix_pages = _matrix_pages(pages, stop)
    # One legend serves the whole matrix, wherever in the document it is printed.
    legend = document_legend(pages)
    document = document_words(page.words for page in pages)
    # Pages printed with the same year columns share one timeline grid, found from
    # the fills of them all: a page with few rows may fit a grid shifted by a period.
    pooled: dict[tuple, list[dict]] = {}
    for page, header, columns, _ in matrix_pages:
        if columns.years:
            pooled.setdefault(_grid_key(columns), []).extend(
                _timeline_fills(page, columns, legend, reach=columns.year_width / 2,
                                header=header))
    # Fills that hung below the last row of the page before: (height, cells).
    overhang: list[tuple[float, list[TimelineCell]]] = []
    for page, header, columns, strategy in matrix_pages:
        years = tuple(columns.years)
        body = _body(page, header, stop)
        columns = replace(columns, document=document)
        page_rows, carry, lead = strategy.rows(body, columns, page, file, carry)
        if lead and rows:
            rows[-1] = _continued(rows[-1], lead, columns, file, page)
        timeline = columns
        if columns.years:
            timeline, periods = strategy.timeline(page, columns, pooled[_grid_key(columns)])
        fills = _timeline_fills(page, timeline, legend, header=header) if columns.years else []
        read = [_with_timeline(row, band, page, timeline, legend, file, periods, fills)
                for row, band in page_rows]
        if rows and read and not lead and _key_split(rows[-1], read[0]):
            rows[-1] = _joined(rows[-1], read.pop(0))
        elif read and not lead and overhang:
            # The page starts with a new row: the last page's fills that hung below
            # its last row are this page's first rows' (see _overhanging).
            bands = [band for _, band in page_rows][-len(read):]
            read = _with_carried(read, bands, overhang, page.settings)
        overhang = []
        if page_rows and columns.years:
            overhang = _overhanging(page, page_rows[-1][1], fills, timeline, legend, file,
                                    periods)
        rows += read
    if carry.cut is not None:
        raise cut_without_row(carry.cut, file)
    for row in rows:
        if not row.title.text.strip():
            raise _no_title(row.number, row.letter, file)
    return years, periods, rows


def with_cut(row: RawMatrixRow, cut: dict[str, Span]) -> RawMatrixRow:
    """A row with the party cells of its start cut off at the foot of the page
    before (its key and title moved on to this page) in front of its own."""
    parties = dict(row.parties)
    for group, before in cut.items():
        more = parties.get(group)
        if not before.text:
            continue
        text = join_lines(before.text, more.text) if more is not None and more.text \
            else before.text
        parties[group] = Span(text, before.where)
    return replace(row, parties=parties)


def cut_without_row(cut: dict[str, Span], file: str) -> StageError:
    where = next(span.where for span in cut.values() if span.text)
    return StageError(file, "extract", f"matrix, page {where.page}: party cells at the foot "
                      "of the page with no key or title, and no row opening the next page "
                      "to take them", where.describe())


def _body(page: PageContent, header: MatrixHeader | None, stop) -> list[Line]:
    """The page's lines under the header (all lines on a page without one), up to
    the foot of the page or to whatever ends the matrix."""
    start = header.line_index if header is not None else 0
    _split_glued_keys(page.lines[start:])
    body = []
    for line in split_page_foot(page.lines[start:], page.settings)[0]:
        if stop(page, line):
            break
        body.append(line)
    return body


def _split_glued_keys(lines: list[Line]) -> None:
    """A number key set so close to its title that the two read as one word
    ('11Verbetering', '18Reductie': a key column just wide enough for two digits)
    made two words again, x positions shared out by length, in place (the
    lines are the page's: its columns are found from them too)."""
    for line in lines:
        first = line.words[0]
        glued = GLUED_NUMBER.match(first.text)
        if glued is None:
            continue
        cut = len(glued.group(1))
        middle = first.x0 + (first.x1 - first.x0) * cut / len(first.text)
        line.words[:1] = [replace(first, text=first.text[:cut], x1=middle),
                          replace(first, text=first.text[cut:], x0=middle)]


def _matrix_pages(pages: list[PageContent], stop) -> list[tuple]:
    """The run of pages that carry the matrix: those with its header, and pages
    without a repeated header whose lines still open rows in the same key column
    (read with the columns of the page before). Each with its columns and the
    strategy that reads its rows: ruled (the cell grid of pdfplumber's table
    finder) where the page has a ruled grid that fits the table, else borderless."""
    # Imported here: the strategies are built on this module's row assembly.
    from extract.pdf_strategy import BORDERLESS, choose_strategy

    found: list[tuple] = []
    # Pages that hold group lines only (an ambition line left alone on its page): of
    # the matrix when a page after them goes on with its rows.
    held: list[tuple] = []
    for page in pages:
        header = find_header(page)
        if header is not None and any(stop(page, ln) for ln in page.lines[:header.line_index]):
            header = None  # the table after the matrix: its header's words name parties too
        if header is not None:
            body = _body(page, header, stop)
            found += held
            held = []
            columns, strategy = choose_strategy(page, header, None, body)
            if found and not _numbered_titles(page.lines[header.line_index:], columns):
                # Rows of letters only (an action going on from the page before) do not
                # show where titles start: the table's title column is the one before.
                columns = replace(columns, title_x=found[-1][2].title_x)
            found.append((page, header, columns, strategy))
            continue
        if not found:
            continue
        columns = found[-1][2]
        stopped = any(stop(page, line) for line in page.lines)
        body = _body(page, None, stop)
        if not any(_starts_with_number(line, columns, page)
                   or _opens_lettered_row(line, columns, page) for line in body):
            if stopped or not body or not all(_group_line(line, columns, page)
                                              for line in body):
                break
            held.append((page, None, columns, BORDERLESS))
            continue
        found += held
        held = []
        found.append((page, None, *choose_strategy(page, None, columns, body)))
        if stopped:
            break
    return found


def _group_line(line: Line, columns: _Columns, page: PageContent) -> bool:
    """A line that, in the matrix, could only be a group line: it starts in the key
    column with no key (group lines run on across the party columns)."""
    first = line.words[0]
    return first.x0 < columns.title_x - page.settings.key_indent_pt and not is_key(first.text)


def _starts_with_number(line: Line, columns: _Columns, page: PageContent) -> bool:
    first = line.words[0]
    return bool(NUMBER.match(first.text) or NUMBER_LETTER.match(first.text)) \
        and first.x0 < columns.title_x - page.settings.key_indent_pt


def _opens_lettered_row(line: Line, columns: _Columns, page: PageContent) -> bool:
    """A line that opens a row by its letter alone, with its party cells beside it:
    the letter in the key column, or printed at the start of the title column before
    its title ('c Aansluiting ...'). A page whose rows all go on with the letters of
    an action numbered on the page before (the number printed on its first row
    only) holds no number."""
    first = line.words[0]
    indent = page.settings.key_indent_pt
    if not LETTER.match(first.text.rstrip(".)")) or first.x0 > columns.title_x + indent:
        return False
    in_key_column = first.x0 < columns.title_x - indent
    if not (in_key_column or GLUED_LETTER.match(line.text)):
        return False
    return any(columns.party_left <= w.center < columns.timeline_left for w in line.words[1:])


def _rows(body: list[Line], columns: _Columns, page: PageContent, file: str, carry: _Carry,
          band=None, wrapped_keys: bool = True):
    """Matrix rows of one page with the vertical band each occupies, and the lines
    above its first row that continue the last row of the page before. `band` (a
    strategy's) gives a row's band, else it is read from the rules and gaps;
    `wrapped_keys` as in _row_starts."""
    table = _table_lines(body, page)
    starts = _row_starts(table, columns, page, carry, wrapped_keys)
    lead = [ln for ln in table if not starts or ln.top < starts[0][0].top]
    result = []
    for index, (line, kind, keys) in enumerate(starts):
        following = starts[index + 1][0] if index + 1 < len(starts) else None
        lines = [ln for ln in table if ln.top >= line.top and
                 (following is None or ln.top < following.top)]
        where = Provenance(file, page=page.number, bbox=bbox([w for ln in lines
                                                             for w in ln.words]))
        if kind == "group":
            carry = _Carry(Span(" ".join(ln.text for ln in lines), where), carry.number,
                           carry.letter)
            continue
        extent = (band or _band)(table, line, lines, following, page)
        # The page's last row may have its title on the next page (the producer moved
        # the title cell's text over whole): the continuation fills it, else
        # read_matrix refuses it there.
        row, carry = _row(lines, keys, columns, carry, file, page, last=following is None)
        result.append((row, extent))
    return result, carry, lead


def _row_starts(table: list[Line], columns: _Columns, page: PageContent, carry: _Carry,
                wrapped_keys: bool = True) -> list[tuple[Line, str, list[Word]]]:
    """The lines that start a row or a group line, with their kind ('row', 'group')
    and the words of the row's key (a number with the letter wrapped under it).

    A row starts where a key starts: a number, a number with its letter, or a
    letter alone, in the key column left of the titles; or a letter printed in
    the title column ('a Toename ...') when it is the next letter of its action.
    Any other line left of the titles is a group line; the rest wrap a title.
    A letter wrapped under its number is found from the line spacing
    (_wrapped_key_lines) unless `wrapped_keys` is off: a strategy that sees the key
    cells (the ruled one) has joined such keys already, and its rows are not
    told apart by spacing.
    """
    indent = page.settings.key_indent_pt
    starts: list[tuple[Line, str, list[Word]]] = []  # (first line, kind, key words)
    expected = next_letter(carry.letter)
    wrapped = _wrapped_key_lines(table, columns, page) if wrapped_keys else set()
    for line in table:
        first = line.words[0]
        if first.center >= columns.party_left:
            continue
        in_key_column = first.x0 < columns.title_x - indent
        if id(line) in wrapped and starts and starts[-1][1] == "row":
            starts[-1][2].append(first)
            expected = chr(ord(first.text) + 1)
        elif is_key(first.text) and in_key_column:
            starts.append((line, "row", [first]))
            expected = _expected_after(first.text, line, expected)
        elif _glued_letter(line, expected, columns):
            starts.append((line, "row", [first]))
            expected = chr(ord(first.text.rstrip(".)")) + 1)  # 'b.' or 'b)' is 'b' too
        elif in_key_column:
            starts.append((line, "group", [first]))
    return starts


def _wrapped_key_lines(table: list[Line], columns: _Columns, page: PageContent) -> set[int]:
    """Lines (by id) whose first word is the letter of a key cell wrapped under its
    number ('10' over 'a' in a key column too narrow for '10a').

    Told from a letter row after a number-only row by the line spacing: the letter
    sits one line under its number, at the spacing of a title's wrapped lines, where
    the rows of this table are set further apart by their cells' padding. A table
    without padding cannot tell the two apart, and keeps them as two rows."""
    settings, em = page.settings, page.em
    indent = settings.key_indent_pt

    def in_key_column(line: Line) -> bool:
        first = line.words[0]
        return first.x0 < columns.title_x - indent and first.center < columns.party_left

    def key_of(line: Line) -> str | None:
        return line.words[0].text if in_key_column(line) and is_key(line.words[0].text) \
            else None

    inside, between = [], []  # line spacing in a cell; from one key line to the next
    for upper, lower in zip(table, table[1:], strict=False):
        if not in_key_column(lower):
            inside.append(lower.top - upper.top)
        elif key_of(upper) and key_of(lower):
            between.append(lower.top - upper.top)
    if not inside or not between:
        return set()
    spacing = median(inside)
    if median(between) - spacing < settings.row_padding_min_em * em:
        return set()
    found = set()
    for upper, lower in zip(table, table[1:], strict=False):
        above, key = key_of(upper), key_of(lower)
        if above and key and NUMBER.match(above) and LETTER.match(key) \
                and lower.top - upper.top <= spacing + settings.line_spacing_slack_em * em:
            found.add(id(lower))
    return found


def _expected_after(key: str, line: Line, expected: str) -> str:
    """The letter a glued-letter row after this key row would carry."""
    if LETTER.match(key):
        return chr(ord(key) + 1)
    glued = GLUED_LETTER.match(join_words(line.words[1:])) if len(line.words) > 1 else None
    letter = key[-1] if NUMBER_LETTER.match(key) else (glued.group(1) if glued else None)
    return chr(ord(letter) + 1) if letter else "a"


def _glued_letter(line: Line, expected: str, columns: _Columns) -> bool:
    """A letter printed in the title column in front of its title ('b Invoeren ...'):
    a key only when it is the letter the action's next row would carry, so a title
    that wraps onto a line starting with a one-letter word is not taken for a row.
    A letter with nothing after it in the title column but its party cells is one
    too: a row whose title the producer moved on to the next page."""
    first = line.words[0]
    if len(line.words) < 2 or first.text.rstrip(".)") != expected:
        return False
    untitled = all(w.center >= columns.party_left for w in line.words[1:])
    return untitled or bool(GLUED_LETTER.match(line.text))


def _band(table: list[Line], line: Line, lines: list[Line], following: Line | None,
          page: PageContent) -> tuple[float, float]:
    """The vertical extent of a row: from a ruling line or a fill's edge between it
    and the row above (else halfway), down to one above the next row (else halfway,
    else a little under its last line)."""
    above = _previous_bottom(table, line, page)
    top = _rule_between(page, above, line.top) or (line.top + above) / 2
    if following is None:
        return top, lines[-1].bottom + page.settings.row_band_pad_em * page.em
    bottom = _rule_between(page, lines[-1].bottom, following.top) \
        or following.top - (following.top - lines[-1].bottom) / 2
    return top, bottom


def _rule_between(page: PageContent, upper: float, lower: float) -> float | None:
    """Where one row ends and the next starts, between the text of the two: a ruling
    line there, else the edge of a filled shape (a shaded cell ends where its row
    does, wherever the producer set the text in it), the one nearest the middle."""
    def nearest(ys: list[float]) -> float | None:
        inside = [y for y in ys if upper <= y <= lower]
        return min(inside, key=lambda y: abs(y - (upper + lower) / 2)) if inside else None

    found = nearest(page.horizontal_rules)
    if found is None:
        found = nearest([edge for rect in page.fills for edge in (rect["top"], rect["bottom"])])
    return found


def _table_lines(body: list[Line], page: PageContent) -> list[Line]:
    """Body lines up to where the table ends: the colour legend below it, or a gap
    much taller than the table's line spacing (a note, a page footer)."""
    kept: list[Line] = []
    gaps = [b.top - a.top for a, b in zip(body, body[1:], strict=False)]
    spacing = median(gaps) if gaps else page.settings.default_line_spacing_em * page.em
    legend_words = {w for entry in vocab.colour_classes() for w in entry.legend_words}
    for line in body:
        if any(word in line.text.lower() for word in legend_words):
            break
        if kept and line.top - kept[-1].bottom > page.settings.table_end_gap_lines * spacing:
            break
        kept.append(line)
    return kept


def _previous_bottom(body: list[Line], line: Line, page: PageContent) -> float:
    above = [ln.bottom for ln in body if ln.bottom <= line.top]
    return max(above) if above else line.top - page.settings.row_band_pad_em * page.em


def _title_xs(body: list[Line], party_left: float) -> list[float]:
    """The second word's x of lines that begin with a number key."""
    return [ln.words[1].x0 for ln in body
            if len(ln.words) > 1 and (NUMBER.match(ln.words[0].text)
                                      or NUMBER_LETTER.match(ln.words[0].text))
            and ln.words[1].center < party_left]


def _title_x(body: list[Line], party_left: float) -> float:
    """Where titles start: the second word of lines that begin with a number key."""
    xs = _title_xs(body, party_left)
    return median(xs) if xs else party_left


def _numbered_titles(body: list[Line], columns: _Columns) -> bool:
    return bool(_title_xs(body, columns.party_left))


def _row(lines: list[Line], keys: list[Word], columns: _Columns, carry: _Carry, file: str,
         page: PageContent, last: bool = False) -> tuple[RawMatrixRow, _Carry]:
    key_word = keys[0]
    key_where = Provenance(file, page=page.number, bbox=bbox(keys))
    per_line = [[w for w in ln.within(-1, columns.party_left) if w not in keys]
                for ln in lines]
    title_words = [w for words in per_line for w in words]
    title = ""
    for words in per_line:
        title = join_lines_seen(title, join_words(words), columns.document) if words else title
    key_text = "".join(w.text.rstrip(".)") for w in keys)
    number, letter, title = matrix_key(key_text, title, key_where, carry.number)
    if letter is None and LETTER.match(title.strip()):
        # The letter in its own column with no title beside it: the key's letter
        # (the title moved on to the next page, or missing and refused below).
        letter, title = Span(title.strip(), key_where), ""
    if not title.strip() and not last:
        raise _no_title(number, letter, file)
    title_where = Provenance(file, page=page.number, bbox=bbox(title_words or [key_word]))
    parties = _party_cells(lines, columns, file, page)
    row = RawMatrixRow(carry.ambition, number, letter, Span(title, title_where), parties)
    if not title.strip() and letter is None and carry.number is not None \
            and number.text == carry.number.text:
        # A page's last row cut at its key: its number ('10', printed on every row)
        # here, its letter and title on the next page ('d Afstudeerrichting ...'),
        # which goes on from the letters before it (_key_split joins the two).
        return row, _Carry(carry.ambition, number, carry.letter)
    return row, _Carry(carry.ambition, number, letter)


def _key_split(last: RawMatrixRow, first: RawMatrixRow) -> bool:
    """Whether a page's last row, a number with party cells and no title, and the
    next page's first row, a letter of that number with its title, are one row
    broken across the pages ('21' and its cells on one page, 'a Regeling ...' on
    the next: the producer kept the number cell and moved the letter on with the
    title)."""
    return not last.title.text.strip() and last.letter is None \
        and first.letter is not None and first.number is last.number


def _joined(last: RawMatrixRow, first: RawMatrixRow) -> RawMatrixRow:
    """The two halves of a row broken across pages at its key (_key_split)."""
    parties = dict(last.parties)
    for group, more in first.parties.items():
        before = parties.get(group)
        if before is None or not before.text:
            parties[group] = more
        elif more.text:
            parties[group] = Span(join_lines(before.text, more.text), before.where)
    cells = {(c.year, c.period): c for c in (*(last.timeline or ()), *(first.timeline or ()))}
    timeline = None if last.timeline is None and first.timeline is None else \
        tuple(cells[key] for key in sorted(cells))
    return RawMatrixRow(last.ambition, last.number, first.letter, first.title, parties,
                        timeline)


def _no_title(number: Span, letter: Span | None, file: str) -> StageError:
    where = number.where if letter is None else letter.where
    return StageError(file, "extract", f"matrix, page {where.page}: row "
                      f"{number.text}{letter.text if letter else ''} has no title",
                      where.describe())


def _party_cells(lines: list[Line], columns: _Columns, file: str, page: PageContent
                 ) -> dict[str, Span]:
    parties = {}
    for index, group in enumerate(columns.groups):
        left = columns.party_left if index == 0 else columns.boundaries[index - 1]
        if index < len(columns.boundaries):
            per_line = [ln.within(left, columns.boundaries[index]) for ln in lines]
        else:
            per_line = [_last_cell(ln, left, columns) for ln in lines]
        words = [w for found in per_line for w in found]
        cell_where = Provenance(file, page=page.number, bbox=bbox(words) if words else None)
        text = ""
        for found in per_line:
            text = join_lines(text, join_words(found)) if found else text
        parties[group] = Span(text, cell_where)
    return parties


def _continued(row: RawMatrixRow, lead: list[Line], columns: _Columns, file: str,
               page: PageContent) -> RawMatrixRow:
    """The last row of a page with the lines that carry it on at the top of the next
    page (a row broken across pages: its title's or its party cells' last lines,
    the key cell left empty)."""
    title = row.title.text
    for line in lead:
        title = join_lines_seen(title, join_words(line.within(-1, columns.party_left)),
                                columns.document)
    parties = dict(row.parties)
    for group, more in _party_cells(lead, columns, file, page).items():
        if more.text:
            before = parties.get(group)
            text = join_lines(before.text, more.text) if before is not None else more.text
            parties[group] = Span(text, before.where if before is not None and before.text
                                  else more.where)
    where, letter = row.title.where, row.letter
    if not row.title.text.strip():  # the whole title printed on this page
        words = [w for line in lead for w in line.within(-1, columns.party_left)]
        where = Provenance(file, page=page.number, bbox=bbox(words)) if words else where
        if letter is None:
            # A number-only row whose letter moved on with the title, glued to it
            # ('10' and its cells on one page, 'd Afstudeerrichting ...' on the next).
            _, glued, title = parse_matrix_key(row.number.text, title)
            letter = Span(glued, where) if glued else None
    return replace(row, letter=letter, title=Span(title, where), parties=parties)


def _last_cell(line: Line, left: float, columns: _Columns) -> list[Word]:
    """Words of the last party column on one line: those that start in it, with
    those that run on past its edge into the timeline (a cell's text that overflows,
    'ocw, szw' printed beyond the column): the timeline itself carries no text."""
    right = columns.year_left[-1] + columns.year_width if columns.year_left else math.inf
    return [w for w in line.words if w.center >= left and
            (w.center < columns.timeline_left or w.x0 < right)]


def _grid_key(columns: _Columns) -> tuple:
    return (tuple(columns.years), tuple(round(x0) for x0, _ in columns.year_labels),
            round(columns.year_width))


def _timeline_grid(page: PageContent, columns: _Columns, fills: list[dict]
                   ) -> tuple[_Columns, int]:
    """The timeline's sub-columns per year and where its years really start.

    Year labels give the year width (their spacing) but not the grid's left edge:
    a label may be centred in its year or set left with padding. The fills give
    the rest: every fill spans a whole number of sub-columns and starts on one, so
    the period count is the smallest of the allowed counts for which (nearly) all
    fills fit one grid, and the grid line where the years start is the one that
    keeps every fill inside the timeline and every label in its own year (centred in
    it, or set at its left edge after a cell's padding), on a drawn line where the
    table is ruled. `fills` are those of every page printed with these year columns.
    """
    settings = page.settings
    width = columns.year_width
    if not fills:
        return columns, 1
    for periods in settings.period_counts:
        step = width / periods
        phase = _grid_phase(fills, step, settings)
        if phase is not None:
            break
    else:
        return columns, 1  # no grid fits: centred labels and whole years, as printed
    first = columns.year_left[0]
    label = columns.year_labels[0] if columns.year_labels else (first, first + width)
    low = max(label[1] - width, max(r["x1"] for r in fills) - len(columns.years) * width)
    high = min(label[0], min(r["x0"] for r in fills))
    slack = settings.grid_slack_share * step
    candidates = [phase + k * step for k in range(int((low - phase) // step) - 1,
                                                  int((high - phase) // step) + 2)]
    inside = [x for x in candidates if low - slack <= x <= high + slack]
    if not inside:
        # A browser snaps a fill's edges to device pixels: the last month's may end a
        # pixel past the table's right edge (or the first's start a pixel before its
        # left), leaving no grid line between the bounds; only then is that pixel
        # allowed (always allowing it would let months narrower than two pixels fit
        # a grid a month off).
        pixel = settings.device_pixel_pt
        inside = [x for x in candidates if low - slack - pixel <= x <= high + slack + pixel]
    # In a ruled table the timeline's left edge is a drawn line; of the grid lines left,
    # those where the labels sit as printed labels do; of those, the nearest to where
    # centred labels would put it.
    ruled = [x for x in inside if any(abs(x - rule) <= slack for rule in page.vertical_rules)]
    fitting = [x for x in ruled or inside
               if _labels_fit(x, width, columns.year_labels, slack, page)]
    left = min(fitting or ruled or inside or candidates or [first], key=lambda x: abs(x - first))
    year_left = [left + i * width for i in range(len(columns.years))]
    return replace(columns, year_left=year_left, timeline_left=left), periods


def _labels_fit(left: float, width: float, labels: list[tuple[float, float]], slack: float,
                page: PageContent) -> bool:
    """Whether the year labels sit in years starting at `left` as printed labels do:
    every one centred in its year, or every one set at its year's left edge after at
    most a cell's padding."""
    em, settings = page.em, page.settings
    starts = [left + index * width for index in range(len(labels))]
    centred = all(abs((x0 + x1) / 2 - (start + width / 2)) <= settings.label_centre_slack_em * em
                  for (x0, x1), start in zip(labels, starts, strict=True))
    set_left = all(-slack <= x0 - start <= settings.label_padding_max_em * em
                   for (x0, _), start in zip(labels, starts, strict=True))
    return bool(labels) and (centred or set_left)


def _grid_phase(fills: list[dict], step: float, settings) -> float | None:
    """Where a grid of this step lies (an x on one of its lines), if nearly every
    fill's width is a whole number of steps and its edges lie on the grid. A fill
    is taken by its middle and its width in whole steps, so a cell inset by its
    border or snapped to device pixels still fits."""
    tolerance = settings.grid_slack_share * step
    # A fill's width may miss its whole steps by a device pixel however narrow the
    # steps are (both edges snapped to pixels, one pixel taken by the border).
    pixel = settings.device_pixel_pt
    starts = []
    for rect in fills:
        width = rect["x1"] - rect["x0"]
        count = round(width / step)
        if count < 1 or abs(width - count * step) > max(
                settings.grid_slack_share * max(1, count) * step, pixel):
            continue
        starts.append((rect["x0"] + rect["x1"]) / 2 - count * step / 2)
    if len(starts) < settings.grid_fit_share * len(fills):
        return None
    angles = [2 * math.pi * (x % step) / step for x in starts]
    mean = math.atan2(sum(map(math.sin, angles)), sum(map(math.cos, angles)))
    phase = (mean / (2 * math.pi) * step) % step
    near = [x for x in starts if abs((x - phase + step / 2) % step - step / 2) <= tolerance]
    return phase if len(near) >= settings.grid_fit_share * len(fills) else None


def _timeline_fills(page: PageContent, columns: _Columns, legend: dict,
                    reach: float = 0.0, header: MatrixHeader | None = None) -> list[dict]:
    """Shapes under the years that are coloured, or pattern-filled (kept, as
    'onbekend', so that a fill the reader cannot judge is seen, not dropped);
    `reach` widens the timeline on both sides while its grid is not yet known.
    A shaded header row is no cell: a fill whose middle lies above the header's
    bottom is the shading behind its labels (with a legend of greys it would match
    a class, and its party cells, next to the years, would move the grid)."""
    right = columns.year_left[-1] + columns.year_width if columns.year_left else 0
    slack = page.settings.fill_column_slack_pt + reach
    found = []
    for rect in page.fills:
        if header is not None and (rect["top"] + rect["bottom"]) / 2 < header.bottom:
            continue
        fill = read_fill(rect.get("non_stroking_color"), page.settings)
        middle = (rect["x0"] + rect["x1"]) / 2
        under_years = columns.year_left[0] - slack <= middle <= right + slack
        if under_years and classify(fill, legend, page.settings) is not None:
            found.append(rect)
    return found


def _with_timeline(row: RawMatrixRow, band: tuple[float, float], page: PageContent,
                   columns: _Columns, legend: dict[str, tuple[float, float, float]], file: str,
                   periods: int | None, fills: list[dict]) -> RawMatrixRow:
    """The row with the timeline cells of the page's fills (`fills`: the page's
    timeline fills, found once per page) that cover its band."""
    if not columns.years:
        return row
    found: dict[tuple[int, int], TimelineCell] = {}
    period_width = columns.year_width / (periods or 1)
    for rect in fills:
        if not _covers_band(rect, band, page.settings.fill_row_overlap):
            continue
        fill = read_fill(rect.get("non_stroking_color"), page.settings)
        colour_class = classify(fill, legend, page.settings)
        where = Provenance(file, page=page.number,
                           bbox=(rect["x0"], rect["top"], rect["x1"], rect["bottom"]))
        share = page.settings.fill_period_overlap
        for year, period in _covered(rect, columns, period_width, periods or 1, share):
            # A cell painted twice (background and shading) is one cell: the last
            # paint is what the page shows.
            found[(year, period)] = TimelineCell(year, period, colour_class, fill.description,
                                                 where)
    cells = sorted(found.values(), key=lambda c: (c.year, c.period))
    return RawMatrixRow(row.ambition, row.number, row.letter, row.title, row.parties,
                        tuple(cells))


def _overhanging(page: PageContent, band: tuple[float, float], fills: list[dict],
                 columns: _Columns, legend: dict, file: str, periods: int | None
                 ) -> list[tuple[float, list[TimelineCell]]]:
    """Fills of the page's last row that reach below its bottom: (how far, the cells).

    A browser that moves a row to the next page whole ('break-inside: avoid') paints
    a cell merged over that row and the one above it on the first page at its full
    height, below the last row the page prints: the part below is the moved row's.
    The last row ends at the first drawn edge (a rule, a fill's edge) under its text,
    so that a fill that ends with its row (a tall calc row with short text) hangs
    below nothing."""
    settings = page.settings
    text_bottom = band[1] - settings.row_band_pad_em * page.em
    edges = [y for y in page.horizontal_rules if y >= text_bottom - settings.device_pixel_pt]
    edges += [edge for rect in page.fills for edge in (rect["top"], rect["bottom"])
              if edge >= text_bottom - settings.device_pixel_pt]
    if not edges:
        return []
    bottom = min(edges)
    found = []
    for rect in fills:
        below = rect["bottom"] - bottom
        if below <= settings.device_pixel_pt or rect["top"] >= bottom \
                or not _covers_band(rect, band, settings.fill_row_overlap):
            continue
        piece = dict(rect, top=bottom)
        cells = _with_timeline(RawMatrixRow(None, Span("", Provenance(file)), None,
                                            Span("", Provenance(file)), {}, ()),
                               (bottom, rect["bottom"]), page, columns, legend, file,
                               periods, [piece]).timeline
        found.append((below, list(cells)))
    return found


def _with_carried(read: list[RawMatrixRow], bands: list[tuple[float, float]],
                  overhang: list[tuple[float, list[TimelineCell]]], settings
                  ) -> list[RawMatrixRow]:
    """The page's first rows with the cells of the fills that hung below the page
    before (`overhang`), laid from the top of its first row down: a row takes them
    where that piece covers most of its band (a fill a pixel too long covers none)."""
    top = bands[0][0]
    result = []
    for row, band in zip(read, bands, strict=True):
        found = {(c.year, c.period): c for c in row.timeline}
        height = band[1] - band[0]
        for below, cells in overhang:
            covered = min(top + below, band[1]) - max(top, band[0])
            if height > 0 and covered >= settings.fill_row_overlap * height:
                for cell in cells:
                    # What this page paints itself wins over what hung into it.
                    found.setdefault((cell.year, cell.period), cell)
        cells = tuple(sorted(found.values(), key=lambda c: (c.year, c.period)))
        result.append(replace(row, timeline=cells))
    return result


def _covers_band(rect: dict, band: tuple[float, float], share: float) -> bool:
    """A fill belongs to a row when it covers most of the shorter of the two: one
    fill two rows tall serves both rows, a fill that bleeds into the next does not."""
    overlap = min(rect["bottom"], band[1]) - max(rect["top"], band[0])
    shorter = min(rect["bottom"] - rect["top"], band[1] - band[0])
    return shorter > 0 and overlap >= share * shorter


def _covered(rect: dict, columns: _Columns, period_width: float, periods: int,
             share: float = DEFAULT_SETTINGS.fill_period_overlap):
    """(year, period) of every sub-column the shape covers: more than `share` of the
    sub-column, or of the shape where it is the narrower (a cell inset by its
    border, a month a pixel wide). A shape's edge a pixel off the grid's does not
    claim the neighbouring month, however narrow the months."""
    width = rect["x1"] - rect["x0"]
    for year, left in zip(columns.years, columns.year_left, strict=True):
        for period in range(1, periods + 1):
            start = left + (period - 1) * period_width
            overlap = min(rect["x1"], start + period_width) - max(rect["x0"], start)
            if overlap > share * min(period_width, width):
                yield year, period
