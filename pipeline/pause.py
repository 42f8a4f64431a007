"""A test-only hook: make a run stop at a named point so a test can kill it there.

Set TECHNIEKPACT_PAUSE_AT=<point> and TECHNIEKPACT_PAUSE_FLAG=<file>: when the
run reaches that point it creates the flag file and sleeps, and the test sends
SIGKILL. Without the variables `pause` does nothing. Points, in run order:

  validated  an input passed validation, nothing of it written yet
  written    its tables are written into the unpublished snapshot
  history    the snapshot's history/ is written, changes/ not yet
  staged     the snapshot is complete and on disk, `current` not yet swapped
  swapped    `current` points at the new snapshot, entry links not yet made
"""

from __future__ import annotations

import os
import time
from pathlib import Path

POINTS = ("validated", "written", "history", "staged", "swapped")
PAUSE_SECONDS = 600.0


def pause(point: str) -> None:
    if os.environ.get("TECHNIEKPACT_PAUSE_AT") != point:
        return
    flag = os.environ.get("TECHNIEKPACT_PAUSE_FLAG")
    if flag:
        Path(flag).write_text(f"{point} {os.getpid()}\n", encoding="utf-8")
    time.sleep(PAUSE_SECONDS)
