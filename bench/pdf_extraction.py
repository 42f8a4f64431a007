"""Benchmark of the PDF reader: time per page and how much of the matrix each method recovers.

Runs every method on the same facsimile PDFs (samples/facsimiles/*.pdf, each with a
<stem>.truth.json) in one process, interleaved round by round, and rewrites the results
section of bench/README.md. See that README for what is measured and why.

    make bench
    make bench CAMELOT_PYTHON=/tmp/camelot-venv/bin/python BENCH_ARGS="--repeat 3"
    PYTHONPATH=. python bench/pdf_extraction.py --help

Camelot is optional and never a project dependency: it runs in a worker subprocess started
with the interpreter from --camelot-python (or $CAMELOT_PYTHON, or this interpreter when it
can import camelot), so it can live in a throwaway venv. The worker only needs camelot.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from readme_block import cpu_model, replace_block  # bench/: a script's own folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "bench" / "README.md"
FACSIMILES = ROOT / "samples" / "facsimiles"
START = "<!-- bench:results:start (written by bench/pdf_extraction.py) -->"
END = "<!-- bench:results:end -->"
TARGET = 2.0  # the project's reader should take at most this many times the read floor


# --- the methods -----------------------------------------------------------------------


@dataclass
class Method:
    key: str
    label: str
    timeline: str  # how the method relates to the timeline (the project's is measured)
    repeat: int
    run: Callable[[Path], object] | None = None  # in-process: returns the method's output
    unavailable: str | None = None  # "not available: <reason>"


def floor(path: Path) -> int:
    """The read floor: open every page and read its chars and rects, nothing else."""
    import pdfplumber

    count = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            count += len(page.chars) + len(page.rects)
    return count


def project(path: Path):
    from extract import read_annex

    return read_annex(path)


def pdfplumber_tables(path: Path) -> list[list[list[str | None]]]:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return [table for page in pdf.pages for table in page.extract_tables()]


class CamelotWorker:
    """A subprocess that imports camelot once, then times read_pdf calls on request."""

    def __init__(self, python: str) -> None:
        self.process = subprocess.Popen(
            [python, str(Path(__file__).resolve()), "--camelot-worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, cwd=ROOT)
        self.hello = self._reply()

    def _reply(self) -> dict:
        line = self.process.stdout.readline()
        if not line:
            return {"ok": False, "error": f"worker exited (status {self.process.wait()})"}
        return json.loads(line)

    def run(self, path: Path, flavor: str, pages: str, tables: bool) -> dict:
        request = {"path": str(path), "flavor": flavor, "pages": pages, "tables": tables}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._reply()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)


def camelot_worker() -> None:
    """Worker side of CamelotWorker: JSON lines in on stdin, JSON lines out on stdout."""
    out = sys.stdout
    sys.stdout = sys.stderr  # whatever camelot prints must not reach the protocol

    def reply(message: dict) -> None:
        out.write(json.dumps(message) + "\n")
        out.flush()

    try:
        import warnings

        warnings.simplefilter("ignore")
        import camelot
    except Exception as error:  # any failure: not available
        reply({"ok": False, "error": f"import camelot failed ({type(error).__name__}: {error})"})
        return
    versions = {"camelot": camelot.__version__, "python": platform.python_version()}
    for module in ("cv2", "pypdfium2", "playa", "pdfminer"):
        try:
            versions[module] = __import__(module).__version__
        except Exception:
            continue
    reply({"ok": True, "versions": versions})
    for line in sys.stdin:
        request = json.loads(line)
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            tables = camelot.read_pdf(request["path"], pages=request["pages"],
                                      flavor=request["flavor"])
        except Exception as error:
            reply({"ok": False, "error": f"{type(error).__name__}: {error}"[:300]})
            continue
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        cells = ([table.df.astype(str).values.tolist() for table in tables]
                 if request["tables"] else None)
        reply({"ok": True, "wall": wall, "cpu": cpu, "tables": cells})


def camelot_python(option: str | None) -> tuple[str | None, str]:
    """The interpreter to run camelot with, or None and the reason."""
    if option:
        return option, ""
    if importlib.util.find_spec("camelot") is not None:
        return sys.executable, ""
    return None, ("camelot-py is not installed in this interpreter and no --camelot-python "
                  "/ $CAMELOT_PYTHON was given")


# --- the truth and the recovery metric -------------------------------------------------


def norm(text: object) -> str:
    return " ".join(str(text if text is not None else "").split())


def recovery(actions: list[dict], rows: list[list[object]]) -> tuple[int, int, int]:
    """(same_row, anywhere, total) over the non-empty truth cells: title + party cells.

    anywhere: the truth value equals (whitespace normalized) some cell of some row.
    same_row: the title equals a cell of a row (the parsed title or the printed title
    cell, which glues the letter: "a Toename ..."), and each party value is another cell
    of that same row (a multiset, each cell used once; the best such row counts). Party
    cells of an action whose title was not found count as not recovered.
    """
    rows = [[norm(cell) for cell in row] for row in rows]
    cells = {cell for row in rows for cell in row}
    same_row = anywhere = total = 0
    for action in actions:
        titles = {norm(action["title"]), norm(action["title_cell"])}
        parties = [norm(v) for v in action["parties"].values() if norm(v)]
        total += 1 + len(parties)
        anywhere += bool(titles & cells) + sum(value in cells for value in parties)
        best = None
        for row in rows:
            if not titles & set(row):
                continue
            left = Counter(row)
            found = 0
            for value in parties:
                if left[value] > 0:
                    left[value] -= 1
                    found += 1
            best = found if best is None else max(best, found)
        if best is not None:
            same_row += 1 + best
    return same_row, anywhere, total


def project_rows(raw) -> list[list[str]]:
    return [[row.title.text, *(span.text for span in row.parties.values())]
            for row in raw.matrix_rows]


def project_timeline(raw, actions: list[dict]) -> tuple[int, int, int]:
    """(matched, truth total, extra): timeline cells equal to the truth in
    (action_id, year, period, class)."""
    truth = {(a["action_id"], c["year"], c["period"], c["class"])
             for a in actions for c in a["cells"]}
    found = {(row.number.text + (row.letter.text if row.letter else ""), cell.year,
              cell.period, cell.colour_class)
             for row in raw.matrix_rows for cell in (row.timeline or ())}
    return len(truth & found), len(truth), len(found - truth)


# --- measuring -------------------------------------------------------------------------


@dataclass
class Result:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    output: object = None
    error: str | None = None


def timed(function: Callable[[Path], object], path: Path) -> tuple[float, float, object]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    output = function(path)
    return time.perf_counter() - wall, time.process_time() - cpu, output


def measure(methods: list[Method], pdfs: list[Path], warmup: int, worker: CamelotWorker | None,
            log: Callable[[str], None]) -> dict[tuple[str, str], Result]:
    """Round-robin: every round runs every method once on every PDF, so a change in the
    machine's load falls on all methods alike. Warm-up rounds come first and are not
    counted; they run on the smallest PDF only, since what they warm (lazy imports and
    initialisation, module-level caches, the OS file cache) belongs to the process, not to
    a PDF: each run opens its PDF afresh. Methods whose repeat is lower drop out of the
    later rounds."""
    results = {(m.key, p.name): Result() for m in methods for p in pdfs}
    rounds = warmup + max(m.repeat for m in methods)
    smallest = min(pdfs, key=lambda path: path.stat().st_size)
    for path in pdfs:
        path.read_bytes()  # every PDF in the OS file cache
    for number in range(rounds):
        counted = number >= warmup
        log(f"round {number + 1}/{rounds}" + ("" if counted else
                                              f" (warm-up on {smallest.name}, not counted)"))
        for index, path in enumerate(pdfs):
            if not counted and path != smallest:
                continue
            shift = (number + index) % len(methods)  # rotate the order a little
            for method in methods[shift:] + methods[:shift]:
                result = results[(method.key, path.name)]
                if method.unavailable or result.error or number >= warmup + method.repeat:
                    continue
                if method.run is not None:
                    wall, cpu, output = timed(method.run, path)
                else:
                    flavor = method.key.removeprefix("camelot-")
                    # Camelot's warm-up reads page 1 only: it is there to load camelot's
                    # lazy parts (OpenCV, the renderer), and a full pass costs many seconds.
                    reply = worker.run(path, flavor, "all" if counted else "1",
                                       tables=counted and result.output is None)
                    if not reply["ok"]:
                        result.error = f"not available: {reply['error']}"
                        continue
                    wall, cpu, output = reply["wall"], reply["cpu"], reply["tables"]
                if counted:
                    result.wall.append(wall)
                    result.cpu.append(cpu)
                    if result.output is None:
                        result.output = output
    return results


# --- reporting -------------------------------------------------------------------------


def machine(camelot_versions: dict | None) -> list[str]:
    import pdfminer
    import pdfplumber

    cpu = cpu_model("unknown")
    system = platform.platform()
    try:
        release = dict(line.split("=", 1) for line in
                       Path("/etc/os-release").read_text().splitlines() if "=" in line)
        pretty = release.get("PRETTY_NAME", "").strip('"')
        system = f"{pretty}, {platform.system()} {platform.release()} {platform.machine()}"
    except OSError:
        pass
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    lines = [f"- CPU: {cpu}, {cores} logical cores ({usable} usable by this process)",
             f"- OS: {system}",
             f"- Python {platform.python_version()} ({sys.executable}), "
             f"pdfplumber {pdfplumber.__version__}, pdfminer.six {pdfminer.__version__}"]
    if camelot_versions:
        extra = ", ".join(f"{k} {v}" for k, v in camelot_versions.items()
                          if k not in ("camelot", "python"))
        lines.append(f"- camelot-py {camelot_versions['camelot']} in a separate interpreter "
                     f"(Python {camelot_versions['python']}; {extra}), default settings, "
                     f"`pages=\"all\"`, not parallel")
    return lines


def ms(seconds: float, pages: int) -> str:
    return f"{1000 * seconds / pages:,.0f}"


def report(methods: list[Method], pdfs: list[Path], pages: dict[str, int],
           truths: dict[str, dict], results: dict[tuple[str, str], Result]) -> tuple[str, list]:
    header = ("| PDF | pages | method | runs | wall ms/page median | wall ms/page min | "
              "CPU ms/page median | × floor (median) | matrix cells, same row | "
              "matrix cells, anywhere | timeline |")
    lines = [header, "|" + "---|" * header.count(" | ") + "---|"]
    verdicts = []
    for path in pdfs:
        name, n = path.name, pages[path.name]
        actions = truths[name]["actions"]
        floor_result = results[("floor", name)]
        floor_median = statistics.median(floor_result.wall) if floor_result.wall else None
        for method in methods:
            result = results[(method.key, name)]
            cells = [f"`{path.stem}`", str(n), method.label]
            problem = method.unavailable or result.error
            if problem or not result.wall:
                lines.append("| " + " | ".join([*cells, "0", problem or "no run", "", "", "",
                                                "", "", ""]) + " |")
                continue
            median, low = statistics.median(result.wall), min(result.wall)
            ratio = f"{median / floor_median:.2f}" if floor_median else ""
            timeline = method.timeline
            if method.key == "floor":
                covered = "— (reads no cells)"
                anywhere = "—"
            else:
                rows = (project_rows(result.output) if method.key == "project" else
                        [row for table in result.output for row in table])
                same, anyw, total = recovery(actions, rows)
                covered = f"{same}/{total} ({100 * same / total:.0f} %)"
                anywhere = f"{anyw}/{total} ({100 * anyw / total:.0f} %)"
                if method.key == "project":
                    matched, want, extra = project_timeline(result.output, actions)
                    timeline = (f"{matched}/{want} cells exact ({100 * matched / want:.0f} %)"
                                f", {extra} extra")
            lines.append("| " + " | ".join([
                *cells, str(len(result.wall)), ms(median, n), ms(low, n),
                ms(statistics.median(result.cpu), n), ratio, covered, anywhere, timeline,
            ]) + " |")
        proj = results[("project", name)]
        if floor_result.wall and proj.wall:
            verdicts.append((path.stem, statistics.median(floor_result.wall) / n,
                             statistics.median(proj.wall) / n, min(floor_result.wall) / n,
                             min(proj.wall) / n))
    return "\n".join(lines), verdicts


def target_table(verdicts: list) -> str:
    lines = [f"Target: **the project's reader (`read_annex`) within {TARGET:g}× the read floor** "
             "(median wall time per page, same PDF, same run).", "",
             "| PDF | floor ms/page (median) | project ms/page (median) | project / floor "
             "(median) | project / floor (min) | target met |",
             "|---|---|---|---|---|---|"]
    for stem, floor_med, proj_med, floor_min, proj_min in verdicts:
        ratio = proj_med / floor_med
        lines.append(f"| `{stem}` | {1000 * floor_med:,.0f} | {1000 * proj_med:,.0f} | "
                     f"{ratio:.2f}× | {proj_min / floor_min:.2f}× | "
                     f"{'yes' if ratio <= TARGET else '**no**'} |")
    return "\n".join(lines)


def command_line(args: argparse.Namespace) -> str:
    python = Path(sys.executable)
    with contextlib.suppress(ValueError):
        python = python.relative_to(Path.cwd())
    direct = shlex.join([str(python), *sys.argv])
    env = f"CAMELOT_PYTHON={shlex.quote(os.environ['CAMELOT_PYTHON'])} " \
        if os.environ.get("CAMELOT_PYTHON") else ""
    if os.environ.get("MAKELEVEL"):
        return f"`{env}make bench` (which ran `{direct}`)"
    return f"`{env}{direct}`"


def write_readme(section: str) -> None:
    replace_block(README, START, END, section)


# --- main ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5,
                        help="counted runs of each method on each PDF (default 5)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="uncounted warm-up runs of each method, on the smallest PDF "
                             "(default 1)")
    parser.add_argument("--camelot-repeat", type=int, default=3,
                        help="counted runs for each camelot flavour, at most --repeat "
                             "(default 3: camelot is the slowest by far)")
    parser.add_argument("--camelot-python", default=os.environ.get("CAMELOT_PYTHON"),
                        help="interpreter that can import camelot (default $CAMELOT_PYTHON, "
                             "else this one if it can)")
    parser.add_argument("--no-camelot", action="store_true", help="skip camelot")
    parser.add_argument("--pdf", type=Path, action="append",
                        help="a PDF with <stem>.truth.json beside it (default: "
                             "samples/facsimiles/*.pdf); may be repeated")
    parser.add_argument("--no-readme", action="store_true",
                        help="print the results only, do not rewrite bench/README.md")
    parser.add_argument("--camelot-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.camelot_worker:
        camelot_worker()
        return 0
    if args.repeat < 1 or args.warmup < 0 or args.camelot_repeat < 1:
        parser.error("--repeat and --camelot-repeat must be >= 1, --warmup >= 0")

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    started = time.perf_counter()
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    # Import everything before timing anything (read_annex imports its PDF reader lazily).
    import pdfplumber

    import extract.pdf_annex  # noqa: F401

    pdfs = sorted(p.resolve() for p in args.pdf) if args.pdf else sorted(FACSIMILES.glob("*.pdf"))
    if not pdfs:
        parser.error(f"no PDFs in {FACSIMILES}")
    truths, pages = {}, {}
    for path in pdfs:
        truths[path.name] = json.loads(path.with_suffix(".truth.json").read_text("utf-8"))
        with pdfplumber.open(path) as pdf:
            pages[path.name] = len(pdf.pages)

    no_timeline = "no: cell text only, fills not read"
    methods = [
        Method("floor", "floor: `page.chars` + `page.rects`",
               "— (raw fills, unclassified)", args.repeat, floor),
        Method("project", "**project: `extract.read_annex`**", "", args.repeat, project),
        Method("pdfplumber", "pdfplumber `page.extract_tables()`", no_timeline, args.repeat,
               pdfplumber_tables),
    ]
    worker, camelot_versions = None, None
    camelot_repeat = min(args.camelot_repeat, args.repeat)
    for flavor in ("lattice", "stream"):
        methods.append(Method(f"camelot-{flavor}", f"camelot {flavor}", no_timeline,
                              camelot_repeat))
    if args.no_camelot:
        reason = "not available: skipped (--no-camelot)"
    else:
        python, reason = camelot_python(args.camelot_python)
        if python:
            log(f"starting camelot worker: {python}")
            try:
                worker = CamelotWorker(python)
            except OSError as error:
                reason = f"cannot start {python} ({error})"
            else:
                if worker.hello.get("ok"):
                    camelot_versions, reason = worker.hello["versions"], ""
                else:
                    reason = worker.hello.get("error", "worker failed")
                    worker.close()
                    worker = None
        if reason:
            reason = f"not available: {reason}"
    for method in methods:
        if method.key.startswith("camelot-") and reason:
            method.unavailable = reason

    load_before = os.getloadavg()
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    try:
        results = measure(methods, pdfs, args.warmup, worker, log)
    finally:
        if worker:
            worker.close()
    load_after = os.getloadavg()
    elapsed = time.perf_counter() - started

    table, verdicts = report(methods, pdfs, pages, truths, results)
    section = "\n".join([
        "## Results", "",
        f"Run on {date}, {elapsed:.0f} s in all. Command: {command_line(args)}", "",
        *machine(camelot_versions),
        f"- Load average (1 min) before / after: {load_before[0]:.2f} / {load_after[0]:.2f} "
        "(the machine was shared; the min is the least disturbed run)",
        f"- Runs: {args.warmup} uncounted warm-up per method (on the smallest PDF; camelot's "
        f"reads its page 1 only), then {args.repeat} counted per method and PDF (camelot: "
        f"{camelot_repeat}), round-robin. Times are per page: one run's time on the whole "
        "PDF, opening included, divided by its pages.",
        "", table, "", target_table(verdicts), "",
    ])
    print(section)
    if not args.no_readme:
        write_readme(section)
        log(f"wrote {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
