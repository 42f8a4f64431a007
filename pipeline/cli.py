"""Command line: `python -m pipeline run INPUT... --out DIR` (or `techniekpact run ...`).

Exit status: 0 done (or nothing to do), 1 at least one input failed, 2 bad
command line, 3 another run holds the output folder, 4 inputs that failed before
and have not changed were skipped, 5 the output folder failed (README: Exit status).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from pathlib import Path
from typing import NoReturn

from extract.limits import DEFAULT_LIMITS, Limits, check_limit
from pipeline import PIPELINE_VERSION
from pipeline.batch import (
    EXIT_BUSY,
    EXIT_FAILED,
    EXIT_OK,
    EXIT_OUTPUT,
    EXIT_QUARANTINED,
    run_batch,
)
from pipeline.identity import OverrideError, parse_flag

__all__ = ["EXIT_BUSY", "EXIT_FAILED", "EXIT_OK", "EXIT_OUTPUT", "EXIT_QUARANTINED", "main",
           "run_batch"]


def _limit(name: str, kind=float):
    """An argparse type: a number that is a real limit (0, negative, NaN, infinite
    or absurd would switch the limit off without saying so)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        try:
            return check_limit(name, value)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
    parse.__name__ = name
    return parse


# More reading processes than this is a typo, not a machine (each may use
# --max-memory-mb of memory).
MAX_WORKERS = 256


def _workers(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"must be 1 to {MAX_WORKERS}, not {value}")
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="techniekpact",
        description="Turn Techniekpact action annexes into validated Parquet and CSV tables.",
    )
    parser.add_argument("--version", action="version", version=f"techniekpact {PIPELINE_VERSION}")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser(
        "run", help="process annex files or folders of them",
        description="Process the new or changed inputs and publish them, with the history "
                    "of all versions and the changes between them, in one step. Exit status: "
                    "0 done or nothing to do, 1 an input failed, 2 bad command line, "
                    "3 another run holds the output folder, 4 inputs that failed before and "
                    "have not changed were skipped, 5 the output folder failed (read-only, "
                    "full, a file-size limit, a link it did not make).")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="annex file or folder")
    run.add_argument("--out", default="output", type=Path,
                     help="output folder (default: output/)")
    run.add_argument("--debug-images", type=Path, metavar="DIR",
                     help="write each PDF page as a PNG with what was read drawn over it")
    run.add_argument("--max-file-mb", type=_limit("max_file_mb"),
                     default=DEFAULT_LIMITS.max_file_mb,
                     help="reject larger files (default: %(default)s)")
    run.add_argument("--max-pages", type=_limit("max_pages", int),
                     default=DEFAULT_LIMITS.max_pages,
                     help="reject PDFs with more pages (default: %(default)s)")
    run.add_argument("--max-seconds", type=_limit("max_seconds"),
                     default=DEFAULT_LIMITS.max_seconds,
                     help="stop reading a document that takes longer (default: %(default)s)")
    run.add_argument("--max-memory-mb", type=_limit("max_memory_mb"),
                     default=DEFAULT_LIMITS.max_memory_mb,
                     help="address space of the process reading one document "
                          "(default: %(default)s)")
    run.add_argument("--max-output-mb", type=_limit("max_output_mb"),
                     default=DEFAULT_LIMITS.max_output_mb,
                     help="size of the tables read from one document (default: %(default)s)")
    run.add_argument("--force", action="store_true",
                     help="process every input again, even those processed before")
    run.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                     help="when another run is working on --out, wait this long for it "
                          "before giving up with exit status 3 (default: %(default)s)")
    run.add_argument("--retry-failed", action="store_true",
                     help="process inputs that failed before again, although they have not "
                          "changed (they are skipped otherwise, exit status 4)")
    run.add_argument("--version-date", action="append", default=[], metavar="FILE=DATE",
                     help="the version date of input FILE (its name or path), YYYY-MM-DD or "
                          "YYYY-MM, instead of the date the document states; repeatable. "
                          "A sidecar FILE.version.json {\"version_date\": ...} does the same")
    run.add_argument("--workers", type=_workers, default=None, metavar="N",
                     help="documents read side by side, each in its own worker process "
                          "(default: one per core this process may use)")
    args = parser.parse_args(argv)
    try:
        version_dates = parse_flag(args.version_date)
    except OverrideError as error:
        parser.error(str(error))
    limits = Limits(args.max_file_mb, args.max_pages, args.max_seconds, args.max_memory_mb,
                    args.max_output_mb)
    command = list(sys.argv[1:] if argv is None else argv)
    return run_batch(args.inputs, args.out, args.debug_images, limits, args.force, args.wait,
                     command, args.retry_failed, version_dates, args.workers)


def exit_now(code: int) -> NoReturn:
    """End the process without the interpreter's teardown.

    A run that validated has ~230k great-expectations objects alive (module
    globals, the context, pydantic models); tearing the interpreter down walks
    and frees every one of them, about half a second (bench/README.md, teardown)
    of work whose result is thrown away. Everything a run writes is written and
    closed (and the snapshot fsynced) before main returns; a closed file's data is
    the kernel's, kept whether the process ends by exit() or by _exit(), so only
    Python's own buffers need flushing: stdout and stderr. The forkserver and the
    resource tracker see their pipe close and end themselves."""
    for stream in (sys.stdout, sys.stderr):
        # A closed or broken pipe: nothing more can be said anyway.
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


def entry() -> NoReturn:
    """The installed `techniekpact` command and `python -m pipeline`."""
    exit_now(main())


if __name__ == "__main__":
    entry()
