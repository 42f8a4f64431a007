"""Linking on detail tables that misalign with their matrix, with known truth.

tests/annexgen.generate_misaligned(seed) changes a generated annex's detail table
the ways annex versions differ: rows swapped, moved, deleted, inserted (some as
decoys sharing words and keys with a real row), merged into combined rows or
split from them, letters shifted, numbers renumbered, embedded sub-items in every
labelling and layout, keys in every notation, footnote markers as '[n]' / '(n)'.
For every variant each action's link must equal the truth, or the action must be
reported (unlinked, or linked but not confident) with its reason. A wrong
confident link is the one outcome never allowed.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from extract import read_annex
from normalize import normalize_annex
from tests.annexgen import generate_misaligned

VARIANTS = range(520)
# Over many variants nearly every action must be linked right and confidently: a
# linker that reports everything as doubtful is honest but useless.
MIN_CONFIDENT_CORRECT = 0.97


def _text(value) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


@cache
def _outcome(seed: int, folder: str) -> tuple[Counter, list[str], list[str]]:
    """(counts, problems, operations) of one variant."""
    text, truth, link_truth = generate_misaligned(seed)
    path = Path(folder) / f"misaligned-{seed}.txt"
    path.write_text(text, encoding="utf-8")
    tables = normalize_annex(read_annex(path))
    counts: Counter = Counter()
    problems: list[str] = []
    unused = []
    for row in tables.links.to_dict("records"):
        action = _text(row["action_id"])
        if action is None:
            unused.append(row["detail_ref"])
            continue
        expected = link_truth.expected[action]
        got = None if row["method"] == "unlinked" else (row["detail_ref"],
                                                       _text(row["detail_item"]))
        if got == expected and (row["confident"] or got is None):
            counts["confident-correct" if got else "deleted-unlinked"] += 1
        elif got is not None and row["confident"]:
            counts["wrong-confident"] += 1
            problems.append(f"{action}: linked confidently to {got}, truth {expected} "
                            f"(method {row['method']}, score {row['score']}, "
                            f"margin {row['margin']})")
        else:
            counts["reported"] += 1
            if not _text(row["reason"]):
                problems.append(f"{action}: reported ({row['method']}) without a reason")
    for ref in link_truth.unused:
        if ref not in unused:
            # An extra row may be taken only by a link that says it is unsure.
            taken = tables.links[(tables.links.detail_ref == ref) & tables.links.confident]
            if len(taken) and ref not in {r for r, _ in filter(None,
                                                               link_truth.expected.values())}:
                problems.append(f"extra row {ref} used by a confident link")
    return counts, problems, link_truth.operations


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> str:
    return str(tmp_path_factory.mktemp("misaligned"))


@pytest.mark.parametrize("seed", VARIANTS)
def test_misaligned_links_are_true_or_reported(seed, folder):
    counts, problems, operations = _outcome(seed, folder)
    assert not problems, (f"seed={seed} ({'; '.join(operations)}); reproduce with "
                          f"tests.annexgen.generate_misaligned({seed}):\n" + "\n".join(problems))


def test_misaligned_links_are_mostly_confident_and_every_operation_occurs(folder):
    totals: Counter = Counter()
    kinds: Counter = Counter()
    for seed in VARIANTS:
        counts, _problems, operations = _outcome(seed, folder)
        totals.update(counts)
        kinds.update(op.split(" ")[0] + (" " + op.split(" ")[-1] if "shifted" in op else "")
                     for op in operations)
    linkable = totals["confident-correct"] + totals["reported"]
    assert totals["wrong-confident"] == 0
    assert totals["confident-correct"] / linkable >= MIN_CONFIDENT_CORRECT, totals
    assert totals["deleted-unlinked"] > 0, totals
    for kind in ("rows", "row", "extra", "decoy", "letters", "detail", "combined", "keys",
                 "footnote"):
        assert any(k.startswith(kind) for k in kinds), (kind, kinds)
