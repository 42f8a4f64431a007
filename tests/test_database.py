"""annex.sqlite: every table of every version, versions, changes and the views,
published with the snapshot; the README's query answered from it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq

from ir.schema import SCHEMAS
from pipeline.cli import main
from report.database import DATABASE, VIEWS
from tests.test_loading import recipe

OLD_ID = "techniekpact-2013-07-02"
NEW_ID = "techniekpact-2014-01-15"


def _connect(out: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{(out / DATABASE).resolve().as_uri()}?mode=ro", uri=True)


def test_every_version_of_every_table_is_in_it(two_versions):
    db = _connect(two_versions)
    for name, schema in SCHEMAS.items():
        columns = [row[1] for row in db.execute(f'PRAGMA table_info("{name}")')]
        assert columns == schema.names, name
        for annex_id in (OLD_ID, NEW_ID):
            expected = pq.read_table(two_versions / annex_id / f"{name}.parquet").to_pylist()
            got = db.execute(f'SELECT * FROM "{name}" WHERE annex_id = ? ORDER BY rowid',
                             (annex_id,)).fetchall()
            assert len(got) == len(expected), (name, annex_id)
            for row, want in zip(got, expected, strict=True):
                for value, field in zip(row, schema, strict=True):
                    original = want[field.name]
                    if isinstance(original, list):
                        assert json.loads(value) == original
                    elif isinstance(original, bool):
                        assert value == int(original)
                    else:
                        assert value == original, (name, field.name)


def test_versions_changes_and_views(two_versions):
    db = _connect(two_versions)
    assert db.execute("SELECT annex_id FROM versions ORDER BY version_date").fetchall() == [
        (OLD_ID,), (NEW_ID,)]
    changes = pq.read_table(two_versions / "changes" / f"{OLD_ID}__{NEW_ID}" /
                            "changes.parquet")
    assert db.execute("SELECT count(*) FROM changes").fetchone()[0] == changes.num_rows > 0
    assert db.execute("SELECT annex_id FROM latest_version").fetchone() == (NEW_ID,)
    assert {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='view'")
            } == set(VIEWS)
    newest = pq.read_table(two_versions / NEW_ID / "actions.parquet").to_pylist()
    status = db.execute("SELECT action_id, status_text FROM current_status").fetchall()
    assert sorted(status) == sorted((a["action_id"], a["status_text"]) for a in newest)
    parties = pq.read_table(two_versions / OLD_ID / "action_parties.parquet").num_rows
    assert db.execute("SELECT count(*) FROM action_parties_long WHERE annex_id = ?",
                      (OLD_ID,)).fetchone()[0] == parties


def test_readme_query_who_does_ocw_lead(two_versions):
    db = _connect(two_versions)
    got = db.execute(recipe("sqlite")).fetchall()
    actions = {a["action_id"]: a for a in
               pq.read_table(two_versions / NEW_ID / "actions.parquet").to_pylist()}
    leads = [r["action_id"] for r in
             pq.read_table(two_versions / NEW_ID / "action_initiators.parquet").to_pylist()
             if r["initiator"] == "OCW"]
    assert leads and sorted(got) == sorted(
        (i, actions[i]["title"], actions[i]["status_text"]) for i in leads)


def test_published_in_the_snapshot_and_byte_stable(tmp_path, real_annex_path):
    out = tmp_path / "out"
    assert main(["run", str(real_annex_path), "--out", str(out)]) == 0
    first = (out / DATABASE).resolve()
    assert first.parent == (out / "current").resolve()  # switched with the snapshot
    kept = first.read_bytes()
    assert main(["run", str(real_annex_path), "--out", str(out), "--force"]) == 0
    second = (out / DATABASE).resolve()
    assert second != first and second.read_bytes() == kept
