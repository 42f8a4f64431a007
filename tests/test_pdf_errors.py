"""Inputs that are not a readable annex: each gets its own one-line error, and the
rest of the batch is still published."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.pdfencrypt import StandardEncryption
from reportlab.pdfgen.canvas import Canvas

from extract import read_annex
from ir import StageError
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
FACSIMILE = ROOT / "samples" / "facsimiles" / "facsimile-reportlab-ruled.pdf"


def _pdf(path: Path, draw, encrypt=None) -> Path:
    canvas = Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return path


def _encrypted(tmp: Path) -> Path:
    return _pdf(tmp / "encrypted.pdf", lambda c: c.drawString(72, 700, "Actie werkgevers"),
                StandardEncryption("geheim", ownerPassword="eigenaar"))


def _scan(tmp: Path) -> Path:  # shapes only: what a scanned page looks like to a parser
    def draw(canvas):
        canvas.setFillGray(0.2)
        for row in range(40):
            canvas.rect(60, 100 + row * 15, 400, 8, fill=1, stroke=0)
    return _pdf(tmp / "scan.pdf", draw)


def _other_table(tmp: Path) -> Path:
    def draw(canvas):
        for row, text in enumerate(["Jaar Omzet Winst", "2012 100 10", "2013 120 14"]):
            canvas.drawString(72, 700 - row * 14, text)
    return _pdf(tmp / "other-table.pdf", draw)


def _truncated(tmp: Path) -> Path:
    path = tmp / "truncated.pdf"
    path.write_bytes(FACSIMILE.read_bytes()[:4000])
    return path


def _not_a_pdf(tmp: Path) -> Path:
    path = tmp / "not-a-pdf.pdf"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    return path


CASES = [
    (_encrypted, "PDF is encrypted"),
    (_scan, "PDF has no text layer (a scan?)"),
    (_other_table, "no matrix table"),
    (_truncated, "not a readable PDF"),
    (_not_a_pdf, "binary file, not a text export"),
]


@pytest.mark.parametrize(("make", "reason"), CASES, ids=[c[0].__name__ for c in CASES])
def test_each_bad_input_has_its_own_error(tmp_path, make, reason):
    path = make(tmp_path)
    with pytest.raises(StageError) as caught:
        read_annex(path)
    error = caught.value
    assert error.stage == "extract"
    assert error.file == path.name
    assert error.reason.startswith(reason), error.reason
    assert "\n" not in error.one_line()


def test_bad_pdfs_do_not_stop_the_batch(tmp_path, capsys):
    bad = [make(tmp_path) for make, _ in CASES]
    code = main(["run", *map(str, bad), str(FACSIMILE), "--out", str(tmp_path / "out")])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == len(bad)
    for path, line in zip(bad, err, strict=True):
        assert line.startswith(f"{path}: extract: ")
    published = tmp_path / "out" / "techniekpact-2013-07-02"
    assert (published / "timeline_cells.parquet").exists()
