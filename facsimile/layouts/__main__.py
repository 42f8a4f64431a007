"""python -m facsimile.layouts --seed S --count N --out DIR [--producer NAME]

Generates N layouts (seeds S .. S+N-1): DIR/layout-<seed>-<producer>.pdf and its
.truth.json. A producer that is not installed makes its layouts fail with one line on
stderr (the others are still built); exit status 1 then.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from facsimile.layouts.build import build_one
from facsimile.layouts.options import EXTRA_PRODUCERS, GENERATION, PRODUCERS


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m facsimile.layouts",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--producer", choices=PRODUCERS + EXTRA_PRODUCERS,
                        help="only this producer (fpdf2: generation 3, only when asked)")
    parser.add_argument("--set", action="append", default=[], metavar="CHOICE=VALUE",
                        help="fix one choice for every layout (e.g. rotate=0); for "
                             "looking at one fact at a time, never for the committed sample")
    parser.add_argument("--generation", type=int, default=GENERATION, choices=(1, 2, 3),
                        help="1: the choices of the committed sample only (samples/layouts "
                             "is generation 1); 2: the legend, fonts, sizes, page sizes, "
                             "spacing, running header, page numbers, tint "
                             "(samples/layouts-gen2); 3: re-distillers and table styling "
                             "too (default)")
    args = parser.parse_args(argv)
    fixed = dict(item.split("=", 1) for item in args.set)
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    for seed in range(args.seed, args.seed + args.count):
        try:
            path, truth = build_one(seed, args.out, args.producer, fixed, args.generation)
        except Exception as error:  # one layout's producer failing must not stop the batch
            print(f"layout seed {seed}: FAILED: {type(error).__name__}: {error}",
                  file=sys.stderr)
            failed += 1
            continue
        pages = len(truth["pages"])
        print(f"{path.name}: {pages} pages, {path.stat().st_size / 1024:.0f} KiB")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
