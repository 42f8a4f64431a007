"""A published revision under another id: when a revision with an earlier document
date arrives, the later revisions of its version move up a number
(pipeline.sources), and their tables, which carry the id in a column, are
rewritten under the new one.

The tables are rewritten from their own Parquet files with only annex_id
changed, by the same writers as a first publication, so the bytes are those a
first run under the new id would have written (tests/test_versions.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ir.schema import SCHEMAS
from pipeline.write import (
    published_schema,
    restrict_permissions,
    write_csv,
    write_json,
    write_parquet,
)

MANIFEST = "manifest.json"
UNCHANGED_FILES = ("codebook.csv", "README.md", "LEESMIJ.md")  # say nothing about the id
# What pipeline.snapshot adds to a version's manifest at every publication: not part
# of what the tables were written with, so not what the report is rendered from.
PUBLICATION_KEYS = ("version_date", "version_date_from", "version", "revision",
                    "decision_date", "status_date", "document_date", "revisions", "sources")


def relabel_folder(source: Path, destination: Path, annex_id: str) -> None:
    """Write `source`'s version folder into `destination` under `annex_id`."""
    destination.mkdir()
    tables: dict[str, pa.Table] = {}
    for name in SCHEMAS:
        rows = pq.read_table(source / f"{name}.parquet").to_pylist()
        for row in rows:
            row["annex_id"] = annex_id
        # Built as write_annex builds it (from rows, with the published schema): a
        # Parquet file read back carries a re-serialised schema of other bytes.
        table = pa.Table.from_pylist(rows, schema=published_schema(name, annex_id))
        write_parquet(table, destination / f"{name}.parquet")
        write_csv(table, destination / f"{name}.csv")
        tables[name] = table
    for name in UNCHANGED_FILES:
        shutil.copyfile(source / name, destination / name)
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    manifest = {key: value for key, value in manifest.items() if key not in PUBLICATION_KEYS}
    manifest["annex_id"] = annex_id
    write_json(manifest, destination / MANIFEST)
    from pipeline.codebook import codebook_rows
    from report.datapackage import write_datapackage
    from report.html import render_report
    from report.workbook import workbook_name, write_workbook

    write_workbook(tables, codebook_rows(), destination / workbook_name(annex_id),
                   manifest.get("title") or "")

    write_datapackage(destination, manifest)
    render_report(destination)
    restrict_permissions(destination)


def tables_id(folder: Path) -> str:
    """The id the tables in `folder` carry."""
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))["annex_id"]
