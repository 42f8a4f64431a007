from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL_ANNEX = ROOT / "samples" / "techniekpact-2013-bijlage2.txt"


@pytest.fixture(scope="session")
def real_annex_path() -> Path:
    return REAL_ANNEX


@pytest.fixture(scope="session")
def raw_annex():
    from extract import read_annex

    return read_annex(REAL_ANNEX)


@pytest.fixture(scope="session")
def tables(raw_annex):
    from normalize import normalize_annex

    return normalize_annex(raw_annex)


@pytest.fixture(scope="session")
def actions(tables):
    return tables.actions.set_index("action_id", drop=False)


@pytest.fixture(scope="session")
def two_versions(tmp_path_factory) -> Path:
    """OUT with the real annex and its edited 2014 version published in one run, shared
    by the change and history tests (one publication instead of two)."""
    from pipeline.cli import main
    from tests.test_changes import annex_2014

    folder = tmp_path_factory.mktemp("two-versions")
    out = folder / "out"
    assert main(["run", str(REAL_ANNEX), str(annex_2014(folder)), "--out", str(out)]) == 0
    return out
