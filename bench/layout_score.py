r"""Score the reader on a folder of generated layouts: accuracy only, no timing.

The quick loop of the PDF-reader work (bench/layout_sweep.py is the full benchmark, with
the read floor, extract_tables() and camelot beside it). For every layout-*.pdf with its
.truth.json in DIR it prints one line (exact, refused with the reason, or the field and
timeline-cell counts with the first mismatch), then totals per producer and per
re-distiller. A refused layout counts every field and cell as wrong, as the issue's
sweep does.

    PYTHONPATH=. .venv/bin/python bench/layout_score.py /tmp/layouts [--jobs 2] [--out F]

With the committed samples it also rewrites the test suite's record of them: `--not-yet`
writes tests/layouts_not_yet_read.csv (every layout not read exactly, with what was
measured), and the per-folder accuracy printed last is what tests/test_pdf_layouts.py's
FLOORS holds (rounded down, so the floor is what was measured):

    PYTHONPATH=. .venv/bin/python bench/layout_score.py samples/layouts \
        samples/layouts-gen2 samples/layouts-gen3 --not-yet tests/layouts_not_yet_read.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def score_one(pdf: str) -> dict:
    from extract import read_annex
    from facsimile.score import score
    from ir import RawAnnex, StageError

    path = Path(pdf)
    truth = json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))
    refused = error_reason = None
    try:
        raw = read_annex(path)
    except StageError as error:
        refused, error_reason = error.one_line(), error.reason
        raw = RawAnnex("", "", "pdf", None, (), None, (), (), ())
    result = score(raw, truth)
    layout = truth.get("layout", {})
    return {"name": path.stem, "folder": path.parent.name,
            "producer": layout.get("producer", "?"),
            "redistill": layout.get("redistill", "none"), "refused": refused,
            "reason": error_reason,
            "fields": (result.fields.equal, result.fields.total),
            "timeline": (result.timeline.equal, result.timeline.total),
            "mismatches": result.mismatches[:3]}


def line(one: dict) -> str:
    (fe, ft), (te, tt) = one["fields"], one["timeline"]
    if one["refused"]:
        return f"{one['name']}: REFUSED {one['refused']}"
    if fe == ft and te == tt:
        return f"{one['name']}: exact"
    first = one["mismatches"][0] if one["mismatches"] else ""
    return f"{one['name']}: fields {fe}/{ft}, timeline {te}/{tt}; {first}"


def exact(one: dict) -> bool:
    return (not one["refused"] and one["fields"][0] == one["fields"][1]
            and one["timeline"][0] == one["timeline"][1])


def as_measured(one: dict) -> str:
    """The not-yet list's words for a layout that is not read exactly."""
    if one["refused"]:
        return f"refused: {one['reason']}"
    (fe, ft), (te, tt) = one["fields"], one["timeline"]
    first = one["mismatches"][0].split(" ", 1)[0] if one["mismatches"] else "?"
    return f"fields {fe}/{ft}, timeline cells {te}/{tt}; first mismatch: {first}"


def write_not_yet(results: list[dict], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["layout", "as_measured"])
        for one in sorted(results, key=lambda o: o["name"]):
            if not exact(one):
                writer.writerow([one["name"], as_measured(one)])


def floors(results: list[dict]) -> list[str]:
    """Per folder: fields and cells equal over total, rounded down to four places."""
    out = []
    for folder in sorted({o["folder"] for o in results}):
        group = [o for o in results if o["folder"] == folder]
        fe, ft = (sum(o["fields"][i] for o in group) for i in (0, 1))
        te, tt = (sum(o["timeline"][i] for o in group) for i in (0, 1))
        out.append(f"floor {folder}: ({math.floor(1e4 * fe / ft) / 1e4}, "
                   f"{math.floor(1e4 * te / tt) / 1e4})  # fields {fe}/{ft}, cells {te}/{tt}"
                   f", {sum(map(exact, group))} of {len(group)} exact, "
                   f"{sum(bool(o['refused']) for o in group)} refused")
    return out


def pct(equal: int, total: int) -> str:
    return f"{100 * equal / total:.2f} %" if total else "-"


def summary(results: list[dict], key: str) -> list[str]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for one in results:
        groups[one[key]].append(one)
    out = [f"| {key} | layouts | exact | refused | fields | timeline cells |",
           "|---|---|---|---|---|---|"]
    for name in sorted(groups) + ["all"]:
        group = results if name == "all" else groups[name]
        fe = sum(o["fields"][0] for o in group)
        ft = sum(o["fields"][1] for o in group)
        te = sum(o["timeline"][0] for o in group)
        tt = sum(o["timeline"][1] for o in group)
        n_exact = sum(map(exact, group))
        refused = sum(bool(o["refused"]) for o in group)
        out.append(f"| {name} | {len(group)} | {n_exact} | {refused} | {fe}/{ft} ({pct(fe, ft)})"
                   f" | {te}/{tt} ({pct(te, tt)}) |")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument("--not-yet", type=Path,
                        help="write the layouts not read exactly to this CSV")
    args = parser.parse_args()
    pdfs = sorted(str(p) for folder in args.folders for p in folder.glob("layout-*.pdf")
                  if p.with_suffix(".truth.json").exists())
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(score_one, pdfs))
    report = [line(one) for one in results] + [""] + summary(results, "producer") + [""] + \
        summary(results, "redistill") + [""] + floors(results)
    text = "\n".join(report) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    if args.not_yet:
        write_not_yet(results, args.not_yet)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
