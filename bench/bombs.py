"""Each hostile PDF of the test corpus, at full size, through the reading worker with
the default memory limit (issue 12: "every bomb ends within its time limit plus
2 s and under its memory limit, with one line"):

    .venv/bin/python bench/bombs.py [--max-seconds 30]

Prints, per case, the wall time, the worker's peak resident memory and its line,
and whether it ended within the time limit + 2 s and under the memory limit.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.limits import DEFAULT_LIMITS  # noqa: E402
from pipeline.worker import read_in_worker  # noqa: E402
from tests import hostile  # noqa: E402


@dataclass(frozen=True)
class BombSettings:
    inflated: int = 4 << 30  # 4 GiB: twice the default address-space limit
    text_operators: int = 10_000_000
    margin_seconds: float = 2.0  # the allowance past the time limit


SETTINGS = BombSettings()
CASES = {
    "compression-bomb": lambda: hostile.compression_bomb(SETTINGS.inflated),
    "object-stream-bomb": lambda: hostile.object_stream_bomb(SETTINGS.inflated),
    "text-operator-bomb": lambda: hostile.text_operator_bomb(SETTINGS.text_operators),
    "deep-nesting": lambda: hostile.deep_nesting(1_000_000),
    "reference-loop": hostile.reference_loop,
    "many-pages": lambda: hostile.many_pages(100_000),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-seconds", type=float, default=30.0)
    args = parser.parse_args()
    limits = replace(DEFAULT_LIMITS, max_seconds=args.max_seconds)
    rows, good = [], True
    with tempfile.TemporaryDirectory() as folder:
        for name, build in CASES.items():
            path = Path(folder) / f"{name}.pdf"
            path.write_bytes(build())
            result = read_in_worker(path, path.name, limits)
            within = (result.seconds <= limits.max_seconds + SETTINGS.margin_seconds
                      and result.peak_rss_mb <= limits.max_memory_mb and not result.ok)
            good = good and within
            rows.append({"case": name, "file_kb": path.stat().st_size // 1024,
                         "seconds": round(result.seconds, 2),
                         "peak_rss_mb": round(result.peak_rss_mb, 1),
                         "line": f"{path.name}: {result.stage}: {result.reason} at "
                                 f"{result.where}", "within_limits": within})
            print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    print(json.dumps({"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                      "machine": f"{platform.machine()}, CPython {platform.python_version()}",
                      "limits": {"max_seconds": limits.max_seconds,
                                 "max_memory_mb": limits.max_memory_mb},
                      "all_within_limits": good}))
    return 0 if good else 1


if __name__ == "__main__":
    sys.exit(main())
