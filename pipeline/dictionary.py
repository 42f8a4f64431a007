"""The data dictionary and Frictionless descriptor of history/ and changes/, as each
version folder has its own (codebook.csv, README.md, datapackage.json)."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa

from ir.schema import SCHEMAS
from pipeline.codebook import field_metadata

FIELDNAMES = ("table", "column", "type", "nullable", "source_header_nl", "description")


def _rows(table: str, schema: pa.Schema) -> list[dict[str, str]]:
    rows = []
    for field in schema:
        known = field_metadata(table, field.name) if table in SCHEMAS else {}
        own = (field.metadata or {}).get(b"description", b"").decode("utf-8")
        rows.append({"table": table, "column": field.name, "type": str(field.type),
                     "nullable": "true" if field.nullable else "false",
                     "source_header_nl": known.get("source_header_nl", ""),
                     "description": known.get("description", own)})
    return rows


def write_dictionary(folder: Path, title: str, intro: str,
                     tables: list[tuple[str, pa.Schema]]) -> None:
    rows = [row for table, schema in tables for row in _rows(table, schema)]
    with open(folder / "codebook.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDNAMES, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    lines = [f"# {title}", "", intro, ""]
    current = None
    for row in rows:
        if row["table"] != current:
            current = row["table"]
            lines += ["", f"## {current}", "", "| column | type | Dutch header | meaning |",
                      "|---|---|---|---|"]
        lines.append(f"| `{row['column']}` | {row['type']} | {row['source_header_nl']} | "
                     f"{row['description']} |")
    (folder / "README.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def describe_history(root: Path, versions_schema: pa.Schema, version_ids: list[str]) -> None:
    """`version_ids` in document order: each table's CSV parts in that order."""
    from report.datapackage import history_datapackage, write_json_descriptor

    write_dictionary(
        root, "Data dictionary: history",
        "Every published version and revision of the annex. `versions.csv` / "
        "`versions.parquet` list them in document order; `csv/<table>/<annex_id>.csv` "
        "holds one version's rows of a table (with annex_id as a column; the data "
        "package reads the parts of a table as one table, in document order), "
        "`<table>/annex_id=<id>/part-0.parquet` the same rows hive-partitioned (annex_id "
        "comes from the path). One file per version, so a new version adds files and "
        "rewrites none.",
        [("versions", versions_schema)] + [(name, schema) for name, schema in SCHEMAS.items()])
    write_json_descriptor(history_datapackage(versions_schema, version_ids),
                          root / "datapackage.json")


def describe_changes(root: Path, changes_schema: pa.Schema, pairs: list[str]) -> None:
    from report.datapackage import changes_datapackage, write_json_descriptor

    write_dictionary(
        root, "Data dictionary: changes",
        "One folder per pair of consecutive versions in document order, "
        "`<older>__<newer>/`, with `changes.parquet`, `changes.csv`, `changes.md` and "
        "`changes.html`. Each row is one changed field of one action.",
        [("changes", changes_schema)])
    write_json_descriptor(changes_datapackage(changes_schema, pairs), root / "datapackage.json")
