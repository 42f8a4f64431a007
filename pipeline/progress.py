"""A progress line for people at a terminal; nothing at all for schedulers.

Only when stderr is a terminal and there is more than one file: a scheduler's log
stays line-oriented (the ok:/failed lines and the run log), with no carriage returns.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


class Progress:
    def __init__(self, total: int, stream=None) -> None:
        self.stream = stream or sys.stderr
        self.total = total
        self.shown = total > 1 and self.stream.isatty()
        self.started = time.monotonic()

    def step(self, index: int, path: Path) -> None:
        if not self.shown:
            return
        done = index / self.total
        bar = "#" * round(20 * done) + "-" * (20 - round(20 * done))
        elapsed = time.monotonic() - self.started
        self.stream.write(f"\r[{bar}] {index}/{self.total} {elapsed:5.0f}s  {path.name[:40]:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.shown:
            self.stream.write("\r" + " " * 90 + "\r")
            self.stream.flush()
