"""How a matrix page is read: one interface, interchangeable strategies.

As camelot's parsers (lattice for ruled tables, stream for borderless ones), each
strategy answers the same two questions for a page: where the party columns are
(`columns`) and which lines make which row, in which vertical band (`rows`).
Which one reads a page is decided by what the page has, never by who made it:
the ruled strategy where pdfplumber's table finder found a grid that holds the
header's labels in their own columns and the rows in their own ruled rows; the
borderless one (header labels, gutters, keys) everywhere else.
"""

from __future__ import annotations

from typing import Protocol

from extract import pdf_matrix
from extract.pdf_matrix import MatrixHeader, _Carry, _Columns
from extract.pdf_page import PageContent
from extract.pdf_ruled import Ruled
from extract.pdf_words import Line
from ir import RawMatrixRow

Band = tuple[float, float]


class MatrixStrategy(Protocol):
    name: str

    def columns(self, header: MatrixHeader, page: PageContent) -> _Columns | None:
        """The page's columns, or None where this strategy cannot read the page."""

    def fits(self, body: list[Line], columns: _Columns, page: PageContent) -> bool:
        """Whether the page's rows can be read this way."""

    def rows(self, body: list[Line], columns: _Columns, page: PageContent, file: str,
             carry: _Carry) -> tuple[list[tuple[RawMatrixRow, Band]], _Carry, list[Line]]:
        """The page's rows, each with its band, what the last hands to the next page,
        and the lines above the first row (they carry on the last row of the page
        before)."""

    def timeline(self, page: PageContent, columns: _Columns, fills: list[dict]
                 ) -> tuple[_Columns, int]:
        """The columns with the timeline's years placed, and the periods per year;
        `fills` are those of every page printed with these year columns."""


class Borderless:
    """Columns from the header labels (snapped to ruling lines where there are any)
    and the gutters in the text; rows from the keys, bands from rules or gaps."""

    name = "borderless"

    def columns(self, header: MatrixHeader, page: PageContent) -> _Columns:
        return pdf_matrix._columns(header, page)

    def fits(self, body: list[Line], columns: _Columns, page: PageContent) -> bool:
        return True

    def rows(self, body, columns, page, file, carry):
        if carry.cut is not None:  # only a ruled page can say which row they are of
            raise pdf_matrix.cut_without_row(carry.cut, file)
        return pdf_matrix._rows(body, columns, page, file, carry)

    def timeline(self, page, columns, fills):
        return pdf_matrix._timeline_grid(page, columns, fills)


BORDERLESS = Borderless()


def choose_strategy(page: PageContent, header: MatrixHeader | None,
                    before: _Columns | None, body: list[Line]
                    ) -> tuple[_Columns, MatrixStrategy]:
    """The columns and the strategy for one matrix page. A page with the header gets
    its own columns; a page without one keeps the columns of the page before
    (`before`), and is read ruled when its own grid holds its rows."""
    for grid in page.grids:
        strategy = Ruled(grid)
        columns = strategy.columns(header, page) if header is not None else before
        if columns is not None and strategy.fits(body, columns, page):
            return columns, strategy
    columns = BORDERLESS.columns(header, page) if header is not None else before
    return columns, BORDERLESS
