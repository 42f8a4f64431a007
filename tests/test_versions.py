"""Version identity and sequences of versions, with variants of the real annex made here:
a status update that keeps the decision date, an older version arriving after a
newer one, a text export that disagrees with the PDF, overrides, and a failed
input that is quarantined, then fixed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from normalize.annex_id import find_dates, identify
from pipeline.cli import main
from tests.test_changes import EXPECTED, OLD_ID, REAL_ANNEX, _replace_once, edited_2014
from tests.test_incremental import FACSIMILE, _sha, published_view

TITLE = ("Bijlage 2: Overzicht van de acties uit het Techniekpact zoals vastgesteld in de LRT "
         "van 2 juli 2013")
STATUS_ID = "techniekpact-2014-03"
LATER_ID = "techniekpact-2015-02-01"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")


# -- identity from the document --------------------------------------------------------


def test_the_real_annex_keeps_its_id(tables):
    assert tables.annex_id == OLD_ID
    assert set(tables.actions["annex_id"]) == {OLD_ID}


@pytest.mark.parametrize(("title", "preamble", "metadata", "file", "expected"), [
    # a status date in the title outranks the decision date beside it
    (TITLE + " (stand van zaken maart 2014)", [], {}, "x.txt",
     ("techniekpact-2014-03", "status:title", "2013-07-02")),
    (TITLE + ", peildatum 1 april 2014", [], {}, "x.txt",
     ("techniekpact-2014-04-01", "status:title", "2013-07-02")),
    (TITLE + " - update november 2014", [], {}, "x.txt",
     ("techniekpact-2014-11", "status:title", "2013-07-02")),
    (TITLE + " versie 15-01-2015", [], {}, "x.txt",
     ("techniekpact-2015-01-15", "status:title", "2013-07-02")),
    # on the first page, below the title
    (TITLE, [TITLE, "Stand van zaken per sept. 2014"], {}, "x.txt",
     ("techniekpact-2014-09", "status:first-page", "2013-07-02")),
    # the decision date alone: the real annex
    (TITLE, [], {"CreationDate": "D:20140101"}, "x-2015-01-01.txt",
     ("techniekpact-2013-07-02", "decision:title", "2013-07-02")),
    ("Bijlage 2: acties uit het Techniekpact", ["vastgesteld op 3 maart 2015"], {}, "x.txt",
     ("techniekpact-2015-03-03", "decision:first-page", "2015-03-03")),
    # then the PDF's metadata, then the file name
    ("Bijlage 2: acties uit het Techniekpact", [], {"Subject": "stand per 3 maart 2015"},
     "x.pdf", ("techniekpact-2015-03-03", "pdf-metadata:Subject", None)),
    ("Bijlage 2: acties uit het Techniekpact", [],
     {"CreationDate": "D:20140115093000+01'00'"}, "x.pdf",
     ("techniekpact-2014-01-15", "pdf-metadata:CreationDate", None)),
    ("Bijlage 2: acties uit het Techniekpact", [], {}, "bijlage2_20150401.txt",
     ("techniekpact-2015-04-01", "file-name", None)),
    # another annex's own name
    ("Bijlage 1: Overzicht van de acties uit het Nationaal Techniekpact 2020 (stand van "
     "zaken 1 juni 2016)", [], {}, "x.txt",
     ("nationaal-techniekpact-2020-2016-06-01", "status:title", None)),
])
def test_version_identity_precedence(title, preamble, metadata, file, expected):
    identity = identify(title, preamble, metadata, file)
    assert (identity.annex_id("x", "0" * 64), identity.date_from,
            identity.decision_date) == expected


def test_undated_documents_and_impossible_dates():
    identity = identify("Bijlage 2: acties uit het Techniekpact", [], {},
                        "bijlage2-20151301.txt")  # month 13: digits, not a date
    assert (identity.version_date, identity.date_from) == (None, "none")
    assert identity.annex_id("bijlage2", "abcdef0123" * 6) == "techniekpact-abcdef01"
    assert identify(None, [], {}, "x.txt").annex_id("My Export", "9" * 64) == (
        "my-export-99999999")
    found = find_dates("31 februari 2014 en 29 februari 2016, mrt. 2017, 2018-02-30")
    assert [d.iso for d in found] == ["2016-02-29", "2017-03"]


@given(st.dates(min_value=pd.Timestamp("1990-01-01").date(),
                max_value=pd.Timestamp("2099-12-31").date()),
       st.booleans(), st.sampled_from(["stand van zaken", "peildatum", "update", "versie"]))
def test_status_date_is_read_back_in_any_month(day, with_day, marker):
    written = (f"{day.day} {MONTHS[day.month - 1]} {day.year}" if with_day
               else f"{MONTHS[day.month - 1]} {day.year}")
    identity = identify(f"{TITLE} ({marker} {written})", [], {}, "x.txt")
    expected = day.isoformat() if with_day else day.isoformat()[:7]
    assert (identity.status_date, identity.decision_date) == (expected, "2013-07-02")
    assert identity.annex_id("x", "0" * 64) == f"techniekpact-{expected}"


# -- variants ----------------------------------------------------------------------------


def status_update(folder: Path, name: str = "bijlage2-stand-maart-2014.txt") -> Path:
    """The 2013 annex as a progress update: the decision's title kept, a status date
    added, and the edits of tests.test_changes.EXPECTED (status texts, an action added
    and one removed, parties and an initiator changed)."""
    text = edited_2014(REAL_ANNEX.read_text(encoding="utf-8"))
    text = _replace_once(text, "LRT van 15 januari 2014",
                         "LRT van 2 juli 2013 (stand van zaken maart 2014)")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def later_edit(folder: Path) -> Path:
    """A third version, decided 1 februari 2015, with one more status change."""
    text = REAL_ANNEX.read_text(encoding="utf-8")
    text = _replace_once(text, "LRT van 2 juli 2013", "LRT van 1 februari 2015")
    text = _replace_once(text, "SBB SBB ontwikkelt een", "SBB SBB heeft in 2014 een")
    path = folder / "bijlage2-2015.txt"
    path.write_text(text, encoding="utf-8")
    return path


def _run(capsys, *args) -> tuple[int, list[str], list[str]]:
    capsys.readouterr()
    code = main(["run", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("version-files")
    return [REAL_ANNEX, status_update(folder), later_edit(folder)]


@pytest.fixture(scope="module")
def in_order(tmp_path_factory, files) -> Path:
    out = tmp_path_factory.mktemp("in-order") / "out"
    assert main(["run", *map(str, files), "--out", str(out)]) == 0
    return out


def _key(row: dict) -> tuple:
    return (row["change"], row["action_id_before"] or None, row["action_id_after"] or None,
            row["field"])


def test_status_update_with_the_same_decision_date_is_a_new_version(tmp_path, files, capsys):
    out = tmp_path / "out"
    assert _run(capsys, REAL_ANNEX, "--out", out)[0] == 0
    before = {p.name: _sha(p) for p in (out / OLD_ID).iterdir()}
    code, stdout, stderr = _run(capsys, files[1], "--out", out)
    assert (code, stderr) == (0, [])
    assert stdout[0].startswith(f"ok: {files[1]} -> {out / STATUS_ID} (47 actions")
    assert {p.name: _sha(p) for p in (out / OLD_ID).iterdir()} == before  # not a byte
    versions = pd.read_csv(out / "history" / "versions.csv", dtype=str, keep_default_na=False)
    assert list(versions["annex_id"]) == [OLD_ID, STATUS_ID]
    assert list(versions["version_date_from"]) == ["decision:title", "status:title"]
    assert list(versions["decision_date"]) == ["2013-07-02", "2013-07-02"]
    assert list(versions["status_date"]) == ["", "2014-03"]
    changes = pd.read_csv(out / "changes" / f"{OLD_ID}__{STATUS_ID}" / "changes.csv",
                          dtype=str, keep_default_na=False)
    rows = changes.to_dict(orient="records")
    assert {_key(r) for r in rows} == EXPECTED and len(rows) == len(EXPECTED)
    assert (out / "latest").resolve().name == STATUS_ID
    # The older file again changes nothing, with or without --force
    view = published_view(out)
    assert _run(capsys, REAL_ANNEX, "--out", out)[0] == 0
    assert _run(capsys, REAL_ANNEX, "--out", out, "--force")[0] == 0
    assert published_view(out) == view


def test_older_version_after_a_newer_one_is_put_in_its_place(tmp_path, files, in_order,
                                                             capsys):
    out = tmp_path / "out"
    assert _run(capsys, files[2], "--out", out)[0] == 0  # 2015 first
    code, stdout, stderr = _run(capsys, files[0], "--out", out)  # then 2013
    assert (code, stderr) == (0, [])
    assert (out / "latest").resolve().name == LATER_ID  # latest stays the newest document
    assert stdout[-1].startswith(f"changes: {OLD_ID} -> {LATER_ID}: ")
    code, stdout, _ = _run(capsys, files[1], "--out", out)  # then the 2014 update between
    assert code == 0
    changes = sorted(p.name for p in (out / "changes").iterdir() if p.is_dir())
    assert changes == [f"{OLD_ID}__{STATUS_ID}", f"{STATUS_ID}__{LATER_ID}"]  # recomputed
    assert [line.split(":")[1].strip() for line in stdout[1:]] == [
        f"{OLD_ID} -> {STATUS_ID}", f"{STATUS_ID} -> {LATER_ID}"]
    assert published_view(out) == published_view(in_order)


@pytest.mark.parametrize("order", [(2, 1, 0), (1, 0, 2)])
def test_any_arrival_order_ends_in_the_same_bytes(tmp_path, files, in_order, order):
    one_run = tmp_path / "one-run"
    assert main(["run", *(str(files[i]) for i in order), "--out", str(one_run)]) == 0
    assert published_view(one_run) == published_view(in_order)
    versions = pd.read_csv(one_run / "history" / "versions.csv", dtype=str)
    assert list(versions["annex_id"]) == [OLD_ID, STATUS_ID, LATER_ID]


def test_text_export_that_disagrees_with_the_pdf_is_kept_and_reported(tmp_path, capsys):
    out = tmp_path / "out"
    assert _run(capsys, FACSIMILE, "--out", out)[0] == 0
    text = REAL_ANNEX.read_text(encoding="utf-8")
    edited = tmp_path / "bijlage2-edited.txt"
    edited.write_text(_replace_once(text, "SBB SBB ontwikkelt een", "SBB SBB heeft de"),
                      encoding="utf-8")
    code, stdout, stderr = _run(capsys, edited, "--out", out)
    assert (code, stderr) == (0, [])
    revision = f"{OLD_ID}-r2"
    assert stdout[0].endswith(
        f"; revision 2 of {OLD_ID}: a text export and a PDF of the same version disagree, "
        f"differs from {FACSIMILE.name} (pdf, {OLD_ID}: 1 action(s) differ))")
    manifest = json.loads((out / OLD_ID / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source_format"] == "pdf"  # the PDF stays published as it was
    pair = sorted(p.name for p in (out / "changes").iterdir() if p.is_dir())
    assert len(pair) == 1 and set(pair[0].split("__")) == {OLD_ID, revision}
    changes = pd.read_csv(out / "changes" / pair[0] / "changes.csv", dtype=str,
                          keep_default_na=False)
    assert list(changes["field"]) == ["status_text"]  # the timeline is not a disagreement
    runs = json.loads((out / "_runs" / "manifest.json").read_text(encoding="utf-8"))["runs"]
    assert "disagree" in runs[-1]["inputs"][0]["message"]
    # Revisions are in document order (the dated PDF first), whatever arrives first: the
    # text export published first moves up to r2, its tables rewritten under the new id,
    # within one run or across two, to the same bytes.
    together, apart = tmp_path / "together", tmp_path / "apart"
    assert main(["run", str(edited), str(FACSIMILE), "--out", str(together)]) == 0
    assert main(["run", str(edited), "--out", str(apart)]) == 0
    capsys.readouterr()
    assert main(["run", str(FACSIMILE), "--out", str(apart)]) == 0
    said = capsys.readouterr().out
    assert f"; {OLD_ID} moves to {revision} (document order))" in said.splitlines()[0]
    for other in (together, apart):
        assert published_view(other) == published_view(out)
    actions = pd.read_parquet(apart / revision / "actions.parquet")
    assert set(actions["annex_id"]) == {revision}


# -- overrides -------------------------------------------------------------------------------


def _undated(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text(_replace_once(REAL_ANNEX.read_text(encoding="utf-8"),
                                  " zoals vastgesteld in de LRT van 2 juli 2013", ""),
                    encoding="utf-8")
    return path


def test_scheduler_override_by_sidecar_and_flag(tmp_path, capsys):
    path = _undated(tmp_path, "bijlage2.txt")
    sidecar = tmp_path / "bijlage2.txt.version.json"
    sidecar.write_text('{"version_date": "2014-06"}', encoding="utf-8")
    out = tmp_path / "out"
    code, stdout, stderr = _run(capsys, path, "--out", out)
    assert (code, stderr) == (0, [])
    assert (out / "techniekpact-2014-06").is_dir()
    manifest = json.loads((out / "techniekpact-2014-06" / "manifest.json").read_text("utf-8"))
    assert manifest["version_date_from"] == "override:sidecar"
    # the flag wins over the sidecar; the same bytes under a new date are processed again
    code, stdout, stderr = _run(capsys, path, "--out", out, "--version-date",
                                "bijlage2.txt=2014-07-01")
    assert (code, stderr) == (0, [])
    assert stdout[0].startswith(f"ok: {path} -> {out / 'techniekpact-2014-07-01'}")
    assert not (out / "techniekpact-2014-06").exists()  # the file moved, nothing duplicated
    sidecar.write_text('{"version_date": "2014-13"}', encoding="utf-8")
    code, _, stderr = _run(capsys, path, "--out", out)
    assert code == 1 and stderr == [f"{path}: input: sidecar {sidecar.name}: 2014-13 is not "
                                    "a date"]
    with pytest.raises(SystemExit) as stopped:  # a bad flag is a bad command line
        main(["run", str(path), "--version-date", "nodate", "--out", str(out)])
    assert stopped.value.code == 2


# -- quarantine ------------------------------------------------------------------------------


def test_failed_input_is_quarantined_until_it_changes(tmp_path, capsys):
    lines = REAL_ANNEX.read_text(encoding="utf-8").split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("16\t"))
    broken = tmp_path / "bijlage2.txt"
    broken.write_text("\n".join(lines[:at + 1] + [lines[at]] + lines[at + 1:]),
                      encoding="utf-8")  # action 16 twice: fails validation
    out = tmp_path / "out"
    code, _, stderr = _run(capsys, broken, REAL_ANNEX, "--out", out)
    assert code == 1 and len(stderr) == 1 and stderr[0].startswith(f"{broken}: validate: ")
    first_log = json.loads((out / "_runs" / "quarantine.json").read_text("utf-8"))[
        "inputs"][0]["log"]
    assert (out / "_runs" / first_log).is_file()
    for _ in range(2):  # every later run: skipped, one line, its own exit status
        code, stdout, stderr = _run(capsys, broken, REAL_ANNEX, "--out", out)
        assert (code, stderr) == (4, [])  # stderr only for news: cron mails once
        assert stdout[-2].startswith("nothing to do")
        assert stdout[-1].startswith(
            f"quarantined: skipped 1 input(s) that failed before and have not changed: "
            f"{broken} (failed in validate, first on ")
        assert str(out / "_runs" / first_log) in stdout[-1]
    code, _, stderr = _run(capsys, broken, "--out", out, "--retry-failed")
    assert code == 1 and stderr[0].startswith(f"{broken}: validate: ")  # still broken
    entry = json.loads((out / "_runs" / "quarantine.json").read_text("utf-8"))["inputs"][0]
    assert (entry["failures"], entry["log"]) == (2, first_log)
    shutil.copy(REAL_ANNEX, broken)  # fixed: other bytes, so processed, and published
    edited = broken.read_text(encoding="utf-8").replace("SBB SBB ontwikkelt een",
                                                        "SBB SBB heeft de", 1)
    broken.write_text(edited, encoding="utf-8")
    code, stdout, stderr = _run(capsys, broken, "--out", out)
    assert (code, stderr) == (0, [])
    assert stdout[0].startswith(f"ok: {broken} -> {out / (OLD_ID + '-r2')}")
    code, stdout, stderr = _run(capsys, broken, REAL_ANNEX, "--out", out)
    assert (code, stderr) == (0, [])
