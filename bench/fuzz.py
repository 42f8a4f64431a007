"""Fuzz run of the document reader in its worker (issue 12): mutated PDFs and text
exports, each read by `pipeline.worker` within limits, two at a time.

    .venv/bin/python bench/fuzz.py --cases 10000 [--seed 1] [--jobs 2]

Every case must end in one of the clean outcomes: read (`ok`), refused with a
StageError (`refused`), or stopped at a limit (`limit`). Anything else is a
finding: `internal` (an exception the reader did not turn into a StageError) or
`died` (the worker ended without an answer). The run prints the counts, the
peak memory of any worker, the slowest case, and writes every finding's input
to bench/fuzz-findings/ so that it can be replayed. Too slow for the test suite.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import random
import sys
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.limits import Limits  # noqa: E402
from pipeline.worker import start_read  # noqa: E402
from tests import hostile  # noqa: E402

TEXT = ROOT / "samples" / "techniekpact-2013-bijlage2.txt"
FACSIMILES = sorted((ROOT / "samples" / "facsimiles").glob("*.pdf"))
FINDINGS = ROOT / "bench" / "fuzz-findings"


@dataclass(frozen=True)
class FuzzSettings:
    # Per case: tight enough that a hang costs little, wide enough for a facsimile
    # (~1-3 s here, with two cases at a time on a shared machine).
    limits: Limits = Limits(max_seconds=8.0, max_memory_mb=1024.0)
    # Share of cases: text exports are quick to read, PDFs are where parsers break.
    text_share: float = 0.5
    facsimile_share: float = 0.03  # whole facsimiles (~1 s each); the rest small PDFs
    max_edits: int = 8
    poll_seconds: float = 0.05


SETTINGS = FuzzSettings()
TOKENS = [b"obj", b"endobj", b"stream", b"endstream", b"R", b"<<", b">>", b"[", b"]",
          b"/Length 99999999", b"/Filter /FlateDecode", b"xref", b"trailer", b"startxref",
          b"%%EOF", b"/Kids [2 0 R]", b"/Count -1", b"/Count 999999", b"1 0 R", b"(", b")",
          b"\\", b"9999999999", b"-0.0e99", b"/Type /Page", b"BT", b"ET", b"Tj", b"re f",
          b"/ObjStm", b"\x00", b"\xff\xfe", b"/Encrypt 1 0 R"]
TEXT_INSERTS = ["\t", "\n", "\x00", "\x1b[31m", "\u2028", "\ufeff", "Actie\t", "¹", "⁷⁷",
                "<b>", "</p>", "=cmd|' /C calc'!A0", "\r", "\t\t\t\t", "99a", "a)", "•"]


def small_pdfs() -> list[bytes]:
    """Small valid PDFs with annex-like text: quick to read, so most PDF cases
    exercise the parser rather than the layout code."""
    lines = TEXT.read_text(encoding="utf-8").splitlines()[:40]
    body = b"".join(b"BT /F1 8 Tf 20 %d Td (%s) Tj ET\n" % (
        800 - 18 * i, line.replace("\\", "").replace("(", "").replace(")", "")
        .encode("latin-1", "replace")[:120]) for i, line in enumerate(lines))
    rects = b"".join(b"1 1 0 rg %d 100 20 10 re f\n" % (40 + 25 * i) for i in range(8))
    return [hostile.one_page(body + rects), hostile.one_page(zlib.compress(body + rects), 1),
            hostile.many_pages(3), hostile.zero_pages(), hostile.deep_nesting(50)]


def mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, SETTINGS.max_edits)):
        if not out:
            break
        at = rng.randrange(len(out))
        kind = rng.randrange(6)
        if kind == 0:
            out[at] = rng.randrange(256)
        elif kind == 1:
            del out[at:at + rng.randint(1, 64)]
        elif kind == 2:
            out[at:at] = rng.choice(TOKENS)
        elif kind == 3:
            start = rng.randrange(len(out))
            out[at:at] = out[start:start + rng.randint(1, 256)]
        elif kind == 4:
            del out[rng.randrange(len(out)):]  # truncated
        else:
            for i in range(at, min(len(out), at + 8)):
                if chr(out[i]).isdigit():
                    out[i] = ord(rng.choice("0123456789"))
    return bytes(out)


def mutate_text(text: str, rng: random.Random) -> bytes:
    lines = text.split("\n")
    for _ in range(rng.randint(1, SETTINGS.max_edits)):
        at = rng.randrange(len(lines))
        kind = rng.randrange(5)
        if kind == 0:
            pos = rng.randrange(len(lines[at]) + 1)
            lines[at] = lines[at][:pos] + rng.choice(TEXT_INSERTS) + lines[at][pos:]
        elif kind == 1:
            del lines[at]
        elif kind == 2:
            lines.insert(at, lines[rng.randrange(len(lines))])
        elif kind == 3:
            cells = lines[at].split("\t")
            rng.shuffle(cells)
            lines[at] = "\t".join(cells)
        else:
            lines[at] = lines[at][: rng.randrange(len(lines[at]) + 1)]
    encoding = rng.choice(["utf-8", "utf-8", "utf-16", "cp1252"])
    return "\n".join(lines).encode(encoding, errors="replace")


def case(index: int, seed: int, bases: list[bytes], text: str) -> tuple[str, bytes]:
    rng = random.Random(seed * 1_000_003 + index)
    pick = rng.random()
    if pick < SETTINGS.text_share:
        return f"{index:05d}.txt", mutate_text(text, rng)
    if pick < SETTINGS.text_share + SETTINGS.facsimile_share:
        return f"{index:05d}.pdf", mutate_bytes(rng.choice(FACSIMILES).read_bytes(), rng)
    return f"{index:05d}.pdf", mutate_bytes(rng.choice(bases), rng)


def outcome(result) -> str:
    if result.ok:
        return "ok"
    if result.details.get("limit") in ("time", "output") or (
            result.details.get("limit") == "memory" and not result.reason.startswith(
                "the reading worker died")):
        return "limit"
    if result.reason.startswith("the reading worker died"):
        return "died"
    if result.reason.startswith("internal error"):
        return "internal"
    return "refused"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/techniekpact-fuzz"))
    parser.add_argument("--minutes", type=float, default=0.0,
                        help="stop starting new cases after this long (0: no budget); "
                             "the report says how many ran")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    bases, text = small_pdfs(), TEXT.read_text(encoding="utf-8")
    counts: Counter = Counter()
    findings, slowest, peak = [], (0.0, ""), (0.0, "")
    running: list[tuple[str, Path, object]] = []
    started = time.monotonic()
    next_case = reported = 0

    def finish(name: str, path: Path, result) -> None:
        nonlocal slowest, peak
        kind = outcome(result)
        counts[kind] += 1
        slowest = max(slowest, (result.seconds, f"{name}: {result.stage} {result.reason}"))
        peak = max(peak, (result.peak_rss_mb, name))
        if kind in ("internal", "died"):
            FINDINGS.mkdir(exist_ok=True)
            data = path.read_bytes()
            keep = FINDINGS / f"{hashlib.sha256(data).hexdigest()[:16]}{path.suffix}"
            keep.write_bytes(data)
            findings.append(f"{keep.name}: {result.stage}: {result.reason}")
        path.unlink()

    budget = started + args.minutes * 60 if args.minutes > 0 else float("inf")
    while next_case < args.cases or running:
        if time.monotonic() > budget:
            args.cases = next_case  # finish what runs, start nothing new
        while len(running) < args.jobs and next_case < args.cases:
            name, data = case(next_case, args.seed, bases, text)
            path = args.work / name
            path.write_bytes(data)
            running.append((name, path, start_read(path, name, SETTINGS.limits)))
            next_case += 1
        for entry in list(running):
            result = entry[2].step(SETTINGS.poll_seconds / len(running))
            if result is not None:
                running.remove(entry)
                finish(entry[0], entry[1], result)
        done = sum(counts.values())
        if done >= reported + 500:
            reported = done
            print(f"{done} cases, {time.monotonic() - started:.0f} s, {dict(counts)}, "
                  f"peak {peak[0]:.0f} MB, slowest {slowest[0]:.1f} s", flush=True)
    elapsed = time.monotonic() - started
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {platform.python_implementation()} "
                   f"{platform.python_version()}, {platform.system()} {platform.release()}",
        "cases": sum(counts.values()), "seed": args.seed, "jobs": args.jobs,
        "outcomes": dict(sorted(counts.items())),
        "unhandled": counts["internal"] + counts["died"],
        "peak_worker_rss_mb": round(peak[0], 1), "peak_case": peak[1],
        "slowest_seconds": round(slowest[0], 2), "slowest_case": slowest[1],
        "wall_seconds": round(elapsed, 1), "findings": findings,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0 if report["unhandled"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
