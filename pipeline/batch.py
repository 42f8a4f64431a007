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
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.inputs import expand_inputs
from pipeline.lock import Busy, hold_lock
from pipeline.outfault import UnsafeOutput, describe, is_output_fault
from pipeline.publish import PublishError, Store
from pipeline.runlog import RunLog
from pipeline.safepath import check_store, prepare_out, project_umask
from pipeline.safetext import safe_text
from pipeline.sources import SourceManifest

if TYPE_CHECKING:  # extract imports pandas: not on the way to "nothing to do"
    from extract.limits import Limits

EXIT_OK = 0  # everything published, or nothing to do
EXIT_FAILED = 1  # at least one input failed (the others were still published)
EXIT_USAGE = 2  # bad command line (argparse)
EXIT_BUSY = 3  # another run holds the output folder's lock
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
              command: list[str] | None = None) -> int:
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
                    code = _locked_run(files, bool(errors), out_dir, debug_dir, limits, force,
                                       log)
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


def _locked_run(files: list[Path], failed: bool, out_dir: Path, debug_dir: Path | None,
                limits: Limits | None, force: bool, log: RunLog) -> int:
    store = Store(out_dir)
    try:
        store.link_entries()  # finishes a run that was killed right after publishing
        sources = store.read_sources()
    except (OSError, ValueError, KeyError, TypeError, PublishError) as error:
        if is_output_fault(error):
            raise  # run_batch: one line per input, EXIT_OUTPUT
        return _folder_failed(files, out_dir, f"cannot read what is published: {error}", log)
    todo: list[tuple[Path, str]] = []
    seen: dict[str, Path] = {}
    for path in files:
        try:
            # Limits hold for every input, processed before or not; extract.check_size
            # refuses such a file with its usual line (and it is not even hashed).
            if limits is not None and path.stat().st_size / 1_000_000 > limits.max_file_mb:
                todo.append((path, ""))
                continue
            sha256 = file_sha256(path)
        except OSError as error:
            line = f"{path}: input: cannot read the file: {error.strerror or error}"
            _say(line)
            log.input("failed", line)
            failed = True
            continue
        known = sources.find(sha256)
        if known is not None and not force:
            name = "" if known.file == path.name else f" as {known.file}"
            _unchanged(log, path, f"processed before{name} ({known.annex_id}, {known.role})")
        elif sha256 in seen:
            _unchanged(log, path, f"same content as {seen[sha256]}, given before in this run")
        else:
            seen[sha256] = path
            todo.append((path, sha256))
    if not todo:
        _say(f"nothing to do: no new or changed input; {out_dir} is unchanged", err=False)
        code = EXIT_FAILED if failed else EXIT_OK
        log.finish(code, "nothing to do", record=False)
        return code
    return _process_and_publish(todo, failed, out_dir, debug_dir, limits, store, sources, log)


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


def _process_and_publish(todo: list[tuple[Path, str]], failed: bool, out_dir: Path,
                         debug_dir: Path | None, limits: Limits | None, store: Store,
                         sources: SourceManifest, log: RunLog) -> int:
    from extract.limits import DEFAULT_LIMITS
    from pipeline.pause import pause
    from pipeline.progress import Progress
    from pipeline.publish import fsync_tree
    from pipeline.run import PUBLISHED, process_file
    from pipeline.snapshot import assemble

    try:
        snapshot = store.begin()
    except (OSError, PublishError) as error:
        if is_output_fault(error):
            raise  # run_batch: one line per input, EXIT_OUTPUT
        return _folder_failed([path for path, _ in todo], out_dir, str(error), log)
    done = []
    output_fault = False
    progress = Progress(len(todo))
    for index, (path, sha256) in enumerate(todo):
        progress.step(index, path)
        result = process_file(path, sha256, snapshot, sources, out_dir, debug_dir,
                              limits or DEFAULT_LIMITS)
        progress.close()
        if result.ok:
            done.append(result)
            log.input(result.outcome, result.message, annex_id=result.annex_id)
        else:
            failed = True
            output_fault = output_fault or result.output_fault
            _say(result.message)
            log.input("failed", result.message)
    code = EXIT_OUTPUT if output_fault else EXIT_FAILED if failed else EXIT_OK
    if not done:
        store.abandon(snapshot)
        log.finish(code, "nothing published", record=True, published=False)
        return code
    written = {r.annex_id for r in done if r.outcome == PUBLISHED}
    swapped = False
    try:
        assembled = assemble(snapshot, sources, store, written)
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
        code = EXIT_OUTPUT if fault else EXIT_FAILED
        log.finish(code, state, record=True, published=swapped)
        return code
    for result in done:
        _say(f"ok: {result.message}", err=False)
    for summary in assembled.changes:
        if summary.from_id in written or summary.to_id in written:
            _say(f"changes: {summary.line(out_dir)}", err=False)
    log.finish(code, f"published {snapshot.name}: {len(assembled.versions)} version(s)",
               record=True, published=True, snapshot=snapshot.name,
               versions=assembled.versions)
    return code
