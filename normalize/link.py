"""Linking matrix actions to the detail units that describe them, as one global assignment.

Keys alone are not enough: a detail row may cover two actions ('b c'), hold
several actions as embedded sub-items ('a. ... b. ...'), carry letters shifted
against the matrix, be printed in another order, be missing, or be extra. So
every action is assigned to at most one detail unit (a row's head or one of its
sub-items) by a minimum-cost assignment over all actions at once: title
similarity is the main signal, equal keys are a bonus, and the distance from
where the printed order puts the action is a small cost. A unit serves one
action, a combined head ('b c') as many as it names. Leaving an action unlinked
costs nothing, so a link must earn more than `pair_cost` to be made at all.

Every link then carries its evidence (key match, title score, displacement,
margin to the runner-up) and a confidence: a link is confident only when its
title score reaches the minimum for how it was made and the runner-up is not
about as good (validation warns about confident links with a small margin).
An action without a link says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components, min_weight_full_bipartite_matching

from normalize.similarity import coverage_matrix, tokens


def _default_min_similarity() -> MappingProxyType:
    return MappingProxyType({
        "key+title": 0.50,  # keys equal: half the title's weight found is plenty
        "key": 0.20,  # keys equal, titles weakly alike (long detail titles, other words)
        "combined": 0.35,
        "embedded": 0.35,
        "title_only": 0.60,  # against the key: the title has to carry it alone
    })


@dataclass(frozen=True)
class LinkSettings:
    """Weights of the assignment and the limits of confidence (similarity is 0..1)."""

    # The printed numbers agree: evidence, not proof (versions get renumbered).
    number_bonus: float = 0.25
    # Number and letter agree.
    key_bonus: float = 0.15
    # What a pair must earn to be linked at all rather than left unlinked.
    pair_cost: float = 0.45
    # Cost of a unit this many positions (or more) away from where the action's
    # printed position predicts; linear below. A tie-breaker between equal
    # titles, small against any real difference in title similarity.
    displacement_cost: float = 0.10
    displacement_cap: float = 10.0
    # The cheapest alternative assignment is this close or closer: a coin toss,
    # not a confident link.
    ambiguous_margin: float = 0.05
    # A 'key' link (keys equal, title weak) needs this many neighbouring actions
    # linked by equal keys and a real title match; see _key_links_in_context.
    key_link_agreeing_neighbours: int = 1
    # Margins are exact (the assignment solved again without the link) within
    # connected parts of the candidate graph up to this many actions; beyond, the
    # cheapest of the simple alternatives (see _simple_margin) keeps it fast.
    exact_margin_actions: int = 150
    min_similarity: MappingProxyType = field(default_factory=_default_min_similarity)
    # Weight of the dummy "unlinked" edge; real edges weigh edge_base - score,
    # kept positive because a sparse matrix cannot hold an edge of weight 0.
    edge_base: float = 3.0


SETTINGS = LinkSettings()


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
    ref: str = ""  # the detail row's key as published ('6b+6c'), for reasons

    @property
    def capacity(self) -> int:
        """How many actions the unit may serve: a combined head one per letter."""
        return max(1, len(self.letters)) if self.item is None else 1


@dataclass(frozen=True)
class Link:
    matrix_index: int
    unit: DetailUnit | None
    method: str
    score: float | None  # title similarity, 0..100
    confident: bool
    key_match: str = "none"  # "number+letter", "number" or "none"
    displacement: int | None = None  # positions from where the printed order puts it
    margin: float | None = None  # how much worse the best alternative is (0..100 scale)
    reason: str | None = None  # why it is unlinked or not confident


def detail_units(
    rows: list[tuple[int, tuple[str, ...], str, dict[str, str]]],
    refs: list[str] | None = None,
) -> list[DetailUnit]:
    """Units of each detail row given as (number, letters, title, sub-items by letter)."""
    units: list[DetailUnit] = []
    for index, (number, letters, title, items) in enumerate(rows):
        ref = refs[index] if refs else str(number)
        units.append(DetailUnit(index, number, letters, None, title, ref))
        units.extend(DetailUnit(index, number, (letter,), letter, text, ref)
                     for letter, text in items.items())
    return units


def key_match(m: MatrixKey, unit: DetailUnit) -> str:
    if m.number != unit.number:
        return "none"
    if (m.letter in unit.letters) if m.letter else not unit.letters:
        return "number+letter"
    return "number"


@dataclass(frozen=True)
class _Pairs:
    """Every pair that could be linked: its action, unit, title similarity and score
    (similarity + key bonuses - pair cost - displacement cost), score > 0 only.
    Pairs that score lower can never be in the optimum: leaving the action unlinked
    is better. Kept sparse, so annexes of thousands of actions stay cheap."""

    action: np.ndarray
    unit: np.ndarray
    similarity: np.ndarray
    score: np.ndarray
    best_similarity: np.ndarray  # per action, over all units (for unlinked reasons)
    best_unit: np.ndarray  # per action, the unit of best_similarity
    expected: np.ndarray  # per unit, where the printed order puts it (action index)
    similarity_of: dict[tuple[int, int], float]  # every pair sharing a word
    rows: dict[int, list[int]]  # action -> its positions in the arrays above

    def row(self, a: int) -> dict[int, float]:
        """The action's candidates: unit -> score."""
        return {int(self.unit[i]): float(self.score[i]) for i in self.rows.get(a, [])}


def _pairs(matrix: list[MatrixKey], units: list[DetailUnit], s: LinkSettings) -> _Pairs:
    similarity = coverage_matrix([tokens(m.title) for m in matrix],
                                 [tokens(u.text) for u in units]).tocoo()
    sim_of = {(int(a), int(u)): float(v)
              for a, u, v in zip(similarity.row, similarity.col, similarity.data, strict=True)}
    by_number: dict[int, list[int]] = {}
    for u, unit in enumerate(units):
        by_number.setdefault(unit.number, []).append(u)
    keyed = {(a, u) for a, m in enumerate(matrix) for u in by_number.get(m.number, [])}
    pairs = sorted(set(sim_of) | keyed)
    action = np.array([a for a, _ in pairs], dtype=np.int64)
    unit = np.array([u for _, u in pairs], dtype=np.int64)
    sim = np.array([sim_of.get(pair, 0.0) for pair in pairs])
    number_equal = np.array([pair in keyed for pair in pairs], dtype=float)
    key_equal = np.array([pair in keyed and key_match(matrix[pair[0]], units[pair[1]])
                          == "number+letter" for pair in pairs], dtype=float)
    # The printed order predicts where each action's unit is: units in order, a
    # combined head taking one place per letter, scaled to the matrix length.
    capacity = np.array([u.capacity for u in units], dtype=float)
    places = np.concatenate(([0.0], np.cumsum(capacity)[:-1]))
    expected = places * max(len(matrix) - 1, 0) / max(capacity.sum() - 1, 1)
    moved = np.minimum(np.abs(action - expected[unit]), s.displacement_cap) \
        / s.displacement_cap if len(pairs) else np.zeros(0)
    score = (sim + s.number_bonus * number_equal + s.key_bonus * key_equal
             - s.pair_cost - s.displacement_cost * moved)
    best_similarity = np.zeros(len(matrix))
    best_unit = np.zeros(len(matrix), dtype=np.int64)
    for (a, u), v in sim_of.items():
        if v > best_similarity[a] or (v == best_similarity[a] and u < best_unit[a]):
            best_similarity[a], best_unit[a] = v, u
    keep = score > 0
    rows: dict[int, list[int]] = {}
    for i, a in enumerate(action[keep].tolist()):
        rows.setdefault(a, []).append(i)
    return _Pairs(action[keep], unit[keep], sim[keep], score[keep], best_similarity,
                  best_unit, expected, sim_of, rows)


def _assign(n_actions: int, action: np.ndarray, unit: np.ndarray, score: np.ndarray,
            capacity: np.ndarray, s: LinkSettings) -> tuple[list[int | None], float]:
    """The minimum-cost assignment over the candidate pairs (for each action a unit
    index or None) and its total score, by LAPJVsp (scipy's
    min_weight_full_bipartite_matching): exact, and fast on sparse graphs. Each
    unit is `capacity` slots; each action has its own 'unlinked' column."""
    if n_actions == 0:
        return [], 0.0
    slot_unit = np.repeat(np.arange(len(capacity)), capacity)
    first_slot = np.concatenate(([0], np.cumsum(capacity)[:-1])).astype(np.int64)
    copies = capacity[unit]
    rows = np.repeat(action, copies)
    within = np.arange(len(rows)) - np.repeat(np.cumsum(copies) - copies, copies)
    cols = np.repeat(first_slot[unit], copies) + within
    weights = s.edge_base - np.repeat(score, copies)
    n_slots = len(slot_unit)
    rows = np.concatenate((rows, np.arange(n_actions)))
    cols = np.concatenate((cols, n_slots + np.arange(n_actions)))
    weights = np.concatenate((weights, np.full(n_actions, s.edge_base)))
    graph = sparse.csr_array((weights, (rows, cols)), shape=(n_actions, n_slots + n_actions))
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    choice: list[int | None] = [None] * n_actions
    for a, slot in zip(row_ind.tolist(), col_ind.tolist(), strict=True):
        choice[a] = int(slot_unit[slot]) if slot < n_slots else None
    pair_score = {(int(a), int(u)): float(v) for a, u, v in zip(action, unit, score,
                                                                 strict=True)}
    total = sum(pair_score[(a, u)] for a, u in enumerate(choice) if u is not None)
    return choice, total


def link(matrix: list[MatrixKey], units: list[DetailUnit],
         settings: LinkSettings = SETTINGS) -> list[Link]:
    if not matrix:
        return []
    if not units:
        return [Link(i, None, "unlinked", None, False,
                     reason="the detail table has no rows") for i in range(len(matrix))]
    pairs = _pairs(matrix, units, settings)
    capacity = np.array([u.capacity for u in units], dtype=np.int64)
    choice, _total = _assign(len(matrix), pairs.action, pairs.unit, pairs.score, capacity,
                             settings)
    margins = _margins(len(matrix), pairs, capacity, choice, settings)
    links = [_classify(i, matrix, units, choice, pairs, margins[i], settings)
             for i in range(len(matrix))]
    return _key_links_in_context(links, settings)


def _key_links_in_context(links: list[Link], s: LinkSettings) -> list[Link]:
    """A link made by key with a weak title (method 'key') is only as good as the
    keys around it: where the neighbouring actions are not linked by equal keys
    (a renumbered or shifted stretch), an equal key is a coincidence, not evidence."""
    out = list(links)
    for i, found in enumerate(links):
        if found.method != "key" or not found.confident:
            continue
        neighbours = [links[j] for j in (i - 1, i + 1) if 0 <= j < len(links)]
        agreeing = [n for n in neighbours if n.unit is not None
                    and n.key_match == "number+letter" and n.method != "key"]
        if len(agreeing) < min(s.key_link_agreeing_neighbours, len(neighbours)):
            out[i] = replace(found, confident=False,
                             reason="linked by key alone where the neighbouring keys "
                                    "do not agree")
    return out


def _margins(n_actions: int, pairs: _Pairs, capacity: np.ndarray,
             choice: list[int | None], s: LinkSettings) -> list[float | None]:
    """For each linked action, how much worse the best assignment without that
    link is: the assignment solved again with the pair forbidden, within the
    pair's connected part of the candidate graph (exact). An action alone in its
    part has only its next-best unit, or none, as alternative."""
    margins: list[float | None] = [None] * n_actions
    n_units = len(capacity)
    graph = sparse.csr_array((np.ones(len(pairs.action)), (pairs.action, pairs.unit)),
                             shape=(n_actions, n_units))
    both = sparse.block_array([[None, graph], [graph.T, None]]).tocsr()
    _n, label = connected_components(both, directed=False)
    action_label = label[:n_actions]
    pair_label = action_label[pairs.action]
    order = np.argsort(pair_label, kind="stable")
    bounds = np.searchsorted(pair_label[order], np.unique(action_label))
    groups = np.split(order, bounds[1:])
    for group in groups:
        if not len(group):
            continue
        members = sorted(set(pairs.action[group].tolist()))
        linked = [a for a in members if choice[a] is not None]
        if not linked:
            continue
        if len(members) == 1:
            a = members[0]
            own = pairs.score[group][pairs.unit[group] == choice[a]].max()
            others = pairs.score[group][pairs.unit[group] != choice[a]]
            margins[a] = float(own - max(0.0, float(others.max(initial=0.0))))
            continue
        if len(members) > s.exact_margin_actions:
            for a in linked:
                margins[a] = _simple_margin(pairs, capacity, choice, a)
            continue
        local_units = sorted(set(pairs.unit[group].tolist()))
        a_index = {a: i for i, a in enumerate(members)}
        u_index = {u: i for i, u in enumerate(local_units)}
        sub_a = np.array([a_index[a] for a in pairs.action[group].tolist()])
        sub_u = np.array([u_index[u] for u in pairs.unit[group].tolist()])
        sub_score = pairs.score[group]
        sub_capacity = capacity[local_units]
        _choice, total = _assign(len(members), sub_a, sub_u, sub_score, sub_capacity, s)
        for a in linked:
            keep = ~((sub_a == a_index[a]) & (sub_u == u_index[choice[a]]))
            _other, without = _assign(len(members), sub_a[keep], sub_u[keep],
                                      sub_score[keep], sub_capacity, s)
            margins[a] = total - without
    return margins


def _simple_margin(pairs: _Pairs, capacity: np.ndarray, choice: list[int | None],
                   a: int) -> float:
    """The cheapest of: leave the action unlinked; move it to another unit (evicting
    that unit's cheapest holder when it is full); swap with a rival for its unit.
    Each is a feasible assignment, so this can only overstate the exact margin,
    when a longer chain of moves would cost less."""
    score = {(int(x), int(u)): float(v)
             for x, u, v in zip(pairs.action, pairs.unit, pairs.score, strict=True)}
    holders: dict[int, list[int]] = {}
    for b, u in enumerate(choice):
        if u is not None:
            holders.setdefault(u, []).append(b)

    def own(b: int) -> float:
        return score[(b, choice[b])] if choice[b] is not None else 0.0

    u = choice[a]
    mine = own(a)
    best = mine
    for other, value in pairs.row(a).items():
        if other == u:
            continue
        held = holders.get(other, [])
        evict = min((own(b) for b in held), default=0.0) if len(held) >= capacity[other] \
            else 0.0
        best = min(best, mine - value + evict)
    for (rival, unit), value in score.items():
        if unit != u or choice[rival] == u:
            continue
        theirs = choice[rival]
        back = score.get((a, theirs), 0.0) if theirs is not None else 0.0
        best = min(best, mine + own(rival) - value - max(back, 0.0))
    return best


def _classify(index: int, matrix: list[MatrixKey], units: list[DetailUnit],
              choice: list[int | None], pairs: _Pairs, margin: float | None,
              s: LinkSettings) -> Link:
    m = matrix[index]
    chosen = choice[index]
    if chosen is None:
        return _unlinked(index, units, choice, pairs)
    unit = units[chosen]
    sim = pairs.similarity_of.get((index, chosen), 0.0)
    match = key_match(m, unit)
    if unit.item is not None:
        method = "embedded"
    elif len(unit.letters) > 1 and match == "number+letter":
        method = "combined"
    elif match == "number+letter":
        method = "key+title" if sim >= s.min_similarity["key+title"] else "key"
    else:
        method = "title_only"
    reason = None
    if sim < s.min_similarity[method]:
        reason = f"title score below {s.min_similarity[method] * 100:.0f} for method {method}"
    elif margin is not None and margin < s.ambiguous_margin:
        reason = "another assignment is about as good"
    displacement = int(round(abs(index - float(pairs.expected[chosen]))))
    return Link(index, unit, method, round(sim * 100, 1), reason is None, match,
                displacement, round(margin * 100, 1) if margin is not None else None, reason)


def _unlinked(index: int, units: list[DetailUnit], choice: list[int | None],
              pairs: _Pairs) -> Link:
    sim = round(float(pairs.best_similarity[index]) * 100, 1)
    candidates = pairs.row(index)
    if candidates:
        best = max(candidates, key=lambda u: (candidates[u], -u))
        unit = units[best]
        taken_by = [a for a, u in enumerate(choice) if u == best]
        reason = (f"its best candidate {_name(unit)} serves another action"
                  + (f" (matrix row {taken_by[0] + 1})" if taken_by else ""))
    else:
        unit = units[int(pairs.best_unit[index])]
        reason = (f"no detail row scores above the link threshold "
                  f"(best: {_name(unit)}, title {sim})")
    return Link(index, None, "unlinked", sim, False, reason=reason)


def _name(unit: DetailUnit) -> str:
    return unit.ref + (f" item {unit.item}" if unit.item else "")
