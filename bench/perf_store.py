"""The cost of publishing one more version into a store that already holds 1 or N.

Issue 14: a history that appends. The store is built once per size with the
pipeline itself (generated text versions of the real annex, one month apart,
each with its own edit of one status text, so every pair has a change report).
Then, in paired rounds, a copy of each store (`cp -a`, hard links kept) gets one
newer version by a real `python -m pipeline run NEW --out COPY`, and we record:

- wall and CPU time of that whole run (CPU of the process and its workers);
- the store's own share: Store.begin, snapshot.assemble, fsync_tree, swap and
  link_entries, timed inside the run (the rest is reading and validating the
  new file, which does not depend on the store);
- bytes written into the new snapshot (files with one name: written by this run;
  files with two names are hard links to the previous snapshot) and the bytes
  the run's process passed to write() (/proc/self/io wchar);
- files of untouched versions that were not carried as the same inode
  (rewritten): must be 0.

    .venv/bin/python bench/perf_store.py                 # 100 versions, 5 rounds
    .venv/bin/python bench/perf_store.py --versions 20 --repeat 3 --no-readme
    .venv/bin/python bench/perf_store.py --work /tmp/stores   # keeps the stores: the
                                            # next run with --work reuses them

Results replace the marked section of bench/README.md (with machine and date).
"""

from __future__ import annotations

import argparse
import json
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

ROOT = Path(__file__).resolve().parent.parent
REAL_ANNEX = ROOT / "samples" / "techniekpact-2013-bijlage2.txt"
README = ROOT / "bench" / "README.md"
START = "<!-- bench:store:start (written by bench/perf_store.py) -->"
END = "<!-- bench:store:end -->"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")
TITLE_DATE = "LRT van 2 juli 2013"
STATUS_EDIT = "SBB SBB ontwikkelt een"
FIRST_YEAR = 2014
NEW_YEAR = 2090  # the version added in every round: newer than every stored one
STORE_STEPS = ("pipeline.publish:Store.begin", "pipeline.snapshot:assemble",
               "pipeline.publish:fsync_tree", "pipeline.publish:Store.swap",
               "pipeline.publish:Store.link_entries", "pipeline.safepath:check_store",
               "pipeline.publish:Store.settle")


def version_text(index: int, year: int | None = None) -> str:
    """The real annex as version `index`: decided on the 1st of a month of its own,
    with one status text edited so that consecutive versions differ."""
    text = REAL_ANNEX.read_text(encoding="utf-8")
    if year is None:
        year, month = FIRST_YEAR + index // 12, index % 12
    else:
        month = 0
    assert TITLE_DATE in text and STATUS_EDIT in text
    text = text.replace(TITLE_DATE, f"LRT van 1 {MONTHS[month]} {year}", 1)
    return text.replace(STATUS_EDIT, f"SBB SBB ontwikkelt voor de {index + 1}e keer een", 1)


def write_versions(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"bijlage2-v{index:04d}.txt"
        path.write_text(version_text(index), encoding="utf-8")
        paths.append(path)
    return paths


def run_pipeline(inputs: list[Path | str], out: Path, timings: Path | None = None) -> dict:
    """One pipeline run in a child process; its wall and CPU time (children included)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(timings or ""),
               "run", *map(str, inputs), "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"pipeline run failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu}


def child(timings_path: str, argv: list[str]) -> int:
    """Inside the measured run: time the store's steps, then run the CLI."""
    import importlib

    spent: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started, started_cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
                cpu[name] = cpu.get(name, 0.0) + time.process_time() - started_cpu
        return wrapper

    for step in STORE_STEPS:
        module_name, attribute = step.split(":")
        module = importlib.import_module(module_name)
        owner, _, name = attribute.rpartition(".")
        holder = getattr(module, owner) if owner else module
        setattr(holder, name, timed(step, getattr(holder, name)))
    # pipeline.batch imports check_store by name: patched above before it is imported.
    from pipeline.cli import main

    code = main(argv)
    if timings_path:
        io = dict(line.split(": ") for line in
                  Path("/proc/self/io").read_text().splitlines()) if Path(
                      "/proc/self/io").exists() else {}
        Path(timings_path).write_text(json.dumps(
            {"steps": spent, "cpu": cpu, "wchar": int(io.get("wchar", 0))}),
            encoding="utf-8")
    return code


def snapshot_bytes(out: Path) -> dict:
    """What the last run put into the published snapshot: new files (one name) and
    hard links carried from the previous snapshot."""
    current = out / os.readlink(out / "current")
    new_bytes = new_files = linked = 0
    for folder, _dirs, files in os.walk(current):
        for name in files:
            info = os.lstat(os.path.join(folder, name))
            if not os.path.islink(os.path.join(folder, name)):
                if info.st_nlink == 1:
                    new_bytes += info.st_size
                    new_files += 1
                else:
                    linked += 1
    return {"new_bytes": new_bytes, "new_files": new_files, "linked_files": linked}


INDEX_FILES = ("sources.json", "index.html", "annex.sqlite", "history/versions.csv",
               "history/versions.parquet", "history/datapackage.json", "history/README.md",
               "history/codebook.csv", "changes/datapackage.json", "changes/README.md",
               "changes/codebook.csv")


def inodes(out: Path) -> dict[str, int]:
    """Every file of the published snapshot by path, with its inode."""
    current = out / os.readlink(out / "current")
    found = {}
    for folder, _dirs, files in os.walk(current):
        for name in files:
            path = Path(folder) / name
            if not path.is_symlink():
                found[path.relative_to(current).as_posix()] = path.stat().st_ino
    return found


def rewritten(before: dict[str, int], after: dict[str, int]) -> tuple[int, int]:
    """Files published before and still published at the same place, but as another
    inode (written again): (the small index files, everything else)."""
    index = other = 0
    for path, inode in before.items():
        if path in after and after[path] != inode:
            if path in INDEX_FILES:
                index += 1
            else:
                other += 1
    return index, other


def machine() -> str:
    cpu = cpu_model("unknown CPU")
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}")


def measure(versions: int, repeat: int, work: Path) -> dict:
    inputs = write_versions(work / "inputs", versions)
    new = work / "new" / "bijlage2-new.txt"
    new.parent.mkdir(parents=True, exist_ok=True)
    new.write_text(version_text(versions, year=NEW_YEAR), encoding="utf-8")
    stores = {1: work / "store-1", versions: work / f"store-{versions}"}
    build = {}
    for size, store in stores.items():
        built = work / f"built-{size}.json"  # --work kept from an earlier run: reused
        if built.exists() and (store / "current").is_symlink():
            print(f"reusing the {size}-version store in {store}", file=sys.stderr, flush=True)
            build[size] = json.loads(built.read_text(encoding="utf-8"))
            continue
        shutil.rmtree(store, ignore_errors=True)
        # Two publications, as a store in use has: the published snapshot and the one
        # before it, which the next run removes (Store.begin).
        print(f"building a {size}-version store ...", file=sys.stderr, flush=True)
        if size == 1:
            first = run_pipeline(inputs[:1], store)
            second = run_pipeline([inputs[0], "--force"], store)
        else:
            first = run_pipeline(inputs[:size - 1], store)
            second = run_pipeline(inputs[size - 1:size], store)
        build[size] = {"wall": first["wall"] + second["wall"]}
        built.write_text(json.dumps(build[size]), encoding="utf-8")
    rows: dict[int, list[dict]] = {size: [] for size in stores}
    for round_number in range(repeat + 1):  # round 0: warm-up, not counted
        order = list(stores) if round_number % 2 else list(reversed(stores))
        for size in order:
            trial = work / f"trial-{size}"
            shutil.rmtree(trial, ignore_errors=True)
            subprocess.run(["cp", "-a", str(stores[size]), str(trial)], check=True)
            # The copy on disk before the run, as a store at rest is: else the run's
            # syncfs (publish.fsync_tree) flushes the copy's 2 snapshots too, which
            # no real publication pays (it grew with the store: 110 ms at 100).
            os.sync()
            held = inodes(trial)
            timings = work / "timings.json"
            result = run_pipeline([new], trial, timings)
            inside = json.loads(timings.read_text(encoding="utf-8"))
            result["store"] = sum(inside["steps"].values())
            result["store_cpu"] = sum(inside["cpu"].values())
            result["steps"] = inside["steps"]
            result["wchar"] = inside["wchar"]
            result.update(snapshot_bytes(trial))
            result["rewritten_index"], result["rewritten"] = rewritten(held, inodes(trial))
            if round_number:
                rows[size].append(result)
            print(f"round {round_number} store {size}: wall {result['wall']:.2f} s, cpu "
                  f"{result['cpu']:.2f} s, store {result['store']:.3f} s, new "
                  f"{result['new_bytes']} B", file=sys.stderr, flush=True)
    return {"versions": versions, "repeat": repeat, "build": build, "rows": rows}


def summary(results: dict) -> str:
    versions, rows = results["versions"], results["rows"]

    def median(size: int, key: str) -> float:
        return statistics.median(r[key] for r in rows[size])

    lines = [
        f"## Store: adding one version to a 1- and a {versions}-version store (issue 14)",
        "",
        "`make bench-perf` (`bench/perf_store.py`). A publication writes the new version's "
        "folder, its history partitions, the change report against its neighbour and the "
        "small index files; every other file of the new snapshot is a hard link to the "
        "published one (README: Publication is one step). Target: the whole run at most "
        "1.1× in the big store.",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')} on {machine()}; "
        f"{results['repeat']} paired rounds after one warm-up, medians. Each round copies "
        f"the store (`cp -a`, then `sync`: a store at rest is on disk) and runs "
        "`python -m pipeline run NEW --out COPY` once.",
        "",
        f"| | 1-version store | {versions}-version store | ratio |",
        "|---|---|---|---|",
    ]
    for key, label, unit in (("wall", "whole run, wall", "s"), ("cpu", "whole run, CPU", "s"),
                             ("store", "store steps (begin, assemble, fsync, swap, links, "
                              "checks), wall", "s"),
                             ("store_cpu", "store steps, CPU of the run's process", "s")):
        one, many = median(1, key), median(versions, key)
        lines.append(f"| {label} | {one:.3f} {unit} | {many:.3f} {unit} | "
                     f"**{many / one:.2f}×** |")
    for key, label in (("new_bytes", "bytes of new files in the snapshot"),
                       ("wchar", "bytes passed to write() by the run's process"),
                       ("new_files", "files written into the snapshot"),
                       ("linked_files", "files hard-linked from the previous snapshot"),
                       ("rewritten_index", "small index files rewritten (sources.json, "
                        "index.html, annex.sqlite, history/versions.*, descriptors)"),
                       ("rewritten", "other published files rewritten (versions, "
                        "partitions, change reports)")):
        one, many = median(1, key), median(versions, key)
        ratio = f"{many / one:.2f}×" if one else "–"
        lines.append(f"| {label} | {one:,.0f} | {many:,.0f} | {ratio} |")
    def step_ms(size: int, step: str) -> float:
        return statistics.median(r["steps"].get(step, 0.0) for r in rows[size]) * 1000

    for size in (1, versions):
        lines += ["", f"Store steps, median wall time, {size}-version store: " + ", ".join(
            f"{step.split(':')[1]} {step_ms(size, step):.0f} ms" for step in STORE_STEPS) + "."]
    extra = versions - 1

    def per_version(key: str) -> float:
        return (median(versions, key) - median(1, key)) / extra

    lines += ["", f"Per existing version: +{per_version('store') * 1000:.1f} ms of store "
              f"steps (wall), +{per_version('store_cpu') * 1000:.1f} ms CPU, "
              f"+{per_version('new_bytes') / 1000:.0f} KB "
              "written. `annex.sqlite` is no longer copied: the database of the snapshot "
              "before the published one (no published snapshot names it) is appended to in place "
              "(report/database_donor.py), so it counts as a new file of one name above "
              "although only the new versions' rows are written (see write()). What still "
              "grows with the store: one hard link per file of every version "
              "(43 a version: its folder, its history partitions, its change report) and one "
              "folder per version and partition (10 a version), made in the new snapshot and "
              "removed with the one before it, and the walk over the published snapshots that "
              "refuses planted links (`check_store`)."]
    build = results["build"]
    lines += ["", "Building the stores (two publications each): 1 version "
              f"{build[1]['wall']:.1f} s, {versions} versions "
              f"{build[versions]['wall']:.1f} s wall."]
    return "\n".join(lines)


def write_readme(text: str) -> None:
    replace_block(README, START, END, text)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--child"]:
        return child(argv[1], argv[2:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--versions", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path,
                        help="keep the stores here (default: a temp dir); a store built "
                             "there by an earlier run is reused, not built again")
    parser.add_argument("--no-readme", action="store_true")
    options = parser.parse_args(argv)
    work = options.work or Path(tempfile.mkdtemp(prefix="perf-store-"))
    try:
        results = measure(options.versions, options.repeat, work)
        (work / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        if options.work is None:
            shutil.rmtree(work, ignore_errors=True)
    text = summary(results)
    print(text)
    if not options.no_readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
