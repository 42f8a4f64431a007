"""Peak memory of reading one annex PDF, against its page count (issue 12):

    .venv/bin/python bench/memory.py [--pages 300]

Reads the 9-page facsimile and an annex-like PDF of `--pages` pages (the
facsimile's pages repeated, made with pypdfium2, which comes with pdfplumber)
in the reading worker, and prints each worker's peak resident memory and wall
time. The long one is not a valid annex (its matrix repeats), so it is refused
after reading; what is measured is the reading.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from readme_block import replace_block  # bench/: a script's own folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.limits import DEFAULT_LIMITS, LIMIT_BOUNDS  # noqa: E402
from pipeline.worker import read_in_worker  # noqa: E402

SOURCE = ROOT / "samples" / "facsimiles" / "facsimile-chromium-quarters.pdf"


def long_pdf(pages: int, path: Path) -> Path:
    import pypdfium2

    source = pypdfium2.PdfDocument(SOURCE)
    target = pypdfium2.PdfDocument.new()
    while len(target) < pages:
        take = min(len(source), pages - len(target))
        target.import_pages(source, list(range(take)))
    target.save(path)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--readme", action="store_true",
                        help="also write the figures into bench/README.md (its memory block)")
    args = parser.parse_args()
    # Time is not what is measured here: a shared machine may take long.
    limits = replace(DEFAULT_LIMITS, max_pages=max(args.pages, DEFAULT_LIMITS.max_pages),
                     max_seconds=LIMIT_BOUNDS.max_seconds)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        long = long_pdf(args.pages, Path(folder) / f"annex-{args.pages}-pages.pdf")
        for path, pages in ((SOURCE, 9), (long, args.pages)):
            result = read_in_worker(path, path.name, limits)
            rows.append({"file": path.name, "pages": pages, "size_kb": path.stat().st_size // 1024,
                         "peak_rss_mb": round(result.peak_rss_mb, 1),
                         "seconds": round(result.seconds, 1),
                         "outcome": "read" if result.ok else f"{result.stage}: {result.reason}"})
    result = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, CPython {platform.python_version()}",
        "runs": rows,
        "ratio_long_to_short": round(rows[1]["peak_rss_mb"] / rows[0]["peak_rss_mb"], 2),
    }
    print(json.dumps(result, indent=2))
    if args.readme:
        write_readme(result)
    return 0


START = "<!-- memory:results:start (written by bench/memory.py --readme) -->"
END = "<!-- memory:results:end -->"
TARGET_RATIO = 1.5  # issue 14: a 300-page annex at most 1.5x the peak of a 9-page one


def write_readme(result: dict) -> None:
    short, long = result["runs"]
    ratio = result["ratio_long_to_short"]
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    lines = [f"Run {result['date']} on {result['machine']} (`bench/memory.py --readme`), "
             "each PDF read in the reading worker:", "",
             "| PDF | pages | worker peak RSS | outcome |", "|---|---:|---:|---|",
             f"| {short['file']} | {short['pages']} | {short['peak_rss_mb']} MB | "
             f"{short['outcome']} |",
             f"| {long['file']} | {long['pages']} | {long['peak_rss_mb']} MB (**{ratio}x**) | "
             f"{long['outcome']} |", "",
             f"Target: at most {TARGET_RATIO}x: this run **{verdict}** it."]
    replace_block(ROOT / "bench" / "README.md", START, END, "\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
