"""The Excel workbook: read back with openpyxl, and opened by LibreOffice Calc in a
Dutch locale, where numbers must be numbers, booleans booleans, and no text a formula."""

from __future__ import annotations

import math
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ir.schema import SCHEMAS
from pipeline.cli import main
from report.workbook import CODEBOOK_SHEET, LIST_JOIN, WorkbookSettings, write_workbook

ROOT = Path(__file__).resolve().parent.parent
ANNEX_ID = "techniekpact-2013-07-02"
FACSIMILE = sorted((ROOT / "samples" / "facsimiles").glob("*.pdf"))[0]
FORMULA_TITLE = '=HYPERLINK("http://example.invalid","Bekostiging")'
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
# Excel and Calc keep 15 significant digits of a number; Parquet and CSV keep all 17.
FIFTEEN_DIGITS = 1e-14
needs_calc = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed: "
                                "apt-get install libreoffice-calc-nogui")


@pytest.fixture(scope="module")
def published(tmp_path_factory, real_annex_path) -> dict[str, Path]:
    """The real annex with one title made formula-like, and a facsimile PDF (timeline)."""
    out = tmp_path_factory.mktemp("workbook")
    text = real_annex_path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("14\t"))
    cells = lines[at].split("\t")
    cells[1] = FORMULA_TITLE
    lines[at] = "\t".join(cells)
    variant = out / "formula.txt"
    variant.write_text("".join(lines), encoding="utf-8")
    assert main(["run", str(variant), "--out", str(out / "text")]) == 0
    assert main(["run", str(FACSIMILE), "--out", str(out / "pdf")]) == 0
    return {"text": out / "text" / ANNEX_ID, "pdf": out / "pdf" / ANNEX_ID}


def _book(folder: Path) -> Path:
    return folder / f"{ANNEX_ID}.xlsx"


@pytest.mark.parametrize("source", ["text", "pdf"])
def test_every_cell_reads_back_with_its_type(published, source):
    book = openpyxl.load_workbook(_book(published[source]))
    assert book.sheetnames == [*SCHEMAS, CODEBOOK_SHEET]
    for name, schema in SCHEMAS.items():
        sheet = book[name]
        expected = pq.read_table(published[source] / f"{name}.parquet").to_pylist()
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == schema.names, name
        assert len(rows) - 1 == len(expected), name
        for got, want in zip(rows[1:], expected, strict=True):
            for value, field in zip(got, schema, strict=True):
                expected_value = _as_in_excel(want[field.name], field.type)
                if pa.types.is_floating(field.type) and value is not None:
                    assert math.isclose(value, expected_value, rel_tol=FIFTEEN_DIGITS), field.name
                else:
                    assert value == expected_value, (name, field.name)
                if value is not None:
                    assert type(value) in _python_types(field.type), (name, field.name, value)


def _as_in_excel(value, kind: pa.DataType):
    if value is None:
        return None
    if pa.types.is_list(kind):
        return LIST_JOIN.join(map(str, value))
    return value


def _python_types(kind: pa.DataType) -> tuple[type, ...]:
    if pa.types.is_boolean(kind):
        return (bool,)
    if pa.types.is_integer(kind):
        return (int,)
    if pa.types.is_floating(kind):
        return (float, int)  # a stored number: openpyxl gives 100.0 back as 100
    return (str,)


def test_formula_like_text_is_a_plain_string_and_no_cell_is_a_formula(published):
    path = _book(published["text"])
    book = openpyxl.load_workbook(path)
    titles = {row[1]: row[6] for row in book["actions"].iter_rows(min_row=2, values_only=True)}
    assert titles["14"] == FORMULA_TITLE  # as printed: no apostrophe, not run
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
        assert len(sheets) == len(SCHEMAS) + 1
        for name in sheets:
            assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_header_frozen_filtered_and_columns_sized(published):
    book = openpyxl.load_workbook(_book(published["text"]))
    for name in [*SCHEMAS, CODEBOOK_SHEET]:
        sheet = book[name]
        assert sheet.freeze_panes == "A2", name
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A1:"), name
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        settings = WorkbookSettings()
        assert all(settings.min_width <= w <= settings.max_width + 1 for w in widths), name
    actions = book["actions"]
    status = actions.column_dimensions[
        next(c.column_letter for c in actions[1] if c.value == "status_text")].width
    letter = next(c.column_letter for c in actions[1] if c.value == "action_letter")
    assert status > actions.column_dimensions[letter].width  # sized by content


def test_codebook_sheet_lists_every_column(published):
    book = openpyxl.load_workbook(_book(published["text"]))
    rows = list(book[CODEBOOK_SHEET].iter_rows(values_only=True))
    header = rows[0]
    listed = {(r[header.index("table")], r[header.index("column")]) for r in rows[1:]}
    assert listed == {(t, f.name) for t, s in SCHEMAS.items() for f in s}


def test_a_cell_over_excels_limit_is_cut_with_a_marker(tmp_path):
    settings = WorkbookSettings(max_cell_chars=100)
    table = pa.table({"text": ["x" * 500, "kort"]})
    path = write_workbook({"demo": table}, [], tmp_path / "demo.xlsx", settings=settings)
    values = [row[0] for row in openpyxl.load_workbook(path)["demo"].iter_rows(
        min_row=2, values_only=True)]
    assert len(values[0]) == 100 and "ingekort" in values[0] and "demo.csv" in values[0]
    assert values[1] == "kort"


def test_same_tables_give_the_same_bytes(tmp_path):
    table = pa.table({"n": pa.array([1, 2], pa.int32()), "ok": [True, False],
                      "codes": pa.array([["po", "vo"], []], pa.list_(pa.string()))})
    first = write_workbook({"t": table}, [], tmp_path / "a.xlsx")
    second = write_workbook({"t": table}, [], tmp_path / "b.xlsx")
    assert first.read_bytes() == second.read_bytes()


# -- LibreOffice Calc in nl_NL --------------------------------------------------------

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"


def _calc_sheets(xlsx: Path, workdir: Path) -> dict[str, list[list[dict]]]:
    """Convert with Calc in a Dutch locale to flat ODS and read every cell back:
    its value type, value, formula and the text Calc displays."""
    profile = workdir / "profile"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(workdir), "LANG": "nl_NL.UTF-8",
           "LC_ALL": "nl_NL.UTF-8", "LANGUAGE": "nl"}
    subprocess.run([SOFFICE, "--headless", "--norestore",
                    f"-env:UserInstallation={profile.as_uri()}", "--convert-to", "fods",
                    "--outdir", str(workdir), str(xlsx)],
                   env=env, capture_output=True, timeout=180, check=True)
    document = ET.parse(workdir / (xlsx.stem + ".fods"))
    sheets = {}
    for table in document.iter(f"{{{TABLE}}}table"):
        rows = []
        for row in table.iter(f"{{{TABLE}}}table-row"):
            cells = []
            for cell in row.iter(f"{{{TABLE}}}table-cell"):
                repeat = int(cell.get(f"{{{TABLE}}}number-columns-repeated", "1"))
                shown = "\n".join("".join(p.itertext()) for p in cell.iter(f"{{{TEXT}}}p"))
                cells += [{"type": cell.get(f"{{{OFFICE}}}value-type"),
                           "value": cell.get(f"{{{OFFICE}}}value"),
                           "formula": cell.get(f"{{{TABLE}}}formula"),
                           "shown": shown}] * min(repeat, 64)
            rows.append(cells)
        sheets[table.get(f"{{{TABLE}}}name")] = rows
    return sheets


@pytest.fixture(scope="module")
def calc(published, tmp_path_factory) -> dict[str, dict[str, list[list[dict]]]]:
    if SOFFICE is None:
        pytest.skip("LibreOffice is not installed: apt-get install libreoffice-calc-nogui")
    return {source: _calc_sheets(_book(folder), tmp_path_factory.mktemp(f"calc-{source}"))
            for source, folder in published.items()}


@needs_calc
@pytest.mark.parametrize("source", ["text", "pdf"])
def test_calc_in_dutch_sees_numbers_booleans_and_text(calc, published, source):
    sheets = calc[source]
    assert list(sheets)[: len(SCHEMAS)] == list(SCHEMAS)
    seen = {"decimal": 0, "boolean": 0}
    for name, schema in SCHEMAS.items():
        header = [c["shown"] for c in sheets[name][0][: len(schema)]]
        assert header == schema.names, name
        expected = pq.read_table(published[source] / f"{name}.parquet").to_pylist()
        for cells, want in zip(sheets[name][1:], expected, strict=False):
            for cell, field in zip(cells, schema, strict=False):
                value, kind = want[field.name], field.type
                assert not cell["shown"].startswith("'"), (name, field.name)
                if value is None:
                    assert cell["type"] is None, (name, field.name)
                elif pa.types.is_boolean(kind):
                    # Calc keeps an xlsx boolean as its TRUE()/FALSE() function, shown
                    # in the locale's words: the only "formula" allowed anywhere.
                    assert cell["formula"] == ("of:=TRUE()" if value else "of:=FALSE()")
                    assert cell["shown"] == ("WAAR" if value else "ONWAAR")
                    seen["boolean"] += 1
                elif pa.types.is_integer(kind) or pa.types.is_floating(kind):
                    assert cell["formula"] is None and cell["type"] == "float"
                    assert math.isclose(float(cell["value"]), value, rel_tol=FIFTEEN_DIGITS)
                    if value != int(value):
                        assert "," in cell["shown"] and "." not in cell["shown"]
                        seen["decimal"] += 1
                elif _as_in_excel(value, kind) == "":
                    assert cell["type"] is None  # an empty list: an empty cell, as in Excel
                else:
                    assert cell["formula"] is None and cell["type"] == "string"
                    assert cell["shown"] == _as_in_excel(value, kind), (name, field.name)
    assert seen["decimal"] > 0 and seen["boolean"] > 0  # the checks above did run


def test_the_codebook_is_also_in_dutch(published):
    from pipeline.codebook import codebook_rows

    rows = codebook_rows()
    assert {(r["table"], r["column"]) for r in rows} == {
        (t, f.name) for t, s in SCHEMAS.items() for f in s}
    missing = [(r["table"], r["column"]) for r in rows
               if not r["label_nl"] or not r["description_nl"]]
    assert missing == []  # every column has a Dutch label and meaning
    leesmij = (published["text"] / "LEESMIJ.md").read_text(encoding="utf-8")
    assert leesmij.startswith("# Gegevenswoordenboek")
    assert all(f"| `{r['column']}` | {r['label_nl']} |" in leesmij for r in rows)
    sheet = openpyxl.load_workbook(_book(published["text"]))[CODEBOOK_SHEET]
    assert {"label_nl", "description_nl"} <= {c.value for c in sheet[1]}


def test_a_table_too_long_for_a_sheet_is_refused_not_cut(tmp_path):
    settings = WorkbookSettings(max_rows=3)
    with pytest.raises(ValueError, match="do not fit in an Excel sheet"):
        write_workbook({"demo": pa.table({"n": [1, 2, 3]})}, [], tmp_path / "x.xlsx",
                       settings=settings)
    path = write_workbook({"demo": pa.table({"n": [1, 2]})}, [], tmp_path / "y.xlsx",
                          settings=settings)
    assert openpyxl.load_workbook(path)["demo"].max_row == 3
