"""The ruled strategy: a matrix page read from the cell grid of pdfplumber's table finder.

The grid (extract/pdf_grid.py) gives the party columns (the grid column each
header label stands in) and the rows' vertical bands (the ruled rows), so a cell's
text and the fills under a row are read from the cells the producer drew. Rows
still start where a key starts (extract/rows.py, the row assembly of pdf_matrix):
a ruled row without a key continues the row above, as a wrapped title line does,
and a ruled row holding two row starts means the grid and the keys disagree: it is
refused with its page and bbox, never split or merged by guess.
"""

from __future__ import annotations

from dataclasses import replace

from extract import pdf_matrix
from extract.keys import LETTER, NUMBER, NUMBER_LETTER
from extract.pdf_grid import Grid
from extract.pdf_matrix import MatrixHeader, _Carry, _Columns
from extract.pdf_page import PageContent
from extract.pdf_words import Line, Word
from ir import Provenance, StageError


def _middle(line: Line) -> float:
    return (line.top + line.bottom) / 2


class Ruled:
    name = "ruled"

    def __init__(self, grid: Grid) -> None:
        self.grid = grid

    def columns(self, header: MatrixHeader, page: PageContent) -> _Columns | None:
        """The borderless columns with the party columns' edges taken from the grid:
        None when the header's labels do not stand in columns of their own in it
        (this grid is some other table, or does not rule the party columns)."""
        grid = self.grid
        if not header.years:  # no timeline: not the matrix's header, nor its grid
            return None
        labels = [w for _, w in header.parties]
        index = [grid.column_of(w.center) for w in labels]
        if any(i is None for i in index) or \
                not all(a < b for a, b in zip(index, index[1:], strict=False)):
            return None
        base = pdf_matrix._columns(header, page)
        party_left = grid.xs[index[0]]
        # The timeline starts where the last party column ends, when the grid rules
        # that edge (the first year label stands right of it).
        last_right = grid.xs[index[-1] + 1]
        timeline_left = last_right if header.years[0][1].center >= last_right \
            else base.timeline_left
        lines = page.lines[header.line_index:]
        return replace(base, boundaries=[grid.xs[i] for i in index[1:]],
                       party_left=party_left, timeline_left=timeline_left,
                       title_x=pdf_matrix._title_x(lines, party_left))

    def timeline(self, page: PageContent, columns: _Columns, fills: list[dict]
                 ) -> tuple[_Columns, int]:
        """The timeline's years and sub-columns as the fills give them, with the years'
        edges taken from the grid where it rules them: from the timeline's left edge
        to the grid's right edge, each year's edge on a grid line. (A label centred
        in its year, or set left with padding, cannot place the years; the rules do.)"""
        timeline, periods = pdf_matrix._timeline_grid(page, columns, fills)
        grid, count = self.grid, len(columns.years)
        if not count or columns.timeline_left not in grid.xs:
            return timeline, periods
        left = columns.timeline_left
        width = (grid.xs[-1] - left) / count
        slack = page.settings.ruled_year_fit_share * width
        ruled = all(any(abs(x - (left + k * width)) <= slack for x in grid.xs)
                    for k in range(count + 1))
        if not ruled or abs(width - columns.year_width) > slack:
            return timeline, periods
        return replace(timeline, year_left=[left + k * width for k in range(count)],
                       year_width=width, timeline_left=left), periods

    def _inside(self, body: list[Line]) -> list[Line]:
        top, bottom = self.grid.ys[0], self.grid.ys[-1]
        return [ln for ln in body if top <= _middle(ln) < bottom]

    def fits(self, body: list[Line], columns: _Columns, page: PageContent) -> bool:
        """The grid's ruled rows are the table's rows: most ruled rows that hold a row
        start hold exactly one (rules drawn only between groups do not make a row
        grid), and every row starts inside the grid (else it is not the whole table)."""
        settings = page.settings
        lines = self._key_cells(body, columns, page)
        starts = pdf_matrix._row_starts(pdf_matrix._table_lines(lines, page), columns, page,
                                        _Carry(), wrapped_keys=False)
        if any(self.grid.row_of(_middle(line)) is None for line, _, _ in starts):
            return False
        per_row: dict[int, int] = {}
        for line, _, _ in starts:
            row = self.grid.row_of(_middle(line))
            if row is not None:
                per_row[row] = per_row.get(row, 0) + 1
        single = sum(1 for count in per_row.values() if count == 1)
        return len(per_row) >= settings.ruled_min_keyed_rows and \
            single >= settings.ruled_rows_share * len(per_row)

    def rows(self, body, columns, page, file, carry):
        pending, carry = carry.cut, replace(carry, cut=None)
        inside = self._key_cells(self._inside(body), columns, page)
        carried = self._carried(body, columns, page) if carry.number is not None else []
        # A row broken across pages whose rest is set above the grid's first rule
        # (its continued cell drawn open at the top): lines that carry it on.
        inside = carried + inside
        cut = self._cut(body, columns, page)
        starts = pdf_matrix._row_starts(pdf_matrix._table_lines(inside + cut, page), columns,
                                        page, carry, wrapped_keys=False)
        seen: dict[int, Line] = {}
        for line, _, _ in starts:
            row = self.grid.row_of(_middle(line))
            if row is None:  # a row the page break cut, under the grid's last rule
                continue
            if row in seen:
                raise StageError(file, "extract", self._disagreement(page, seen[row], line),
                                 self._where(file, page, row).describe())
            seen[row] = line
        cells = None
        if cut and any(line is ln for line, _, _ in starts for ln in cut):
            inside += cut  # the cut row starts with its key here: the page's last row
        elif cut and all(w.center >= columns.party_left for ln in cut for w in ln.words):
            # The cut row prints only party cells here: they wait for its key and
            # title on the next page (read_matrix gives them to that page's first row).
            cells = pdf_matrix._party_cells(cut, columns, file, page)
        # The grid's key cells (_key_cells) join a key wrapped in its cell; the line
        # spacing rule for wrapped keys (pdf_matrix._wrapped_key_lines) stays off.
        rows, carry, lead = pdf_matrix._rows(inside, columns, page, file, carry,
                                             band=self._band, wrapped_keys=False)
        if pending is not None:
            # The cells of the row cut at the foot of the page before go to the row
            # that opens this page: above its grid (its cell drawn open at the top),
            # or under a repeated header with those cells left empty (their text
            # went before). A row with cells of its own there is another row.
            first = next(((line, kind) for line, kind, _ in starts), None)
            if lead or not rows or first is None or first[1] != "row":
                raise pdf_matrix.cut_without_row(pending, file)
            row = rows[0][0]
            free = all(not row.parties[group].text for group, cell in pending.items()
                       if cell.text)
            if not free and not any(first[0] is line for line in carried):
                raise pdf_matrix.cut_without_row(pending, file)
            rows[0] = (pdf_matrix.with_cut(row, pending), rows[0][1])
        return rows, (carry if cells is None else replace(carry, cut=cells)), lead

    def _carried(self, body: list[Line], columns: _Columns, page: PageContent) -> list[Line]:
        """The lines right above the grid's first rule, each within
        `ruled_carried_gap_em` of the one below it, that start left of the timeline."""
        reach = page.settings.ruled_carried_gap_em * page.em
        edge, found = self.grid.ys[0], []
        for line in reversed([ln for ln in body if _middle(ln) < self.grid.ys[0]]):
            if edge - line.bottom > reach or line.x0 >= columns.timeline_left:
                break
            found.insert(0, line)
            edge = line.top
        return found

    def _cut(self, body: list[Line], columns: _Columns, page: PageContent) -> list[Line]:
        """The lines right under the grid's last rule, each within `ruled_carried_gap_em`
        of the one above, with words in the party columns and none in the timeline: a
        row the page break cut, its cells drawn open at the bottom (or not drawn),
        which the grid leaves out. A note or legend under the table is none (it runs
        over the title column, or stands further off)."""
        reach = page.settings.ruled_carried_gap_em * page.em
        edge, found = self.grid.ys[-1], []
        for line in [ln for ln in body if _middle(ln) >= self.grid.ys[-1]]:
            if line.top - edge > reach or line.words[-1].x1 > columns.timeline_left or \
                    not any(w.center >= columns.party_left for w in line.words):
                break
            found.append(line)
            edge = line.bottom
        return found

    def _key_cells(self, lines: list[Line], columns: _Columns, page: PageContent
                   ) -> list[Line]:
        """The lines with each key read as its cell holds it: a key cell too narrow for
        '10a' wraps it to '10' over 'a', in one ruled row; the grid says it is one key
        (its number and letter joined), where lines alone would make two rows."""
        limit = columns.title_x - page.settings.key_indent_pt
        result: list[Line] = []
        for line in lines:
            above = result[-1] if result else None
            first = line.words[0]
            if above is not None and first.x0 < limit and LETTER.match(first.text) \
                    and NUMBER.match(above.words[0].text) and above.words[0].x0 < limit \
                    and self.grid.row_of(_middle(line)) is not None \
                    and self.grid.row_of(_middle(above)) == self.grid.row_of(_middle(line)) \
                    and NUMBER_LETTER.match(above.words[0].text + first.text):
                number = above.words[0]
                key = Word(number.text + first.text, min(number.x0, first.x0),
                           max(number.x1, first.x1), number.top, number.bottom, number.size,
                           number.page)
                result[-1] = Line([key, *above.words[1:]], above.page)
                if len(line.words) > 1:
                    result.append(Line(line.words[1:], line.page))
                continue
            result.append(line)
        return result

    def _disagreement(self, page: PageContent, first: Line, second: Line) -> str:
        return (f"matrix, page {page.number}: one ruled row holds two rows "
                f"({first.words[0].text!r} and {second.words[0].text!r}): the table's "
                "grid and its keys disagree")

    def _where(self, file: str, page: PageContent, row: int) -> Provenance:
        grid = self.grid
        return Provenance(file, page=page.number,
                          bbox=(grid.xs[0], grid.ys[row], grid.xs[-1], grid.ys[row + 1]))

    def _band(self, table: list[Line], line: Line, lines: list[Line], following: Line | None,
              page: PageContent) -> tuple[float, float]:
        """From the top of the ruled row the row starts in to the bottom of the one its
        last line is in (a row continued into ruled rows without a key spans them)."""
        first = self.grid.row_of(_middle(line))
        last = self.grid.row_of(_middle(lines[-1]))
        if first is None or last is None:  # not inside the grid: never, as read
            return pdf_matrix._band(table, line, lines, following, page)
        return self.grid.ys[first], self.grid.ys[last + 1]
