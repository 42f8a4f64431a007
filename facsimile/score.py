"""Score what a reader read (a RawAnnex) against a generated layout's truth dict.

    from extract import read_annex
    from facsimile.score import score
    result = score(read_annex(pdf), json.loads(truth_path.read_text()))
    result.fields, result.timeline          # Counts(equal, total)
    result.by_field["matrix.title"]          # per field kind
    result.mismatches[:5]                    # what differed, and where

Fields are compared as printed text with runs of white space squashed to one space
(a line break is not part of a cell's content). Timeline cells are compared over the
whole grid: every action x year x period, blank included, so a missing fill and an
invented one both count. Rows are matched by their key (action id; detail number,
letters and occurrence), never by position alone, so one lost row costs that row only.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

PARTY_GROUPS = ("employers", "employees", "education", "regions", "ministries")
TO_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Counts:
    equal: int = 0
    total: int = 0

    @property
    def share(self) -> float:
        return self.equal / self.total if self.total else 1.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.equal + other.equal, self.total + other.total)


@dataclass
class Score:
    by_field: dict[str, Counts] = field(default_factory=dict)
    timeline: Counts = Counts()
    mismatches: list[str] = field(default_factory=list)

    @property
    def fields(self) -> Counts:
        total = Counts()
        for counts in self.by_field.values():
            total = total + counts
        return total

    def add(self, kind: str, found: object, wanted: object, where: str) -> None:
        same = found == wanted
        before = self.by_field.get(kind, Counts())
        self.by_field[kind] = Counts(before.equal + same, before.total + 1)
        if not same:
            self.mismatches.append(f"{kind} {where}: read {found!r}, truth {wanted!r}")

    def perfect(self) -> bool:
        return self.fields.equal == self.fields.total and \
            self.timeline.equal == self.timeline.total


def squash(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def _text(span) -> str:
    return squash(span.text) if span is not None else ""


def block_text(markup: str) -> str:
    """Reader text (markup or blocks joined) -> comparable text: tags, entities and bullets
    dropped (the PDF reader still writes <p> markup; issue 9 item 4 replaces it)."""
    text = html.unescape(_TAG.sub(" ", markup or "")).replace("•", " ")
    return squash(text)


def lines_text(lines: list[str]) -> str:
    return squash(" ".join(line.removeprefix("• ") for line in lines))


def _matrix(result: Score, raw, truth: dict) -> None:
    read: dict[str, object] = {}
    for row in raw.matrix_rows:
        action_id = _text(row.number) + (_text(row.letter) if row.letter else "")
        read.setdefault(action_id, row)
    years = truth["timeline_years"]
    periods = truth["periods_per_year"]
    equal = total = 0
    for action in truth["actions"]:
        action_id = action["action_id"]
        row = read.get(action_id)
        where = f"action {action_id}"
        result.add("matrix.row", row is not None, True, where)
        if row is None:
            for kind in ("title", "ambition", *(f"party.{g}" for g in PARTY_GROUPS)):
                result.add(f"matrix.{kind}", None, "(row)", where)
            total += len(years) * periods
            continue
        result.add("matrix.title", _text(row.title), squash(action["title"]), where)
        result.add("matrix.ambition", _text(row.ambition), squash(action["ambition"]), where)
        for group in PARTY_GROUPS:
            result.add(f"matrix.party.{group}", _text(row.parties.get(group)),
                       squash(action["parties"][group]), where)
        wanted = {(c["year"], c["period"]): c["class"] for c in action["cells"]}
        found = {(c.year, c.period): c.colour_class for c in (row.timeline or ())}
        for year in years:
            for period in range(1, periods + 1):
                total += 1
                a, b = found.get((year, period)), wanted.get((year, period))
                if a == b:
                    equal += 1
                else:
                    result.mismatches.append(
                        f"timeline {where} {year}/{period}: read {a!r}, truth {b!r}")
    extra = [key for key in read if key not in {a["action_id"] for a in truth["actions"]}]
    for key in extra:
        result.add("matrix.row", "extra", "none", f"action {key}")
    result.timeline = Counts(equal, total)


def _detail_key(number: str, letters: str, seen: Counter) -> tuple[str, str, int]:
    letters = " ".join(re.findall(r"[a-z]", letters or ""))
    key = (number, letters)
    seen[key] += 1
    return (number, letters, seen[key])


def _detail(result: Score, raw, truth: dict) -> None:
    seen: Counter = Counter()
    read = {}
    for row in raw.detail_rows:
        key = _detail_key(_text(row.number), _text(row.letters), seen)
        read[key] = row
    seen = Counter()
    wanted_keys = set()
    for expected in truth["detail_rows"]:
        key = _detail_key(expected["number"], expected["letters"], seen)
        wanted_keys.add(key)
        row = read.get(key)
        where = f"detail {key[0]}{key[1].replace(' ', '')}#{key[2]}"
        result.add("detail.row", row is not None, True, where)
        if row is None:
            for kind in ("ambition", "initiator", "action", "status"):
                result.add(f"detail.{kind}", None, "(row)", where)
            continue
        result.add("detail.ambition", _text(row.ambition), squash(expected["ambition"]), where)
        result.add("detail.initiator", _text(row.initiator), squash(expected["initiator"]),
                   where)
        result.add("detail.action", block_text(row.action_text.plain()),
                   lines_text(expected["action_lines"]), where)
        result.add("detail.status", block_text(row.status.plain()),
                   lines_text(expected["status_lines"]), where)
    for key in read:
        if key not in wanted_keys:
            result.add("detail.row", "extra", "none", f"detail {key}")


def _footnotes(result: Score, raw, truth: dict) -> None:
    read = {}
    for note in raw.footnotes:
        # A marker read as '[1]' or '(1)' names footnote 1, as a superscript does.
        read.setdefault(_text(note.marker).translate(TO_DIGITS).strip("[]()"), note)
    for expected in truth["footnotes"]:
        marker = expected["marker_printed"]
        note = read.get(marker)
        where = f"footnote {marker}"
        result.add("footnote.text", _text(note.text) if note else None,
                   squash(expected["text"]), where)


def score(raw, truth: dict) -> Score:
    """Per-field and per-timeline-cell counts of equal/total, and the mismatches."""
    result = Score()
    result.add("annex.timeline_years", list(raw.timeline_years), truth["timeline_years"],
               "matrix header")
    result.add("annex.periods_per_year", raw.periods_per_year, truth["periods_per_year"],
               "matrix header")
    _matrix(result, raw, truth)
    _detail(result, raw, truth)
    _footnotes(result, raw, truth)
    return result
