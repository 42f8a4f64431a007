"""The whole run: CLI, published files, the output contract, failures that publish nothing."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from ir.schema import SCHEMAS
from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
ANNEX_ID = "techniekpact-2013-07-02"


def _digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def published(tmp_path_factory, real_annex_path):
    out = tmp_path_factory.mktemp("out")
    assert main(["run", str(real_annex_path), "--out", str(out)]) == 0
    return out / ANNEX_ID


def test_publishes_every_table_with_its_schema(published):
    for name, schema in SCHEMAS.items():
        table = pq.read_table(published / f"{name}.parquet")
        assert table.schema.remove_metadata() == schema.remove_metadata()
        assert (published / f"{name}.csv").exists()
    assert pq.read_table(published / "actions.parquet").num_rows == 47
    for extra in ("manifest.json", "codebook.csv", "README.md"):
        assert (published / extra).exists()


def test_parquet_keeps_lists_and_nulls(published):
    actions = pd.read_parquet(published / "actions.parquet").set_index("action_id")
    assert list(actions.loc["19", "ministries"]) == ["ocw", "szw", "ez"]
    assert actions.loc["1", "years_active"] is None
    assert pd.isna(actions.loc["23", "ambition_number"])
    assert actions.loc["22", "ambition_number"] == 4


def test_csv_contract(published):
    actions = pd.read_csv(published / "actions.csv", dtype=str, keep_default_na=False)
    assert len(actions) == 47
    row = actions.set_index("action_id").loc["19"]
    assert row["ministries"] == '["ocw","szw","ez"]'  # a JSON array
    assert row["years_active"] == ""  # null: the text export has no timeline
    assert actions.set_index("action_id").loc["1", "footnotes"] == "[]"  # empty, not null
    assert row["ambition_number"] == "3"  # an integer, not "3.0"
    assert row["years_active"] == ""
    links = pd.read_csv(published / "links.csv", dtype=str)
    assert set(links["confident"]) == {"true"}
    first_line = (published / "actions.csv").read_text(encoding="utf-8").splitlines()[0]
    assert first_line.split(",") == SCHEMAS["actions"].names


def test_manifest(published, real_annex_path):
    manifest = json.loads((published / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sha256"] == hashlib.sha256(real_annex_path.read_bytes()).hexdigest()
    assert manifest["source_file"] == real_annex_path.name
    assert manifest["row_counts"]["actions"] == 47
    assert manifest["row_counts"]["footnotes"] == 7
    assert manifest["pipeline_version"]


def test_same_input_gives_identical_bytes(tmp_path, real_annex_path, published):
    assert main(["run", str(real_annex_path), "--out", str(tmp_path)]) == 0
    assert _digest(tmp_path / ANNEX_ID) == _digest(published)


def _variant(tmp_path: Path, source: Path, old: str, new: str, name: str) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_failed_validation_publishes_nothing(tmp_path, real_annex_path, capsys):
    out = tmp_path / "out"
    assert main(["run", str(real_annex_path), "--out", str(out)]) == 0
    before = _digest(out / ANNEX_ID)
    bad = _variant(tmp_path, real_annex_path, "\tpo vo\tregio's", "\tpo xyz\tregio's", "bad.txt")
    capsys.readouterr()
    assert main(["run", str(bad), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"{bad}: validate: ")
    assert "xyz" in err[0] and "1a" in err[0]
    assert _digest(out / ANNEX_ID) == before
    # it disagrees with the published document of its version: it was tried as revision 2
    report = out / "_validation" / f"{ANNEX_ID}-r2"
    assert str(report / "validation_report.md") in err[0]
    assert (report / "validation_result.json").exists()
    assert "xyz" in (report / "validation_report.html").read_text(encoding="utf-8")
    assert "xyz" in (report / "validation_report.md").read_text(encoding="utf-8")
    # No staging left: beside the lock only the snapshot store, holding the published snapshot.
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == [".lock",
                                                                              ".snapshots"]
    assert [p.name for p in (out / ".snapshots").iterdir()] == [(out / "current").resolve().name]


def test_bad_input_does_not_stop_the_batch(tmp_path, real_annex_path, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 4)
    out = tmp_path / "out"
    code = main(["run", str(empty), str(binary), str(real_annex_path), str(tmp_path / "missing"),
                 "--out", str(out)])
    assert code == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert any(line.startswith(f"{empty}: extract: file is empty") for line in err)
    assert any(line.startswith(f"{binary}: extract: ") for line in err)
    assert any("missing: input: no such file" in line for line in err)
    assert len(err) == 3
    assert (out / ANNEX_ID / "actions.parquet").exists()


def test_row_of_wrong_shape_names_the_line(tmp_path, real_annex_path, capsys):
    broken = _variant(tmp_path, real_annex_path, "\nb\tInstrumenten", "\n\tInstrumenten\tx",
                      "broken.txt")
    assert main(["run", str(broken), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"{broken}: extract: matrix row of the wrong shape")
    assert err.endswith("at line 10")


def test_cli_entry_point_is_quiet_and_lazy(tmp_path, real_annex_path):
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(real_annex_path), "--out", str(tmp_path)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.splitlines() == [
        f"ok: {real_annex_path} -> {tmp_path / ANNEX_ID} (47 actions, 39 detail rows, "
        "1 warning)"]  # actions 10a-10d name no initiator
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, pipeline.cli, extract, normalize, validate; "
         "print('great_expectations' in sys.modules)"],
        capture_output=True, text=True, cwd=ROOT, check=True,
    )
    assert probe.stdout.strip() == "False"


def test_version_flag_names_the_installed_version(capsys):
    import tomllib

    from pipeline import PIPELINE_VERSION

    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"techniekpact {PIPELINE_VERSION}"
    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text(
        encoding="utf-8"))["project"]
    assert project["version"] == PIPELINE_VERSION
    assert project["license"] == "EUPL-1.2"
