"""Party codes (Betrokken partijen) checked against the vocabulary.

A near-miss of a known code ('nrtto') is corrected and the correction reported;
an unknown code is kept as printed so that validation rejects it visibly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

import vocab

TOKEN_SPLIT = re.compile(r"[\s,;/+&]+")
# ratio('nrtto', 'nrto') is 88.9; two-letter codes differ by 50 per letter, so
# no two real codes come near this.
CORRECTION_CUTOFF = 85.0


@dataclass(frozen=True)
class PartyCode:
    code: str
    printed: str
    known: bool
    name_nl: str | None
    correction_score: float | None  # set when the printed code was corrected
    correction_method: str | None = None


@cache
def _codes() -> dict[str, vocab.PartyCode]:
    return {entry.code: entry for entry in vocab.party_codes()}


def _plain(token: str) -> str:
    return token.replace("’", "'").replace("‘", "'").strip().lower()


def _collapse_doubled(token: str, codes: dict) -> str | None:
    """'wgg' -> 'wg': a letter typed twice, when removing one copy gives exactly one
    known code. (Similarity alone cannot: 'wgg'/'wg' score 80, as do 'hbo'/'ho'.)"""
    found = {token[:i] + token[i + 1:] for i in range(1, len(token))
             if token[i] == token[i - 1] and token[:i] + token[i + 1:] in codes}
    return found.pop() if len(found) == 1 else None


def parse_party_cell(cell: str, group: str) -> list[PartyCode]:
    """Codes in one matrix cell, e.g. 'ocw, szw ez' -> ocw, szw, ez."""
    tokens = [t for t in TOKEN_SPLIT.split(cell.strip()) if t]
    return [resolve_code(token, group) for token in tokens]


def resolve_code(printed: str, group: str) -> PartyCode:
    token = _plain(printed)
    codes = _codes()
    if token in codes:
        return PartyCode(token, printed, True, codes[token].name_nl, None)
    collapsed = _collapse_doubled(token, codes)
    if collapsed:
        score = round(fuzz.ratio(token, collapsed), 1)
        return PartyCode(collapsed, printed, True, codes[collapsed].name_nl, score,
                         "doubled letter collapsed")
    # Prefer the column's own group, then any group.
    same_group = [c for c, entry in codes.items() if entry.group == group]
    for candidates in (same_group, list(codes)):
        match = process.extractOne(token, candidates, scorer=fuzz.ratio,
                                   score_cutoff=CORRECTION_CUTOFF)
        if match:
            code = match[0]
            return PartyCode(code, printed, True, codes[code].name_nl, round(match[1], 1),
                             "fuzzy vocabulary match")
    return PartyCode(token, printed, False, None, None)
