"""The README's CSV loading recipes, run as written: pandas, DuckDB and R give every
column its type, and an empty list stays apart from a null one."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
ANNEX_ID = "techniekpact-2013-07-02"
RSCRIPT = shutil.which("Rscript")


def recipe(name: str) -> str:
    """The fenced block under `<!-- recipe: NAME -->` in README.md."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- recipe: {name} -->\n```\w+\n(.*?)```", readme, re.S)
    assert found, f"README.md has no recipe {name}"
    return found.group(1)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory, real_annex_path) -> Path:
    """A folder whose output/ holds the published real annex, as the recipes expect."""
    folder = tmp_path_factory.mktemp("loading")
    assert main(["run", str(real_annex_path), "--out", str(folder / "output")]) == 0
    return folder


def test_pandas_recipe(workdir, monkeypatch):
    monkeypatch.chdir(workdir)
    scope: dict = {}
    exec(compile(recipe("pandas"), "README.md:pandas", "exec"), scope)  # noqa: S102
    actions = scope["actions"].set_index("action_id")
    parquet = pd.read_parquet(workdir / "output" / ANNEX_ID / "actions.parquet")
    assert len(actions) == len(parquet)
    assert str(actions["ambition_number"].dtype) == "Int64"
    assert actions.loc["22", "ambition_number"] == 4
    assert pd.isna(actions.loc["23", "ambition_number"])
    assert str(actions["link_score"].dtype) == "Float64"
    assert actions.loc["19", "ministries"] == ["ocw", "szw", "ez"]
    assert actions.loc["1", "footnotes"] == []  # empty list
    assert actions.loc["1", "years_active"] is None  # unknown: no timeline in the export
    for table in ("links", "action_parties", "footnotes"):
        frame = scope["read_table"](table)
        assert len(frame) == len(pd.read_parquet(workdir / "output" / ANNEX_ID /
                                                 f"{table}.parquet")), table
    assert str(scope["read_table"]("links")["confident"].dtype) == "boolean"
    footnotes = scope["read_table"]("footnotes")
    assert all(isinstance(refs, list) and refs for refs in footnotes["referenced_by"])


def test_duckdb_recipe(workdir, monkeypatch):
    monkeypatch.chdir(workdir)
    result = duckdb.sql(recipe("duckdb"))
    types = dict(zip(result.columns, map(str, result.types), strict=True))
    assert types == {"action_id": "VARCHAR", "ambition_number": "INTEGER",
                     "ministries": "VARCHAR[]", "footnotes": "INTEGER[]",
                     "years_active": "INTEGER[]"}
    rows = {r[0]: r for r in result.fetchall()}
    assert len(rows) == 47
    assert rows["19"][2] == ["ocw", "szw", "ez"]
    assert rows["1"][3] == [] and rows["1"][4] is None
    assert rows["23"][1] is None and rows["22"][1] == 4


@pytest.mark.skipif(RSCRIPT is None, reason="R is not installed: "
                    "apt-get install r-base-core r-cran-readr r-cran-jsonlite")
def test_r_recipe(workdir):
    check = recipe("r") + """
stopifnot(nrow(actions) == 47)
stopifnot(is.integer(actions$ambition_number), is.double(actions$link_score))
row <- which(actions$action_id == "19")
stopifnot(identical(actions$ministries[[row]], c("ocw", "szw", "ez")))
first <- which(actions$action_id == "1")
stopifnot(length(actions$footnotes[[first]]) == 0, is.null(actions$years_active[[first]]))
stopifnot(is.na(actions$ambition_number[actions$action_id == "23"]))
cat("recipe ok\\n")
"""
    done = subprocess.run([RSCRIPT, "-e", check], cwd=workdir, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "LANG": "C.UTF-8"}, check=False)
    assert done.returncode == 0, done.stderr
    assert "recipe ok" in done.stdout
