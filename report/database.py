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
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ir.schema import SCHEMAS
from pipeline.change_report import CHANGES
from pipeline.changes import CHANGES_SCHEMA
from pipeline.history import HISTORY

DATABASE = "annex.sqlite"

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


def _create(db: sqlite3.Connection, name: str, schema: pa.Schema, tables: list[pa.Table]) -> None:
    columns = ", ".join(f'"{f.name}" {sql_type(f.type)}{"" if f.nullable else " NOT NULL"}'
                        for f in schema)
    db.execute(f'CREATE TABLE "{name}" ({columns})')
    kinds = [f.type for f in schema]
    marks = ", ".join("?" * len(kinds))
    for table in tables:
        rows = ([sql_value(row[f.name], k) for f, k in zip(schema, kinds, strict=True)]
                for row in table.to_pylist())
        db.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)


def write_database(snapshot: Path, version_ids: list[str]) -> Path:
    """Build `snapshot/annex.sqlite` from the snapshot's Parquet files (versions oldest
    first). Written to a temporary name and renamed, so no half file is ever seen."""
    path = snapshot / DATABASE
    temporary = snapshot / f".{DATABASE}.tmp"
    temporary.unlink(missing_ok=True)
    db = sqlite3.connect(temporary)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # one writer on an unpublished file
        db.execute("PRAGMA page_size = 4096")
        with db:
            for name, schema in SCHEMAS.items():
                _create(db, name, schema, [pq.read_table(snapshot / v / f"{name}.parquet")
                                           for v in version_ids])
            versions = pq.read_table(snapshot / HISTORY / "versions.parquet")
            _create(db, "versions", versions.schema, [versions])
            # Oldest pair first; an empty table where there is only one version.
            pairs = [snapshot / CHANGES / f"{old}__{new}" / "changes.parquet"
                     for old, new in zip(version_ids, version_ids[1:], strict=False)]
            _create(db, "changes", CHANGES_SCHEMA, [pq.read_table(p) for p in pairs])
            for name, body in VIEWS.items():
                db.execute(f'CREATE VIEW "{name}" AS {body.strip()}')
        db.execute("VACUUM")
    finally:
        db.close()
    os.replace(temporary, path)
    return path
