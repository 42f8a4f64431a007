"""Inputs that failed, by content hash: OUT/_runs/quarantine.json.

A file that fails fails the same way on every scheduled run, so after its first
failure (one line on stderr, exit status 1, as always) later runs skip it
without reading it and say so in one summary line, with the run log of the
first failure, and exit with status 4 (EXIT_QUARANTINED). A changed file has
another hash and is processed again; `--retry-failed` processes quarantined
inputs again anyway (a fixed pipeline, a raised limit). An input that is
published is taken out of quarantine.

Only failures of the input are quarantined (it cannot be read, it fails
validation, it is over a limit), not faults of the output folder (a full disk):
those are not the file's fault and are retried on the next run.

The list lives beside the run logs, not in the published snapshot: it is a
record of attempts, not of data.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

QUARANTINE_FILE = "quarantine.json"
FILE_MODE = 0o640
# Stages whose failure is the input's own: the same bytes fail the same way again.
INPUT_STAGES = ("input", "extract", "normalize", "validate")


@dataclass(frozen=True)
class Quarantined:
    sha256: str
    file: str  # the name it failed under
    stage: str
    message: str  # the line it failed with
    log: str  # the run log of the first failure (a file name in _runs/)
    first_failed: str  # UTC time of the first failure
    failures: int = 1


class Quarantine:
    def __init__(self, path: Path, entries: dict[str, Quarantined]) -> None:
        self.path = path
        self.entries = entries
        self.changed = False

    @classmethod
    def read(cls, runs_folder: Path) -> Quarantine:
        path = runs_folder / QUARANTINE_FILE
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
            entries = {e["sha256"]: Quarantined(**e) for e in document["inputs"]}
        except FileNotFoundError:
            entries = {}
        except (OSError, ValueError, KeyError, TypeError):
            # A damaged list forgets what failed: those inputs are tried once more.
            entries = {}
        return cls(path, entries)

    def find(self, sha256: str) -> Quarantined | None:
        return self.entries.get(sha256) if sha256 else None

    def add(self, sha256: str, file: str, stage: str, message: str, log: str,
            when: str) -> None:
        if not sha256 or stage not in INPUT_STAGES:
            return
        known = self.entries.get(sha256)
        if known is None:
            self.entries[sha256] = Quarantined(sha256, file, stage, message, log, when)
        else:  # retried and failed again: the first failure's log stays the reference
            self.entries[sha256] = Quarantined(sha256, file, stage, message, known.log,
                                               known.first_failed, known.failures + 1)
        self.changed = True

    def release(self, sha256: str) -> None:
        if self.entries.pop(sha256, None) is not None:
            self.changed = True

    def save(self) -> None:
        if not self.changed:
            return
        inputs = [asdict(e) for e in sorted(self.entries.values(), key=lambda e: e.sha256)]
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        temporary.write_text(json.dumps({"inputs": inputs}, indent=2, ensure_ascii=False)
                             + "\n", encoding="utf-8")
        os.chmod(temporary, FILE_MODE)
        os.replace(temporary, self.path)
        self.changed = False


def summary_line(skipped: list[tuple[Path, Quarantined]], runs_folder: Path) -> str:
    """The one line a run prints for every quarantined input it skipped."""
    names = "; ".join(f"{path} (failed in {entry.stage}, first on "
                      f"{entry.first_failed}, see {runs_folder / entry.log})"
                      for path, entry in skipped)
    return (f"quarantined: skipped {len(skipped)} input(s) that failed before and have not "
            f"changed: {names}; pass --retry-failed to try them again")
