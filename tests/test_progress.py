"""The progress line shows at a terminal and never in a scheduler's log."""

from __future__ import annotations

import io
from pathlib import Path

from pipeline.progress import Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_only_at_a_terminal_with_several_files():
    terminal = _Terminal()
    progress = Progress(3, terminal)
    progress.step(1, Path("annex-2014.pdf"))
    progress.close()
    assert "1/3" in terminal.getvalue() and "annex-2014.pdf" in terminal.getvalue()
    piped = io.StringIO()
    quiet = Progress(3, piped)
    quiet.step(1, Path("annex-2014.pdf"))
    quiet.close()
    assert piped.getvalue() == ""
    single = _Terminal()
    Progress(1, single).step(0, Path("one.txt"))
    assert single.getvalue() == ""
