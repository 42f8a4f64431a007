"""Reading a batch of documents in a pool of worker processes, in input order.

Each document is still read by its own worker (pipeline.worker: a fresh fork,
its own memory, time and output limits); the pool only runs several side by
side, as many as the machine has cores, and hands the results back in input
order. A watcher thread polls every running worker (`Job.step`), so the limits
are enforced on time while the parent is busy validating and writing what was
read before. Reading runs at most `ahead` documents ahead of the one the parent
waits for, so a long batch never holds more than that many results in memory.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from extract.limits import Limits
from pipeline.worker import SETTINGS as WORKER_SETTINGS
from pipeline.worker import Job, ReadResult, start_read


@dataclass(frozen=True)
class PoolSettings:
    # Results read ahead of the one the parent waits for, per worker: enough that
    # the workers never wait while the parent validates a chunk of documents.
    ahead_per_worker: int = 16


POOL_SETTINGS = PoolSettings()


def machine_workers() -> int:
    """The cores this process may run on (its CPU affinity, not the whole machine)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class ReadPool:
    """Reads `documents` ((path, name) each) with up to `workers` at a time."""

    def __init__(self, documents: Sequence[tuple[Path, str]], limits: Limits,
                 debug_dir: Path | None, workers: int, ahead: int | None = None) -> None:
        self._documents = list(documents)
        self._limits = limits
        self._debug_dir = debug_dir
        self._workers = max(1, workers)
        self._ahead = max(self._workers, ahead or self._workers * POOL_SETTINGS.ahead_per_worker)
        self._next = 0  # the next document to start
        self._wanted = 0  # the document the parent waits for (or will next)
        self._running: dict[int, Job] = {}
        self._done: dict[int, ReadResult] = {}
        self._failure: BaseException | None = None
        self._stop = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._watch, name="read-pool", daemon=True)
        self._thread.start()

    def result(self, index: int) -> ReadResult:
        """The read of document `index` (waits for it); results are asked for in order."""
        with self._changed:
            self._wanted = max(self._wanted, index)
            self._changed.notify_all()
            while index not in self._done:
                if self._failure is not None:
                    raise self._failure
                self._changed.wait(WORKER_SETTINGS.watch_seconds * 20)
            self._wanted = index + 1
            self._changed.notify_all()
            return self._done.pop(index)

    def close(self) -> None:
        """Stop the watcher and kill whatever is still reading (a run that ends early)."""
        with self._changed:
            self._stop = True
            self._changed.notify_all()
        self._thread.join()
        for job in self._running.values():
            job.cancel()
        self._running.clear()

    def __enter__(self) -> ReadPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start_more(self) -> None:
        while (len(self._running) < self._workers and self._next < len(self._documents)
               and self._next < self._wanted + self._ahead):
            path, name = self._documents[self._next]
            try:
                self._running[self._next] = start_read(path, name, self._limits,
                                                       self._debug_dir)
            except OSError as error:  # no process to be had (a process limit): this
                # document's one line, as any other failure of its reading
                self._done[self._next] = ReadResult(
                    stage="pipeline", reason="could not start the reading worker: "
                    f"{error.strerror or error}", where="whole file")
                self._changed.notify_all()
            self._next += 1

    def _watch(self) -> None:
        try:
            while True:
                with self._changed:
                    if self._stop:
                        return
                    self._start_more()
                    running = list(self._running.items())
                    if not running:
                        if self._next >= len(self._documents):
                            return  # everything read
                        self._changed.wait(WORKER_SETTINGS.watch_seconds)  # the parent is behind
                        continue
                # Each job is looked at about every watch_seconds (Job.step: memory,
                # deadline), whatever the number of jobs.
                share = WORKER_SETTINGS.watch_seconds / len(running)
                for index, job in running:
                    result = job.step(share)
                    if result is not None:
                        with self._changed:
                            del self._running[index]
                            self._done[index] = result
                            self._changed.notify_all()
        except BaseException as error:  # never a silent hang in result()
            with self._changed:
                self._failure = error
                self._changed.notify_all()
