"""Writing the tables: Parquet with the explicit Arrow schema, and CSV, byte-stable.

Everything is written into an unpublished snapshot and published by
pipeline.publish in one atomic step, so readers see either the old or the new
output.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import stat
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from ir import AnnexTables
from ir.schema import SCHEMAS
from pipeline.codebook import (
    codebook_markdown,
    codebook_markdown_nl,
    codebook_rows,
    field_metadata,
)
from pipeline.publish import RESERVED

SAFE_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}$")
FILE_MODE = 0o640  # owner writes, group reads, others nothing
FOLDER_MODE = 0o750


def arrow_table(frame: pd.DataFrame, schema: pa.Schema) -> pa.Table:
    """The frame as an Arrow table of exactly `schema`, nulls as nulls (not NaN)."""
    # Column by column (what from_pylist does with the rows' dicts, without making
    # a dict per row): each value as its Python scalar, a missing one as None.
    columns = [pa.array([_python_value(value) for value in frame[name].tolist()],
                        type=field.type)
               for name, field in zip(schema.names, schema, strict=True)]
    return pa.Table.from_arrays(columns, schema=schema)


def _python_value(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, list | tuple):
        return value.item()  # numpy scalar
    return value


def csv_cell(value, kind: pa.DataType) -> str:
    """A null is an empty cell; a list is a JSON array, so an empty list (`[]`) is
    told apart from a null one and an item may hold any character."""
    if value is None:
        return ""
    if pa.types.is_list(kind):
        return json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
    if pa.types.is_boolean(kind):
        return "true" if value else "false"
    if pa.types.is_floating(kind):
        return repr(float(value))
    return str(value)


def write_csv(table: pa.Table | list[pa.Table], path: Path) -> None:
    """The plain CSV: UTF-8, comma, LF; values exactly as published. Several tables
    of the same columns (the versions of a history) go one after the other."""
    tables = table if isinstance(table, list) else [table]
    kinds = [field.type for field in tables[0].schema]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(tables[0].schema.names)
        for part in tables:
            for row in part.to_pylist():
                writer.writerow(csv_cell(v, k)
                                for v, k in zip(row.values(), kinds, strict=True))


def write_parquet(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd", write_statistics=True)


def published_schema(name: str, annex_id: str) -> pa.Schema:
    """The Arrow schema a version's table is written with: its fields' descriptions
    and the table's name and annex id as metadata."""
    schema = SCHEMAS[name].with_metadata({"table": name, "annex_id": annex_id})
    return pa.schema([f.with_metadata(field_metadata(name, f.name)) for f in schema],
                     metadata=schema.metadata)


def write_annex(tables: AnnexTables, staging: Path, manifest: dict) -> dict[str, int]:
    """All tables, the codebook and the manifest into `staging`. Returns row counts."""
    staging.mkdir(parents=True, exist_ok=False)
    counts: dict[str, int] = {}
    written: dict[str, pa.Table] = {}
    for name, frame in tables.tables().items():
        table = arrow_table(frame, published_schema(name, tables.annex_id))
        write_parquet(table, staging / f"{name}.parquet")
        write_csv(table, staging / f"{name}.csv")
        counts[name] = table.num_rows
        written[name] = table
    _write_codebook(staging)
    _write_workbook(staging, tables.annex_id, written, manifest.get("title") or "")
    manifest = {**manifest, "row_counts": counts}
    write_json(manifest, staging / "manifest.json")
    _describe_for_people(staging, manifest, written)
    restrict_permissions(staging)
    return counts


def _write_workbook(folder: Path, annex_id: str, written: dict[str, pa.Table],
                    title: str) -> None:
    from xlsxwriter.exceptions import FileCreateError

    from report.workbook import workbook_name, write_workbook

    try:
        write_workbook(written, codebook_rows(), folder / workbook_name(annex_id), title)
    except FileCreateError as error:
        # xlsxwriter wraps the OSError of a full disk or a file-size limit: unwrapped,
        # it is the output fault it is (one line, exit 5), not an internal error.
        cause = error.args[0] if error.args else None
        if isinstance(cause, OSError):
            raise cause from None
        raise


def _describe_for_people(folder: Path, manifest: dict, written: dict[str, pa.Table]) -> None:
    """The Frictionless data package and the HTML report, of the written files."""
    from report.datapackage import write_datapackage
    from report.html import render_report

    write_datapackage(folder, manifest)
    render_report(folder, written)


def json_text(document: dict) -> str:
    """JSON as every manifest is written: sorted keys, so the same content gives the same bytes."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_json(document: dict, path: Path) -> None:
    path.write_text(json_text(document), encoding="utf-8")


def restrict_permissions(folder: Path) -> None:
    """The project's modes on everything under `folder`, which the run made itself.
    Links are never followed (a link's target may be anywhere) and a file whose mode
    is already right is not opened (hard links carried from the published snapshot):
    a look at lstat first, the change through the opened file."""
    _set_mode(folder, FOLDER_MODE, directory=True)
    stack = [str(folder)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISLNK(info.st_mode):
                    continue
                directory = stat.S_ISDIR(info.st_mode)
                if directory:
                    stack.append(entry.path)
                mode = FOLDER_MODE if directory else FILE_MODE
                if stat.S_IMODE(info.st_mode) != mode:
                    _set_mode(entry.path, mode, directory)


def _set_mode(path: str | Path, mode: int, directory: bool) -> None:
    flags = os.O_RDONLY | os.O_NOFOLLOW | (os.O_DIRECTORY if directory else 0)
    handle = os.open(path, flags)
    try:
        if stat.S_IMODE(os.fstat(handle).st_mode) != mode:
            os.fchmod(handle, mode)
    finally:
        os.close(handle)


def destination_for(out_dir: Path, annex_id: str) -> Path:
    """The published folder of an annex: a plain name directly inside `out_dir`.

    The id comes from the document, so it is checked here, where it becomes a
    path: nothing a document says can make the pipeline write elsewhere.
    """
    if not SAFE_NAME.match(annex_id) or annex_id in RESERVED:
        raise ValueError(f"unsafe annex id for a folder name: {annex_id!r}")
    # The folder itself is not resolved: once published it is a link into the snapshot.
    destination = out_dir.resolve() / annex_id
    if destination.parent != out_dir.resolve():
        raise ValueError(f"annex folder {destination} is outside {out_dir}")
    return destination


def _write_codebook(folder: Path) -> None:
    rows = codebook_rows()
    with open(folder / "codebook.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    (folder / "README.md").write_text(codebook_markdown(), encoding="utf-8")
    (folder / "LEESMIJ.md").write_text(codebook_markdown_nl(), encoding="utf-8")
