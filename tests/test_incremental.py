"""Incremental runs: what was processed is recognised by content, a rerun with nothing
new does nothing, text and PDF of one version are one version, a killed run leaves
the published output as it was, and two runs never work on one folder at once."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.pause import POINTS
from tests.test_changes import NEW_ID, OLD_ID, REAL_ANNEX, annex_2014, dated

ROOT = Path(__file__).resolve().parent.parent
FACSIMILE = ROOT / "samples" / "facsimiles" / "facsimile-reportlab-ruled.pdf"
NOT_PUBLISHED = {".lock", ".snapshots", "_runs", "_validation", "current"}


def published_view(out: Path) -> dict[str, str]:
    """What a reader of OUT sees: every file reached through the published names
    (links followed), by content, plus the manifest of processed sources."""
    view = {}
    for entry in sorted(out.iterdir()):
        if entry.name in NOT_PUBLISHED or entry.name.startswith("."):
            continue
        for folder, _dirs, files in os.walk(entry, followlinks=True):
            for name in files:
                path = Path(folder) / name
                view[path.relative_to(out).as_posix()] = _sha(path)
    view["current/sources.json"] = _sha(out / "current" / "sources.json")
    return view


def every_file(out: Path) -> dict[str, tuple[int, str]]:
    """Every file and link under OUT as stored (links not followed), with its mtime."""
    found = {}
    for folder, dirs, files in os.walk(out):
        for name in files + dirs:
            path = Path(folder) / name
            key = path.relative_to(out).as_posix()
            if path.is_symlink():
                found[key] = (path.lstat().st_mtime_ns, os.readlink(path))
            elif path.is_file():
                found[key] = (path.stat().st_mtime_ns, _sha(path))
    return found


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _run(capsys, *args: str | Path) -> tuple[int, list[str], list[str]]:
    capsys.readouterr()
    code = main(["run", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


@pytest.fixture(scope="module")
def first_out(tmp_path_factory) -> Path:
    """OUT with the real annex published (copy it before changing it)."""
    out = tmp_path_factory.mktemp("incremental") / "out"
    assert main(["run", str(REAL_ANNEX), "--out", str(out)]) == 0
    return out


def _copy(out: Path, to: Path) -> Path:
    shutil.copytree(out, to, symlinks=True)
    return to


# -- nothing new ---------------------------------------------------------------------


def test_rerun_with_nothing_new_does_nothing_and_says_so(tmp_path, first_out):
    out = _copy(first_out, tmp_path / "out")
    renamed = tmp_path / "annex-under-another-name.txt"
    shutil.copy(REAL_ANNEX, renamed)
    before = every_file(out)
    time.sleep(0.01)  # so that a rewrite would show in the mtimes
    script = (
        "import sys, time\n"
        "from pipeline.cli import main\n"
        "started = time.monotonic()\n"
        f"code = main(['run', {str(REAL_ANNEX)!r}, {str(renamed)!r}, '--out', {str(out)!r}])\n"
        "print('seconds', round(time.monotonic() - started, 3))\n"
        "heavy = ('great_expectations', 'normalize', 'pdfplumber', 'extract.text_export',\n"
        "         'pipeline.run', 'validate')\n"
        "print('loaded', *[name for name in heavy if name in sys.modules])\n"
        "sys.exit(code)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert lines[0] == (f"unchanged: {REAL_ANNEX}: processed before ({OLD_ID}, published)")
    assert lines[1] == (f"unchanged: {renamed}: processed before as {REAL_ANNEX.name} "
                        f"({OLD_ID}, published)")
    assert lines[2] == f"nothing to do: no new or changed input; {out} is unchanged"
    assert lines[4] == "loaded"  # nothing parsed, no great_expectations
    assert float(lines[3].split()[1]) < 2.0
    after = every_file(out)
    logs = [key for key in after if key not in before]
    assert len(logs) == 1 and logs[0].startswith("_runs/") and logs[0].endswith(".log")
    del after[logs[0]]
    assert after == before  # no byte and no mtime changed, not even the run manifest
    log = (out / logs[0]).read_text(encoding="utf-8").splitlines()
    assert [line.split()[1] for line in log] == ["start", "unchanged", "unchanged", "end"]


def test_force_processes_again_with_the_same_bytes(tmp_path, first_out, capsys):
    out = _copy(first_out, tmp_path / "out")
    view = published_view(out)
    snapshot = os.readlink(out / "current")
    code, stdout, stderr = _run(capsys, REAL_ANNEX, "--out", out, "--force")
    assert (code, stderr) == (0, [])
    assert stdout == [f"ok: {REAL_ANNEX} -> {out / OLD_ID} (47 actions, 39 detail rows, "
                      "1 warning)"]
    assert os.readlink(out / "current") != snapshot  # a new snapshot ...
    assert published_view(out) == view  # ... with the same bytes
    runs = json.loads((out / "_runs" / "manifest.json").read_text(encoding="utf-8"))["runs"]
    last = runs[-1]
    assert last["exit_code"] == 0 and last["published"] is True
    assert last["duration_seconds"] > 0 and last["pipeline_version"]
    assert last["log"] in {p.name for p in (out / "_runs").glob("*.log")}


def test_changed_file_under_the_same_name_is_a_revision_never_a_replacement(
        tmp_path, first_out, capsys):
    out = _copy(first_out, tmp_path / "out")
    before = {p.name: _sha(p) for p in (out / OLD_ID).iterdir()}
    path = tmp_path / REAL_ANNEX.name
    text = REAL_ANNEX.read_text(encoding="utf-8")
    path.write_text(text.replace("SBB SBB ontwikkelt een", "SBB SBB heeft de", 1),
                    encoding="utf-8")
    code, stdout, stderr = _run(capsys, path, "--out", out)
    assert (code, stderr) == (0, [])
    revision = f"{OLD_ID}-r2"
    assert stdout[0] == (
        f"ok: {path} -> {out / revision} (47 actions, 39 detail rows, 1 warning; revision 2 "
        f"of {OLD_ID}: another document of the same version, differs from {REAL_ANNEX.name} "
        f"(text-export, {OLD_ID}: 1 action(s) differ))")
    assert stdout[1].startswith(f"changes: {OLD_ID} -> {revision}: 0 added, 0 removed, "
                                "0 renumbered, 1 changed")
    actions = pd.read_parquet(out / revision / "actions.parquet").set_index("action_id")
    assert actions.loc["16", "status_text"].startswith("SBB heeft de")
    assert set(actions["annex_id"]) == {revision}
    # r1 is still published, untouched except for its manifest's list of sources
    assert {p.name: _sha(p) for p in (out / OLD_ID).iterdir()
            if p.name != "manifest.json"} == {k: v for k, v in before.items()
                                              if k != "manifest.json"}
    assert (out / "latest").resolve().name == revision
    changes = pd.read_csv(out / "changes" / f"{OLD_ID}__{revision}" / "changes.csv",
                          dtype=str, keep_default_na=False)
    assert list(zip(changes["action_id_after"], changes["field"], strict=True)) == [
        ("16", "status_text")]
    versions = pd.read_csv(out / "history" / "versions.csv", dtype=str, keep_default_na=False)
    assert list(versions["annex_id"]) == [OLD_ID, revision]
    assert list(versions["revision"]) == ["1", "2"]
    assert set(versions["version"]) == {OLD_ID}
    manifest = json.loads((out / revision / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["revision"] == 2 and manifest["version"] == OLD_ID
    assert manifest["revisions"] == [OLD_ID, revision]
    # the old file again: recognised, and it does not put the old texts back
    code, stdout, _ = _run(capsys, REAL_ANNEX, "--out", out)
    assert code == 0 and stdout[0].endswith(f"({OLD_ID}, published)")
    view = published_view(out)
    code, stdout, _ = _run(capsys, REAL_ANNEX, "--out", out, "--force")
    assert code == 0
    assert published_view(out) == view  # forced: the same place, the same bytes
    assert (out / "latest").resolve().name == revision


# -- one version, two formats --------------------------------------------------------


@pytest.fixture(scope="module")
def text_and_pdf(tmp_path_factory) -> Path:
    """The PDF and then the text export of the same version, in one run."""
    out = tmp_path_factory.mktemp("formats") / "out"
    assert main(["run", str(FACSIMILE), str(REAL_ANNEX), "--out", str(out)]) == 0
    return out


def test_text_after_pdf_is_one_version_and_the_pdf_stays(text_and_pdf):
    out = text_and_pdf
    assert sorted(p.name for p in (out / "history" / "actions").iterdir()) == [
        f"annex_id={OLD_ID}"]
    manifest = json.loads((out / OLD_ID / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["source_format"] == "pdf"
    assert manifest["source_file"] == FACSIMILE.name
    assert [(s["file"], s["source_format"], s["role"]) for s in manifest["sources"]] == [
        (FACSIMILE.name, "pdf", "published"),
        (REAL_ANNEX.name, "text-export", "alternate")]
    assert len(pd.read_parquet(out / OLD_ID / "timeline_cells.parquet")) > 0
    actions = pd.read_parquet(out / OLD_ID / "actions.parquet")
    assert actions["years_active"].notna().all()
    versions = pd.read_csv(out / "history" / "versions.csv", dtype=str)
    assert [json.loads(v) for v in versions["other_sources"]] == [
        [f"{REAL_ANNEX.name} (alternate)"]]  # a list: a JSON array in the CSV
    assert not any(p.is_dir() for p in (out / "changes").iterdir())  # nothing to compare


def test_pdf_after_text_replaces_it_and_ends_the_same(tmp_path, text_and_pdf, capsys):
    out = tmp_path / "out"
    assert _run(capsys, REAL_ANNEX, "--out", out)[0] == 0
    code, stdout, stderr = _run(capsys, FACSIMILE, "--out", out)
    assert (code, stderr) == (0, [])
    assert stdout[0].endswith(f"; replaces {REAL_ANNEX.name} (text-export), which agrees "
                              "with it)")
    assert published_view(out) == published_view(text_and_pdf)
    # A text export of that version arriving later (CRLF: other bytes, same annex)
    # is recorded but does not replace the PDF, and is not even validated.
    crlf = tmp_path / "bijlage2-crlf.txt"
    crlf.write_bytes(REAL_ANNEX.read_bytes().replace(b"\n", b"\r\n"))
    tables = {name: _sha(out / OLD_ID / name) for name in ("actions.parquet",
                                                           "timeline_cells.csv")}
    code, stdout, stderr = _run(capsys, crlf, "--out", out)
    assert (code, stderr) == (0, [])
    assert stdout == [f"ok: {crlf} -> {out / OLD_ID}: same version as {FACSIMILE.name} (pdf), "
                      "which has the timeline and stays published; they agree on every "
                      "field both have; recorded as another source of it"]
    assert {name: _sha(out / OLD_ID / name) for name in tables} == tables
    manifest = json.loads((out / OLD_ID / "manifest.json").read_text(encoding="utf-8"))
    assert [s["role"] for s in manifest["sources"]] == ["published", "alternate", "alternate"]


# -- killed runs and the lock --------------------------------------------------------


@pytest.fixture(scope="module")
def reference(tmp_path_factory, first_out) -> tuple[Path, Path]:
    """(the 2014 input, OUT after an uninterrupted run of it on top of first_out)."""
    folder = tmp_path_factory.mktemp("reference")
    newer = annex_2014(folder)
    out = _copy(first_out, folder / "out")
    assert main(["run", str(newer), "--out", str(out)]) == 0
    return newer, out


def _start_paused(point: str, newer: Path, out: Path, flag: Path) -> subprocess.Popen:
    env = {**os.environ, "TECHNIEKPACT_PAUSE_AT": point, "TECHNIEKPACT_PAUSE_FLAG": str(flag)}
    process = subprocess.Popen(
        [sys.executable, "-m", "pipeline", "run", str(newer), "--out", str(out)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not flag.exists():
        if process.poll() is not None:
            pytest.fail(f"the run ended before {point}: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the run never reached {point}")
        time.sleep(0.05)
    return process


@pytest.mark.parametrize("point", POINTS)
def test_killed_run_leaves_the_published_output_as_it_was(tmp_path, first_out, reference,
                                                          point, capsys):
    newer, finished = reference
    out = _copy(first_out, tmp_path / "out")
    before = published_view(out)
    process = _start_paused(point, newer, out, tmp_path / "flag")
    if point == "staged":  # while it holds the lock, a second run gives up at once
        second = subprocess.run([sys.executable, "-m", "pipeline", "run", str(REAL_ANNEX),
                                 "--out", str(out)],
                                cwd=ROOT, capture_output=True, text=True, check=False)
        assert second.returncode == 3
        assert second.stdout == ""
        assert second.stderr.splitlines() == [
            f"{out}: lock: another run is working on this output folder (holding "
            f"{out / '.lock'}); gave up after waiting 0 s, nothing done; retry later or "
            "pass --wait SECONDS"]
    process.send_signal(signal.SIGKILL)
    process.wait()
    if point == "swapped":  # killed after the one publishing step: the new output is out
        assert (out / "current" / NEW_ID / "actions.parquet").exists()
        assert (out / "latest").resolve().name == NEW_ID
    else:
        assert published_view(out) == before
    code, stdout, stderr = _run(capsys, newer, "--out", out)
    assert (code, stderr) == (0, [])
    if point == "swapped":
        assert stdout[-1].startswith("nothing to do")
    else:
        assert stdout[0].startswith(f"ok: {newer} -> {out / NEW_ID}")
    assert published_view(out) == published_view(finished)
    assert len(list((out / ".snapshots").iterdir())) <= 2  # the published one and its previous


def test_second_run_waits_for_the_lock(tmp_path, first_out, capsys):
    out = _copy(first_out, tmp_path / "out")
    handle = os.open(out / ".lock", os.O_RDWR)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        code, stdout, stderr = _run(capsys, REAL_ANNEX, "--out", out)
        assert (code, stdout, len(stderr)) == (3, [], 1)
        assert stderr[0].startswith(f"{out}: lock: ")
        threading.Timer(0.5, os.close, [handle]).start()  # the other run ends
        started = time.monotonic()
        code, stdout, stderr = _run(capsys, REAL_ANNEX, "--out", out, "--wait", "30")
        assert time.monotonic() - started < 10
        assert (code, stderr) == (0, [])
        assert stdout[-1].startswith("nothing to do")
    finally:
        with contextlib.suppress(OSError):  # closed by the timer already
            os.close(handle)


# -- an output folder of pipeline 0.1 --------------------------------------------------


def test_folder_published_by_the_previous_pipeline_is_carried_over(tmp_path, first_out,
                                                                   capsys):
    out = tmp_path / "out"
    out.mkdir()
    shutil.copytree(first_out / OLD_ID, out / OLD_ID)  # a real folder, as 0.1 wrote it
    tables = {p.name: _sha(p) for p in (out / OLD_ID).iterdir() if p.suffix == ".parquet"}
    newer = tmp_path / "annex-2015.txt"
    newer.write_text(dated(REAL_ANNEX.read_text(encoding="utf-8"), "3 maart 2015"),
                     encoding="utf-8")
    code, _, stderr = _run(capsys, newer, "--out", out)
    assert (code, stderr) == (0, [])
    assert (out / OLD_ID).is_symlink()
    assert {name: _sha(out / OLD_ID / name) for name in tables} == tables
    versions = pd.read_csv(out / "history" / "versions.csv", dtype=str)
    assert list(versions["annex_id"]) == [OLD_ID, "techniekpact-2015-03-03"]
    code, stdout, _ = _run(capsys, REAL_ANNEX, "--out", out)
    assert code == 0 and stdout[-1].startswith("nothing to do")


def test_source_rule_nothing_is_replaced_unless_it_agrees(tmp_path):
    """A PDF takes the place of a text export it agrees with; a text export never
    takes the place of anything; whatever disagrees is a new revision."""
    from pipeline.sources import Source, SourceManifest

    def source(sha: str, pdf: bool, document_date: str | None = None) -> Source:
        return Source(sha, f"{sha}.{'pdf' if pdf else 'txt'}", OLD_ID,
                      "pdf" if pdf else "text-export", pdf, "2013-07-02", "decision:title",
                      document_date=document_date)

    content = {"t1": "A", "p1": "A", "t2": "A", "p2": "B", "p3": "C", "t3": "D"}  # each says

    def record(manifest: SourceManifest, sha: str, pdf: bool, document_date=None):
        candidate = source(sha, pdf, document_date)
        placement = manifest.place(
            candidate, lambda revision: content[revision.sha256] == content[sha])
        return placement, manifest.add(candidate, placement)

    manifest = SourceManifest()
    assert record(manifest, "t1", False)[0].annex_id == OLD_ID
    placed, renamed = record(manifest, "p1", True)  # agrees: the PDF replaces the text
    assert (placed.annex_id, placed.replaces.sha256, renamed) == (OLD_ID, "t1", {})
    placed, _ = record(manifest, "t2", False)  # agrees with the PDF: an alternate
    assert (placed.role, placed.same_as.sha256) == ("alternate", "p1")
    # disagrees, with a document date: before the undated p1 in document order
    placed, renamed = record(manifest, "p2", True, "2013-08-01")
    assert (placed.annex_id, placed.revision, renamed) == (OLD_ID, 1, {OLD_ID: f"{OLD_ID}-r2"})
    # an earlier document date still: first, and the others move up one
    placed, renamed = record(manifest, "p3", True, "2013-07-20")
    assert (placed.annex_id, renamed) == (OLD_ID, {OLD_ID: f"{OLD_ID}-r2",
                                                   f"{OLD_ID}-r2": f"{OLD_ID}-r3"})
    assert [(s.sha256, s.annex_id, s.revision) for s in manifest.revisions(OLD_ID)] == [
        ("p3", OLD_ID, 1), ("p2", f"{OLD_ID}-r2", 2), ("p1", f"{OLD_ID}-r3", 3)]
    # the alternates went with their revision
    assert {s.sha256: s.role for s in manifest.of_version(f"{OLD_ID}-r3")} == {
        "p1": "published", "t1": "alternate", "t2": "alternate"}
    # an undated one that disagrees with all: last (arrival breaks the tie with p1)
    placed, renamed = record(manifest, "t3", False)
    assert (placed.annex_id, renamed) == (f"{OLD_ID}-r4", {})
    stored = tmp_path / "sources.json"
    stored.write_text(manifest.to_json(), encoding="utf-8")
    assert SourceManifest.read(stored).to_json() == manifest.to_json()
