"""The detail table of a PDF annex (Actie / Initiatiefnemer / Stand van zaken).

It runs over many pages: the header repeats on each, rows break across pages,
and footnotes sit at the foot of pages, apart from the table. Cell text is
rebuilt with its structure as text blocks (paragraphs, bullet items), the same
form the text reader makes of the export's HTML, so normalize treats both alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from extract.keys import (
    FOOTNOTE,
    NUMBER,
    PAGE_NUMBER,
    open_detail_key,
    parse_detail_key,
)
from extract.markers import notation_of
from extract.markup import plain_block
from extract.pdf_page import PageContent, column_boundaries, column_of, split_page_foot
from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings
from extract.pdf_words import (
    TO_SUPERSCRIPT,
    Line,
    Word,
    bbox,
    document_words,
    goes_on_elided,
    group_lines,
    join_lines,
    join_words,
    joined_elsewhere,
)
from ir import (
    BULLET,
    SUPERSCRIPT_DIGITS,
    Provenance,
    RawDetailRow,
    RawFootnote,
    Span,
    StageError,
    TextBlock,
    TextBlocks,
)

HEADER_WORDS = ("actie", "initiatiefnemer", "stand")
BRACKET_MARKER = re.compile(r"^[\[(]\d{1,2}[\])]$")
BRACKET_START = re.compile(r"^([\[(])\d{1,2}[\])](?![\w(\[])")
MAX_KEY_WORDS = 5  # '8', 'b', ',', 'c' ...: a key cell is a few words at most
BULLETS = ("•", "▪", "◦", "●", "-")
# A dash opens a list item only where a line could end: it is also the spaced dash
# of running text ('... door het PBT - een ...'), which a writer may wrap to the
# start of a line.
DASH_BULLETS = ("-",)


@dataclass(frozen=True)
class Writing:
    """How the document's writer wraps a cell's lines, as seen on the whole table.

    breaks_words: it breaks lines inside words, after a hyphen or a slash (browsers,
    office suites; reportlab breaks at spaces only), so a line ending in a slash
    ('VAPRO/' over 'OVP)') goes on without a space. notations: the openings ('(',
    '[') of bracketed footnote markers, whose references wrapped to a line's start
    belong to the word before.
    """

    breaks_words: bool = False
    notations: frozenset[str] = frozenset()
    # Every word of the document (pdf_words.document_words): a line ending in a
    # slash or a hyphen goes on without a space where the joined word is printed
    # whole elsewhere, whatever the writer.
    words: frozenset[str] = frozenset()


def detail_header(line: Line) -> list[Word] | None:
    """The three header labels, left to right, if this line is the detail header."""
    found = {}
    for word in line.words:
        text = word.text.strip(":").lower()
        if text in HEADER_WORDS and text not in found:
            found[text] = word
    if len(found) < len(HEADER_WORDS):
        return None
    return sorted(found.values(), key=lambda w: w.x0)


@dataclass
class _Piece:
    """One visual line of one cell."""

    text: str
    top: float
    bottom: float
    x0: float
    x1: float
    first_word_width: float
    size: float
    page: int


@dataclass
class _OpenRow:
    ambition: Span | None
    number: Span
    letters: Span | None
    where: Provenance
    cells: list[list[_Piece]] = field(default_factory=lambda: [[], [], []])
    words: list[Word] = field(default_factory=list)
    open_key: str | None = None  # a key cell that wrapped: 'b,' here, 'c' on the next line

    def close(self, file: str, settings: PdfSettings, writing: Writing | None = None
              ) -> RawDetailRow:
        # A row whose words all lie on later pages (its key line closed a page) keeps
        # the place its key was found: bbox() of no words has no answer.
        first_page = [w for w in self.words if w.page == self.where.page]
        where = Provenance(file, page=self.where.page, bbox=bbox(first_page)) \
            if first_page else self.where
        action = cell_blocks(self.cells[0], settings, writing)
        status = cell_blocks(self.cells[2], settings, writing)
        initiator = " ".join(p.text for p in self.cells[1])
        return RawDetailRow(self.ambition, self.number, self.letters, TextBlocks(action, where),
                            Span(initiator, where), TextBlocks(status, where))


@dataclass
class DetailReader:
    file: str
    rows: list[_OpenRow] = field(default_factory=list)  # built once the table is read
    footnotes: list[RawFootnote] = field(default_factory=list)
    open: _OpenRow | None = None
    ambition: Span | None = None
    number: Span | None = None
    boundaries: list[float] | None = None
    title_x: float | None = None
    settings: PdfSettings = DEFAULT_SETTINGS
    in_notes: bool = False  # after a footnote printed in the table's flow
    last_note: Line | None = None
    page: PageContent | None = None
    # The open row's first line and its key's words, while a key cell wrapped at a
    # space or inside its number ('1' over '0') may go on on the next line.
    key_line: Line | None = None
    key_words: list[Word] = field(default_factory=list)
    # The page's line spacing inside a cell, where its rows are set further apart
    # (padded): a key cell's next line is then told from the next row's key.
    cell_spacing: float | None = None
    # The first table line of the page being read (a key cell broken at the page's
    # end goes on there).
    page_first: Line | None = None

    def read(self, pages: list[PageContent]) -> tuple[list[RawDetailRow], list[RawFootnote]]:
        parts = []  # (page, header labels or None, table lines, foot lines)
        for page in pages:
            start = next((i for i, ln in enumerate(page.lines) if detail_header(ln)), None)
            if start is None and not parts:
                continue
            body = page.lines[start + 1:] if start is not None else page.lines
            labels = detail_header(page.lines[start]) if start is not None else None
            parts.append((page, labels, *split_page_foot(body, page.settings)))
        columns = _pooled_boundaries([(page, labels, table) for page, labels, table, _ in parts
                                      if labels is not None])
        read = []  # (page, table lines, foot lines) with each page's columns known
        inside, between = [], []  # line pitches in a cell; before a row's first line
        for page, labels, table, notes in parts:
            self.settings, self.page = page.settings, page
            if labels is not None:
                self.boundaries = columns[page.number]
            table = split_drifting_lines(table, self.boundaries, self.settings)
            self.title_x = _title_x(table, self.boundaries, self.settings) or self.title_x
            read.append((page, self.boundaries, self.title_x, table, notes))
            self._pitches(table, inside, between)
        # The table's first pages may hold no row key to place the titles by (rows kept
        # whole: the header and a group line, the first row moved on to the next page):
        # they take the titles' place from the first page that shows it.
        first_x = next((title_x for *_, title_x, _t, _n in read if title_x is not None), None)
        read = [(page, bounds, first_x if title_x is None else title_x, table, notes)
                for page, bounds, title_x, table, notes in read]
        # Measured on the whole table: a page may hold a single row.
        self.cell_spacing = _padded_spacing(inside, between, self.settings, self.page.em) \
            if read else None
        for page, self.boundaries, self.title_x, table, notes in read:
            self.settings, self.page = page.settings, page
            self.page_first = table[0] if table else None
            for line in table:
                self._line(line)
            self._footnotes(notes)
        self._close()
        # How this writer wraps lines decides how a cell's lines join: seen on the
        # document's own hyphens and footnotes, so rows are built once all is read.
        writing = Writing(
            breaks_inside_words([cell for row in self.rows for cell in (row.cells[0],
                                                                         row.cells[2])]),
            frozenset(n for n in map(notation_of, (f.marker.text for f in self.footnotes))
                      if n is not None),
            document_words(page.words for page in pages))
        return [row.close(self.file, self.settings, writing) for row in self.rows], \
            self.footnotes

    def _line(self, line: Line) -> None:
        if detail_header(line):
            # The header repeated inside the table (a producer that repeats it
            # before a row that then moves to the next page): no row, no group line.
            return
        first = line.words[0]
        at_key = self.title_x is not None and first.x0 < self.title_x - self.settings.key_indent_pt
        key = self._key_words(line) if at_key else []
        if self._continues_key(line) or self._continues_key_cell(line):
            return
        self.key_line = None
        if at_key and _is_marker(first.text):
            # A footnote printed after the table (or inside it, at the margin): its
            # marker is no key, and the line is no group line.
            self._close()
            self._footnotes([line], continuing=False)
            self.in_notes = True
        elif key:
            self.in_notes = False
            self._start(line, key)
        elif self.in_notes:
            self._footnotes([line], continuing=True)
        elif at_key:
            self._close()
            self.ambition = Span(line.text, Provenance(self.file, page=line.page,
                                                       bbox=bbox(line.words)))
        elif self.open is not None:
            self._add(line.words)

    def _key_cell(self, line: Line) -> list[Word]:
        """The line's words left of the titles, in the first column."""
        limit = self.title_x - self.settings.letter_indent_pt
        words = [w for w in line.words if column_of(w.center, self.boundaries) == 0]
        keyish = []
        for word in words:
            if word.x0 >= limit:
                break
            keyish.append(word)
        return keyish

    def _key_words(self, line: Line) -> list[Word]:
        """The words of the key cell that opens this line ('6', '1a', '6b-c', '8 d/e',
        'b, c', or 'b,' of a key cell that wrapped), left of the titles; [] when the
        line opens no row."""
        keyish = self._key_cell(line)
        if keyish and open_detail_key(join_words(keyish)) is not None:
            return keyish
        for end in range(len(keyish), 0, -1):
            if parse_detail_key(join_words(keyish[:end])) is not None:
                return keyish[:end]
        return []

    def _continues_key(self, line: Line) -> bool:
        """The rest of a wrapped key cell ('c' under '6 b,'): its letters join the
        open row's key, and the line's other words its cells."""
        row = self.open
        if row is None or row.open_key is None or self.title_x is None:
            return False
        opened, row.open_key = row.open_key, None
        keyish = self._key_cell(line)
        if not keyish or keyish[0].x0 >= self.title_x - self.settings.key_indent_pt:
            return False
        text = f"{opened} {join_words(keyish)}"
        parsed = parse_detail_key(text)
        if parsed is None:
            return False  # no letters of a key here: the wrapped cell is read as it is
        letters = parsed[1]
        row.letters = Span(" ".join(letters), row.letters.where if row.letters else row.where)
        row.open_key = text if open_detail_key(text) is not None else None
        key_ids = set(map(id, keyish))
        self._add([w for w in line.words if id(w) not in key_ids])
        return True

    def _start(self, line: Line, key: list[Word]) -> None:
        self._close()
        where = Provenance(self.file, page=line.page, bbox=bbox(line.words))
        cell = join_words(key)
        opened = open_detail_key(cell)
        number, letters = parse_detail_key(opened if opened is not None else cell)
        if number is not None:
            self.number = Span(number, where)
        if self.number is None:
            raise StageError(self.file, "extract", "detail table, page "
                             f"{line.page}: a letter row ({join_words(key)!r}) with no action "
                             "number above it", where.describe())
        # The IR carries the letters as read, one space between them ('b-c' -> 'b c').
        self.open = _OpenRow(self.ambition, self.number,
                             Span(" ".join(letters), where) if letters else None, where,
                             open_key=cell if opened is not None else None)
        key_ids = set(map(id, key))
        self._add([w for w in line.words if id(w) not in key_ids])
        self.key_line = line
        self.key_words = key

    def _pitches(self, table: list[Line], inside: list[float], between: list[float]) -> None:
        """Line pitches of one page's table: from a line to a cell's next line (one
        that starts right of the keys), and to a row's first line from a line that
        is no key line itself (the line after a key line may hold a wrapped key)."""
        if self.title_x is None:
            return

        def at_key(line: Line) -> bool:
            return line.words[0].x0 < self.title_x - self.settings.key_indent_pt

        for upper, lower in zip(table, table[1:], strict=False):
            if not at_key(lower):
                inside.append(lower.top - upper.top)
            elif not at_key(upper) and self._key_words(lower):
                between.append(lower.top - upper.top)

    def _continues_key_cell(self, line: Line) -> bool:
        """The rest of a key cell the writer wrapped at a space or inside the number,
        in a key column too narrow for it: '1' over '0' (10), '1 a' over '2' (12a),
        '6 b' over 'c' (6 b c), '1' over '0 a' (10a). Found where the line right under
        the row's first line sits at a cell's line spacing (the rows are padded), with
        no rule drawn between them, and its key cell starts where the first line's
        key, or its letters, start: digits join the number, letters the row's
        letters. The line's other words go on in the row's cells."""
        above, key, spacing = self.key_line, self.key_words, self.cell_spacing
        self.key_line = None
        if above is None:
            return False
        keyish = self._key_cell(line)
        settings, em = self.settings, self.page.em
        overleaf = line.page != above.page
        if overleaf:
            # The row's first line ended its page and this line opens the next one:
            # no spacing to measure; the digits under it belong to its number only
            # where the number read alone breaks the table's ascending numbering
            # (_cut_number).
            if line is not self.page_first or not keyish:
                return False
        elif spacing is None or not keyish \
                or line.top - above.top > spacing + settings.line_spacing_slack_em * em \
                or any(above.bottom < y < line.top for y in self.page.horizontal_rules):
            return False
        # The longest start of the key cell that is a key: a title word set close to
        # the keys may fall inside the cell ('0 en ...').
        keyish = next((keyish[:end] for end in range(len(keyish), 0, -1)
                       if parse_detail_key(join_words(keyish[:end])) is not None), [])
        if not keyish:
            return False
        row, text = self.open, join_words(keyish)
        letter_words = [w for w in key if not NUMBER.match(w.text)]
        places = [key[0].x0] + [w.x0 for w in letter_words[:1]]
        if not any(abs(keyish[0].x0 - x) <= settings.key_wrap_align_em * em for x in places):
            return False
        digits, letters = parse_detail_key(text)  # '0', '0 a', 'c', 'b c'
        known = tuple(row.letters.text.split()) if row.letters else ()
        if digits is not None and not (NUMBER.match(key[0].text) and abs(
                keyish[0].x0 - key[0].x0) <= settings.key_wrap_align_em * em):
            return False
        if set(letters) & set(known):
            return False
        if overleaf and (digits is None or not self._cut_number(row.number.text, digits)):
            return False
        if digits is not None:
            row.number = self.number = Span(row.number.text + digits, row.number.where)
        if letters:
            row.letters = Span(" ".join(known + letters),
                               row.letters.where if row.letters else row.where)
        key_ids = set(map(id, keyish))
        self._add([w for w in line.words if id(w) not in key_ids])
        return True

    def _cut_number(self, number: str, digits: str) -> bool:
        """Whether `number` is an action number cut off at a page's end with `digits`
        opening the next page: read alone it goes below the row before it (the
        table numbers its actions in ascending order) or the digits could not open
        a key of their own (no action number starts with 0), and joined it goes on
        from the row before ('1' after 11, '2' overleaf: 12)."""
        last = self.rows[-1].number.text if self.rows else "0"
        before = int(last) if last.isdigit() else 0
        joined = int(number + digits)
        return joined >= before and (digits.startswith("0") or int(number) < before)

    def _add(self, words: list[Word]) -> None:
        row = self.open
        row.words += words
        for column in range(3):
            found = [w for w in words if column_of(w.center, self.boundaries) == column]
            if found:
                row.cells[column].append(_Piece(
                    join_words(found), min(w.top for w in found), max(w.bottom for w in found),
                    found[0].x0, max(w.x1 for w in found), found[0].x1 - found[0].x0,
                    median(w.size for w in found), found[0].page))

    def _close(self) -> None:
        if self.open is not None:
            self.rows.append(self.open)
            self.open = None

    def _footnotes(self, lines: list[Line], continuing: bool = False) -> None:
        """Footnotes start with their marker; a line right under one, printed at its
        size, continues it; anything else down there (page numbers, running footers,
        a notice set after the notes in other print) is not content."""
        previous: Line | None = self.last_note if continuing else None
        ratio = self.settings.footnote_continuation_size_ratio
        for line in lines:
            match = FOOTNOTE.match(line.text)
            where = Provenance(self.file, page=line.page, bbox=bbox(line.words))
            close = previous is not None and previous.page == line.page and \
                line.top - previous.bottom < self.settings.footnote_continuation_lines \
                * line.size and ratio <= line.size / previous.size <= 1 / ratio
            if match and not PAGE_NUMBER.match(line.text):
                self.footnotes.append(RawFootnote(Span(match.group(1), where),
                                                  Span(match.group(2).strip(), where)))
                previous = line
            elif close and self.footnotes:
                note = self.footnotes[-1]
                self.footnotes[-1] = RawFootnote(note.marker, Span(
                    join_lines(note.text.text, line.text), note.text.where))
                previous = line
        self.last_note = previous


def _padded_spacing(inside: list[float], between: list[float], settings: PdfSettings,
                    em: float) -> float | None:
    """The line spacing inside the table's cells when its rows are padded (a row's
    first line sits at least `row_padding_min_em` further below the line above it
    than a cell's next line does); None when they are not, and a number's next line
    cannot be told from the next row's key."""
    if not inside or not between:
        return None
    spacing = median(inside)
    return spacing if median(between) - spacing >= settings.row_padding_min_em * em else None


def _pooled_boundaries(headed: list[tuple[PageContent, list[Word], list[Line]]]
                       ) -> dict[int, list[float]]:
    """Column boundaries of each page that prints the detail header, by page number.

    A table keeps its columns over its pages: where the header labels sit at the
    same places (within `detail_label_place_em`), the gutters are looked for in the
    body text of all those pages at once. A page that holds little of the table (its
    last row, then the footnotes collected after it, running across the columns)
    has too few lines of its own to show them. Footnotes printed in the table's flow
    (from the first line that opens with a marker) are no column text."""
    def place(labels: list[Word]) -> tuple[float, ...]:
        return tuple(w.x0 for w in labels)

    def same(first: tuple[float, ...], other: tuple[float, ...], page: PageContent) -> bool:
        reach = page.settings.detail_label_place_em * page.em
        return all(abs(a - b) <= reach for a, b in zip(first, other, strict=True))

    bodies = [(place(labels), [w for line in _before_notes(table, labels[0], page)
                               for w in line.words])
              for page, labels, table in headed]
    found = {}
    for page, labels, _table in headed:
        here = place(labels)
        words = [w for there, body in bodies if same(here, there, page) for w in body]
        found[page.number] = column_boundaries(labels, words, page)
    return found


def _before_notes(lines: list[Line], first_label: Word, page: PageContent) -> list[Line]:
    """The lines above the first one that opens with a footnote marker ('¹', '[1]',
    '(1)') at the table's left edge (within `note_margin_em` of the first header
    label): footnotes printed after the table, in its flow. A reference wrapped to
    the start of a status line sits far right of it."""
    margin = first_label.x0 + page.settings.note_margin_em * page.em
    end = next((i for i, line in enumerate(lines)
                if _is_marker(line.words[0].text) and line.x0 < margin), len(lines))
    return lines[:end]


def split_drifting_lines(lines: list[Line], boundaries: list[float],
                         settings: PdfSettings = DEFAULT_SETTINGS) -> list[Line]:
    """Page lines rebuilt where the columns' lines drift against each other.

    A page line is built from vertical overlap across the whole page, so where
    one cell's line pitch differs from its neighbour's (sub-items set as their
    own paragraphs beside running text), a line of one column overlaps two of
    the other and chains them into one: their words interleave. Each column's
    words are grouped into lines on their own, and lines of different columns
    are one page line only when they sit level (`cell_line_level` of the
    shorter one), so a row's key stays on the line its text starts.
    """
    out: list[Line] = []
    for line in lines:
        columns: dict[int, list[Word]] = {}
        for word in line.words:
            columns.setdefault(column_of(word.center, boundaries), []).append(word)
        parts = [(column, part) for column, words in sorted(columns.items())
                 for part in group_lines(words, settings)]
        if len(parts) == len(columns):
            out.append(line)  # one line in every column: nothing chained
            continue
        groups: list[tuple[Line, set[int], list[Word]]] = []
        for column, part in sorted(parts, key=lambda cp: (cp[1].top, cp[0])):
            home = next((g for g in groups if column not in g[1]
                         and _level(g[0], part) >= settings.cell_line_level), None)
            if home is None:
                groups.append((part, {column}, list(part.words)))
            else:
                home[1].add(column)
                home[2].extend(part.words)
        out.extend(Line(sorted(words, key=lambda w: w.x0), line.page)
                   for _, _, words in groups)
    return out


def _level(first: Line, other: Line) -> float:
    """How far two lines overlap vertically, as a share of the shorter one."""
    overlap = min(first.bottom, other.bottom) - max(first.top, other.top)
    shorter = min(first.bottom - first.top, other.bottom - other.top)
    return overlap / shorter if shorter > 0 else 0.0


def _is_marker(text: str) -> bool:
    """A footnote marker as a line's first word: superscripts, '[1]' or '(1)'."""
    return bool(text) and (text[0] in SUPERSCRIPT_DIGITS or bool(BRACKET_MARKER.match(text)))


def _title_x(lines: list[Line], boundaries: list[float] | None,
             settings: PdfSettings = DEFAULT_SETTINGS) -> float | None:
    """Where action titles start: the first word after the key of lines that open
    with an action number ('6', '6 b', '6b-c', '8 d/e'). Only lines whose number
    stands at the key column's left edge count: a title wrapped before a number
    ('160 per jaar en ...') opens its line with one too, in the title column."""
    found = []  # (x of the key, x of the word after it)
    for line in lines:
        words = [w for w in line.words if column_of(w.center, boundaries or []) == 0]
        if len(words) < 2 or not NUMBER.match(words[0].text.rstrip("abcdefghijklmnopqrstuvwxyz"
                                                                      "-/,")):
            continue
        end = max((n for n in range(1, min(len(words), MAX_KEY_WORDS + 1))
                   if parse_detail_key(join_words(words[:n])) is not None
                   or open_detail_key(join_words(words[:n])) is not None), default=0)
        if 0 < end < len(words):
            found.append((words[0].x0, words[end].x0))
    left = min((key for key, _ in found), default=0.0)
    xs = [x for key, x in found if key <= left + settings.key_indent_pt]
    return median(xs) if xs else None


def breaks_inside_words(cells: list[list[_Piece]]) -> bool:
    """Whether the writer breaks lines inside words, after a hyphen or a slash (as
    browsers and office suites do; reportlab breaks at spaces only): some line of a
    cell ends in a hyphen inside a word ('vmbo-' over 'mbo'), not one of an elided
    compound ('havo-' over 'en vwo')."""
    for pieces in cells:
        for before, after in zip(pieces, pieces[1:], strict=False):
            text, next_text = before.text.rstrip(), after.text.lstrip()
            if text[-1:] == "-" and text[-2:-1].isalnum() and next_text[:1].isalnum() \
                    and not goes_on_elided(next_text):
                return True
    return False


def cell_blocks(pieces: list[_Piece], settings: PdfSettings = DEFAULT_SETTINGS,
                writing: Writing | None = None) -> tuple[TextBlock, ...]:
    """Visual lines of one cell as paragraph and bullet-item blocks, joined as the
    document's `writing` wraps them."""
    writing = writing or Writing()
    blocks: list[list[str]] = []  # [kind, text]
    previous: _Piece | None = None
    right = {page: max(p.x1 for p in pieces if p.page == page) for page in {p.page for p in pieces}}
    gaps = [b.top - a.bottom for a, b in zip(pieces, pieces[1:], strict=False) if a.page == b.page]
    leading = median(gaps) if gaps else 0.0
    body = median(p.size for p in pieces) if pieces else 0.0
    for piece in pieces:
        if blocks and _lone_marker(piece, body, settings, writing):
            # A raised footnote marker the writer wrapped onto a line of its own: it
            # belongs to the end of the line before, as a superscript.
            marker = piece.text.strip()
            blocks[-1][1] = blocks[-1][1].rstrip() + (
                marker.translate(TO_SUPERSCRIPT) if marker.isdecimal() else marker)
            continue
        bullet = piece.text.startswith(BULLETS) and len(piece.text) > 2 \
            and piece.text[1] == " "
        if bullet and piece.text.startswith(DASH_BULLETS) and previous is not None:
            bullet = _left_room(previous, piece, right[previous.page], settings)
        if bullet:
            blocks.append(["li", piece.text[2:].strip()])
        elif previous is None or _new_paragraph(previous, piece, blocks[-1][0],
                                                right[previous.page], leading, settings):
            blocks.append(["p", piece.text])
        else:
            # Across a page break too: a word hyphenated at the page's foot goes on.
            blocks[-1][1] = _join(blocks[-1][1], piece.text, writing)
        previous = piece
    return _render(blocks)


def _join(before: str, after: str, writing: Writing) -> str:
    before, after = before.rstrip(), after.lstrip()
    if _starts_with_reference(after, writing):
        # A reference wrapped to the start of a line belongs to the word before it.
        return before + after
    if writing.breaks_words and before[-1:] == "/" and before[-2:-1].isalnum() \
            and after.lstrip()[:1].isalnum():
        return before + after
    if joined_elsewhere(before, after, writing.words):
        return before + after
    return join_lines(before, after)


def _starts_with_reference(text: str, writing: Writing) -> bool:
    """Superscript digits, or '(4)' / '[4]' in the notation of the annex's footnotes."""
    if text[:1] and text[:1] in SUPERSCRIPT_DIGITS:
        return True
    bracketed = BRACKET_START.match(text)
    return bracketed is not None and bracketed.group(1) in writing.notations


def _lone_marker(piece: _Piece, body: float, settings: PdfSettings, writing: Writing
                 ) -> bool:
    """A line that is only a footnote reference: a number printed smaller than the
    cell's text, superscript digits, or '(4)' / '[4]' in the notation of the annex's
    footnotes (extract.markers makes those superscripts)."""
    text = piece.text.strip()
    if BRACKET_MARKER.match(text):
        return text[0] in writing.notations
    if text and all(c in SUPERSCRIPT_DIGITS for c in text):
        return True
    return bool(text) and all(c.isdigit() for c in text) \
        and piece.size < body * settings.superscript_size_ratio


def _left_room(previous: _Piece, piece: _Piece, right: float, settings: PdfSettings) -> bool:
    """Whether the line before `piece` ended short of the cell's right edge by more
    than `piece`'s first word: the writer broke it, the text did not wrap there
    (across a page break too, measured on the page the line is on)."""
    return right - previous.x1 > piece.first_word_width + settings.paragraph_room_em * piece.size


def _new_paragraph(previous: _Piece, piece: _Piece, kind: str, right: float,
                   leading: float, settings: PdfSettings) -> bool:
    """A gap taller than the cell's line spacing, a return to the margin after a
    list item, or a sentence that ends on a line left short although the next
    line's first word would have fitted there: the writer broke the line."""
    room = right - previous.x1
    ends_short = room > piece.first_word_width + settings.paragraph_room_em * piece.size \
        and previous.text.rstrip()[-1:] in ".:!?"
    if previous.page != piece.page:
        return ends_short  # otherwise the page break cut a paragraph in two
    if piece.top - previous.bottom > leading + settings.paragraph_gap_em * piece.size:
        return True
    if kind == "li":
        return piece.x0 < previous.x0 - settings.list_return_pt
    return ends_short


def _render(blocks: list[list[str]]) -> tuple[TextBlock, ...]:
    return tuple(plain_block("item", text, BULLET) if kind == "li"
                 else plain_block("paragraph", text) for kind, text in blocks if text.strip())
