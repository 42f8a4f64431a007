"""What each run did, kept apart from the data: OUT/_runs/<utc-time>.log and manifest.json.

Times, durations and the pipeline version live here and nowhere in the data
files, which must be byte-identical from run to run.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pipeline import PIPELINE_VERSION
from pipeline.safepath import make_folder, open_new
from pipeline.safetext import safe_text

RUNS_FOLDER = "_runs"
RUN_MANIFEST = "manifest.json"
KEEP_RUNS = 200  # runs listed in the run manifest; every run keeps its own log file
FILE_MODE = 0o640


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass
class RunLog:
    """The log of one run: one line per input, plus a first and a last line."""

    out_dir: Path
    path: Path
    started: str
    started_at: float
    command: list[str]
    inputs: list[dict] = field(default_factory=list)
    # The first error writing the log (a full disk, a file-size limit): the run goes
    # on without its log and ends with one line about it (pipeline.batch).
    fault: OSError | None = None

    @classmethod
    def start(cls, out_dir: Path, argv: list[str]) -> RunLog:
        folder = make_folder(out_dir / RUNS_FOLDER)
        started = utc_now()
        stem = started.replace("-", "").replace(":", "")  # 20250101T120000.123456Z
        path = folder / f"{stem}.log"
        try:
            handle = open_new(path, FILE_MODE)
        except FileExistsError:  # same microsecond: add the pid rather than overwrite
            path = folder / f"{stem}-{os.getpid()}.log"
            handle = open_new(path, FILE_MODE)
        os.close(handle)
        log = cls(out_dir, path, started, time.monotonic(), [safe_text(a) for a in argv])
        log.line("start", f"pid={os.getpid()} pipeline={PIPELINE_VERSION} "
                 f"command={' '.join(argv)!r}")
        return log

    def line(self, status: str, text: str) -> None:
        """Append at once, so a killed run leaves a log up to where it died."""
        line = f"{utc_now()} {status} {safe_text(text)}\n".encode()
        if self.fault is not None:
            return
        try:
            handle = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW)
            try:
                os.write(handle, line)
            finally:
                os.close(handle)
        except OSError as error:
            self.fault = error

    def input(self, status: str, text: str, **details) -> None:
        """One input's line: ok, unchanged or failed, with its message."""
        self.line(status, text)
        self.inputs.append({"outcome": status, "message": safe_text(text), **details})

    def finish(self, exit_code: int, summary: str, record: bool, **details) -> None:
        """The last line; with `record`, the run also goes into _runs/manifest.json
        (runs that found nothing to do leave only their log, so they rewrite nothing)."""
        duration = time.monotonic() - self.started_at
        self.line("end", f"exit={exit_code} duration={duration:.2f}s {summary}")
        if record and self.fault is None:
            try:
                self._record(exit_code, summary, duration, details)
            except OSError as error:
                self.fault = error

    def _record(self, exit_code: int, summary: str, duration: float, details: dict) -> None:
        path = self.out_dir / RUNS_FOLDER / RUN_MANIFEST
        try:
            handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(handle, encoding="utf-8") as file:
                runs = json.loads(file.read()).get("runs", [])
        except (OSError, ValueError, AttributeError):
            runs = []
        runs.append({
            "started": self.started,
            "finished": utc_now(),
            "duration_seconds": round(duration, 3),
            "pipeline_version": PIPELINE_VERSION,
            "python": platform.python_version(),
            "command": self.command,
            "log": self.path.name,
            "exit_code": exit_code,
            "summary": summary,
            "inputs": self.inputs,
            **details,
        })
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.unlink(missing_ok=True)  # a leftover (or a planted link): the link goes
        text = json.dumps({"runs": runs[-KEEP_RUNS:]}, indent=2, ensure_ascii=False) + "\n"
        with os.fdopen(open_new(temporary, FILE_MODE), "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)  # replaces a link at `path` itself, never its target
