"""A batch read in a pool and validated in shared GX runs gives what the serial run
gives: the same exit status, the same lines, the same bytes in every published file
and the same validation reports, failures and the rest of the batch included."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from pipeline.batch import run_batch
from tests.annexgen import generate

ROOT = Path(__file__).resolve().parent.parent
REAL_ANNEX = ROOT / "samples" / "techniekpact-2013-bijlage2.txt"
SEEDS = (3, 17, 42, 77, 105)


def _inputs(folder: Path) -> list[Path]:
    folder.mkdir()
    paths = []
    for seed in SEEDS:
        path = folder / f"generated-{seed}.txt"
        path.write_text(generate(seed)[0], encoding="utf-8")
        paths.append(path)
    real = REAL_ANNEX.read_text(encoding="utf-8")
    bad_code = folder / "bad-code.txt"  # reads, fails validation (unknown party code)
    bad_code.write_text(real.replace("\tpo vo\tregio's", "\tpo xyz\tregio's", 1),
                        encoding="utf-8")
    control = folder / "control.txt"  # refused by the reader
    control.write_text(real.replace("Actie", "Ac\x00tie", 1), encoding="utf-8")
    copy = folder / "copy-of-3.txt"  # the same content again: unchanged, given before
    copy.write_bytes(paths[0].read_bytes())
    return [bad_code, *paths[:2], control, REAL_ANNEX, copy, *paths[2:]]


def _files(root: Path) -> dict[str, bytes]:
    """Every file under root by relative path (links followed once, as stored)."""
    found = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = Path(folder) / name
            found[path.relative_to(root).as_posix()] = path.read_bytes()
    return found


def _run(inputs: list[Path], out: Path, workers: int, capfd) -> tuple[int, list[str], list[str]]:
    code = run_batch([str(p) for p in inputs], out, workers=workers)
    captured = capfd.readouterr()
    def lines(text: str) -> list[str]:
        return [line.replace(str(out), "OUT") for line in text.splitlines()]
    return code, lines(captured.out), lines(captured.err)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("batch")
    inputs = _inputs(tmp / "in")
    return inputs, tmp / "serial", tmp / "pool"


def test_pool_gives_the_serial_bytes(runs, capfd):
    inputs, serial, pool = runs
    one = _run(inputs, serial, 1, capfd)
    two = _run(inputs, pool, 3, capfd)  # more workers than this machine may have cores
    assert one == two
    code, out, err = one
    assert code == 1, err  # two inputs failed; the rest was published
    assert len(err) == 2
    assert any(line.startswith(f"{inputs[0]}: validate: ") and "xyz" in line for line in err)
    assert any(line.startswith(f"{inputs[3]}: extract: ") for line in err)
    assert sum(line.startswith("ok: ") for line in out) == len(SEEDS) + 1
    assert any(line.startswith("unchanged: ") for line in out)
    published, shared = _files(serial / "current"), _files(pool / "current")
    assert len(published) > 100
    assert published.keys() == shared.keys()
    for name, data in published.items():
        assert shared[name] == data, name
    # The validation reports too (the GX result JSON says how many annexes its runs held).
    reports, pooled = _files(serial / "_validation"), _files(pool / "_validation")
    assert reports.keys() == pooled.keys()
    for name, data in reports.items():
        if name.endswith(".json"):
            assert _outcomes(json.loads(data)) == _outcomes(json.loads(pooled[name])), name
        else:
            assert pooled[name] == data, name
    quarantined = [json.loads((o / "_runs" / "quarantine.json").read_text()) for o in runs[1:]]
    assert _hashes(quarantined[0]) == _hashes(quarantined[1])
    assert len(_hashes(quarantined[0])) == 2


def _hashes(document) -> list[str]:
    return sorted(re.findall(r"[0-9a-f]{64}", json.dumps(document)))


def _outcomes(document: dict) -> list:
    """Each expectation's outcome for the annex (its rows carry their run's number)."""
    return [(frame, item["expectation_config"]["type"], item["success"],
             item["result"].get("unexpected_count"), item["result"].get("element_count"))
            for frame, result in sorted(document["validations"].items())
            for item in result["results"]]
