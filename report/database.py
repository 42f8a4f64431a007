"""One database file, `annex.sqlite`: every table of every version, the list of
versions, the changes between them, and views for the common questions.

SQLite rather than DuckDB: it is in Python's standard library (no dependency for
the pipeline), every analysis tool opens it (R's RSQLite, DBeaver, Excel and
Power BI through ODBC, DuckDB's sqlite extension), its file format is stable and
archival, and the same statements in the same order give the same bytes, so the
file is as reproducible as the Parquet beside it. DuckDB would keep list columns
as lists; here a list is JSON text (as in the CSV), which SQLite's json_each()
unnests, and the long tables (action_parties, action_initiators) hold the same
lists one item per row.

Built from the Parquet files of the snapshot being assembled, so it is published
in the same atomic step as everything else.

It appends. The file is defined as one transaction that creates the tables and
views, then one transaction per version in document order (its rows of every
table, its row of `versions`, the changes from the version before it). So when
the published database holds exactly the first versions of the new list,
unchanged, a copy of it plus the transactions of the new versions is the same
file, byte for byte, as building it from nothing (tests/test_versions.py); any
other change (a late older version, a renumbered revision, a source added to a
published version) builds it from nothing. Usually not even the copy is made: the
database of the snapshot before the published one (no published snapshot names it,
the run removes that snapshot) is appended to in place instead
(report.database_donor), so a publication writes the new versions' rows only, not
the whole file (bench/README.md).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ir.schema import SCHEMAS
from pipeline.change_report import CHANGES
from pipeline.changes import CHANGES_SCHEMA
from pipeline.history import HISTORY
from report.database_donor import DATABASE, LAYOUT, Donor, source_files, usable

# DATABASE ("annex.sqlite") and LAYOUT (PRAGMA user_version of the file built one
# transaction per version; a database of an older layout, one transaction, vacuumed,
# is built again rather than appended to) live in report.database_donor.

# Views: the questions analysts ask most, answered for the newest version.
VIEWS = {
    # versions holds its rows in document order (history/versions.parquet): the last is
    # the newest document, as `latest` is.
    "latest_version": """
        SELECT annex_id, version_date FROM versions ORDER BY rowid DESC LIMIT 1""",
    "current_actions": """
        SELECT a.* FROM actions AS a JOIN latest_version AS v USING (annex_id)""",
    "current_status": """
        SELECT a.annex_id, a.action_id, a.title, a.initiators, a.status_text
        FROM current_actions AS a ORDER BY a.action_number, a.action_letter""",
    "action_parties_long": """
        SELECT p.annex_id, p.action_id, a.title, p."group", p.code, p.name_nl
        FROM action_parties AS p JOIN actions AS a USING (annex_id, action_id)""",
    "action_leads": """
        SELECT i.annex_id, i.action_id, a.action_number, a.action_letter, i.position,
               i.initiator, a.title, a.status_text
        FROM action_initiators AS i JOIN actions AS a USING (annex_id, action_id)""",
    "current_leads": """
        SELECT l.* FROM action_leads AS l JOIN latest_version AS v USING (annex_id)""",
}


def sql_type(kind: pa.DataType) -> str:
    if pa.types.is_integer(kind) or pa.types.is_boolean(kind):
        return "INTEGER"  # SQLite has no boolean: 1 and 0
    if pa.types.is_floating(kind):
        return "REAL"
    return "TEXT"  # strings, dates (ISO 8601) and lists (JSON arrays)


def sql_value(value, kind: pa.DataType):
    if value is None:
        return None
    if pa.types.is_list(kind):
        return json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
    if pa.types.is_boolean(kind):
        return int(value)
    if pa.types.is_date(kind):
        return value.isoformat()
    return value


def _create_table(db: sqlite3.Connection, name: str, schema: pa.Schema) -> None:
    columns = ", ".join(f'"{f.name}" {sql_type(f.type)}{"" if f.nullable else " NOT NULL"}'
                        for f in schema)
    db.execute(f'CREATE TABLE "{name}" ({columns})')


def _insert(db: sqlite3.Connection, name: str, schema: pa.Schema, table: pa.Table) -> None:
    kinds = [f.type for f in schema]
    marks = ", ".join("?" * len(kinds))
    rows = ([sql_value(row[f.name], k) for f, k in zip(schema, kinds, strict=True)]
            for row in table.to_pylist())
    db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)


def _versions_rows(table: pa.Table) -> list[tuple]:
    """The versions table's rows as SQLite gives them back, to compare with the
    published database's."""
    schema = table.schema
    return [tuple(sql_value(row[f.name], f.type) for f in schema) for row in table.to_pylist()]


def write_database(snapshot: Path, version_ids: list[str], published: Path | None = None,
                   unchanged: frozenset[str] = frozenset(), donor: Donor | None = None) -> Path:
    """Build `snapshot/annex.sqlite` from the snapshot's Parquet files (versions oldest
    first), appending in place to `donor` (the database of the snapshot before the
    published one, already moved into `snapshot`: report.database_donor) when it holds
    the first of them, built from the same files; else to a copy of `published` (the
    published database) when it holds the first of them, all in `unchanged`; else from
    nothing. Written under a temporary name and renamed, so no half file is ever seen."""
    path = snapshot / DATABASE
    temporary = snapshot / f".{DATABASE}.tmp"
    temporary.unlink(missing_ok=True)
    versions = pq.read_table(snapshot / HISTORY / "versions.parquet")
    rows = _versions_rows(versions)
    if donor is not None:
        try:
            start = _donor_reusable(donor, snapshot, version_ids, rows)
            if start:
                os.replace(donor.path, temporary)
                try:
                    _append(temporary, snapshot, version_ids, versions, start)
                except sqlite3.Error:  # e.g. a reader of the old snapshot holds it
                    temporary.unlink(missing_ok=True)
                else:
                    os.replace(temporary, path)
                    return path
        finally:
            donor.path.unlink(missing_ok=True)
    start = _reusable(published, version_ids, rows, unchanged)
    if start:
        shutil.copyfile(published, temporary)  # never the published file itself
    _append(temporary, snapshot, version_ids, versions, start)
    os.replace(temporary, path)
    return path


def _donor_reusable(donor: Donor, snapshot: Path, version_ids: list[str],
                    rows: list[tuple]) -> int:
    """How many versions of `donor` stay as they are: all when they are the first of
    `version_ids`, with the same rows of `versions`, built from the same files."""
    count = usable(donor, snapshot, version_ids)
    if not count or set(donor.files) != set(source_files(donor.version_ids, tuple(SCHEMAS))):
        return 0
    try:
        db = sqlite3.connect(f"{donor.path.resolve().as_uri()}?mode=ro", uri=True, timeout=0)
        try:
            held = db.execute("SELECT * FROM versions ORDER BY rowid").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return 0
    return count if held == rows[:count] else 0


def _append(temporary: Path, snapshot: Path, version_ids: list[str], versions: pa.Table,
            start: int) -> None:
    """The transactions of versions `start`... onto `temporary` (created with the tables
    and views first when `start` is 0)."""
    db = sqlite3.connect(temporary, timeout=0)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # one writer on an unpublished file
        if not start:
            db.execute("PRAGMA page_size = 4096")
            with db:
                db.execute(f"PRAGMA user_version = {LAYOUT}")
                for name, schema in SCHEMAS.items():
                    _create_table(db, name, schema)
                _create_table(db, "versions", versions.schema)
                _create_table(db, "changes", CHANGES_SCHEMA)
                for name, body in VIEWS.items():
                    db.execute(f'CREATE VIEW "{name}" AS {body.strip()}')
        for index in range(start, len(version_ids)):
            annex_id = version_ids[index]
            with db:  # one transaction per version: what makes appending give these bytes
                for name, schema in SCHEMAS.items():
                    _insert(db, name, schema, pq.read_table(snapshot / annex_id /
                                                            f"{name}.parquet"))
                _insert(db, "versions", versions.schema, versions.slice(index, 1))
                if index:  # the changes from the version before it
                    pair = f"{version_ids[index - 1]}__{annex_id}"
                    _insert(db, "changes", CHANGES_SCHEMA,
                            pq.read_table(snapshot / CHANGES / pair / "changes.parquet"))
    finally:
        db.close()


def _reusable(published: Path | None, version_ids: list[str], rows: list[tuple],
              unchanged: frozenset[str]) -> int:
    """How many versions of the published database can stay as they are: all of it
    when its versions are the first of `version_ids`, unchanged, with the same rows;
    else 0 (build from nothing)."""
    if published is None or not published.is_file():
        return 0
    try:
        db = sqlite3.connect(f"{published.resolve().as_uri()}?mode=ro", uri=True)
        try:
            layout = db.execute("PRAGMA user_version").fetchone()[0]
            held = db.execute("SELECT * FROM versions ORDER BY rowid").fetchall()
        finally:
            db.close()
    except sqlite3.Error:
        return 0  # an older layout or a damaged file: build it again
    count = len(held)
    if (layout != LAYOUT or not 0 < count <= len(version_ids) or held != rows[:count]
            or not all(i in unchanged for i in version_ids[:count])):
        return 0
    return count
