"""The combined history: every version's rows of every table, one file per version.

    history/<table>/annex_id=<id>/part-0.parquet    hive-style partitions
    history/csv/<table>/<id>.csv                    the same rows as CSV, one file per
                                                    version (the version's own CSV)
    history/versions.parquet / .csv                 one row per version, document order

In the Parquet partitions the annex_id column lives in the folder name only,
as hive layout expects: pandas.read_parquet("history/actions"),
pyarrow.dataset and DuckDB read_parquet(..., hive_partitioning=true) all add
it back from the path. The CSV keeps it as a column.

The history appends: a version's partitions are written once, when it is first
published under its id, and carried into every later snapshot as hard links
(pipeline.carry); only versions.* and the descriptors are written every time.
Nothing concatenates all versions into one file, which would have to be
rewritten at every publication.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ir.schema import SCHEMAS
from pipeline.carry import Carry
from pipeline.write import write_csv, write_parquet

HISTORY = "history"
PARTITION_FILE = "part-0.parquet"
CSV_FOLDER = "csv"


def partition_path(name: str, annex_id: str) -> Path:
    """A version's Parquet partition of table `name`, relative to the snapshot."""
    return Path(HISTORY) / name / f"annex_id={annex_id}" / PARTITION_FILE


def csv_part_path(name: str, annex_id: str) -> Path:
    """A version's CSV part of table `name`, relative to the snapshot."""
    return Path(HISTORY) / CSV_FOLDER / name / f"{annex_id}.csv"

VERSIONS_SCHEMA = pa.schema([
    pa.field("annex_id", pa.string(), nullable=False,
             metadata={"description": "the id of the version (and revision): the annex's "
                                      "name and version date, -r2 ... for later revisions"}),
    pa.field("version", pa.string(), nullable=False,
             metadata={"description": "the version's id without the revision suffix"}),
    pa.field("revision", pa.int32(), nullable=False,
             metadata={"description": "1 for the first document of the version, 2, 3 ... "
                                      "for different documents claiming the same version, "
                                      "numbered in order of arrival"}),
    pa.field("version_date", pa.string(), nullable=True,
             metadata={"description": "the version's date, YYYY-MM-DD or YYYY-MM (a month "
                                      "without a day); versions are ordered by it"}),
    pa.field("version_date_from", pa.string(), nullable=False,
             metadata={"description": "where the date was read: status:title, "
                                      "status:first-page, decision:title, decision:first-page, "
                                      "pdf-metadata:<key>, file-name, override:flag, "
                                      "override:sidecar or none"}),
    pa.field("decision_date", pa.string(), nullable=True,
             metadata={"description": "the decision date the document states "
                                      "('LRT van 2 juli 2013')"}),
    pa.field("status_date", pa.string(), nullable=True,
             metadata={"description": "the status date the document states "
                                      "('stand van zaken maart 2014')"}),
    pa.field("document_date", pa.string(), nullable=True,
             metadata={"description": "the PDF's own date (ModDate, else CreationDate); "
                                      "orders the revisions of one version"}),
    pa.field("source_file", pa.string(), nullable=False,
             metadata={"description": "the file whose tables are published"}),
    pa.field("source_format", pa.string(), nullable=False,
             metadata={"description": "text-export or pdf"}),
    pa.field("sha256", pa.string(), nullable=False,
             metadata={"description": "sha256 of the published source file"}),
    pa.field("other_sources", pa.list_(pa.string()), nullable=False,
             metadata={"description": "other files of the same version, as "
                                      "'file (role)': alternate or superseded"}),
    pa.field("actions", pa.int32(), nullable=False,
             metadata={"description": "number of actions in the version"}),
], metadata={"table": "versions"})


@dataclass(frozen=True)
class VersionRow:
    annex_id: str
    version_date: str | None
    version_date_from: str
    source_file: str
    source_format: str
    sha256: str
    other_sources: list[str]
    version: str
    revision: int
    decision_date: str | None
    status_date: str | None
    document_date: str | None


def write_history(snapshot: Path, versions: list[VersionRow],
                  carry: Carry | None = None) -> None:
    """Write history/ for the version folders in `snapshot`, `versions` oldest first:
    the partitions of unchanged versions carried from the published snapshot, the
    others written from their version folder."""
    carry = carry or Carry(None)
    root = snapshot / HISTORY
    base = str(snapshot)
    for name in SCHEMAS:
        (root / CSV_FOLDER / name).mkdir(parents=True)
        (root / name).mkdir()
        for version in versions:
            # Plain strings here: this loop runs for every table of every version
            # (one mkdir, not os.makedirs: its parents were made above).
            folder = f"{HISTORY}/{name}/annex_id={version.annex_id}"
            partition = f"{folder}/{PARTITION_FILE}"
            os.mkdir(os.path.join(base, folder))
            target = os.path.join(base, partition)
            if not carry.link(partition, target, version.annex_id):
                table = pq.read_table(snapshot / version.annex_id / f"{name}.parquet")
                write_parquet(_partition(table, name), Path(target))
            part = f"{HISTORY}/{CSV_FOLDER}/{name}/{version.annex_id}.csv"
            target = os.path.join(base, part)
            if not carry.link(part, target, version.annex_id):
                # The version's own CSV is exactly its rows as the history gives them
                # (pipeline.write.write_csv, annex_id as a column): the same bytes.
                shutil.copyfile(snapshot / version.annex_id / f"{name}.csv", target)
    _write_versions(root, versions, snapshot, carry)
    from pipeline.dictionary import describe_history

    describe_history(root, VERSIONS_SCHEMA, [v.annex_id for v in versions])


def _partition(table: pa.Table, name: str) -> pa.Table:
    """The version's rows without annex_id, and one schema for all partitions, so
    that dataset readers need not reconcile them."""
    table = table.drop_columns(["annex_id"])
    return table.replace_schema_metadata({"table": name})


def _action_counts(carry: Carry) -> dict[str, int]:
    """The actions of each version as the published versions table has them (the
    unchanged ones keep their count), so no version's Parquet file is opened."""
    path = carry.find(Path(HISTORY) / "versions.parquet")
    if path is None:
        return {}
    try:
        table = pq.read_table(path, columns=["annex_id", "actions"])
    except (OSError, KeyError, pa.ArrowException):
        return {}  # an older layout: count them again
    return {row["annex_id"]: row["actions"] for row in table.to_pylist()
            if row["annex_id"] in carry.unchanged}


def _write_versions(root: Path, versions: list[VersionRow], snapshot: Path,
                    carry: Carry) -> None:
    root.mkdir(parents=True, exist_ok=True)
    known = _action_counts(carry)
    rows = [{
        "annex_id": v.annex_id,
        "version": v.version,
        "revision": v.revision,
        "version_date": v.version_date,
        "version_date_from": v.version_date_from,
        "decision_date": v.decision_date,
        "status_date": v.status_date,
        "document_date": v.document_date,
        "source_file": v.source_file,
        "source_format": v.source_format,
        "sha256": v.sha256,
        "other_sources": v.other_sources,
        "actions": known[v.annex_id] if v.annex_id in known else
        pq.read_metadata(snapshot / v.annex_id / "actions.parquet").num_rows,
    } for v in versions]
    table = pa.Table.from_pylist(rows, schema=VERSIONS_SCHEMA)
    write_parquet(table, root / "versions.parquet")
    write_csv(table, root / "versions.csv")
