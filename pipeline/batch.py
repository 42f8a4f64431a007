"""One run over a batch of inputs: lock, find what is new, process it, publish, log.

A run is one transaction on the output folder: every input is processed into a
new snapshot, and the snapshot is published in one step at the end (see
pipeline.publish). What a run has already seen is recognised by content hash
before anything heavy is imported, so a run with nothing new costs a few hashes.
"""

from __future__ import annotations

import contextlib
import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.identity import Override, OverrideError, override_for
from pipeline.inputs import expand_inputs
from pipeline.lock import Busy, hold_lock
from pipeline.outfault import UnsafeOutput, describe, is_output_fault
from pipeline.publish import PublishError, Store
from pipeline.quarantine import Quarantine, Quarantined, summary_line
from pipeline.runlog import RUNS_FOLDER, RunLog, utc_now
from pipeline.safepath import check_store, prepare_out, project_umask
from pipeline.safetext import safe_name, safe_text
from pipeline.sources import SourceManifest

if TYPE_CHECKING:  # extract imports pandas: not on the way to "nothing to do"
    from extract.limits import Limits

EXIT_OK = 0  # everything published, or nothing to do
EXIT_FAILED = 1  # at least one input failed (the others were still published)
EXIT_USAGE = 2  # bad command line (argparse)
EXIT_BUSY = 3  # another run holds the output folder's lock
EXIT_QUARANTINED = 4  # nothing new failed, but inputs that failed before were skipped
EXIT_OUTPUT = 5  # the output folder failed: read-only, full, a size limit, a planted link
HASH_CHUNK = 1 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def run_batch(inputs: list[str], out_dir: Path, debug_dir: Path | None = None,
              limits: Limits | None = None, force: bool = False, wait_seconds: float = 0.0,
              command: list[str] | None = None, retry_failed: bool = False,
              version_dates: dict[str, str] | None = None, workers: int | None = None) -> int:
    files, errors = expand_inputs(inputs)
    with project_umask():  # the project's modes for everything made, whatever the umask
        try:
            out_dir = prepare_out(out_dir)
            check_store(out_dir)  # before anything in it is touched
            log = RunLog.start(out_dir, command or ["run", *inputs, "--out", str(out_dir)])
        except (OSError, UnsafeOutput) as error:
            return _output_failed(files or [Path(a) for a in inputs], out_dir, error, None)
        try:
            for line in errors:
                _say(line)
                log.input("failed", line)
            try:
                with hold_lock(out_dir, wait_seconds):
                    options = _Options(debug_dir, limits, force, retry_failed,
                                       version_dates or {}, workers)
                    code = _locked_run(files, bool(errors), out_dir, options, log)
                return _log_checked(code, log, out_dir)
            except Busy as busy:
                _say(str(busy))
                log.finish(EXIT_BUSY, "busy: another run holds the lock", record=False)
                return EXIT_BUSY
        except (OSError, UnsafeOutput) as error:
            if not is_output_fault(error):
                raise
            return _output_failed(files, out_dir, error, log)


def _log_checked(code: int, log: RunLog, out_dir: Path) -> int:
    """A run whose log could not be written ends with one line saying so (unless an
    output fault was already reported for every input)."""
    if log.fault is None or code == EXIT_OUTPUT:
        return code
    _say(f"{out_dir}: log: {describe(log.fault)}; the lines above are all that is "
         "known of this run")
    return EXIT_OUTPUT


def _say(line: str, err: bool = True) -> None:
    """One line, whatever bytes the file names in it hold."""
    print(safe_text(line), file=sys.stderr if err else sys.stdout)


def _output_failed(paths: list[Path], out_dir: Path, error: BaseException,
                   log: RunLog | None) -> int:
    """The output folder failed (EXIT_OUTPUT): one line per input. What is published
    stays as it was: only the swap publishes, and it is atomic."""
    reason = describe(error)
    for path in paths or [out_dir]:
        _say(f"{path}: output: {reason}; {out_dir}: published output unchanged")
    if log is not None:
        with contextlib.suppress(OSError):  # the log is on the failing folder
            log.finish(EXIT_OUTPUT, reason, record=False)
    return EXIT_OUTPUT


@dataclass(frozen=True)
class _Options:
    debug_dir: Path | None
    limits: Limits | None
    force: bool
    retry_failed: bool
    version_dates: dict[str, str]
    workers: int | None = None  # reading processes side by side; None: one per core


@dataclass(frozen=True)
class BatchSettings:
    # Documents validated together in one set of GX runs (validate.run): GX costs
    # per expectation and run, not per row, so a batch pays it once per chunk.
    # Bounds the tables held in memory at once, with the pool's read-ahead.
    validation_chunk: int = 25


SETTINGS = BatchSettings()


def _exit_code(failed: bool, skipped: list) -> int:
    if failed:
        return EXIT_FAILED
    return EXIT_QUARANTINED if skipped else EXIT_OK


def _report_quarantined(skipped: list[tuple[Path, Quarantined]], out_dir: Path,
                        log: RunLog) -> None:
    if skipped:
        # stdout: a known failure is not news; cron (stdout dropped) mails only the first
        # time, when the failure itself was on stderr. Exit status 4 still tells.
        line = summary_line(skipped, out_dir / RUNS_FOLDER)
        _say(line, err=False)
        log.input("quarantined", line)


def _locked_run(files: list[Path], failed: bool, out_dir: Path, options: _Options,
                log: RunLog) -> int:
    limits, force = options.limits, options.force
    store = Store(out_dir)
    quarantine = Quarantine.read(out_dir / RUNS_FOLDER)
    skipped: list[tuple[Path, Quarantined]] = []
    try:
        store.link_entries()  # finishes a run that was killed right after publishing
        sources = store.read_sources()
    except (OSError, ValueError, KeyError, TypeError, PublishError) as error:
        if is_output_fault(error):
            raise  # run_batch: one line per input, EXIT_OUTPUT
        return _folder_failed(files, out_dir, f"cannot read what is published: {error}", log)
    todo: list[tuple[Path, str, Override | None]] = []
    seen: dict[str, Path] = {}
    for path in files:
        try:
            override = override_for(path, options.version_dates)
        except OverrideError as error:
            line = f"{path}: input: {error}"
            _say(line)
            log.input("failed", line)
            failed = True
            continue
        try:
            # Limits hold for every input, processed before or not; extract.check_size
            # refuses such a file with its usual line (and it is not even hashed).
            if limits is not None and path.stat().st_size / 1_000_000 > limits.max_file_mb:
                todo.append((path, "", override))
                continue
            sha256 = file_sha256(path)
        except OSError as error:
            line = f"{path}: input: cannot read the file: {error.strerror or error}"
            _say(line)
            log.input("failed", line)
            failed = True
            continue
        known = sources.find(sha256)
        held = quarantine.find(sha256)
        # A new override date is a new identity for the same bytes: process it again.
        same_identity = override is None or (known is not None
                                             and override.version_date == known.version_date)
        if held is not None and not (options.retry_failed or force):
            skipped.append((path, held))
        elif known is not None and not force and same_identity:
            name = "" if known.file == path.name else f" as {known.file}"
            _unchanged(log, path, f"processed before{name} ({known.annex_id}, {known.role})")
        elif sha256 in seen:
            _unchanged(log, path, f"same content as {seen[sha256]}, given before in this run")
        else:
            seen[sha256] = path
            todo.append((path, sha256, override))
    if not todo:
        _say(f"nothing to do: no new or changed input; {out_dir} is unchanged", err=False)
        _report_quarantined(skipped, out_dir, log)
        code = _exit_code(failed, skipped)
        log.finish(code, "nothing to do", record=False)
        return code
    try:
        return _process_and_publish(todo, failed, out_dir, options, store, sources, log,
                                    quarantine, skipped)
    finally:
        store.settle()  # the older snapshot, removed while the run worked


def _folder_failed(paths: list[Path], out_dir: Path, reason: str, log: RunLog) -> int:
    """The output folder, not an input, is the problem: still one line per input."""
    for path in paths:
        line = f"{path}: publish: {reason}; nothing published in {out_dir}"
        _say(line)
        log.input("failed", line)
    log.finish(EXIT_FAILED, reason, record=True, published=False)
    return EXIT_FAILED


def _unchanged(log: RunLog, path: Path, reason: str) -> None:
    _say(f"unchanged: {path}: {reason}", err=False)
    log.input("unchanged", f"{path}: {reason}")


def _save(quarantine: Quarantine, log: RunLog) -> None:
    try:
        quarantine.save()
    except OSError as error:  # the list is a convenience; the run's outcome stands
        log.line("note", f"could not update {quarantine.path}: {error.strerror or error}")


def _published_actions(snapshot: Path, store: Store, previous: dict[str, str]):
    """A revision's actions: from this run's snapshot if it wrote them, else from
    the published one (under the id it is published as)."""
    import pyarrow.parquet as pq

    from pipeline.sources import Source, tables_folder

    def actions(revision: Source) -> list[dict]:
        folder = tables_folder(snapshot, revision.sha256)
        if not folder.is_dir():
            folder = store.version_folder(previous[revision.sha256])
        return pq.read_table(folder / "actions.parquet").to_pylist()

    return actions


def _validate_together(reads: dict) -> dict:
    """The validations of the documents read (validate.validate_many: shared GX
    runs), by index. Any error here and each file is validated alone instead, in
    pipeline.run, where an error becomes that file's one line."""
    from validate import validate_many

    readable = [index for index, read in reads.items() if read.ok]
    if len(readable) < 2:
        return {}
    try:
        validations = validate_many([reads[index].tables for index in readable])
    except Exception:  # noqa: BLE001 - redone file by file, where it is reported
        return {}
    return dict(zip(readable, validations, strict=True))


def _process_and_publish(todo: list[tuple[Path, str, Override | None]], failed: bool,
                         out_dir: Path, options: _Options, store: Store,
                         sources: SourceManifest, log: RunLog, quarantine: Quarantine,
                         skipped: list[tuple[Path, Quarantined]]) -> int:
    from extract.limits import DEFAULT_LIMITS
    from pipeline.pause import pause
    from pipeline.progress import Progress
    from pipeline.publish import fsync_tree
    from pipeline.run import process_file
    from pipeline.snapshot import assemble
    from pipeline.worker_pool import ReadPool, machine_workers

    try:
        snapshot = store.begin()
    except (OSError, PublishError) as error:
        if is_output_fault(error):
            raise  # run_batch: one line per input, EXIT_OUTPUT
        return _folder_failed([path for path, _, _ in todo], out_dir, str(error), log)
    from validate import preload

    preload()  # GX's import while the documents are read (another core)
    done = []
    hashes: dict[Path, str] = {}
    output_fault = False
    progress = Progress(len(todo))
    previous = {s.sha256: s.annex_id for s in sources.versions()}  # as published now
    published = _published_actions(snapshot, store, previous)
    limits = options.limits or DEFAULT_LIMITS
    workers = options.workers or machine_workers()
    # One worker: each file read, validated and written in turn (the serial run).
    # More: read in a pool, validated a chunk at a time, placed and written in turn;
    # the same outcome and bytes (tests/test_batch.py), in input order.
    chunk = 1 if workers == 1 else SETTINGS.validation_chunk
    documents = [(path, safe_name(path)) for path, _, _ in todo]
    with ReadPool(documents, limits, options.debug_dir, workers) as pool:
        for start in range(0, len(todo), chunk):
            part = list(range(start, min(len(todo), start + chunk)))
            reads = {index: pool.result(index) for index in part}
            validated = _validate_together(reads) if chunk > 1 else {}
            for index in part:
                path, sha256, override = todo[index]
                progress.step(index, path)
                result = process_file(path, sha256, snapshot, sources, out_dir,
                                      options.debug_dir, limits, override, published,
                                      reads.pop(index), validated.pop(index, None))
                progress.close()
                if result.ok:
                    done.append(result)
                    hashes[result.path] = sha256
                    log.input(result.outcome, result.message, annex_id=result.annex_id)
                else:
                    failed = True
                    _say(result.message)
                    log.input("failed", result.message)
                    if result.output_fault:
                        # The output folder failed, not the input: not the file's fault
                        # to remember.
                        output_fault = True
                    else:
                        quarantine.add(sha256, safe_text(path.name), result.stage,
                                       result.message, log.path.name, utc_now())
    _report_quarantined(skipped, out_dir, log)
    code = EXIT_OUTPUT if output_fault else _exit_code(failed, skipped)
    if not done:
        store.abandon(snapshot)
        _save(quarantine, log)
        log.finish(code, "nothing published", record=True, published=False)
        return code
    swapped = False
    try:
        assembled = assemble(snapshot, sources, store, previous)
        fsync_tree(snapshot)
        store.check_room(snapshot)
        pause("staged")
        store.swap(snapshot)
        swapped = True
        pause("swapped")
        store.link_entries()
    except Exception as error:  # whatever it was, the published output must stay whole
        if not swapped:
            store.abandon(snapshot)
        fault = is_output_fault(error)
        reason = str(error) if isinstance(error, PublishError) else describe(error) if fault \
            else f"{type(error).__name__}: {error}"
        state = ("published; the links beside it are made by the next run" if swapped
                 else "nothing published")
        for result in done:  # one line per input, as for any other failure
            line = f"{result.path}: publish: {reason}; {state}"
            _say(line)
            log.input("failed", line)
        _save(quarantine, log)
        code = EXIT_OUTPUT if fault else EXIT_FAILED
        log.finish(code, state, record=True, published=swapped)
        return code
    for result in done:  # published (or recorded): no longer a failed input
        quarantine.release(hashes[result.path])
    _save(quarantine, log)
    for result in done:
        _say(f"ok: {result.message}", err=False)
    for summary in assembled.changes:
        if summary.from_id in assembled.touched or summary.to_id in assembled.touched:
            _say(f"changes: {summary.line(out_dir)}", err=False)
    log.finish(code, f"published {snapshot.name}: {len(assembled.versions)} version(s)",
               record=True, published=True, snapshot=snapshot.name,
               versions=assembled.versions)
    return code
