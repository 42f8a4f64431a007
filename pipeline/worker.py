"""Reading one document in a worker process, with limits enforced from outside.

Reading (extract + normalize) is a pure function of one file, and the file is
the untrusted part of a run, so it happens in a child process:

- **wall time**: the parent waits for the answer until the deadline and then
  kills the child with SIGKILL. Nothing inside the child (a library that catches
  every exception, a C loop in zlib) can delay or swallow that.
- **memory**: the child limits its own address space with setrlimit(RLIMIT_AS),
  so an allocation past the limit fails (MemoryError) instead of growing; the
  parent also watches the child's resident size and kills it past the limit, in
  case something allocates outside Python's reach.
- **output size**: the child pickles its answer and refuses to send more than
  the limit; the parent never reads more than that.

Children are forked from a forkserver: a clean single-threaded process started
once, with the readers already imported, so each document costs a fork, not an
interpreter start, and no lock held by a thread of the parent (pyarrow, GX) is
inherited. `start_read` returns a `Job` that can be polled (`step`), so a pool
of them can run side by side; `read_in_worker` is start-and-wait for one.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from extract.limits import DEFAULT_LIMITS, Limits

if TYPE_CHECKING:
    from ir import AnnexTables, RawAnnex

MB = 1_000_000
MIB = 1 << 20


@dataclass(frozen=True)
class WorkerSettings:
    # How often the parent looks at the child's resident memory: often enough that
    # a bomb cannot get far past the limit between two looks.
    watch_seconds: float = 0.05
    # Time the parent allows itself past the deadline to collect a killed child.
    reap_seconds: float = 5.0
    # Modules the forkserver imports once, so that a fork starts ready to read.
    preload: tuple[str, ...] = ("pipeline.worker_task",)


SETTINGS = WorkerSettings()
_CONTEXT = multiprocessing.get_context("forkserver")
_CONTEXT.set_forkserver_preload(list(SETTINGS.preload))


@dataclass
class ReadResult:
    """What a worker hands back: the read document, or one line's worth of failure."""

    raw: RawAnnex | None = None
    tables: AnnexTables | None = None
    # On failure: the stage and reason (and place) for the one line.
    stage: str = ""
    reason: str = ""
    where: str = ""
    seconds: float = 0.0  # wall time, measured by the parent
    peak_rss_mb: float = 0.0  # the child's peak resident memory (as it or the parent saw)
    output_mb: float = 0.0
    details: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.tables is not None


class Job:
    """One document being read in its own worker process."""

    def __init__(self, path: Path, name: str, limits: Limits,
                 debug_dir: Path | None) -> None:
        self.limits = limits
        self.started = time.monotonic()
        self.deadline = self.started + limits.max_seconds
        self.peak_rss_mb = 0.0
        receiver, sender = _CONTEXT.Pipe(duplex=False)
        self._receiver = receiver
        self._process = _CONTEXT.Process(
            target=_child_main, args=(sender, os.fsencode(path), name, limits, debug_dir),
            daemon=True)
        self._process.start()
        sender.close()  # the child holds the only writer: its death is an EOF here
        self.result: ReadResult | None = None

    def step(self, timeout: float) -> ReadResult | None:
        """Wait up to `timeout` s; the result once there is one (it then stays)."""
        if self.result is not None:
            return self.result
        end = min(time.monotonic() + timeout, self.deadline)
        while True:
            now = time.monotonic()
            if now >= self.deadline:
                return self._stop("time", f"took longer than the limit of "
                                  f"{self.limits.max_seconds:g} s (stopped after "
                                  f"{now - self.started:.1f} s)")
            self.peak_rss_mb = max(self.peak_rss_mb, _resident_mb(self._process.pid))
            if self.peak_rss_mb > self.limits.max_memory_mb:
                return self._stop("memory", f"used {self.peak_rss_mb:.0f} MB of memory, over "
                                  f"the limit of {self.limits.max_memory_mb:g} MB")
            if self._receiver.poll(max(0.0, min(SETTINGS.watch_seconds, end - now))):
                return self._collect()
            if time.monotonic() >= end and end < self.deadline:
                return None

    def wait(self) -> ReadResult:
        while (result := self.step(SETTINGS.watch_seconds * 20)) is None:
            pass
        return result

    def cancel(self) -> None:
        """Stop reading (the run ends early): the worker is killed and collected."""
        if self.result is None:
            self._process.kill()
            self._process.join(SETTINGS.reap_seconds)
            self._receiver.close()

    def _collect(self) -> ReadResult:
        limit = int(self.limits.max_output_mb * MB)
        try:
            data = self._receiver.recv_bytes(limit + 1)
        except (EOFError, OSError):
            data = None
        self._receiver.close()
        self._process.join(SETTINGS.reap_seconds)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(SETTINGS.reap_seconds)
        if data is None:
            code = self._process.exitcode
            how = (f"signal {signal.Signals(-code).name}" if code is not None and code < 0
                   else f"exit status {code}")
            # A library that does not check its allocations dies of the address-space
            # limit instead of raising MemoryError: say how close to it the worker was.
            return self._done(ReadResult(
                stage="pipeline", reason=f"the reading worker died ({how}) at "
                f"{self.peak_rss_mb:.0f} MB of memory (limit {self.limits.max_memory_mb:g} MB)",
                where="whole file", details={"limit": "memory"}))
        result: ReadResult = pickle.loads(data)
        result.output_mb = len(data) / MB
        return self._done(result)

    def _stop(self, limit: str, reason: str) -> ReadResult:
        self._process.kill()
        self._process.join(SETTINGS.reap_seconds)
        self._receiver.close()
        return self._done(ReadResult(stage="pipeline", reason=reason, where="whole file",
                                     details={"limit": limit}))

    def _done(self, result: ReadResult) -> ReadResult:
        result.seconds = time.monotonic() - self.started
        result.peak_rss_mb = max(result.peak_rss_mb, self.peak_rss_mb)
        self.result = result
        return result


def start_read(path: Path, name: str, limits: Limits = DEFAULT_LIMITS,
               debug_dir: Path | None = None) -> Job:
    return Job(path, name, limits, debug_dir)


def read_in_worker(path: Path, name: str, limits: Limits = DEFAULT_LIMITS,
                   debug_dir: Path | None = None) -> ReadResult:
    """Read one document in a worker within `limits`: never raises for the document."""
    return start_read(path, name, limits, debug_dir).wait()


def _resident_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1]) * 1024 / MB
    except (OSError, ValueError, IndexError):
        pass  # gone, or no /proc: the address-space limit still holds
    return 0.0


def _over_memory(limits: Limits) -> ReadResult:
    return ReadResult(stage="extract", reason=f"needed more memory than the limit of "
                      f"{limits.max_memory_mb:g} MB", where="whole file",
                      details={"limit": "memory"})


def _child_main(sender, path: bytes, name: str, limits: Limits, debug_dir: Path | None) -> None:
    """In the worker: set the limits on itself, read, send one pickled ReadResult."""
    from pipeline.safepath import RULES
    from pipeline.worker_task import quiet, read_document

    os.umask(RULES.umask)  # debug images: the project's modes, as for everything else
    quiet()
    budget = int(limits.max_memory_mb * MB)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (budget, budget))
    except (ValueError, OSError):  # below what is already mapped: fail as over the limit
        result = ReadResult(stage="pipeline", reason="the memory limit of "
                            f"{limits.max_memory_mb:g} MB is below what the reader needs "
                            "to start", where="whole file", details={"limit": "memory"})
    else:
        try:
            result = read_document(Path(os.fsdecode(path)), name, limits, debug_dir)
        except MemoryError:
            # Met outside read_document's own handlers (a library that caught the first
            # MemoryError and went on, or the unwinding itself): still the memory line,
            # not a death with an exit status.
            result = _over_memory(limits)
    result.peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MB
    try:
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        result = _over_memory(limits)
        data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
    if len(data) > limits.max_output_mb * MB:
        data = pickle.dumps(ReadResult(
            stage="pipeline", reason=f"its tables are {len(data) / MB:.1f} MB, over the output "
            f"limit of {limits.max_output_mb:g} MB", where="whole file",
            peak_rss_mb=result.peak_rss_mb, details={"limit": "output"}))
    sender.send_bytes(data)
    sender.close()
