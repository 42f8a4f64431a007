r"""Layout sweep: our PDF reader on many generated layouts, per producer and per layout choice.

Generates N layouts (python -m facsimile.layouts, seeds S..S+N-1) into a temporary folder,
or reads an existing folder of layout-*.pdf + .truth.json (--from), then for every PDF in
one process: our reader (extract.read_annex) scored by facsimile.score (field accuracy,
timeline-cell accuracy, complete matrix rows), pdfplumber `extract_tables()` complete
matrix rows, camelot lattice complete rows (optional, its own venv as in
bench/pdf_extraction.py), and time per page of our reader against the pdfplumber read
floor (open every page, read chars and rects). Rewrites the sweep section of
bench/README.md.

    make layout-sweep N=200
    PYTHONPATH=. .venv/bin/python bench/layout_sweep.py --from /work/layouts
    PYTHONPATH=. .venv/bin/python bench/layout_sweep.py --count 50 \
        --camelot-python /tmp/camelot-venv/bin/python
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from readme_block import replace_block  # bench/: a script's own folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pdf_extraction as base  # noqa: E402  (the single-file bench's timing and camelot)

# choices added in generations 2 and 3 (an older truth has none: their legacy value counts)
from facsimile.layouts.options import LEGACY, LEGACY3  # noqa: E402

OLDER = {**LEGACY, **LEGACY3}

START = "<!-- sweep:results:start (written by bench/layout_sweep.py) -->"
END = "<!-- sweep:results:end -->"
TARGET_RATIO = 1.5  # issue 9: at most 1.5x the read floor per page, median over the sweep
CHOICE_ORDER = ("producer", "matrix_keys", "number_on", "fill_paint", "colour_space",
                "periods_per_year", "year_label", "orientation", "rotate", "media_origin",
                "matrix_header_repeat", "group_last_on_page", "detail_keys", "sub_items",
                "row_split", "footnotes", "markers", "header_labels", "party_order", "rules",
                *OLDER)  # generations 2 and 3


@dataclass
class One:
    name: str
    layout: dict
    pages: int
    fields: tuple[int, int] = (0, 0)
    timeline: tuple[int, int] = (0, 0)
    rows_ours: int = 0
    rows_plumber: int = 0
    rows_camelot: int | None = None
    actions: int = 0
    reader_s: float = 0.0
    floor_s: float = 0.0
    refused: str | None = None
    mismatches: list[str] = field(default_factory=list)


def complete_rows(actions: list[dict], rows: list[list[object]]) -> int:
    """Actions whose title (parsed, or the printed title cell) and every non-empty party
    cell are cells of one and the same table row."""
    rows = [[base.norm(cell) for cell in row] for row in rows]
    count = 0
    for action in actions:
        titles = {base.norm(action["title"]), base.norm(action["title_cell"])}
        parties = [base.norm(v) for v in action["parties"].values() if base.norm(v)]
        for row in rows:
            if not titles & set(row):
                continue
            left = Counter(row)
            left.subtract(parties)  # each party value needs a cell of its own
            if all(n >= 0 for n in left.values()):
                count += 1
                break
    return count


def ours_complete(raw, actions: list[dict]) -> int:
    read = {}
    for row in raw.matrix_rows:
        key = row.number.text.strip() + (row.letter.text.strip() if row.letter else "")
        read.setdefault(key, row)
    count = 0
    for action in actions:
        row = read.get(action["action_id"])
        if row is None or base.norm(row.title.text) != base.norm(action["title"]):
            continue
        if all(base.norm(row.parties[g].text if g in row.parties else "") == base.norm(v)
               for g, v in action["parties"].items()):
            count += 1
    return count


def empty_raw(truth: dict):
    from ir import RawAnnex

    return RawAnnex("", "", "pdf", None, (), None, (), (), ())


def run_one(pdf: Path, worker, repeat: int) -> One:
    import pdfplumber

    from extract import read_annex
    from facsimile.score import score
    from ir import StageError

    truth = json.loads(pdf.with_suffix(".truth.json").read_text(encoding="utf-8"))
    with pdfplumber.open(pdf) as document:
        pages = len(document.pages)
    one = One(pdf.stem, truth["layout"], pages, actions=len(truth["actions"]))
    floors, readers = [], []
    raw = None
    for _ in range(repeat):  # interleaved, so a slow moment hits both
        wall, _, _ = base.timed(base.floor, pdf)
        floors.append(wall)
        try:
            wall, _, raw = base.timed(read_annex, pdf)
        except StageError as error:
            one.refused = error.one_line()
            raw = None
            break
        readers.append(wall)
    one.floor_s = min(floors)
    one.reader_s = min(readers) if readers else 0.0
    result = score(raw if raw is not None else empty_raw(truth), truth)
    one.fields = (result.fields.equal, result.fields.total)
    one.timeline = (result.timeline.equal, result.timeline.total)
    one.mismatches = result.mismatches[:3]
    one.rows_ours = ours_complete(raw, truth["actions"]) if raw is not None else 0
    one.rows_plumber = complete_rows(truth["actions"], [
        row for table in base.pdfplumber_tables(pdf) for row in table])
    if worker is not None:
        reply = worker.run(pdf, "lattice", "all", True)
        if reply.get("ok"):
            one.rows_camelot = complete_rows(truth["actions"], [
                row for table in reply["tables"] for row in table])
        else:
            one.rows_camelot = 0
    return one


def share(equal: int, total: int) -> str:
    return f"{100 * equal / total:.1f} %" if total else "-"


def table(results: list[One], camelot: bool) -> list[str]:
    head = ("| group | value | layouts | all right | fields | timeline cells | complete rows: "
            "ours / extract_tables()" + (" / camelot" if camelot else "") +
            " | layouts with fewer complete rows than extract_tables() | refused |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for choice in CHOICE_ORDER:
        groups: dict[str, list[One]] = defaultdict(list)
        for one in results:
            groups[json.dumps(one.layout.get(choice, OLDER.get(choice)))].append(one)
        for value in sorted(groups):
            lines.append(_row(choice, value.strip('"'), groups[value], camelot))
    lines.append(_row("**all**", "", results, camelot))
    return lines


def _row(choice: str, value: str, group: list[One], camelot: bool) -> str:
    fields = [sum(o.fields[i] for o in group) for i in (0, 1)]
    cells = [sum(o.timeline[i] for o in group) for i in (0, 1)]
    perfect = sum(o.fields[0] == o.fields[1] and o.timeline[0] == o.timeline[1]
                  for o in group)
    actions = sum(o.actions for o in group)
    rows = f"{sum(o.rows_ours for o in group)} / {sum(o.rows_plumber for o in group)}"
    if camelot:
        rows += f" / {sum(o.rows_camelot or 0 for o in group)}"
    rows += f" of {actions}"
    if camelot:
        tried = [o for o in group if o.rows_camelot is not None]
        rows += f" (camelot on {len(tried)} of {len(group)})" if len(tried) < len(group) else ""
    fewer = sum(o.rows_ours < o.rows_plumber for o in group)
    refused = sum(o.refused is not None for o in group)
    return (f"| {choice} | {value} | {len(group)} | {perfect} | {share(*fields)} | "
            f"{share(*cells)} | {rows} | {fewer} | {refused} |")


def timing(results: list[One]) -> list[str]:
    read = [o for o in results if o.refused is None and o.reader_s]
    if not read:
        return ["No layout was read, so there is no time per page."]
    ours = statistics.median(o.reader_s / o.pages for o in read)
    floor = statistics.median(o.floor_s / o.pages for o in read)
    ratios = statistics.median(o.reader_s / o.floor_s for o in read)
    by: dict[str, list[float]] = defaultdict(list)
    for o in read:
        by[o.layout["producer"]].append(o.reader_s / o.floor_s)
    parts = ", ".join(f"{k} {statistics.median(v):.2f}x" for k, v in sorted(by.items()))
    verdict = "meets" if ratios <= TARGET_RATIO else "misses"
    return [f"- Time per page, median over the {len(read)} layouts that were read: our reader "
            f"{1000 * ours:,.0f} ms, pdfplumber read floor {1000 * floor:,.0f} ms.",
            f"- Median of (reader / floor) per layout: **{ratios:.2f}x** ({verdict} the "
            f"{TARGET_RATIO}x target); per producer: {parts}.",
            "- Each PDF: floor and reader run alternately, best of the rounds "
            "(`--repeat`), in this one process."]


def write_readme(section: str) -> None:
    replace_block(base.README, START, END, section)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--from", dest="source", type=Path,
                        help="read the layouts in this folder instead of generating")
    parser.add_argument("--keep", type=Path, help="generate into this folder (kept)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--camelot-python", default=None)
    parser.add_argument("--camelot-count", type=int, default=None,
                        help="run camelot on the first N layouts only (it takes ~30 s each)")
    parser.add_argument("--no-readme", action="store_true")
    args = parser.parse_args()
    started = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.source or args.keep or Path(tmp)
        if args.source is None:
            from facsimile.layouts.__main__ import main as generate

            folder.mkdir(parents=True, exist_ok=True)
            status = generate(["--seed", str(args.seed), "--count", str(args.count),
                               "--out", str(folder)])
            if status:
                print("some layouts failed to build (above); sweeping the others",
                      file=sys.stderr)
        pdfs = sorted(p for p in folder.glob("layout-*.pdf")
                      if p.with_suffix(".truth.json").exists())
        worker, camelot_note = None, ""
        python, why = base.camelot_python(args.camelot_python or
                                          os.environ.get("CAMELOT_PYTHON"))
        if python:
            worker = base.CamelotWorker(python)
            if not worker.hello.get("ok"):
                camelot_note = worker.hello.get("error", "")
                worker.close()
                worker = None
        else:
            camelot_note = why
        results = []
        for index, pdf in enumerate(pdfs, 1):
            use = worker if args.camelot_count is None or index <= args.camelot_count \
                else None
            one = run_one(pdf, use, args.repeat)
            results.append(one)
            print(f"[{index}/{len(pdfs)}] {one.name}: fields {share(*one.fields)}, timeline "
                  f"{share(*one.timeline)}, rows {one.rows_ours}/{one.rows_plumber}"
                  + (f" REFUSED {one.refused}" if one.refused else ""), flush=True)
        versions = worker.hello.get("versions") if worker else None
        if worker:
            worker.close()
    where = f"`--from {args.source}`" if args.source else \
        f"seeds {args.seed}..{args.seed + args.count - 1} generated in this run"
    lines = [f"Run {started:%Y-%m-%d %H:%M} UTC, {len(results)} layouts ({where}), "
             f"command `{' '.join(['bench/layout_sweep.py', *sys.argv[1:]])}`.", "",
             *base.machine(versions), ""]
    if worker is None:
        lines += [f"camelot: not run ({camelot_note}).", ""]
    lines += timing(results) + [""] + table(results, versions is not None)
    worst = sorted(results, key=lambda o: (o.fields[0] / max(1, o.fields[1])))[:5]
    lines += ["", "Lowest field accuracy (first mismatches):", ""]
    for one in worst:
        what = one.refused or "; ".join(m[:160] for m in one.mismatches)
        lines.append(f"- {one.name}: fields {share(*one.fields)}: {what}")
    section = "\n".join(lines)
    print(section)
    if not args.no_readme:
        write_readme(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
