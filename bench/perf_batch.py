"""Benchmark of a run's cost: batch throughput, a single file against the stack
floor, and the interpreter's teardown (issue 14).

- **Batch**: `python -m pipeline run DIR --out NEW` on 1, 20 and 100 distinct
  generated text annexes (tests/annexgen.py, seeds from --seed); wall time per
  extra file = (wall(N) - wall(1)) / (N - 1). Target <= 0.15 s. The serial run
  (`--workers 1`) on the 20 is measured beside it.
- **Single file against the stack floor**: `python -m pipeline run FILE --out NEW`
  against a process that imports pdfplumber, pandas, pyarrow and
  great_expectations and reads the file (a PDF: its pages with chars and rects;
  a text export: its bytes). Paired runs, medians of wall time. Target <= 1.15x.
- **Teardown**: a single-file run in-process (`pipeline.cli.main`), then either
  the interpreter's ordinary exit or `pipeline.cli.exit_now` (what the command
  does): the time from main's return to the process's end.

The machine is shared: wall times carry other people's load (the load average is
recorded before and after); ratios are taken within one run.

    make bench-perf
    .venv/bin/python bench/perf_batch.py [--repeat 5] [--sizes 1 20 100] [--no-readme]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from readme_block import cpu_model, replace_block  # bench/: a script's own folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.annexgen import generate  # noqa: E402

README = ROOT / "bench" / "README.md"
START = "<!-- bench:perf-batch:start (written by bench/perf_batch.py) -->"
END = "<!-- bench:perf-batch:end -->"
TEXT_ANNEX = ROOT / "samples" / "techniekpact-2013-bijlage2.txt"
PDF_ANNEX = ROOT / "samples" / "facsimiles" / "facsimile-reportlab-ruled.pdf"
PER_EXTRA_FILE_TARGET = 0.15  # s of wall time per extra file in a batch (issue 14)
FLOOR_TARGET = 1.15  # single-file run / stack floor (issue 14)

FLOOR = """
import sys, time
import pdfplumber, pandas, pyarrow, great_expectations
path = sys.argv[1]
if path.endswith(".pdf"):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.chars, page.rects
            page.close()
else:
    open(path, "rb").read()
"""

TEARDOWN = """
import sys, time
from pipeline.cli import exit_now, main
code = main(["run", sys.argv[2], "--out", sys.argv[3]])
print("returned", time.monotonic(), flush=True)
if sys.argv[1] == "fast":
    exit_now(code)
sys.exit(code)
"""


def machine() -> dict[str, str]:
    model = cpu_model(platform.processor() or "?")
    return {"nproc": str(os.cpu_count()), "cpu": model,
            "python": platform.python_version(),
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "load": " ".join(f"{x:.1f}" for x in os.getloadavg())}


PR_SET_CHILD_SUBREAPER = 36


def _adopt_orphans() -> bool:
    """Become the subreaper of what the measured runs start: the reading workers'
    forkserver outlives the run's process by a moment (the run ends with os._exit) and
    would be adopted by init, its CPU time (and its workers') lost to the count."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1) == 0
    except (OSError, AttributeError):
        return False


SUBREAPER = _adopt_orphans()


def _reap() -> None:
    """Wait for every adopted orphan (the forkserver ends once the run's pipe closes)."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU time (user + system, of the process and everything it started)."""
    cpu = _children_cpu()
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seconds = time.monotonic() - started
    _reap()
    if done.returncode not in (0,):
        raise SystemExit(f"{' '.join(command)}: exit {done.returncode}: "
                         f"{done.stderr.decode()[-400:]}")
    return seconds, _children_cpu() - cpu


def _run(inputs: Path, out: Path, *extra: str) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    return _timed([sys.executable, "-m", "pipeline", "run", str(inputs), "--out", str(out),
                   *extra])


def batches(work: Path, sizes: list[int], seed: int) -> dict:
    folders = {}
    for size in sizes:
        folder = work / f"in-{size}"
        folder.mkdir()
        for number in range(size):
            text, _ = generate(seed + number)
            (folder / f"annex-{number:03d}.txt").write_text(text, encoding="utf-8")
        folders[size] = folder
    timed = {size: _run(folders[size], work / f"out-{size}") for size in sizes}
    middle = sorted(sizes)[len(sizes) // 2]
    serial, _ = _run(folders[middle], work / f"out-serial-{middle}", "--workers", "1")
    return {"walls": {size: wall for size, (wall, _) in timed.items()},
            "cpus": {size: cpu for size, (_, cpu) in timed.items()},
            "serial": (middle, serial)}


def single_against_floor(work: Path, path: Path, repeat: int) -> dict:
    runs, floors = [], []
    for index in range(repeat):  # paired: the floor and the run one after the other
        floors.append(_timed([sys.executable, "-c", FLOOR, str(path)]))
        runs.append(_run(path, work / f"single-{path.suffix[1:]}-{index}"))
    return {"run": statistics.median(w for w, _ in runs),
            "floor": statistics.median(w for w, _ in floors),
            "run_cpu": statistics.median(c for _, c in runs),
            "floor_cpu": statistics.median(c for _, c in floors),
            "runs": runs, "floors": floors}


def teardown(work: Path, repeat: int) -> dict:
    found: dict[str, list[float]] = {"ordinary": [], "fast": []}
    for index in range(repeat):
        for how in ("ordinary", "fast"):
            out = work / f"teardown-{how}-{index}"
            done = subprocess.Popen([sys.executable, "-c", TEARDOWN,
                                     "fast" if how == "fast" else "slow", str(TEXT_ANNEX),
                                     str(out)], cwd=ROOT, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL)
            # Up to its line, not to EOF: the reading workers' forkserver holds
            # stdout open a moment longer than the process being measured.
            line = b""
            while not line.startswith(b"returned "):
                line = done.stdout.readline()
                if not line:
                    raise SystemExit("teardown: the run ended without returning")
            returned = float(line.split()[-1])
            done.wait()
            found[how].append(time.monotonic() - returned)
            done.stdout.close()
    return {how: statistics.median(values) for how, values in found.items()}


def _load_note(info: dict) -> str:
    """Said only when the machine was busier than its cores: then other work's load
    is in the wall times."""
    loads = [float(x) for x in f"{info['load_before']} {info['load']}".split()]
    if max(loads) <= int(info["nproc"]):
        return ""
    return ": the machine was busy with other work, so wall times carry its load"


def section(info: dict, batch: dict, singles: dict, ends: dict, repeat: int) -> str:
    walls = batch["walls"]
    sizes = sorted(walls)
    lines = [
        f"Measured {info['date']} on {info['nproc']} cores ({info['cpu']}), Python "
        f"{info['python']}; load average {info['load_before']} before, {info['load']} "
        f"after{_load_note(info)}; ratios are within this run. `make bench-perf` "
        f"(`bench/perf_batch.py`, repeat {repeat}).",
        "",
        "**Batch** (distinct generated text annexes, `python -m pipeline run DIR`):",
        "",
        "| files | wall s | per extra file s | CPU s | CPU per extra file s |",
        "|---:|---:|---:|---:|---:|",
    ]
    first = sizes[0]
    cpus = batch["cpus"]
    for size in sizes:
        extra = "" if size == first else f"{(walls[size] - walls[first]) / (size - first):.3f}"
        extra_cpu = ("" if size == first
                     else f"{(cpus[size] - cpus[first]) / (size - first):.3f}")
        lines.append(f"| {size} | {walls[size]:.2f} | {extra} | {cpus[size]:.2f} | "
                     f"{extra_cpu} |")
    middle, serial = batch["serial"]
    last = sizes[-1]
    per_extra = (walls[last] - walls[first]) / (last - first)
    verdict = "meets" if per_extra <= PER_EXTRA_FILE_TARGET else "misses"
    lines += [
        "",
        f"Serial (`--workers 1`, each file validated alone) on the {middle}: "
        f"{serial:.2f} s, {serial / walls[middle]:.2f}x the pooled run. Target "
        f"<= {PER_EXTRA_FILE_TARGET} s per extra file at {last}: **{verdict}** "
        f"({per_extra:.3f} s).",
        "",
        "**Single file against the stack floor** (floor: a process importing pdfplumber, "
        "pandas, pyarrow and great_expectations and reading the file; medians):",
        "",
        "| file | run s | floor s | ratio | run CPU s | floor CPU s | CPU ratio |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for name, found in singles.items():
        ratio = found["run"] / found["floor"]
        cpu_ratio = found["run_cpu"] / found["floor_cpu"]
        lines.append(f"| {name} | {found['run']:.2f} | {found['floor']:.2f} | "
                     f"{ratio:.2f}x | {found['run_cpu']:.2f} | {found['floor_cpu']:.2f} | "
                     f"{cpu_ratio:.2f}x |")
    counted = ("the run's process and everything it started, the reading workers included"
               if SUBREAPER else "the run's process only (no subreaper here: the reading "
               "workers are not counted)")
    lines += [
        "",
        f"Target <= {FLOOR_TARGET}x (wall). CPU: user + system time of {counted}; on 2 "
        "cores a run can take less wall than CPU time.",
        "",
        "**Teardown** (from `main` returning to the process's end, a text run; median): "
        f"the interpreter's ordinary exit {ends['ordinary']:.3f} s, "
        f"`exit_now` (flushed `os._exit`, what the command does) {ends['fast']:.3f} s.",
    ]
    return "\n".join(lines) + "\n"


def write_readme(text_section: str) -> None:
    replace_block(README, START, END, text_section)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="paired runs (default 5)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 20, 100])
    parser.add_argument("--seed", type=int, default=1000, help="first annexgen seed")
    parser.add_argument("--no-readme", action="store_true",
                        help="print the results only, do not rewrite bench/README.md")
    args = parser.parse_args()
    load_before = " ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="perf-batch-") as folder:
        work = Path(folder)
        ends = teardown(work, args.repeat)
        singles = {f"text export ({TEXT_ANNEX.name})": single_against_floor(
            work, TEXT_ANNEX, args.repeat)}
        if PDF_ANNEX.exists():
            singles[f"PDF ({PDF_ANNEX.name})"] = single_against_floor(work, PDF_ANNEX,
                                                                    args.repeat)
        batch = batches(work, sorted(set(args.sizes)), args.seed)
    info = {**machine(), "load_before": load_before}
    text = section(info, batch, singles, ends, args.repeat)
    print(text)
    if not args.no_readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
