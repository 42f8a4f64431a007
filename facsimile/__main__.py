"""python -m facsimile [--out DIR] [--only NAME ...] [--keep-html FILE]

Builds every facsimile PDF and its truth JSON into samples/facsimiles/, reads
each PDF back with pdfplumber and prints a summary (pages, size, fill colours).
Exit status 1 when a producer fails or a read-back check finds a problem.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from facsimile import OUT_DIR, SOURCE, TRUTH_CSV, chromium_build, rl_build, timeline
from facsimile.content import load_annex
from facsimile.truth import check, readback, truth_document, write_json

NAMES = [v.name for v in rl_build.VARIANTS] + ["chromium-quarters"]


def _rl_colours(variant: rl_build.Variant) -> dict:
    out = {}
    for colour_class, (space, value) in variant.colours.items():
        out[colour_class] = {
            "space": space, "value": list(value),
            "pdfplumber_non_stroking_color": list(value),
        }
    return out


def _rl_other(variant: rl_build.Variant) -> list[dict]:
    other = []
    for use, colour in (("header rows of both tables", variant.header_fill),
                        ("ambition group rows", variant.group_fill)):
        if colour:
            other.append({"use": use, "space": colour[0], "value": list(colour[1])})
    other.append({"use": "legend swatches below the matrix (same colours as the timeline)",
                  "space": variant.colours["looptijd"][0], "value": "timeline colours"})
    return other


def _hex(colour: str) -> tuple[float, ...]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i:i + 2], 16) / 255 for i in (0, 2, 4))


def _nearest(fills, target: tuple[float, ...]) -> tuple[float, ...]:
    def distance(k: tuple[float, ...]) -> float:
        return sum((a - b) ** 2 for a, b in zip(k, target, strict=True))

    best = min((k for k in fills if len(k) == 3), key=distance)
    if distance(best) > 0.0004:
        raise RuntimeError(f"no fill near {target} in the Chromium PDF")
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m facsimile", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    parser.add_argument("--only", nargs="*", choices=NAMES, help="build only these")
    parser.add_argument("--keep-html", type=Path, help="also save the Chromium HTML here")
    args = parser.parse_args(argv)
    wanted = args.only or NAMES
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    annex = load_annex(SOURCE)
    ids = [action.action_id for action in annex.matrix]
    truth = timeline.load_or_create(TRUTH_CSV, ids, annex.years)
    failed = False

    for variant in rl_build.VARIANTS:
        if variant.name not in wanted:
            continue
        import reportlab

        rl_build.build(variant, annex, truth, out)
        pdf = out / variant.filename
        seen = readback(pdf)
        colours = _rl_colours(variant)
        producer = {"name": "reportlab", "version": reportlab.Version, "variant": variant.name,
                    "pdf_producer": seen["metadata"].get("Producer")}
        document = truth_document(annex, truth, pdf, producer, variant.description,
                                  variant.periods_per_year, colours, _rl_other(variant), seen)
        write_json(out / (pdf.stem + ".truth.json"), document)
        failed |= _report(pdf, annex, seen, colours)

    if "chromium-quarters" in wanted:
        try:
            chromium_build.build(annex, truth, out, keep_html=args.keep_html)
        except RuntimeError as error:
            print(f"chromium-quarters: FAILED: {error}", file=sys.stderr)
            return 1
        pdf = out / chromium_build.FILENAME
        seen = readback(pdf)
        colours = {}
        for colour_class, css in chromium_build.COLOURS.items():
            value = _nearest(seen["fills"], _hex(css))
            colours[colour_class] = {"space": "DeviceRGB", "css": css, "value": list(value),
                                     "pdfplumber_non_stroking_color": list(value)}
        other = [
            {"use": "header rows of both tables", "space": "DeviceRGB",
             "css": chromium_build.HEADER_FILL,
             "value": list(_nearest(seen["fills"], _hex(chromium_build.HEADER_FILL)))},
            {"use": "ambition group rows", "space": "DeviceRGB",
             "css": chromium_build.GROUP_FILL,
             "value": list(_nearest(seen["fills"], _hex(chromium_build.GROUP_FILL)))},
            {"use": "table borders: Chromium draws collapsed CSS borders as thin filled "
                    "rectangles", "space": "DeviceRGB", "css": chromium_build.BORDER,
             "value": list(_nearest(seen["fills"], _hex(chromium_build.BORDER)))},
            {"use": "legend swatches below the matrix (same colours as the timeline)",
             "space": "DeviceRGB", "value": "timeline colours"},
        ]
        producer = {"name": "chromium", "variant": "chromium-quarters",
                    "pdf_creator": seen["metadata"].get("Creator"),
                    "pdf_producer": seen["metadata"].get("Producer")}
        document = truth_document(annex, truth, pdf, producer, chromium_build.DESCRIPTION,
                                  chromium_build.PERIODS, colours, other, seen)
        write_json(out / (pdf.stem + ".truth.json"), document)
        failed |= _report(pdf, annex, seen, colours)
    return 1 if failed else 0


def _report(pdf: Path, annex, seen: dict, colours: dict) -> bool:
    kinds = [p["kind"][0] for p in seen["pages"]]
    print(f"{pdf.name}: {len(seen['pages'])} pages ({''.join(kinds)}: m=matrix d=detail), "
          f"{pdf.stat().st_size / 1024:.0f} KiB")
    for colour, count in sorted(seen["fills"].items(), key=lambda kv: -kv[1]):
        label = next((c for c, v in colours.items()
                      if tuple(round(x, 4) for x in v["pdfplumber_non_stroking_color"])
                      == colour), "")
        print(f"    fill {colour!s:<28} x{count:<5} {label}")
    problems = check(pdf, annex, seen, colours)
    for problem in problems:
        print(f"    PROBLEM: {problem}", file=sys.stderr)
    return bool(problems)


if __name__ == "__main__":
    sys.exit(main())
