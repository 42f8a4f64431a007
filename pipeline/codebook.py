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


@cache
def _entries_nl() -> dict[tuple[str, str], dict[str, str]]:
    """The Dutch codebook (codebook_nl.csv): a short Dutch label and the meaning in Dutch."""
    with open(HERE / "codebook_nl.csv", encoding="utf-8", newline="") as handle:
        return {(r["table"], r["column"]): r for r in csv.DictReader(handle)}


def label_nl(table: str, column: str) -> str:
    """The Dutch label of a column (the report's words), the column name where none."""
    return _entries_nl().get((table, column), {}).get("label_nl") or column


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
                "label_nl": _entries_nl().get((table, field.name), {}).get("label_nl", ""),
                "description_nl": _entries_nl().get((table, field.name), {}).get(
                    "description_nl", ""),
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


def codebook_markdown_nl() -> str:
    """The data dictionary in Dutch (LEESMIJ.md beside README.md)."""
    lines = [
        "# Gegevenswoordenboek",
        "",
        "Tabellen van één versie van de bijlage. Elke tabel staat er als Parquet (met "
        "types, lijsten als lijsten), als CSV (UTF-8; een lijst als JSON-array, `[]` voor "
        "een lege lijst; `true`/`false`; een lege cel is onbekend) en als blad in het "
        "Excel-bestand (lijsten met `; `).",
        "",
    ]
    current = None
    for row in codebook_rows():
        if row["table"] != current:
            current = row["table"]
            lines += ["", f"## {current}", "", "| kolom | label | type | betekenis |",
                      "|---|---|---|---|"]
        lines.append(f"| `{row['column']}` | {row['label_nl']} | {row['type']} | "
                     f"{row['description_nl']} |")
    return "\n".join(lines) + "\n"
