"""Linking matrix actions to the detail rows that describe them.

Keys alone are not enough: a detail row may cover two actions ('b c'), hold
several actions as embedded sub-items ('a. ... b. ...'), or carry letters
shifted by one against the matrix. Both tables list the actions in the same
order, so the links are found as the best monotone alignment of the two
sequences, scored by title similarity plus a bonus where the keys agree. Every
link then gets a method and a confidence that say how it was made.
"""

from __future__ import annotations

from dataclasses import dataclass

from normalize.similarity import Corpus, coverage, tokens

# Alignment scores. A pair scores its title similarity (0..1) plus key bonuses,
# minus a base cost so that a poor pair loses to leaving the action unlinked.
NUMBER_BONUS = 0.25
KEY_BONUS = 0.15
PAIR_COST = 0.45
SHARED_UNIT_COST = 0.30  # two actions on one detail unit that is not marked combined
UNUSED_ROW_COST = 0.40  # a detail row that no action uses is as suspect as an unlinked action

# Confidence: the title similarity a link needs, by how it was made.
MIN_SIMILARITY = {
    "key+title": 0.50,
    "key": 0.20,
    "combined": 0.35,
    "embedded": 0.35,
    "title_only": 0.60,
}


@dataclass(frozen=True)
class MatrixKey:
    number: int
    letter: str | None
    title: str


@dataclass(frozen=True)
class DetailUnit:
    """A linkable piece of a detail row: its head, or one embedded sub-item."""

    detail_index: int
    number: int
    letters: tuple[str, ...]  # the letters this unit claims by key
    item: str | None  # the embedded sub-item's letter, None for the head
    text: str


@dataclass(frozen=True)
class Link:
    matrix_index: int
    unit: DetailUnit | None
    method: str
    score: float | None  # title similarity, 0..100
    confident: bool


def detail_units(
    rows: list[tuple[int, tuple[str, ...], str, dict[str, str]]],
) -> list[DetailUnit]:
    """Units of each detail row given as (number, letters, title, sub-items by letter)."""
    units: list[DetailUnit] = []
    for index, (number, letters, title, items) in enumerate(rows):
        units.append(DetailUnit(index, number, letters, None, title))
        units.extend(DetailUnit(index, number, (letter,), letter, text)
                     for letter, text in items.items())
    return units


def link(matrix: list[MatrixKey], units: list[DetailUnit]) -> list[Link]:
    unit_words = [tokens(unit.text) for unit in units]
    corpus = Corpus.of(unit_words)
    similarity = [[coverage(tokens(m.title), words, corpus) for words in unit_words]
                  for m in matrix]
    choice = _align(matrix, units, similarity)
    return [_classify(i, matrix[i], units, choice[i], similarity[i]) for i in range(len(matrix))]


def _key_equal(m: MatrixKey, unit: DetailUnit) -> bool:
    if m.number != unit.number:
        return False
    return m.letter in unit.letters if m.letter else not unit.letters


def _pair_score(m: MatrixKey, unit: DetailUnit, sim: float) -> float:
    number_equal = m.number == unit.number
    return sim + NUMBER_BONUS * number_equal + KEY_BONUS * _key_equal(m, unit) - PAIR_COST


def _align(
    matrix: list[MatrixKey], units: list[DetailUnit], similarity: list[list[float]]
) -> list[int | None]:
    """Best monotone assignment of matrix rows to units (None: unlinked).

    best[j] is the best total so far with unit j the last one used (j = -1:
    none yet). A row may reuse the previous row's unit, at a cost unless the
    unit is marked combined ('b c'); jumping over whole detail rows costs for
    each row left unused. Sizes are tens of rows, so the quadratic step is cheap.
    """
    n_units = len(units)
    row_of = [unit.detail_index for unit in units]
    n_rows = max(row_of, default=-1) + 1

    def skipped(state: int, u: int) -> float:
        before = row_of[state] if state >= 0 else -1
        return UNUSED_ROW_COST * max(0, row_of[u] - before - 1)

    best = {-1: 0.0}
    back: list[dict[int, tuple[int, int | None]]] = []
    for i, m in enumerate(matrix):
        step: dict[int, tuple[int, int | None]] = {}
        new_best: dict[int, float] = {}
        # Unlinked: keep the state.
        for j, total in best.items():
            new_best[j], step[j] = total, (j, None)
        for u in range(n_units):
            pair = _pair_score(m, units[u], similarity[i][u])
            candidates = [(total + pair - skipped(j, u), j) for j, total in best.items() if j < u]
            if u in best:
                shared = 0.0 if len(units[u].letters) > 1 else SHARED_UNIT_COST
                candidates.append((best[u] + pair - shared, u))
            if not candidates:
                continue
            total, previous = max(candidates)
            if total > new_best.get(u, float("-inf")):
                new_best[u], step[u] = total, (previous, u)
        best = new_best
        back.append(step)
    def final(j: int) -> float:
        last = row_of[j] if j >= 0 else -1
        return best[j] - UNUSED_ROW_COST * (n_rows - 1 - last)

    state = max(best, key=lambda j: (final(j), -j))
    choice: list[int | None] = [None] * len(matrix)
    for i in range(len(matrix) - 1, -1, -1):
        previous, used = back[i][state]
        choice[i] = used
        state = previous
    return choice


def _classify(
    index: int, m: MatrixKey, units: list[DetailUnit], chosen: int | None, sims: list[float]
) -> Link:
    if chosen is None:
        best = max(sims, default=0.0)
        return Link(index, None, "unlinked", round(best * 100, 1) if sims else None, False)
    unit = units[chosen]
    sim = sims[chosen]
    key_equal = _key_equal(m, unit)
    if unit.item is not None:
        method = "embedded"
    elif len(unit.letters) > 1 and m.letter in unit.letters and m.number == unit.number:
        method = "combined"
    elif key_equal:
        method = "key+title" if sim >= MIN_SIMILARITY["key+title"] else "key"
    else:
        method = "title_only"
    return Link(index, unit, method, round(sim * 100, 1), sim >= MIN_SIMILARITY[method])
