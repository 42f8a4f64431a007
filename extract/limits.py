"""Limits that keep one hostile or broken file from hanging or flooding a batch."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ir import StageError


@dataclass(frozen=True)
class Limits:
    max_file_mb: float = 50.0  # the 2013 annex is 38 KB as text, a few hundred KB as PDF
    max_pages: int = 300
    max_seconds: float = 120.0  # per document, all stages


DEFAULT_LIMITS = Limits()


def check_size(path: Path, limits: Limits) -> None:
    size_mb = path.stat().st_size / 1_000_000
    if size_mb > limits.max_file_mb:
        raise StageError(path.name, "extract", f"file is {size_mb:.1f} MB, over the limit of "
                         f"{limits.max_file_mb:g} MB", "whole file")


@contextmanager
def time_limit(seconds: float, file: str) -> Iterator[None]:
    """Stop the work inside after `seconds` with a StageError.

    Uses a real-time timer signal, so it only works in the main thread; elsewhere
    (tests running stages in threads) the block runs without a limit.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum, _frame):
        raise StageError(file, "pipeline", f"took longer than the limit of {seconds:g} s",
                         "whole file")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
