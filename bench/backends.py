r"""Backends, measured (issue 14): pdfplumber and pypdfium2 reading the same things from the
same layouts, and the reader's own time against both floors.

For every layout PDF (`--from`, default /work/layouts200) in one process, alternately:

- **pdfplumber floor**: open, every page's `chars` and `rects` (bench/pdf_extraction.py);
- **pdfplumber read**: what the reader takes from pdfplumber: `chars`, `rects`, `curves`,
  `lines` of every page, in the orientation the reader reads it (extract.pdf_annex.upright);
- **pypdfium2 read**: the same information from PDFium (it comes with pdfplumber): every
  character with its box, every path object's bounds, fill mode and fill colour;
- **reader**: `extract.read_annex` (pdfplumber), whole extract stage.

Accuracy is pypdfium2's answer against pdfplumber's, per part, on every page:
- *char text*: the page's non-blank characters, in order, equal;
- *char x* / *char y*: of the chars of pages whose text is equal, the share whose left and
  right (x) or top and bottom (y) edges agree within `--tolerance` pt;
- *fill bounds*: the coloured filled shapes (the timeline cells: `is_colourful`) found at the
  same bounds (within the tolerance), counted both ways;
- *fill class*: of those, the share whose colour gets the same timeline class
  (`extract.pdf_colour.classify`, hue classes); *fill as read*: the same colour description
  (`cmyk(0,0,1,0)`, which the IR carries in `timeline_cells.colour`).

    PYTHONPATH=. .venv/bin/python bench/backends.py --from /work/layouts200 [--minutes 20]

Rewrites its section of bench/README.md (unless --no-readme).
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import json
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from readme_block import replace_block  # bench/: a script's own folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pdf_extraction as base  # noqa: E402  (machine line, floor, README path)

START = "<!-- backends:results:start (written by bench/backends.py) -->"
END = "<!-- backends:results:end -->"
CHAR_REACH = 2.0  # pt: the same character of the two backends lies within this of each other
TARGET_RATIO = 1.5  # issue 14 / issue 9: extract stage at most 1.5x the read floor per page


@dataclass
class Page:
    chars: list[tuple[str, float, float, float, float]]  # text, x0, x1, top, bottom
    fills: list[tuple[float, float, float, float, object]]  # x0, x1, top, bottom, colour


@dataclass
class One:
    name: str
    producer: str
    pages: int
    floor_s: float = 0.0
    plumber_s: float = 0.0
    pdfium_s: float = 0.0
    reader_s: float | None = None
    counts: dict = field(default_factory=lambda: defaultdict(int))


# --- pdfplumber ------------------------------------------------------------------------------

def plumber_read(path: Path) -> list[Page]:
    import pdfplumber

    from extract.pdf_annex import upright
    from extract.pdf_page import release_page

    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            read = upright(page)
            chars = [(c["text"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in read.chars]
            shapes = list(read.rects) + [c for c in read.curves if c.get("fill")]
            _ = read.lines
            fills = [(s["x0"], s["x1"], s["top"], s["bottom"], s.get("non_stroking_color"))
                     for s in shapes if s.get("fill")]
            pages.append(Page(chars, fills))
            if read is not page:
                release_page(read)
            release_page(page)
    return pages


# --- pypdfium2 -------------------------------------------------------------------------------

def pdfium_read(path: Path) -> list[Page]:
    """Chars with boxes and filled paths with their colour, in pdfplumber's coordinates
    of the page as drawn (x from the media box's left, top from its top). A page with
    /Rotate is read as drawn too, which is how the reader reads the generated layouts
    (their text is written upright and turned for viewing)."""
    import pypdfium2
    import pypdfium2.raw as raw

    pages = []
    document = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            x0m, y0m, x1m, y1m = page.get_mediabox()
            # PDFium's page coordinates start at the media box's lower left corner.
            height = y1m - y0m
            text = page.get_textpage()
            chars = []
            box = raw.FS_RECTF()
            for i in range(text.count_chars()):
                code = raw.FPDFText_GetUnicode(text.raw, i)
                if raw.FPDFText_IsGenerated(text.raw, i) == 1:
                    continue
                # The loose box (advance width, font ascent to descent) is what pdfminer
                # gives; the tight one is the glyph's ink.
                raw.FPDFText_GetLooseCharBox(text.raw, i, box)
                chars.append((chr(code) if code else "", box.left, box.right,
                              height - box.top, height - box.bottom))
            fills = []
            r, g, b, a = (ctypes.c_uint() for _ in range(4))
            mode, stroke = ctypes.c_int(), ctypes.c_int()
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH]):
                raw.FPDFPath_GetDrawMode(obj.raw, mode, stroke)
                if mode.value == 0:
                    continue
                ox0, oy0, ox1, oy1 = obj.get_bounds()
                raw.FPDFPageObj_GetFillColor(obj.raw, r, g, b, a)
                fills.append((ox0, ox1, height - oy1, height - oy0,
                              (r.value / 255, g.value / 255, b.value / 255)))
            text.close()
            page.close()
            pages.append(Page(chars, fills))
    finally:
        document.close()
    return pages


def pdfium_floor(path: Path) -> int:
    return sum(len(p.chars) + len(p.fills) for p in pdfium_read(path))


# --- comparison ------------------------------------------------------------------------------

def _buckets(items: list[tuple], key) -> dict:
    found: dict = defaultdict(list)
    for item in items:
        found[key(item)].append(item)
    return found


def _match(item: tuple, buckets: dict, key, near) -> tuple | None:
    """The nearest unmatched item of the other backend in this or a neighbouring bucket."""
    kind, row = key(item)
    candidates = [other for r in (row - 1, row, row + 1) for other in buckets.get((kind, r), ())
                  if near(item, other)]
    if not candidates:
        return None
    best = min(candidates, key=lambda other: sum(abs(item[i] - other[i]) for i in range(1, 5)))
    buckets[key(best)].remove(best)
    return best


def compare(ours: list[Page], theirs: list[Page], tolerance: float, counts: dict) -> None:
    """Chars are matched by their text and place (PDFium's text page has its own order),
    within `CHAR_REACH` pt of left edge and top; fills by their bounds (within the
    tolerance). Then: equal edges, and equal colours."""
    from extract.pdf_colour import classify, read_fill

    def char_key(c):
        return (c[0], int(c[3] // CHAR_REACH))

    def char_near(a, b):
        return abs(a[1] - b[1]) <= CHAR_REACH and abs(a[3] - b[3]) <= CHAR_REACH

    def fill_key(f):
        return ("fill", int(f[2] // CHAR_REACH))

    def fill_near(a, b):
        return all(abs(a[i] - b[i]) <= tolerance for i in range(4))

    for mine, other in zip(ours, theirs, strict=False):
        a = [c for c in mine.chars if c[0].strip()]
        b = _buckets([c for c in other.chars if c[0].strip()], char_key)
        other_count = sum(map(len, b.values()))
        counts["pages"] += 1
        counts["chars"] += len(a)
        counts["chars_other"] += other_count
        found = 0
        for char in a:
            match = _match(char, b, char_key, char_near)
            if match is None:
                continue
            found += 1
            counts["chars_x_equal"] += abs(char[1] - match[1]) <= tolerance and \
                abs(char[2] - match[2]) <= tolerance
            counts["chars_y_equal"] += abs(char[3] - match[3]) <= tolerance and \
                abs(char[4] - match[4]) <= tolerance
        counts["chars_found"] += found
        counts["pages_text_equal"] += found == len(a) == other_count
        # Every filled shape: the reader takes the timeline cells, the legend swatches
        # and (grey legends) grey cells from them.
        fills = _buckets(list(other.fills), fill_key)
        counts["fills"] += len(mine.fills)
        counts["fills_other"] += len(other.fills)
        for fill in mine.fills:
            match = _match_fill(fill, fills, fill_key, fill_near)
            if match is None:
                continue
            counts["fills_found"] += 1
            mine_fill, other_fill = read_fill(fill[4]), read_fill(match[4])
            counts["fills_class_equal"] += classify(mine_fill) == classify(other_fill)
            counts["fills_read_equal"] += mine_fill.description == other_fill.description
    counts["pages_missing"] += abs(len(ours) - len(theirs))


def _match_fill(fill: tuple, buckets: dict, key, near) -> tuple | None:
    kind, row = key(fill)
    candidates = [other for r in (row - 1, row, row + 1) for other in buckets.get((kind, r), ())
                  if near(fill, other)]
    if not candidates:
        return None
    best = min(candidates, key=lambda other: sum(abs(fill[i] - other[i]) for i in range(4)))
    buckets[key(best)].remove(best)
    return best


def timed(function, path: Path) -> tuple[float, object]:
    gc.collect()
    start = time.process_time()
    out = function(path)
    return time.process_time() - start, out


def run_one(pdf: Path, tolerance: float, with_reader: bool) -> One:
    from extract import read_annex
    from ir import StageError

    truth = pdf.with_suffix(".truth.json")
    producer = json.loads(truth.read_text())["layout"]["producer"] if truth.exists() else "?"
    one = One(pdf.stem, producer, 0)
    one.floor_s, _ = timed(base.floor, pdf)
    one.plumber_s, ours = timed(plumber_read, pdf)
    one.pdfium_s, theirs = timed(pdfium_read, pdf)
    one.pages = len(ours)
    if with_reader:
        try:
            one.reader_s, _ = timed(read_annex, pdf)
        except StageError:
            one.reader_s = None  # refused: its time is not an extract time
    compare(ours, theirs, tolerance, one.counts)
    return one


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "-"


def report(results: list[One], tolerance: float, started: datetime, command: str,
           pool: int) -> list[str]:
    per_page = lambda attr: statistics.median(getattr(o, attr) / o.pages for o in results)  # noqa: E731
    read = [o for o in results if o.reader_s]
    ratio = lambda a, b, group: statistics.median(getattr(o, a) / getattr(o, b) for o in group)  # noqa: E731
    lines = [f"Run {started:%Y-%m-%d %H:%M} UTC, {len(results)} of {pool} layouts, command "
             f"`{command}`. CPU time (process_time) per PDF, one process.", "",
             *base.machine(None), "",
             "| per page, median over the layouts | ms CPU | x pdfplumber floor |",
             "|---|---:|---:|",
             f"| pdfplumber floor: `chars` + `rects` | {1000 * per_page('floor_s'):.0f} | 1.00 |",
             f"| pdfplumber: chars, rects, curves, lines (what the reader takes) | "
             f"{1000 * per_page('plumber_s'):.0f} | {ratio('plumber_s', 'floor_s', results):.2f} |",
             f"| pypdfium2: chars with boxes, path bounds, fill mode and colour | "
             f"{1000 * per_page('pdfium_s'):.1f} | {ratio('pdfium_s', 'floor_s', results):.3f} |"]
    if read:
        lines.append(f"| **reader** `extract.read_annex` ({len(read)} read) | "
                     f"{1000 * statistics.median(o.reader_s / o.pages for o in read):.0f} | "
                     f"**{ratio('reader_s', 'floor_s', read):.2f}** |")
    lines += ["", "Per producer, median of per-layout ratios (reader / pdfplumber floor; "
              "pypdfium2 read / pdfplumber floor):", ""]
    by: dict[str, list[One]] = defaultdict(list)
    for o in results:
        by[o.producer].append(o)
    lines += ["| producer | layouts | reader / floor | pypdfium2 / floor |", "|---|---:|---:|---:|"]
    for producer, group in sorted(by.items()):
        got = [o for o in group if o.reader_s]
        lines.append(f"| {producer} | {len(group)} | "
                     f"{ratio('reader_s', 'floor_s', got) if got else float('nan'):.2f} | "
                     f"{ratio('pdfium_s', 'floor_s', group):.3f} |")
    if read:
        median = ratio("reader_s", "floor_s", read)
        verdict = "meets" if median <= TARGET_RATIO else "misses"
        lines += ["", f"Reader against the pdfplumber floor: **{median:.2f}x**"
                  f" median ({verdict} the {TARGET_RATIO}x target); against the pypdfium2 read "
                  f"of the same information: {ratio('reader_s', 'pdfium_s', read):.0f}x."]
    total: dict[str, int] = defaultdict(int)
    layouts_all: dict[str, int] = defaultdict(int)
    for o in results:
        c = o.counts
        for k, v in c.items():
            total[k] += v
        layouts_all["text"] += c["pages_text_equal"] == c["pages"] and not c["pages_missing"]
        layouts_all["x"] += c["chars_x_equal"] == c["chars"]
        layouts_all["y"] += c["chars_y_equal"] == c["chars"]
        layouts_all["fills"] += c["fills_found"] == c["fills"] == c["fills_other"]
        layouts_all["class"] += c["fills_class_equal"] == c["fills"] == c["fills_other"]
        layouts_all["read"] += c["fills_read_equal"] == c["fills"] == c["fills_other"]
    n = len(results)
    lines += ["", f"Accuracy: pypdfium2's answer against pdfplumber's (tolerance {tolerance} pt), "
              "and the layouts where it is the same on every page:", "",
              "| part | agreeing | layouts all equal |", "|---|---:|---:|",
              f"| chars found (same text within {CHAR_REACH:g} pt) | "
              f"{share(total['chars_found'], total['chars'])} of {total['chars']:,} "
              f"(pypdfium2 reports {total['chars_other']:,}); pages with every char found both "
              f"ways: {share(total['pages_text_equal'], total['pages'])} | "
              f"{layouts_all['text']} / {n} |",
              f"| char x (left, right edge) | {share(total['chars_x_equal'], total['chars_found'])}"
              f" of those found | {layouts_all['x']} / {n} |",
              f"| char y (top, bottom edge) | {share(total['chars_y_equal'], total['chars_found'])}"
              f" of those found | {layouts_all['y']} / {n} |",
              f"| filled shapes, bounds | {total['fills_found']:,} of {total['fills']:,} found "
              f"(pypdfium2 reports {total['fills_other']:,}) | {layouts_all['fills']} / {n} |",
              f"| fill class (looptijd / mijlpaal / ...) | "
              f"{share(total['fills_class_equal'], total['fills_found'])} | "
              f"{layouts_all['class']} / {n} |",
              f"| fill as read (colour space and components) | "
              f"{share(total['fills_read_equal'], total['fills_found'])} | "
              f"{layouts_all['read']} / {n} |"]
    return lines


def write_readme(section: str) -> None:
    replace_block(base.README, START, END, section)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source", type=Path, default=Path("/work/layouts200"))
    parser.add_argument("--limit", type=int, default=None, help="the first N layouts only")
    parser.add_argument("--minutes", type=float, default=None,
                        help="stop starting new layouts after this many minutes (wall)")
    parser.add_argument("--tolerance", type=float, default=0.05)
    parser.add_argument("--no-reader", action="store_true")
    parser.add_argument("--shard", default="1/1",
                        help="K/N: every N-th layout from the K-th (runs in parallel)")
    parser.add_argument("--json", type=Path, help="also write each layout's figures here")
    parser.add_argument("--report-from", type=Path, nargs="+",
                        help="no run: the report of the --json files of earlier (shard) runs")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    started = datetime.now(UTC)
    command = " ".join(["bench/backends.py", *sys.argv[1:]])
    if args.report_from:
        return _report_from(args, command)
    pdfs = sorted(args.source.glob("layout-*.pdf"))
    pdfs = [p for p in pdfs if p.with_suffix(".truth.json").exists()][:args.limit]
    pool = len(pdfs)
    shard, shards = (int(v) for v in args.shard.split("/"))
    pdfs = pdfs[shard - 1::shards]
    if not pdfs:
        print(f"no layout-*.pdf with its truth in {args.source}", file=sys.stderr)
        return 1
    from extract.pdf_annex import read_pdf  # noqa: F401  (imports and installs outside the timing)
    from extract.pdf_indexed import install as indexed
    from extract.pdf_pattern import install as pattern

    indexed()
    pattern()
    base.floor(pdfs[0])  # warm: imports, the OS file cache
    pdfium_read(pdfs[0])
    results = []
    for index, pdf in enumerate(pdfs, 1):
        if args.minutes and (datetime.now(UTC) - started).total_seconds() > 60 * args.minutes:
            print(f"time budget of {args.minutes} min spent: {len(results)} layouts", flush=True)
            break
        one = run_one(pdf, args.tolerance, not args.no_reader)
        results.append(one)
        if args.json:
            args.json.write_text(json.dumps({"pool": pool, "started": started.isoformat(),
                                             "tolerance": args.tolerance,
                                             "results": [_plain(o) for o in results]}))
        c = one.counts
        print(f"[{index}/{len(pdfs)}] {one.name}: floor {one.floor_s:.2f}s plumber "
              f"{one.plumber_s:.2f}s pdfium {one.pdfium_s:.3f}s reader "
              f"{one.reader_s or 0:.2f}s; text {c['pages_text_equal']}/{c['pages']} pages, "
              f"chars found {c['chars_found']}/{c['chars']}/{c['chars_other']}, x "
              f"{c['chars_x_equal']}, y {c['chars_y_equal']}, fills {c['fills_found']}/"
              f"{c['fills']}/{c['fills_other']}, "
              f"read {c['fills_read_equal']}", flush=True)
    section = "\n".join(report(results, args.tolerance, started, command, pool))
    print(section)
    if not args.no_readme:
        write_readme(section)
    return 0


def _plain(one: One) -> dict:
    return {**one.__dict__, "counts": dict(one.counts)}


def _report_from(args, command: str) -> int:
    results, pool, started, tolerance = [], 0, None, args.tolerance
    for path in args.report_from:
        data = json.loads(path.read_text())
        pool, tolerance = data["pool"], data["tolerance"]
        begun = datetime.fromisoformat(data["started"])
        started = begun if started is None else min(started, begun)
        for item in data["results"]:
            counts = defaultdict(int, item.pop("counts"))
            results.append(One(**item, counts=counts))
    results.sort(key=lambda o: o.name)
    section = "\n".join(report(results, tolerance, started, command, pool))
    print(section)
    if not args.no_readme:
        write_readme(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
