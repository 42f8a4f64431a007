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
