"""Benchmark of the linker: time to link annexes of 47, 470 and 2,350 actions.

Generates, per size, a seeded synthetic annex at the linker's level (matrix keys and
detail units, no file reading): unique short titles, long detail titles holding the
same words among shared verbs and adjectives, lettered numbers, combined rows,
embedded sub-items, and a misaligned detail table (rows swapped and moved, some
deleted, extra rows, letters shifted in some numbers). Times `normalize.link.link`
end to end (tokenising, similarity, assignment, margins), checks every link against
the truth, and rewrites the linking section of bench/README.md.

    make bench-link
    PYTHONPATH=. python bench/linking.py --help
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from readme_block import replace_block  # bench/: a script's own folder is on sys.path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from normalize.link import DetailUnit, MatrixKey, detail_units, link  # noqa: E402

README = ROOT / "bench" / "README.md"
START = "<!-- bench:linking:start (written by bench/linking.py) -->"
END = "<!-- bench:linking:end -->"
SIZES = (47, 470, 2350)
# The target: 2,350 actions in under 2 s, growth no worse than quadratic.
TARGET_SECONDS = 2.0
SYLLABLES = ("ba", "ke", "lo", "mi", "nu", "ra", "se", "ti", "vo", "we", "da", "fi", "go",
             "hu", "ja", "pe", "zo", "ter", "van", "den", "lin", "mor", "sta", "ple")
VERBS = ("Ontwikkelen", "Versterken", "Invoeren", "Uitbreiden", "Stimuleren", "Verbeteren")
ADJECTIVES = ("regionale", "landelijke", "technische", "nieuwe", "betere", "duurzame")
CONNECTORS = ("voor", "in het", "van de", "met", "bij", "op")


def _words(rng: random.Random, count: int) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4)))
        if word not in seen:
            seen.add(word)
            out.append(word)
    return out


def synthetic(n_actions: int, seed: int) -> tuple[list[MatrixKey], list[DetailUnit],
                                                   dict[int, tuple[int, str | None]]]:
    """(matrix, units, truth): truth maps a matrix index to (detail row index, item)."""
    rng = random.Random(seed)
    vocab = iter(_words(rng, n_actions * 4 + 50))
    matrix: list[MatrixKey] = []
    rows: list[tuple[int, tuple[str, ...], str, dict[str, str]]] = []
    truth_rows: list[list[tuple[int, str | None]]] = []
    number = 0
    while len(matrix) < n_actions:
        number += 1
        k = 1 if rng.random() < 0.5 else min(rng.randint(2, 4), n_actions - len(matrix))
        letters = [None] if k == 1 else list("abcd"[:k])
        titles = []
        for letter in letters:
            words = [next(vocab) for _ in range(rng.randint(2, 3))]
            matrix.append(MatrixKey(number, letter, " ".join(words).capitalize()))
            titles.append(words)
        first = len(matrix) - k

        def long(words: list[str]) -> str:
            parts = [rng.choice(VERBS), rng.choice(ADJECTIVES)]
            for i, word in enumerate(words):
                parts += ([rng.choice(CONNECTORS)] if i else []) + [word]
            return " ".join(parts)

        roll = rng.random()
        if k >= 2 and roll < 0.1:  # embedded sub-items
            items = {letter: long(words) for letter, words in zip(letters, titles, strict=True)}
            rows.append((number, (), long([next(vocab)]), items))
            truth_rows.append([(first + i, letter) for i, letter in enumerate(letters)])
        elif k >= 2 and roll < 0.25:  # the first two combined
            rows.append((number, tuple(letters[:2]), long(titles[0] + titles[1]), {}))
            truth_rows.append([(first, None), (first + 1, None)])
            for i in range(2, k):
                rows.append((number, (letters[i],), long(titles[i]), {}))
                truth_rows.append([(first + i, None)])
        else:
            for i, letter in enumerate(letters):
                rows.append((number, (letter,) if letter else (), long(titles[i]), {}))
                truth_rows.append([(first + i, None)])
    # Misalign: shift letters in some numbers, swap and move rows, delete, add extras.
    order = list(range(len(rows)))
    for _ in range(max(1, len(rows) // 20)):
        i = rng.randrange(len(order) - 1)
        order[i], order[i + 1] = order[i + 1], order[i]
        order.insert(rng.randrange(len(order)), order.pop(rng.randrange(len(order))))
    deleted = set(rng.sample(order, max(1, len(rows) // 50)))
    order = [r for r in order if r not in deleted]
    shifted = {n for n in range(1, number + 1) if rng.random() < 0.05}
    final_rows = []
    for r in order:
        row_number, letters, title, items = rows[r]
        if row_number in shifted and letters:
            letters = tuple(chr(ord(x) + 1) for x in letters)
        final_rows.append((row_number, letters, title, items))
    for _ in range(max(1, len(rows) // 50)):
        final_rows.insert(rng.randrange(len(final_rows)),
                          (rng.randint(1, number), (), " ".join(_words(rng, 3)), {}))
    # Each kept row found again by its title (unique: it holds unique words).
    position = {title: i for i, (_n, _l, title, _items) in enumerate(final_rows)}
    truth = {action: (position[rows[r][2]], item)
             for r in order for action, item in truth_rows[r]}
    return matrix, detail_units(final_rows), truth


def run_once(n_actions: int, seed: int) -> tuple[float, int, int, int]:
    """(seconds, right, reported, wrong_confident) of one link() call."""
    matrix, units, truth = synthetic(n_actions, seed)
    started = time.perf_counter()
    links = link(matrix, units)
    seconds = time.perf_counter() - started
    right = reported = wrong = 0
    for found in links:
        expected = truth.get(found.matrix_index)
        got = (found.unit.detail_index, found.unit.item) if found.unit else None
        if got == expected and (found.confident or got is None):
            right += 1
        elif got is not None and found.confident:
            wrong += 1
        else:
            reported += 1
    return seconds, right, reported, wrong


def measure(repeat: int) -> list[dict]:
    results = []
    for size in SIZES:
        run_once(size, 0)  # warm-up: imports, vocabulary caches
        times, outcome = [], None
        for r in range(repeat):
            seconds, right, reported, wrong = run_once(size, 1000 + r)
            times.append(seconds)
            outcome = (right, reported, wrong) if outcome is None else tuple(
                a + b for a, b in zip(outcome, (right, reported, wrong), strict=True))
        results.append({"actions": size, "median": statistics.median(times),
                        "min": min(times), "right": outcome[0], "reported": outcome[1],
                        "wrong": outcome[2], "total": size * repeat})
    return results


def section(results: list[dict], repeat: int) -> str:
    cpu = platform.processor() or platform.machine()
    lines = [
        "## Linking: time against annex size",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.node() or 'this machine'}"
        f" ({cpu}, {os.cpu_count()} CPUs shared with other jobs, Python "
        f"{platform.python_version()}), by `make bench-link`, {repeat} seeded annexes per "
        "size, misaligned (rows swapped, moved, deleted, extra rows, letters shifted). Time "
        "is one `normalize.link.link` call: tokens, similarity of every pair, the "
        "assignment, the margins.",
        "",
        "| actions | median s | min s | x time per x actions | right | reported | wrong "
        "confident |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    previous = None
    for row in results:
        growth = ""
        if previous:
            factor = row["actions"] / previous["actions"]
            growth = f"{row['median'] / previous['median']:.1f} per {factor:.0f}"
        lines.append(f"| {row['actions']} | {row['median']:.3f} | {row['min']:.3f} | {growth} "
                     f"| {row['right']}/{row['total']} | {row['reported']} | {row['wrong']} |")
        previous = row
    last = results[-1]
    verdict = "meets" if last["median"] < TARGET_SECONDS else "misses"
    lines += ["", f"Target: {SIZES[-1]} actions in under {TARGET_SECONDS:.0f} s, growth no "
              f"worse than quadratic: this run **{verdict}** it ({last['median']:.2f} s). "
              "*Right*: linked to the true unit and confident (or unlinked where the row was "
              "deleted); *reported*: unlinked or not confident, with a reason; *wrong "
              "confident*: never allowed."]
    return "\n".join(lines) + "\n"


def write_readme(text_section: str) -> None:
    replace_block(README, START, END, text_section)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="annexes per size (default 3)")
    parser.add_argument("--no-readme", action="store_true",
                        help="print the results only, do not rewrite bench/README.md")
    args = parser.parse_args()
    results = measure(args.repeat)
    text = section(results, args.repeat)
    print(text)
    if not args.no_readme:
        write_readme(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
