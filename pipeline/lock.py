"""One run at a time per output folder: an exclusive flock on OUT/.lock.

flock rather than a pid file: the kernel drops the lock when the holder exits
in any way (SIGKILL, OOM, power loss), so a crashed run never leaves a stale
lock for someone to delete by hand. The file stays empty and is never
rewritten; `fuser -v OUT/.lock` or `lslocks` name the process holding it.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LOCK_NAME = ".lock"
POLL_SECONDS = 0.1


class Busy(Exception):
    """Another run holds the lock and did not let go within the wait."""

    def __init__(self, out_dir: Path, waited: float) -> None:
        self.out_dir = out_dir
        self.waited = waited
        super().__init__(
            f"{out_dir}: lock: another run is working on this output folder "
            f"(holding {out_dir / LOCK_NAME}); gave up after waiting {waited:g} s, "
            "nothing done; retry later or pass --wait SECONDS")


@contextmanager
def hold_lock(out_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold OUT/.lock for the block, waiting up to `wait_seconds` for it."""
    # O_NOFOLLOW: a planted link named .lock must not make us create a file elsewhere.
    fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o640)
    try:
        deadline = time.monotonic() + max(wait_seconds, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise Busy(out_dir, wait_seconds) from None
                time.sleep(POLL_SECONDS)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock
