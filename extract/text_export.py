"""Reader for the tab-separated text export of the annex.

The export keeps each table line as one text line with cells split by tabs, but
it is a lossy copy of a PDF: header cells do not line up with data cells, the
detail table's column count changes from page to page, cells that continued on
the next page arrive as extra lines, and the timeline's colours are gone. The
reader therefore recognises lines by their content (keys, headers, footnotes),
not by fixed positions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from extract.decode import decode_text, refuse_control_characters
from extract.fragments import join_fragments
from extract.keys import (
    FOOTNOTE,
    NUMBER,
    PAGE_NUMBER,
    PREAMBLE_LINES,
    is_key,
    parse_detail_key,
    party_group_of,
    year_of,
)
from extract.markers import bracket_markers_as_superscripts
from extract.markup import parse_fragment
from extract.rows import matrix_key
from ir import (
    Provenance,
    RawAnnex,
    RawDetailRow,
    RawFootnote,
    RawMatrixRow,
    Span,
    StageError,
    TextBlocks,
)

STAGE = "extract"


def read_text_export(path: Path, name: str | None = None) -> RawAnnex:
    data = path.read_bytes()
    text, _encoding = decode_text(data)
    lines = text.split("\n")
    name = name or path.name
    refuse_control_characters(lines, name)
    if not text.strip():
        raise StageError(name, STAGE, "file is empty", "whole file")
    matrix_at = _find_header(lines, lambda cells: _is_matrix_header(cells))
    detail_at = _find_header(lines, _is_detail_header)
    if matrix_at is None:
        raise StageError(name, STAGE, "no matrix header ('Actie', party columns) found",
                         "whole file")
    if detail_at is None or detail_at < matrix_at:
        raise StageError(
            name, STAGE, "no detail table header ('Actie', 'Initiatiefnemer') after the matrix",
            "whole file",
        )
    years, matrix_rows = _read_matrix(lines, matrix_at, detail_at, name)
    detail_rows, footnotes = _DetailReader(name).read(lines, detail_at)
    return RawAnnex(
        source_file=name,
        sha256=hashlib.sha256(data).hexdigest(),
        source_format="text-export",
        title=_title(lines, matrix_at, name),
        preamble=_preamble(lines, matrix_at, name),
        timeline_years=years,
        periods_per_year=None,
        matrix_rows=tuple(matrix_rows),
        detail_rows=tuple(detail_rows),
        footnotes=tuple(footnotes),
    )


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.split("\t")]


def _find_header(lines: list[str], test) -> int | None:
    for index, line in enumerate(lines):
        if test(_cells(line)):
            return index
    return None


def _is_matrix_header(cells: list[str]) -> bool:
    return cells[0].lower() == "actie" and len(_party_columns(cells)) >= 2


def _is_detail_header(cells: list[str]) -> bool:
    lowered = [cell.lower() for cell in cells]
    return bool(lowered) and lowered[0] == "actie" and "initiatiefnemer" in lowered


def _title(lines: list[str], before: int, name: str) -> Span | None:
    for index in range(before):
        if lines[index].strip():
            return Span(lines[index].strip(), Provenance(name, index + 1))
    return None


def _preamble(lines: list[str], before: int, name: str) -> tuple[Span, ...]:
    """The non-empty lines before the matrix header: the export's first page."""
    return tuple(Span(lines[i].strip(), Provenance(name, i + 1))
                 for i in range(min(before, PREAMBLE_LINES)) if lines[i].strip())


def _party_columns(header: list[str]) -> list[str]:
    """Party groups in the order the header names them."""
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        group = party_group_of(cell)
        if group and group not in found:
            found[group] = index
    return sorted(found, key=found.get)


# --- matrix -----------------------------------------------------------------


def _read_matrix(
    lines: list[str], start: int, end: int, name: str
) -> tuple[tuple[int, ...], list[RawMatrixRow]]:
    groups = _party_columns(_cells(lines[start]))
    years: list[int] = []
    rows: list[RawMatrixRow] = []
    ambition: Span | None = None
    number: Span | None = None
    for index in range(start + 1, end):
        cells = _cells(lines[index])
        where = Provenance(name, index + 1)
        if not any(cells):
            continue
        if not rows and _year_labels(cells):
            years = _year_labels(cells)
            continue
        filled = [i for i, cell in enumerate(cells) if cell]
        if filled == [0] and not is_key(cells[0]):
            ambition = Span(cells[0], where)
            continue
        if _is_header_noise(cells):
            continue
        if not cells[0] and rows and filled == [1]:
            rows[-1] = _continue_title(rows[-1], cells[1], where)
            continue
        if not is_key(cells[0]) or len(cells) < 2 or not cells[1]:
            raise StageError(
                name, STAGE,
                f"matrix row of the wrong shape: {_preview(lines[index])}", where.describe(),
            )
        row, number = _matrix_row(cells, groups, ambition, number, where)
        rows.append(row)
    return tuple(years), rows


def _year_labels(cells: list[str]) -> list[int]:
    years = [year for year in map(year_of, cells) if year is not None]
    return years if len(years) >= 2 else []


def _is_header_noise(cells: list[str]) -> bool:
    """Second header line ('Betrokken partijen' over the party columns)."""
    text = " ".join(cell for cell in cells if cell).lower()
    return "betrokken partijen" in text and not is_key(cells[0])


def _matrix_row(
    cells: list[str], groups: list[str], ambition: Span | None, number: Span | None,
    where: Provenance,
) -> tuple[RawMatrixRow, Span]:
    number, letter, title = matrix_key(cells[0], cells[1], where, number)
    party_cells = cells[2 : 2 + len(groups)]
    parties = {group: Span(text, where) for group, text in zip(groups, party_cells, strict=False)}
    row = RawMatrixRow(ambition, number, letter, Span(title.strip(), where), parties, None)
    return row, number


def _continue_title(row: RawMatrixRow, more: str, where: Provenance) -> RawMatrixRow:
    title = Span(row.title.text + " " + more, row.title.where.merged(where))
    return RawMatrixRow(row.ambition, row.number, row.letter, title, row.parties, row.timeline)


def _preview(line: str, width: int = 60) -> str:
    text = line.replace("\t", " | ").strip()
    return repr(text if len(text) <= width else text[: width - 1] + "…")


# --- detail table -------------------------------------------------------------


@dataclass
class _OpenRow:
    """A detail row still collecting continuation lines."""

    ambition: Span | None
    number: Span
    letters: Span | None
    action: str
    initiator: str | None
    status: str
    first: Provenance
    last: Provenance

    def close(self) -> RawDetailRow:
        where = self.first.merged(self.last)
        initiator = Span(self.initiator, self.first) if self.initiator is not None else None
        return RawDetailRow(
            self.ambition, self.number, self.letters,
            TextBlocks(parse_fragment(self.action), where), initiator,
            TextBlocks(parse_fragment(self.status), where),
        )


@dataclass
class _DetailReader:
    name: str
    rows: list[RawDetailRow] = field(default_factory=list)
    footnotes: list[RawFootnote] = field(default_factory=list)
    open: _OpenRow | None = None
    ambition: Span | None = None
    number: Span | None = None

    def read(self, lines: list[str], start: int) -> tuple[list[RawDetailRow], list[RawFootnote]]:
        for index in range(start, len(lines)):
            self._line(_cells(lines[index]), Provenance(self.name, index + 1), lines[index])
        self._close()
        return bracket_markers_as_superscripts(self.rows, self.footnotes), self.footnotes

    def _line(self, cells: list[str], where: Provenance, raw: str) -> None:
        filled = [i for i, cell in enumerate(cells) if cell]
        if not filled or _is_detail_header(cells):
            return
        if len(cells) == 1:
            self._outside_table(cells[0], where)
        elif filled == [0] and not is_key(cells[0]):
            self._close()
            self.ambition = Span(cells[0], where)
        elif self._starts_row(cells):
            self._start_row(cells, where)
        elif not cells[0] and self.open is not None:
            self._continue_row(cells, where)
        else:
            raise StageError(
                self.name, STAGE, f"detail row of the wrong shape: {_preview(raw)}",
                where.describe(),
            )

    def _outside_table(self, text: str, where: Provenance) -> None:
        """A line that is not a table row: a footnote or a page number."""
        match = FOOTNOTE.match(text)
        if match and not PAGE_NUMBER.match(text):
            self.footnotes.append(RawFootnote(Span(match.group(1), where),
                                              Span(match.group(2).strip(), where)))
        elif not PAGE_NUMBER.match(text):
            raise StageError(
                self.name, STAGE, f"text outside the table is neither footnote nor header: "
                f"{_preview(text)}", where.describe(),
            )

    @staticmethod
    def _starts_row(cells: list[str]) -> bool:
        """A key in the first cell ('6', '6b-c', '8 d/e', 'b'), or an empty first
        cell and letters in the second ('b c', 'b, c', 'b en c')."""
        if len(cells) < 2:
            return False
        if cells[0]:
            return parse_detail_key(cells[0]) is not None
        return parse_detail_key(cells[1]) is not None and NUMBER.match(cells[1]) is None

    def _start_row(self, cells: list[str], where: Provenance) -> None:
        self._close()
        number, letters_read = parse_detail_key(cells[0]) if cells[0] else (None, ())
        rest = cells[1:]
        if number is not None:
            self.number = Span(number, where)
        if self.number is None:
            raise StageError(self.name, STAGE, "sub-row before any action number",
                             where.describe())
        if letters_read:
            # The key cell held the letters too; an empty letter column may follow.
            if rest and not rest[0]:
                rest = rest[1:]
        elif rest and (not rest[0] or parse_detail_key(rest[0]) is not None):
            letters_read = parse_detail_key(rest[0])[1] if rest[0] else ()
            rest = rest[1:]
        # The IR carries the letters as read, one space between them ('b-c' -> 'b c').
        letters = Span(" ".join(letters_read), where) if letters_read else None
        if not rest or not rest[0]:
            raise StageError(self.name, STAGE, "detail row without action text",
                             where.describe())
        initiator = rest[1] if len(rest) >= 3 else None
        status = " ".join(rest[2:]) if len(rest) >= 3 else " ".join(rest[1:])
        self.open = _OpenRow(self.ambition, self.number, letters, rest[0], initiator,
                             status.strip(), where, where)

    def _continue_row(self, cells: list[str], where: Provenance) -> None:
        """Empty leading cells: the last cell continues the status, the others the action."""
        row = self.open
        for cell in cells[1:-1]:
            if cell:
                row.action = join_fragments(row.action, cell)
        row.status = join_fragments(row.status, cells[-1])
        row.last = where

    def _close(self) -> None:
        if self.open is not None:
            self.rows.append(self.open.close())
            self.open = None
