"""The data dictionary: every published column, its type and the annex's Dutch header."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

from ir.schema import SCHEMAS

HERE = Path(__file__).parent


@cache
def _entries() -> dict[tuple[str, str], dict[str, str]]:
    with open(HERE / "codebook.csv", encoding="utf-8", newline="") as handle:
        return {(r["table"], r["column"]): r for r in csv.DictReader(handle)}


def codebook_rows() -> list[dict[str, str]]:
    """One row per column of every table, in schema order."""
    rows = []
    for table, schema in SCHEMAS.items():
        for field in schema:
            entry = _entries().get((table, field.name), {})
            rows.append({
                "table": table,
                "column": field.name,
                "type": str(field.type),
                "nullable": "true" if field.nullable else "false",
                "source_header_nl": entry.get("source_header_nl", ""),
                "description": entry.get("description", ""),
            })
    return rows


def field_metadata(table: str, column: str) -> dict[str, str]:
    entry = _entries().get((table, column), {})
    return {k: entry[k] for k in ("description", "source_header_nl") if entry.get(k)}


def codebook_markdown() -> str:
    lines = [
        "# Data dictionary",
        "",
        "Tables of one annex version. Each is published as Parquet (typed, list columns as "
        "lists) and CSV (UTF-8, list values joined with `;`, booleans `true`/`false`, "
        "null as an empty cell).",
        "",
    ]
    current = None
    for row in codebook_rows():
        if row["table"] != current:
            current = row["table"]
            lines += ["", f"## {current}", "", "| column | type | Dutch header | meaning |",
                      "|---|---|---|---|"]
        lines.append(f"| `{row['column']}` | {row['type']} | {row['source_header_nl']} | "
                     f"{row['description']} |")
    return "\n".join(lines) + "\n"
