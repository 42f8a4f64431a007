"""The corpus of bad inputs: each case with the outcome it must have.

| case                                 | outcome                                             |
|--------------------------------------|-----------------------------------------------------|
| empty file                           | extract: file is empty                              |
| binary, not a PDF                    | extract: binary file, not a text export             |
| truncated / encrypted / scanned PDF, | see test_pdf_errors.py (own line each)              |
|   PDF of another table               |                                                     |
| text export in cp1252, UTF-16, CRLF  | read correctly: the same actions as UTF-8           |
| row of the wrong shape               | extract: ... wrong shape ... at line N              |
| duplicated action number             | validate: action_id duplicated, nothing published   |
| action without detail row            | validate: action not linked, nothing published      |
| unknown party code                   | validate: not in vocabulary (test_pipeline.py)      |
| year outside the timeline            | validate (test_validate.py, year 2021)              |
| status cell of several megabytes     | published; rejected when over --max-file-mb         |
| PDF of hundreds of pages             | extract: more pages than the limit                  |
| PDF that is slow to parse            | pipeline: took longer than the limit of N s         |
| annex id that is not a safe name     | write: refused before it becomes a path             |
"""

from __future__ import annotations

import contextlib
import re
import stat
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from extract import read_annex
from ir import StageError
from normalize import normalize_annex
from pipeline.cli import main
from pipeline.write import destination_for
from tests.test_properties import REAL_LINES, _apply, _edit

ANNEX_ID = "techniekpact-2013-07-02"


def _run(tmp_path: Path, capsys, *inputs: Path, extra: tuple[str, ...] = ()) -> tuple[int, list]:
    capsys.readouterr()
    code = main(["run", *map(str, inputs), "--out", str(tmp_path / "out"), *extra])
    return code, capsys.readouterr().err.strip().splitlines()


@pytest.mark.parametrize(("encoding", "line_end"), [("cp1252", "\n"), ("utf-16", "\n"),
                                                    ("utf-8", "\r\n"), ("utf-16-le", "\r\n")])
def test_other_encodings_and_line_ends_read_the_same(tmp_path, real_annex_path, tables,
                                                     encoding, line_end):
    text = real_annex_path.read_text(encoding="utf-8")
    if encoding == "cp1252":  # cp1252 has no superscripts other than ¹²³: use digits
        text = text.translate(str.maketrans("⁴⁵⁶⁷", "4567"))
    path = tmp_path / f"annex-{encoding}.txt"
    path.write_bytes(text.replace("\n", line_end).encode(encoding))
    other = normalize_annex(read_annex(path))
    columns = ["action_id", "title", "detail_ref", "initiators", "education", "ministries"]
    pd.testing.assert_frame_equal(other.actions[columns], tables.actions[columns])
    if encoding != "cp1252":
        pd.testing.assert_frame_equal(other.actions, tables.actions.assign(
            source_file=path.name))


def _variant(tmp_path: Path, source: Path, edit, name: str) -> Path:
    lines = source.read_text(encoding="utf-8").split("\n")
    path = tmp_path / name
    path.write_text("\n".join(edit(lines)), encoding="utf-8")
    return path


def _line_of(lines: list[str], start: str) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith(start))


def test_duplicated_action_number_publishes_nothing(tmp_path, real_annex_path, capsys):
    def duplicate(lines):
        at = _line_of(lines, "16\t")
        return lines[:at + 1] + [lines[at]] + lines[at + 1:]
    path = _variant(tmp_path, real_annex_path, duplicate, "duplicate.txt")
    code, err = _run(tmp_path, capsys, path)
    assert code == 1 and len(err) == 1
    assert err[0].startswith(f"{path}: validate: ") and "duplicated" in err[0]
    assert "action 16" in err[0]
    assert not (tmp_path / "out" / ANNEX_ID).exists()


def test_action_without_detail_row_publishes_nothing(tmp_path, real_annex_path, capsys):
    def drop_detail(lines):
        at = _line_of(lines, "16\t\tIntroduceren")
        return lines[:at] + lines[at + 1:]
    path = _variant(tmp_path, real_annex_path, drop_detail, "no-detail.txt")
    code, err = _run(tmp_path, capsys, path)
    assert code == 1 and len(err) == 1
    assert err[0].startswith(f"{path}: validate: ") and "action 16" in err[0]
    assert not (tmp_path / "out" / ANNEX_ID).exists()


def test_megabyte_status_cell_is_read_and_the_size_limit_holds(tmp_path, real_annex_path,
                                                               capsys):
    paragraph = "Dit is een zeer lange stand van zaken die maar door blijft gaan. "
    huge = "<p>" + paragraph * 50_000 + "</p>"  # 3.3 MB

    def inflate(lines):
        at = _line_of(lines, "16\t\tIntroduceren")
        lines[at] = lines[at] + " " + huge
        return lines
    path = _variant(tmp_path, real_annex_path, inflate, "huge-status.txt")
    assert path.stat().st_size > 3_000_000
    code, err = _run(tmp_path, capsys, path)
    assert code == 0, err
    actions = pd.read_parquet(tmp_path / "out" / ANNEX_ID / "actions.parquet")
    assert len(actions.set_index("action_id").loc["16", "status_text"]) > 3_000_000
    code, err = _run(tmp_path, capsys, path, extra=("--max-file-mb", "1"))
    assert code == 1
    assert err == [f"{path}: extract: file is 3.3 MB, over the limit of 1 MB at whole file"]


def _long_pdf(path: Path, pages: int) -> Path:
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    for number in range(pages):
        canvas.drawString(72, 800, f"Pagina {number + 1}")
        canvas.showPage()
    canvas.save()
    return path


def test_pdf_with_hundreds_of_pages_is_refused(tmp_path, capsys):
    path = _long_pdf(tmp_path / "long.pdf", 400)
    code, err = _run(tmp_path, capsys, path)
    assert code == 1
    assert err == [f"{path}: extract: PDF has 400 pages, more than the limit of 300 "
                   "at whole file"]


def _slow_pdf(path: Path) -> Path:
    """Few pages, each with tens of thousands of tiny shapes: slow to parse."""
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    for _page in range(3):
        for i in range(40_000):
            canvas.rect(20 + (i % 200) * 2.8, 20 + (i // 200) * 3.9, 1, 1, stroke=1, fill=0)
        canvas.showPage()
    canvas.save()
    return path


def test_slow_pdf_is_stopped_by_the_time_limit(tmp_path, real_annex_path, capsys):
    path = _slow_pdf(tmp_path / "slow.pdf")
    code, err = _run(tmp_path, capsys, path, extra=("--max-seconds", "1"))
    assert code == 1
    assert len(err) == 1
    assert re.fullmatch(rf"{re.escape(str(path))}: pipeline: took longer than the limit of 1 s "
                        r"\(stopped after \d+\.\d s\) at whole file", err[0]), err
    # The timer is gone with the document: the next one runs to the end.
    code, err = _run(tmp_path, capsys, real_annex_path)
    assert code == 0, err
    assert (tmp_path / "out" / ANNEX_ID / "actions.parquet").exists()


@pytest.mark.parametrize("annex_id", ["../escape", "/etc", "a/b", "", ".hidden", "x" * 200,
                                      "Hoofd letters", "id;rm -rf"])
def test_unsafe_annex_ids_never_become_paths(tmp_path, annex_id):
    with pytest.raises(ValueError):
        destination_for(tmp_path, annex_id)
    assert destination_for(tmp_path, ANNEX_ID) == (tmp_path / ANNEX_ID).resolve()


def test_formula_like_text_stays_text_in_csv_and_workbook(tmp_path, real_annex_path, capsys):
    import openpyxl

    def formula_title(lines):
        at = _line_of(lines, "14\t")
        cells = lines[at].split("\t")
        cells[1] = '=HYPERLINK("http://example.invalid","Bekostiging")'
        lines[at] = "\t".join(cells)
        return lines
    path = _variant(tmp_path, real_annex_path, formula_title, "formula.txt")
    code, err = _run(tmp_path, capsys, path)
    assert code == 0, err
    folder = tmp_path / "out" / ANNEX_ID
    plain = pd.read_csv(folder / "actions.csv", dtype=str, keep_default_na=False)
    assert plain.set_index("action_id").loc["14", "title"].startswith("=HYPERLINK")
    sheet = openpyxl.load_workbook(folder / f"{ANNEX_ID}.xlsx")["actions"]
    cell = next(row[6] for row in sheet.iter_rows(min_row=2) if row[1].value == "14")
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")  # text, not run


def test_published_files_are_not_open_to_everyone(tmp_path, real_annex_path, capsys):
    code, _ = _run(tmp_path, capsys, real_annex_path)
    assert code == 0
    folder = tmp_path / "out" / ANNEX_ID
    for path in [folder, *folder.iterdir()]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode & stat.S_IRWXO == 0, (path, oct(mode))
        assert mode & stat.S_IWGRP == 0, (path, oct(mode))


@settings(derandomize=True, database=None, deadline=None, max_examples=2000)
@given(edits=st.lists(_edit, min_size=1, max_size=6))
def test_text_reader_never_raises_anything_but_a_stage_error(tmp_path_factory, edits):
    """Thousands of random edits of the real annex through the text reader (the
    slower normalize stage gets its hundreds in test_properties.py)."""
    lines = REAL_LINES
    for edit in edits:
        lines = _apply(lines, edit)
    path = tmp_path_factory.getbasetemp() / "fuzz.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    with contextlib.suppress(StageError):  # a StageError is a clean outcome
        read_annex(path)
