"""Command line: `python -m pipeline run INPUT... --out DIR` (or `techniekpact run ...`)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extract.limits import DEFAULT_LIMITS, Limits
from pipeline.inputs import expand_inputs
from pipeline.run import process_file

EXIT_OK = 0
EXIT_FAILED = 1  # at least one input failed; the others were still processed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="techniekpact",
        description="Turn Techniekpact action annexes into validated Parquet and CSV tables.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="process annex files or folders of them")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help="annex file or folder")
    run.add_argument("--out", default="output", type=Path,
                     help="output folder (default: output/)")
    run.add_argument("--debug-images", type=Path, metavar="DIR",
                     help="write each PDF page as a PNG with what was read drawn over it")
    run.add_argument("--max-file-mb", type=float, default=DEFAULT_LIMITS.max_file_mb,
                     help="reject larger files (default: %(default)s)")
    run.add_argument("--max-pages", type=int, default=DEFAULT_LIMITS.max_pages,
                     help="reject PDFs with more pages (default: %(default)s)")
    run.add_argument("--max-seconds", type=float, default=DEFAULT_LIMITS.max_seconds,
                     help="stop a document that takes longer (default: %(default)s)")
    args = parser.parse_args(argv)
    limits = Limits(args.max_file_mb, args.max_pages, args.max_seconds)
    return run_batch(args.inputs, args.out, args.debug_images, limits)


def run_batch(inputs: list[str], out_dir: Path, debug_dir: Path | None = None,
              limits: Limits = DEFAULT_LIMITS) -> int:
    files, errors = expand_inputs(inputs)
    for line in errors:
        print(line, file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = bool(errors)
    published: dict[str, Path] = {}
    for path in files:
        result = process_file(path, out_dir, debug_dir, published, limits)
        if result.ok:
            print(f"ok: {result.message}")
        else:
            failed = True
            print(result.message, file=sys.stderr)
    return EXIT_FAILED if failed else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
