"""Generated layouts that once crashed the reader (an exception that was not a StageError).

A reader may refuse a layout it cannot read, with a StageError naming the place; it must
never fail with anything else, which would break the one-line error on bad input."""

from pathlib import Path

import pytest

from extract import read_annex
from ir import StageError

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "samples" / "layouts-regressions").glob("layout-*.pdf"))


@pytest.mark.parametrize("pdf", CASES, ids=[p.stem for p in CASES])
def test_reads_or_refuses(pdf: Path) -> None:
    # layout-1043-writer: a detail row whose words all lay on a later page than its key
    # made bbox() of no words raise ValueError.
    try:
        annex = read_annex(pdf)
    except StageError as error:
        assert error.one_line()
    else:
        assert annex.detail_rows
