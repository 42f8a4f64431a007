r"""Score the reader on a folder of generated layouts: accuracy only, no timing.

The quick loop of the PDF-reader work (bench/layout_sweep.py is the full benchmark, with
the read floor, extract_tables() and camelot beside it). For every layout-*.pdf with its
.truth.json in DIR it prints one line (exact, refused with the reason, or the field and
timeline-cell counts with the first mismatch), then totals per producer and per
re-distiller. A refused layout counts every field and cell as wrong, as the issue's
sweep does.

    PYTHONPATH=. .venv/bin/python bench/layout_score.py /tmp/layouts [--jobs 2] [--out F]
"""

from __future__ import annotations

import argparse
import json
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
    refused = None
    try:
        raw = read_annex(path)
    except StageError as error:
        refused = error.one_line()
        raw = RawAnnex("", "", "pdf", None, (), None, (), (), ())
    result = score(raw, truth)
    layout = truth.get("layout", {})
    return {"name": path.stem, "producer": layout.get("producer", "?"),
            "redistill": layout.get("redistill", "none"), "refused": refused,
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
        exact = sum(not o["refused"] and o["fields"][0] == o["fields"][1]
                    and o["timeline"][0] == o["timeline"][1] for o in group)
        refused = sum(bool(o["refused"]) for o in group)
        out.append(f"| {name} | {len(group)} | {exact} | {refused} | {fe}/{ft} ({pct(fe, ft)})"
                   f" | {te}/{tt} ({pct(te, tt)}) |")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    args = parser.parse_args()
    pdfs = sorted(str(p) for p in args.folder.glob("layout-*.pdf")
                  if p.with_suffix(".truth.json").exists())
    with ProcessPoolExecutor(args.jobs) as pool:
        results = list(pool.map(score_one, pdfs))
    report = [line(one) for one in results] + [""] + summary(results, "producer") + [""] + \
        summary(results, "redistill")
    text = "\n".join(report) + "\n"
    print(text, end="")
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
