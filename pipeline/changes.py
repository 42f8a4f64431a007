"""What changed from one annex version to the next, action by action.

Actions are matched by title, not only by number, so an action that moved
(17d becomes 17c when 17c is dropped) is reported as renumbered rather than
as one removed and one added. Then, for every matched pair, the fields an
analyst follows: title, status text, initiators, the five party columns and
the timeline years.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa
from rapidfuzz import fuzz

from normalize.similarity import tokens
from pipeline.worddiff import list_diff, word_diff

ADDED, REMOVED, RENUMBERED, CHANGED = "added", "removed", "renumbered", "changed"
CHANGE_ORDER = (REMOVED, ADDED, RENUMBERED, CHANGED)
PARTY_FIELDS = ("employers", "employees", "education", "regions", "ministries")
YEAR_FIELDS = ("years_active", "milestone_years")
COMPARED_FIELDS = ("title", "status_text", "initiators", *PARTY_FIELDS, *YEAR_FIELDS)
LIST_SEPARATOR = ";"  # as in the published CSV

# Title similarity (0-100, rapidfuzz token_sort_ratio on the folded, stopword-free
# words of normalize.similarity). The closest two different actions of the 2013
# annex score 81 (6b/6c: "Ontwikkeling" / "Experimenten Vakmanschaps- en
# Technologieroute"), so a match across numbers needs more than that; under the
# same number a reworded title still counts. token_set_ratio is not used: it
# gives 100 whenever one title's words are a subset of the other's (21a/21b).
SAME_NUMBER_MIN = 50.0
OTHER_NUMBER_MIN = 90.0


def _field(name: str, kind: pa.DataType, nullable: bool, description: str) -> pa.Field:
    return pa.field(name, kind, nullable=nullable, metadata={"description": description})


CHANGES_SCHEMA = pa.schema([
    _field("from_annex_id", pa.string(), False, "the older version"),
    _field("to_annex_id", pa.string(), False, "the newer version"),
    _field("change", pa.string(), False, "added, removed, renumbered or changed"),
    _field("action_id_before", pa.string(), True, "the action's id in the older version"),
    _field("action_id_after", pa.string(), True, "the action's id in the newer version"),
    _field("field", pa.string(), False,
           "what changed: title (added/removed: the action's title), action_id "
           "(renumbered), status_text, initiators, a party column, years_active, "
           "milestone_years"),
    _field("before", pa.string(), True, "the value in the older version; lists joined with ;"),
    _field("after", pa.string(), True, "the value in the newer version; lists joined with ;"),
    _field("similarity", pa.float64(), True,
           "0-1: title similarity (renumbered, title) or text similarity (status_text)"),
    _field("word_diff", pa.string(), True,
           "what changed, as [-removed-] {+added+} with a few words of context"),
], metadata={"table": "changes"})


@dataclass(frozen=True)
class Match:
    before: int | None  # index into the older version's actions
    after: int | None
    score: float | None  # title similarity 0-100


def title_similarity(a: str, b: str) -> float:
    return fuzz.token_sort_ratio(" ".join(tokens(a)), " ".join(tokens(b)))


def match_actions(before: list[dict], after: list[dict]) -> list[Match]:
    """Pair old and new actions, best title match first, a same number breaking
    ties; every action is in exactly one Match."""
    words_before = [" ".join(tokens(a["title"])) for a in before]
    words_after = [" ".join(tokens(a["title"])) for a in after]
    candidates = []
    for i, old in enumerate(before):
        for j, new in enumerate(after):
            score = fuzz.token_sort_ratio(words_before[i], words_after[j])
            same = old["action_id"] == new["action_id"]
            if score >= OTHER_NUMBER_MIN or (same and score >= SAME_NUMBER_MIN):
                candidates.append((-score, not same, i, j))
    candidates.sort()
    taken_before: dict[int, Match] = {}
    taken_after: set[int] = set()
    for negative, _, i, j in candidates:
        if i not in taken_before and j not in taken_after:
            taken_before[i] = Match(i, j, -negative)
            taken_after.add(j)
    matches = list(taken_before.values())
    matches += [Match(i, None, None) for i in range(len(before)) if i not in taken_before]
    matches += [Match(None, j, None) for j in range(len(after)) if j not in taken_after]
    return matches


def compare_versions(from_id: str, to_id: str, before: list[dict],
                     after: list[dict]) -> list[dict]:
    """The change rows from `before` (older actions) to `after`, in action order."""
    rows: list[tuple[tuple, dict]] = []
    for match in match_actions(before, after):
        old = before[match.before] if match.before is not None else None
        new = after[match.after] if match.after is not None else None
        for row in _action_changes(old, new, match.score):
            row = {"from_annex_id": from_id, "to_annex_id": to_id, **row}
            rows.append((_sort_key(old, new, row), row))
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]


def _action_changes(old: dict | None, new: dict | None, score: float | None) -> list[dict]:
    if old is None:
        return [_row(ADDED, None, new, "title", None, new["title"])]
    if new is None:
        return [_row(REMOVED, old, None, "title", old["title"], None)]
    rows = []
    if old["action_id"] != new["action_id"]:
        rows.append(_row(RENUMBERED, old, new, "action_id", old["action_id"],
                         new["action_id"], similarity=_unit(score)))
    for name in COMPARED_FIELDS:
        a, b = old[name], new[name]
        if name in YEAR_FIELDS and (a is None or b is None):
            continue  # a version without a timeline (text export): years unknown, not changed
        if _same(a, b):
            continue
        if isinstance(a, list) or isinstance(b, list):
            rows.append(_row(CHANGED, old, new, name, _joined(a), _joined(b),
                             diff=list_diff(a or [], b or [])))
        else:
            a, b = a or "", b or ""
            similarity = (title_similarity(a, b) if name == "title"
                          else fuzz.ratio(a, b))
            rows.append(_row(CHANGED, old, new, name, a, b, similarity=_unit(similarity),
                             diff=word_diff(a, b)))
    return rows


def _row(change: str, old: dict | None, new: dict | None, name: str, before, after,
         similarity: float | None = None, diff: str | None = None) -> dict:
    return {
        "change": change,
        "action_id_before": old["action_id"] if old else None,
        "action_id_after": new["action_id"] if new else None,
        "field": name, "before": before, "after": after,
        "similarity": similarity, "word_diff": diff,
    }


def _same(a, b) -> bool:
    return (a or None) == (b or None) if not isinstance(a, list) else a == b


def _joined(value: list | None) -> str | None:
    return None if value is None else LIST_SEPARATOR.join(str(item) for item in value)


def _unit(score: float | None) -> float | None:
    # Rounded so that the printed value is the same on every machine.
    return None if score is None else round(score / 100, 4)


def _sort_key(old: dict | None, new: dict | None, row: dict) -> tuple:
    action = new if new is not None else old
    field = row["field"]
    return (action["action_number"], action["action_letter"] or "",
            CHANGE_ORDER.index(row["change"]),
            COMPARED_FIELDS.index(field) if field in COMPARED_FIELDS else -1)


def changes_table(rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=CHANGES_SCHEMA)
