"""The versioned output: one folder per version, the combined history, latest, and
byte-identical results however the versions arrive."""

from __future__ import annotations

import csv
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from ir.schema import SCHEMAS
from pipeline.cli import main
from tests.test_changes import (
    NEW_ID,
    OLD_ID,
    REAL_ANNEX,
    annex_2014,
)
from tests.test_incremental import published_view


@pytest.fixture(scope="module")
def history_out(two_versions) -> Path:
    """The real annex and its 2014 version, published in one run (conftest.py)."""
    return two_versions


def test_each_version_keeps_its_own_folder(history_out):
    for annex_id in (OLD_ID, NEW_ID):
        actions = pd.read_parquet(history_out / annex_id / "actions.parquet")
        assert set(actions["annex_id"]) == {annex_id}
    assert len(pd.read_parquet(history_out / OLD_ID / "actions.parquet")) == 47
    manifest = pd.read_json(history_out / NEW_ID / "manifest.json", typ="series")
    assert manifest["version_date"] == "2014-01-15"
    assert manifest["version_date_from"] == "decision:title"


def test_history_is_a_hive_dataset_every_reader_understands(history_out):
    history = history_out / "history"
    for name in SCHEMAS:
        parts = sorted(p.name for p in (history / name).iterdir())
        assert parts == [f"annex_id={OLD_ID}", f"annex_id={NEW_ID}"], name
        part = pq.read_table(history / name / f"annex_id={OLD_ID}" / "part-0.parquet")
        assert "annex_id" not in part.schema.names  # it lives in the folder name
    actions = pd.read_parquet(history / "actions")
    assert len(actions) == 94
    assert actions.groupby("annex_id", observed=True).size().to_dict() == {OLD_ID: 47,
                                                                          NEW_ID: 47}
    ministries = actions.set_index(["annex_id", "action_id"])["ministries"]
    assert list(ministries[(NEW_ID, "18")]) == ["ocw", "ez"]
    dataset = ds.dataset(history / "action_parties", partitioning="hive")
    assert dataset.count_rows() == sum(
        pq.read_metadata(history_out / v / "action_parties.parquet").num_rows
        for v in (OLD_ID, NEW_ID))
    assert pd.api.types.is_integer_dtype(actions["action_number"])


def test_history_reads_in_duckdb(history_out):
    duckdb = pytest.importorskip("duckdb")
    rows = duckdb.sql(
        "SELECT annex_id, count(*) FROM read_parquet("
        f"'{history_out}/history/actions/*/*.parquet', hive_partitioning=true) "
        "GROUP BY annex_id ORDER BY annex_id").fetchall()
    assert rows == [(OLD_ID, 47), (NEW_ID, 47)]


def test_history_csv_has_one_part_per_version_in_document_order(history_out):
    history = history_out / "history"
    package = json.loads((history / "datapackage.json").read_text("utf-8"))
    paths = {r["name"]: r["path"] for r in package["resources"]}
    for name in SCHEMAS:
        parts = sorted(p.name for p in (history / "csv" / name).iterdir())
        assert parts == [f"{OLD_ID}.csv", f"{NEW_ID}.csv"], name
        for annex_id in (OLD_ID, NEW_ID):  # a version's rows as its own folder has them
            part = (history / "csv" / name / f"{annex_id}.csv").read_bytes()
            assert part == (history_out / annex_id / f"{name}.csv").read_bytes(), name
            with open(history / "csv" / name / f"{annex_id}.csv", encoding="utf-8",
                      newline="") as handle:
                rows = list(csv.reader(handle))
            assert rows[0] == SCHEMAS[name].names
            column = rows[0].index("annex_id")
            assert {r[column] for r in rows[1:]} == ({annex_id} if rows[1:] else set())
        # the data package reads the parts as one table, oldest version first
        assert paths[name] == [f"csv/{name}/{OLD_ID}.csv", f"csv/{name}/{NEW_ID}.csv"]
    versions = pd.read_csv(history / "versions.csv", dtype=str, keep_default_na=False)
    assert list(versions["annex_id"]) == [OLD_ID, NEW_ID]
    assert list(versions["version_date"]) == ["2013-07-02", "2014-01-15"]
    assert list(versions["actions"]) == ["47", "47"]


def test_history_csv_parts_read_as_one_table_by_frictionless(history_out):
    frictionless = pytest.importorskip("frictionless")
    package = frictionless.Package(str(history_out / "history" / "datapackage.json"))
    rows = package.get_resource("actions").read_rows()
    assert [r["annex_id"] for r in rows] == [OLD_ID] * 47 + [NEW_ID] * 47


def test_latest_is_a_relative_link_to_the_newest_version(history_out):
    latest = history_out / "latest"
    assert latest.is_symlink() and not os.path.isabs(os.readlink(latest))
    assert latest.resolve() == (history_out / NEW_ID).resolve()
    assert (latest / "actions.parquet").read_bytes() == (
        history_out / NEW_ID / "actions.parquet").read_bytes()
    inner = history_out / "current" / "latest"
    assert os.readlink(inner) == NEW_ID  # inside the snapshot: moves with it


def test_arrival_order_and_batching_change_no_byte(tmp_path, history_out):
    """Newest first in one run, or one version per run: the same published bytes."""
    newer = annex_2014(tmp_path)
    reversed_out = tmp_path / "reversed"
    assert main(["run", str(newer), str(REAL_ANNEX), "--out", str(reversed_out)]) == 0
    assert published_view(reversed_out) == published_view(history_out)
    assert os.readlink(reversed_out / "current" / "latest") == NEW_ID
    one_by_one = tmp_path / "one-by-one"
    assert main(["run", str(REAL_ANNEX), "--out", str(one_by_one)]) == 0
    assert main(["run", str(newer), "--out", str(one_by_one)]) == 0
    assert published_view(one_by_one) == published_view(history_out)


def test_version_date_comes_from_the_document_first():
    from pipeline.versions import order_key, version_date

    title = "Bijlage 2: ... zoals vastgesteld in de LRT van 2 juli 2013"
    assert version_date(title, {"CreationDate": "D:20140101"}, "x-2015-01-01.txt") == (
        "2013-07-02", "decision:title")
    assert version_date(None, {"Subject": "stand per 3 maart 2015"}, "x.pdf") == (
        "2015-03-03", "pdf-metadata:Subject")
    assert version_date("", {"CreationDate": "D:20140115093000+01'00'"}, "x.pdf") == (
        "2014-01-15", "pdf-metadata:CreationDate")
    assert version_date(None, {}, "bijlage2_20150401.txt") == ("2015-04-01", "file-name")
    assert version_date(None, {}, "bijlage2-20151301.txt") == (None, "none")  # not a date
    keys = [order_key("b-undated", None), order_key("z", "2014-01-15"),
            order_key("a", "2013-07-02")]
    assert [k[2] for k in sorted(keys)] == ["a", "z", "b-undated"]


def test_history_and_changes_have_a_dictionary_and_a_valid_data_package(history_out, tmp_path):
    frictionless = pytest.importorskip("frictionless")
    for folder, tables in (("history", {"versions", *SCHEMAS}), ("changes", {"changes"})):
        root = history_out / folder
        report = frictionless.validate(str(root / "datapackage.json"))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
        with open(root / "codebook.csv", encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert {r["table"] for r in rows} == tables
        assert all(r["description"] for r in rows), [r for r in rows if not r["description"]]
        assert f"| `{rows[0]['column']}` |" in (root / "README.md").read_text("utf-8")
    package = json.loads((history_out / "changes" / "datapackage.json").read_text("utf-8"))
    assert [r["path"] for r in package["resources"]] == [f"{OLD_ID}__{NEW_ID}/changes.csv"]
    # the keys hold: a version's row that names no published version is caught
    copy = tmp_path / "history"
    shutil.copytree(history_out / "history", copy)
    part = copy / "csv" / "actions" / f"{NEW_ID}.csv"
    text = part.read_text(encoding="utf-8")
    part.write_text(text.replace(NEW_ID, "techniekpact-1999-01-01", 1), encoding="utf-8")
    assert not frictionless.validate(str(copy / "datapackage.json")).valid
