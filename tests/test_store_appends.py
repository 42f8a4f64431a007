"""A publication writes what is new and carries the rest (issue 14): the files of
untouched versions, their history partitions and the change reports between untouched
neighbours are the published files themselves (hard links, the same inode), whatever
arrives; and the store built that way is the store built in one run, byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.test_changes import OLD_ID, REAL_ANNEX, _replace_once
from tests.test_incremental import published_view
from tests.test_versions import LATER_ID, STATUS_ID, later_edit, status_update

SUMMER_ID = "techniekpact-2014-07-01"
# Written at every publication: they describe all versions (README: Publication).
INDEX_FILES = {"sources.json", "index.html", "annex.sqlite", "history/versions.csv",
               "history/versions.parquet", "history/datapackage.json", "history/README.md",
               "history/codebook.csv", "changes/datapackage.json", "changes/README.md",
               "changes/codebook.csv"}


def summer_edit(folder: Path) -> Path:
    """A version decided on 1 juli 2014: between the status update and 2015."""
    text = REAL_ANNEX.read_text(encoding="utf-8")
    text = _replace_once(text, "LRT van 2 juli 2013", "LRT van 1 juli 2014")
    text = _replace_once(text, "SBB SBB ontwikkelt een", "SBB SBB ontwikkelt in 2014 een")
    path = folder / "bijlage2-juli-2014.txt"
    path.write_text(text, encoding="utf-8")
    return path


def snapshot_files(out: Path) -> dict[str, os.stat_result]:
    """Every file of the published snapshot (links not followed) by path."""
    current = out / os.readlink(out / "current")
    found = {}
    for folder, _dirs, files in os.walk(current):
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                found[path.relative_to(current).as_posix()] = path.lstat()
    return found


def of_versions(path: str, ids: set[str]) -> bool:
    """Whether `path` (in a snapshot) is derived from the versions `ids` alone."""
    parts = path.split("/")
    if parts[0] in ids:
        return True
    if parts[0] == "history" and len(parts) == 4 and parts[1] == "csv":
        return parts[3].removesuffix(".csv") in ids
    if parts[0] == "history" and len(parts) == 4:
        return parts[2].removeprefix("annex_id=") in ids
    if parts[0] == "changes" and len(parts) == 3:
        return set(parts[1].split("__")) <= ids
    return False


def new_files(before: dict[str, os.stat_result], after: dict[str, os.stat_result]) -> set[str]:
    """Files of the new snapshot that are not the published file at that place."""
    return {path for path, info in after.items()
            if path not in before or before[path].st_ino != info.st_ino}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("append-files")
    return [REAL_ANNEX, status_update(folder), summer_edit(folder), later_edit(folder)]


def test_a_new_version_writes_its_own_files_and_carries_the_rest(tmp_path, files):
    out = tmp_path / "out"
    assert main(["run", str(files[0]), str(files[1]), "--out", str(out)]) == 0
    before = snapshot_files(out)
    assert main(["run", str(files[3]), "--out", str(out)]) == 0  # the newest: appended
    after = snapshot_files(out)
    written = new_files(before, after)
    untouched = {OLD_ID, STATUS_ID}
    assert not {p for p in written if of_versions(p, untouched)}  # not one file of them
    assert written - INDEX_FILES == {p for p in after if of_versions(p, {LATER_ID})} | {
        p for p in after if p.startswith(f"changes/{STATUS_ID}__{LATER_ID}/")}
    carried = [p for p in after if of_versions(p, untouched)]
    assert carried and all(after[p].st_nlink == 2 for p in carried)  # both snapshots
    assert all(after[p].st_nlink == 1 for p in written)
    for name in ("actions", "provenance"):
        assert f"history/{name}/annex_id={OLD_ID}/part-0.parquet" in carried
        assert f"history/csv/{name}/{STATUS_ID}.csv" in carried
    assert f"changes/{OLD_ID}__{STATUS_ID}/changes.html" in carried


def test_a_late_older_version_recomputes_only_its_neighbours(tmp_path, files):
    out = tmp_path / "out"
    assert main(["run", str(files[0]), str(files[1]), str(files[3]), "--out", str(out)]) == 0
    before = snapshot_files(out)
    assert main(["run", str(files[2]), "--out", str(out)]) == 0  # between 2014-03 and 2015
    after = snapshot_files(out)
    written = new_files(before, after)
    assert not {p for p in written if of_versions(p, {OLD_ID, STATUS_ID, LATER_ID})}
    pairs = {p.split("/")[1] for p in written if p.startswith("changes/") and p.count("/") == 2}
    assert pairs == {f"{STATUS_ID}__{SUMMER_ID}", f"{SUMMER_ID}__{LATER_ID}"}
    assert not any(p.startswith(f"changes/{STATUS_ID}__{LATER_ID}/") for p in after)  # dropped
    assert f"changes/{OLD_ID}__{STATUS_ID}/changes.csv" not in written  # carried


def test_appending_gives_the_bytes_of_one_run(tmp_path, files):
    """One version per run, in an order that appends, inserts and appends again, ends
    in the same published bytes (annex.sqlite, the history, the descriptors) as one
    run over all of them."""
    one_run = tmp_path / "one-run"
    assert main(["run", *map(str, files), "--out", str(one_run)]) == 0
    step_by_step = tmp_path / "step-by-step"
    for index in (0, 1, 3, 2):
        assert main(["run", str(files[index]), "--out", str(step_by_step)]) == 0
    assert published_view(step_by_step) == published_view(one_run)


def test_begin_sets_the_older_snapshots_aside_and_removes_them(tmp_path):
    """Store.begin renames every snapshot but the published one out of the way at
    once (no reader can find it by a snapshot's name) and removes it in a thread;
    a link among them is removed as the link, its target untouched; what a killed
    run left being removed goes too."""
    from pipeline.publish import REMOVING, Store

    out = tmp_path / "out"
    snapshots = out / ".snapshots"
    for name in ("000001", "000002", "000003", "000004"):
        folder = snapshots / name / "some-version" / "history"
        folder.mkdir(parents=True)
        (folder / "part.parquet").write_bytes(b"x" * 10)
    (out / "current").symlink_to(".snapshots/000002")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "keep.txt").write_text("mine", encoding="utf-8")
    (snapshots / "000009").symlink_to(outside)
    (snapshots / f"{REMOVING}000000-1").mkdir()
    store = Store(out)
    new = store.begin()
    assert new.name == "000003" and not any(new.iterdir())  # the killed run's is gone
    names = {p.name for p in snapshots.iterdir()}
    assert {"000002", "000003"} <= names
    assert not names & {"000001", "000004", "000009"}  # set aside at once
    store.settle()
    assert sorted(p.name for p in snapshots.iterdir()) == ["000002", "000003"]
    assert (outside / "keep.txt").read_text(encoding="utf-8") == "mine"
    assert (snapshots / "000002" / "some-version" / "history" / "part.parquet").exists()


def _database(out: Path) -> Path:
    return (out / "current" / "annex.sqlite").resolve()


@pytest.fixture(scope="module")
def one_run_database(tmp_path_factory, files) -> bytes:
    """annex.sqlite of one run over the first, second and fourth file."""
    out = tmp_path_factory.mktemp("one-run-db") / "out"
    assert main(["run", str(files[0]), str(files[1]), str(files[3]), "--out", str(out)]) == 0
    return _database(out).read_bytes()


def _two_publications(out: Path, files: list[Path]) -> Path:
    """A store as one in use: the published snapshot and the one before it. Returns
    the older snapshot's database."""
    assert main(["run", str(files[0]), "--out", str(out)]) == 0
    older = _database(out)
    assert main(["run", str(files[1]), "--out", str(out)]) == 0
    assert older.is_file() and older != _database(out)
    return older


def test_the_database_before_the_published_one_is_appended_in_place(tmp_path, files,
                                                                   one_run_database):
    """The next publication takes over the database of the snapshot before the
    published one (no published snapshot names it; it would be removed) and appends
    the versions it lacks: the published database is not copied, and the file is the
    bytes of one run over all versions."""
    out = tmp_path / "out"
    older = _two_publications(out, files)
    published = _database(out)
    published_bytes = published.read_bytes()
    with open(older, "rb") as held:  # held open: its inode is not given to another file
        inode = os.fstat(held.fileno()).st_ino
        assert main(["run", str(files[3]), "--out", str(out)]) == 0
    new = _database(out)
    assert new.stat().st_ino == inode and new.stat().st_nlink == 1  # the same file, one name
    assert new.read_bytes() == one_run_database
    assert published.read_bytes() == published_bytes  # the snapshot before: untouched


def test_a_database_of_other_files_is_not_taken_over(tmp_path, files, one_run_database):
    """When a file the older database was built from is not the file of the new
    snapshot (here: the same bytes, another inode, as a copy without its hard links
    gives), it is not trusted: the published database is copied and appended to."""
    out = tmp_path / "out"
    older = _two_publications(out, files)
    table = older.parent / OLD_ID / "actions.parquet"
    copy = table.with_name("copy.parquet")
    copy.write_bytes(table.read_bytes())
    copy.chmod(0o640)
    os.replace(copy, table)
    # Held open: once dropped, its inode number is not given to the new file.
    with open(older, "rb") as held:
        inode = os.fstat(held.fileno()).st_ino
        assert main(["run", str(files[3]), "--out", str(out)]) == 0
    new = _database(out)
    assert new.stat().st_ino != inode and new.read_bytes() == one_run_database


def test_a_failed_run_leaves_the_published_database_whole(tmp_path, files, one_run_database):
    """A run that publishes nothing drops the database it took over (it was in its
    unpublished snapshot); the published one is untouched, and the next run, without
    an older snapshot, appends to a copy of it."""
    out = tmp_path / "out"
    _two_publications(out, files)
    published = _database(out)
    kept = published.read_bytes()
    broken = tmp_path / "bijlage2-broken.txt"
    broken.write_text("Bijlage 2: niets\n", encoding="utf-8")
    assert main(["run", str(broken), "--out", str(out)]) == 1
    assert _database(out) == published and published.read_bytes() == kept
    assert not list((out / ".snapshots").glob("*/.annex.sqlite*"))
    assert main(["run", str(files[3]), "--out", str(out)]) == 0
    assert _database(out).read_bytes() == one_run_database


def test_the_donor_knows_every_table():
    """report.database_donor names the tables without importing pyarrow: the same
    as ir.schema."""
    from ir.schema import SCHEMAS
    from report.database_donor import TABLE_NAMES

    assert tuple(SCHEMAS) == TABLE_NAMES
