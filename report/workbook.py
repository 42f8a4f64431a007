"""The Excel workbook of one annex version: one sheet per table and a codebook sheet.

Written with XlsxWriter rather than openpyxl: it only writes (which is all the
pipeline does), has no dependencies, writes each cell with an explicit type
(`write_number`, `write_boolean`, `write_string`), so a text that starts with
`=` is stored as a string and never becomes a formula, and it gives the same
bytes for the same input once the document's creation date is fixed. openpyxl
is used by the tests to read the workbook back.

Numbers and booleans are stored as such, so Excel and LibreOffice show them in
the user's own locale (62,9 and WAAR in Dutch); no cell needs a leading `'`.
List columns are joined with "; " (the long tables hold the same lists one
item per row).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import xlsxwriter


@dataclass(frozen=True)
class WorkbookSettings:
    # Excel keeps at most this many characters in a cell (its documented limit);
    # a longer text is cut there with a marker that says so and where the whole is.
    max_cell_chars: int = 32_767
    # Excel's rows per sheet, header included: a longer table is refused, never cut
    # (XlsxWriter would silently skip the rows beyond it).
    max_rows: int = 1_048_576
    # Column width in characters: wide enough for the header and typical values,
    # never so wide that a status text pushes every other column off the screen.
    min_width: int = 6
    max_width: int = 60
    # Rows looked at to size a column: enough for a stable width, cheap on a long table.
    width_sample_rows: int = 500
    # Fixed creation date in docProps/core.xml: the same input gives the same bytes.
    created: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


SETTINGS = WorkbookSettings()
LIST_JOIN = "; "
CODEBOOK_SHEET = "codebook"
TRUNCATED = " … [ingekort: Excel houdt {limit} tekens per cel; volledige tekst in {table}.csv]"


def workbook_name(annex_id: str) -> str:
    """Named after the version: Excel cannot open two workbooks of the same name at once."""
    return f"{annex_id}.xlsx"


def write_workbook(tables: dict[str, pa.Table], codebook: list[dict[str, str]], path: Path,
                   title: str = "", settings: WorkbookSettings = SETTINGS) -> Path:
    """One sheet per table, in the given order, then the codebook sheet."""
    # in_memory: the sheets' XML is built in memory, not in temporary files beside
    # the system's temp folder (nothing is written outside --out), and creating and
    # removing ten temp files was a third of the workbook's time (bench/README.md).
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False,
                                           "strings_to_formulas": False,
                                           "strings_to_urls": False,
                                           "in_memory": True})
    book.set_properties({"title": title, "created": settings.created.replace(tzinfo=None),
                         "author": "techniekpact-annex pipeline"})
    formats = _Formats(book)
    for name, table in tables.items():
        _write_sheet(book, formats, name, table.schema, table.to_pylist(), settings)
    if codebook:
        fields = list(codebook[0])
        schema = pa.schema([pa.field(f, pa.string()) for f in fields])
        _write_sheet(book, formats, CODEBOOK_SHEET, schema, codebook, settings)
    book.close()
    return path


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.header = book.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
        self.integer = book.add_format({"num_format": "0"})
        # General: the number as stored, with the locale's decimal separator.
        self.decimal = book.add_format({"num_format": "General"})
        self.text = book.add_format({"num_format": "@"})  # text cell: never re-parsed
        self.date = book.add_format({"num_format": 14})  # built-in: the locale's short date


def _write_sheet(book, formats: _Formats, name: str, schema: pa.Schema, rows: list[dict],
                 settings: WorkbookSettings) -> None:
    if len(rows) + 1 > settings.max_rows:
        raise ValueError(f"{name}: {len(rows)} rows do not fit in an Excel sheet "
                         f"({settings.max_rows} rows with the header); use the CSV or Parquet")
    sheet = book.add_worksheet(name[:31])  # Excel's limit for a sheet name
    kinds = [field.type for field in schema]
    for col, field in enumerate(schema):
        sheet.write_string(0, col, field.name, formats.header)
    for r, row in enumerate(rows, start=1):
        for col, (value, kind) in enumerate(zip(row.values(), kinds, strict=True)):
            _write_cell(sheet, formats, r, col, value, kind, name, settings)
    widths = _widths(schema, rows, settings)
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(kinds) - 1)


def _write_cell(sheet, formats: _Formats, row: int, col: int, value, kind: pa.DataType,
                table: str, settings: WorkbookSettings) -> None:
    if value is None:
        return  # an empty cell: null
    if pa.types.is_boolean(kind):
        sheet.write_boolean(row, col, bool(value))
    elif pa.types.is_integer(kind):
        sheet.write_number(row, col, int(value), formats.integer)
    elif pa.types.is_floating(kind):
        sheet.write_number(row, col, float(value), formats.decimal)
    elif pa.types.is_date(kind) or pa.types.is_timestamp(kind):
        sheet.write_datetime(row, col, value, formats.date)
    else:
        text = cell_text(value, kind)
        if len(text) > settings.max_cell_chars:
            marker = TRUNCATED.format(limit=settings.max_cell_chars, table=table)
            text = text[: settings.max_cell_chars - len(marker)] + marker
        sheet.write_string(row, col, text, formats.text)


def cell_text(value, kind: pa.DataType) -> str:
    if pa.types.is_list(kind):
        return LIST_JOIN.join(str(item) for item in value)
    return str(value)


def _widths(schema: pa.Schema, rows: list[dict], settings: WorkbookSettings) -> list[int]:
    widths = []
    for field in schema:
        longest = len(field.name) + 2  # room for the autofilter button
        for row in rows[: settings.width_sample_rows]:
            value = row[field.name]
            if value is not None:
                first_line = cell_text(value, field.type).split("\n", 1)[0]
                longest = max(longest, len(first_line))
        widths.append(min(max(longest + 1, settings.min_width), settings.max_width))
    return widths
