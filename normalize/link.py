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
    # Margins are exact (the assignment solved again without the link) for
    # connected groups of candidates up to this many actions; see _margins.
    exact_margin_actions: int = 120
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
class _Scores:
    similarity: np.ndarray  # (actions, units), 0..1
    score: np.ndarray  # similarity + key bonuses - pair cost - displacement cost
    displacement: np.ndarray  # (actions, units), positions


def _scores(matrix: list[MatrixKey], units: list[DetailUnit], s: LinkSettings) -> _Scores:
    similarity = coverage_matrix([tokens(m.title) for m in matrix],
                                 [tokens(u.text) for u in units])
    numbers = np.array([m.number for m in matrix])[:, None]
    number_equal = numbers == np.array([u.number for u in units])[None, :]
    key_equal = np.array([[key_match(m, u) == "number+letter" for u in units]
                          for m in matrix]) if number_equal.any() else number_equal
    # The printed order predicts where each action's unit is: units in order,
    # a combined head taking one place per letter, scaled to the matrix length.
    places = np.cumsum([0] + [u.capacity for u in units])[:-1].astype(float)
    n_places = max(sum(u.capacity for u in units) - 1, 1)
    expected = places * max(len(matrix) - 1, 0) / n_places
    displacement = np.abs(np.arange(len(matrix))[:, None] - expected[None, :])
    moved = np.minimum(displacement, s.displacement_cap) / s.displacement_cap
    score = (similarity + s.number_bonus * number_equal + s.key_bonus * key_equal
             - s.pair_cost - s.displacement_cost * moved)
    return _Scores(similarity, score, displacement)


def _graph(score: np.ndarray, units: list[DetailUnit], s: LinkSettings,
           forbid: tuple[int, int] | None = None) -> tuple[sparse.csr_array, list[int]]:
    """Actions x (unit slots + one 'unlinked' column per action), edge weight
    edge_base - score. Only pairs that earn more than leaving the action unlinked
    can be in the optimum, so only those become edges: the graph stays sparse."""
    n_actions = score.shape[0]
    slot_unit = [u for u, unit in enumerate(units) for _ in range(unit.capacity)]
    slots_of: dict[int, list[int]] = {}
    for slot, u in enumerate(slot_unit):
        slots_of.setdefault(u, []).append(slot)
    rows, cols, weights = [], [], []
    actions, candidates = np.nonzero(score > 0)
    for a, u in zip(actions.tolist(), candidates.tolist(), strict=True):
        if (a, u) == forbid:
            continue
        for slot in slots_of[u]:
            rows.append(a)
            cols.append(slot)
            weights.append(s.edge_base - score[a, u])
    n_slots = len(slot_unit)
    rows.extend(range(n_actions))
    cols.extend(n_slots + a for a in range(n_actions))
    weights.extend([s.edge_base] * n_actions)
    graph = sparse.csr_array((weights, (rows, cols)), shape=(n_actions, n_slots + n_actions))
    return graph, slot_unit


def _assign(score: np.ndarray, units: list[DetailUnit], s: LinkSettings,
            forbid: tuple[int, int] | None = None) -> tuple[list[int | None], float]:
    """The minimum-cost assignment (for each action a unit index or None) and its
    total score, by LAPJVsp (scipy's min_weight_full_bipartite_matching): exact,
    and near-linear on these sparse graphs for annexes of thousands of actions."""
    n_actions = score.shape[0]
    if n_actions == 0:
        return [], 0.0
    graph, slot_unit = _graph(score, units, s, forbid)
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    choice: list[int | None] = [None] * n_actions
    for a, slot in zip(row_ind.tolist(), col_ind.tolist(), strict=True):
        choice[a] = slot_unit[slot] if slot < len(slot_unit) else None
    total = sum(float(score[a, u]) for a, u in enumerate(choice) if u is not None)
    return choice, total


def link(matrix: list[MatrixKey], units: list[DetailUnit],
         settings: LinkSettings = SETTINGS) -> list[Link]:
    if not matrix:
        return []
    if not units:
        return [Link(i, None, "unlinked", None, False,
                     reason="the detail table has no rows") for i in range(len(matrix))]
    scores = _scores(matrix, units, settings)
    choice, _total = _assign(scores.score, units, settings)
    margins = _margins(scores.score, units, choice, settings)
    links = [_classify(i, matrix, units, choice, scores, margins[i], settings)
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


def _margins(score: np.ndarray, units: list[DetailUnit], choice: list[int | None],
             s: LinkSettings) -> list[float | None]:
    """For each linked action, how much worse the best assignment without that
    link is. Exact (the assignment solved again with the pair forbidden, within
    the pair's connected part of the candidate graph) where that part is at most
    `exact_margin_actions` actions; beyond, the cheapest of the simple
    alternatives, which can only overstate the margin when a longer chain of
    moves would be cheaper."""
    n_actions = score.shape[0]
    candidate = sparse.csr_array(score > 0)
    both = sparse.block_array([[None, candidate], [candidate.T, None]])
    _n, label = connected_components(both, directed=False)
    margins: list[float | None] = [None] * n_actions
    parts: dict[int, list[int]] = {}
    for a in range(n_actions):
        parts.setdefault(int(label[a]), []).append(a)
    for members in parts.values():
        linked = [a for a in members if choice[a] is not None]
        if not linked:
            continue
        part_units = sorted({u for a in members for u in np.flatnonzero(score[a] > 0).tolist()})
        if len(members) > s.exact_margin_actions:
            for a in linked:
                margins[a] = _simple_margin(score, units, choice, a)
            continue
        sub = score[np.ix_(members, part_units)]
        sub_units = [units[u] for u in part_units]
        _choice, total = _assign(sub, sub_units, s)
        for a in linked:
            forbid = (members.index(a), part_units.index(choice[a]))
            _other, without = _assign(sub, sub_units, s, forbid)
            margins[a] = total - without
    return margins


def _simple_margin(score: np.ndarray, units: list[DetailUnit], choice: list[int | None],
                   a: int) -> float:
    """The cheapest of: leave the action unlinked; move it to another unit (evicting
    that unit's cheapest holder when it is full); swap with a rival for its unit."""
    holders: dict[int, list[int]] = {}
    for b, u in enumerate(choice):
        if u is not None:
            holders.setdefault(u, []).append(b)

    def own(b: int) -> float:
        return float(score[b, choice[b]]) if choice[b] is not None else 0.0

    u = choice[a]
    mine = own(a)
    best = mine
    for other in np.flatnonzero(score[a] > 0).tolist():
        if other == u:
            continue
        held = holders.get(other, [])
        evict = min((own(b) for b in held), default=0.0) if len(held) >= units[other].capacity \
            else 0.0
        best = min(best, mine - float(score[a, other]) + evict)
    for rival in np.flatnonzero(score[:, u] > 0).tolist():
        if choice[rival] == u:
            continue
        theirs = choice[rival]
        back = max(float(score[a, theirs]), 0.0) if theirs is not None else 0.0
        best = min(best, mine + own(rival) - float(score[rival, u]) - back)
    return best


def _classify(index: int, matrix: list[MatrixKey], units: list[DetailUnit],
              choice: list[int | None], scores: _Scores, margin: float | None,
              s: LinkSettings) -> Link:
    m = matrix[index]
    sims = scores.similarity[index]
    chosen = choice[index]
    if chosen is None:
        return _unlinked(index, units, choice, scores)
    unit = units[chosen]
    sim = float(sims[chosen])
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
    return Link(index, unit, method, round(sim * 100, 1), reason is None, match,
                int(round(float(scores.displacement[index, chosen]))),
                round(margin * 100, 1) if margin is not None else None, reason)


def _unlinked(index: int, units: list[DetailUnit], choice: list[int | None],
              scores: _Scores) -> Link:
    row = scores.score[index]
    best = int(np.argmax(row))
    sim = round(float(scores.similarity[index].max()) * 100, 1)
    unit = units[best]
    name = unit.ref + (f" item {unit.item}" if unit.item else "")
    if row[best] <= 0:
        reason = f"no detail row scores above the link threshold (best: {name}, title {sim})"
    else:
        taken_by = [a for a, u in enumerate(choice) if u == best]
        reason = (f"its best candidate {name} serves another action"
                  + (f" (matrix row {taken_by[0] + 1})" if taken_by else ""))
    return Link(index, None, "unlinked", sim, False, reason=reason)
