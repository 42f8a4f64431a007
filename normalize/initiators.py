"""Initiators (Initiatiefnemer): split, put in canonical form, and peeled off the
front of a status text where the export glued them together."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from rapidfuzz import fuzz, process

import vocab
from ir import SUPERSCRIPT_DIGITS, TextBlock

SEPARATOR = re.compile(r"\s*[/,;&+]\s*|\s+en\s+")
_SEPARATOR_AT = re.compile(r"\s*(?:/|,|;|&|\+|\ben\b)\s*")
# A status proper starts like a sentence (or the block ends): not with a lower-case word.
_STATUS_START = re.compile(r"^(?:$|[A-ZÀ-Ý0-9\"'“‘(•€])")
# A first paragraph this short, and not a sentence, is the initiator cell's text.
MAX_INITIATOR_WORDS = 6
MAX_INITIATOR_CHARS = 80


@dataclass(frozen=True)
class InitiatorName:
    name: str  # canonical, from the vocabulary where known
    printed: str
    known: bool
    fuzzy_score: float | None = None  # set when matched by similarity, not spelling


@cache
def _names() -> dict[str, str]:
    """Every spelling (lower case) -> canonical name."""
    names: dict[str, str] = {}
    for entry in vocab.initiators():
        for spelling in (entry.name, *entry.aliases):
            names[_key(spelling)] = entry.name
    return names


def _key(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("’", "'")).strip().lower()


def canonical(printed: str) -> InitiatorName:
    key = _key(printed)
    names = _names()
    if key in names:
        return InitiatorName(names[key], printed, True)
    match = process.extractOne(key, list(names), scorer=fuzz.ratio, score_cutoff=90)
    if match:
        return InitiatorName(names[match[0]], printed, True, round(match[1], 1))
    return InitiatorName(printed.strip(), printed, False)


def split_initiators(cell: str) -> list[InitiatorName]:
    """'OCW/ PO-raad' -> OCW, PO-raad; 'OCW, EZ' -> OCW, EZ."""
    parts = [part.strip() for part in SEPARATOR.split(cell.strip()) if part.strip()]
    return [canonical(part) for part in parts]


def peel_initiator(
    status: tuple[TextBlock, ...],
) -> tuple[str, tuple[TextBlock, ...]]:
    """Split a status that starts with its initiator into (initiator, status).

    Two shapes occur: the initiator as a first short paragraph followed by the
    status proper ('OCW' / 'De ...'), and known initiator names glued before the
    text ('OCW OCW heeft ...', 'Vereniging Hogescholen/ technische werkgevers Het
    aantal ...'). A peel is only accepted when what remains starts like a
    sentence, so a status that merely begins with a name ('OCW heeft ...') is left
    whole. Returns ('', status) when nothing is found.
    """
    if not status:
        return "", status
    first, rest = status[0], status[1:]
    if first.kind == "paragraph" and rest and len(first.text) <= MAX_INITIATOR_CHARS \
            and _looks_like_name(first.text):
        return first.text.strip(), rest
    end = _known_chain_end(first.text)
    if end:
        remainder = first.text[end:].lstrip()
        if _STATUS_START.match(remainder):
            kept = (replace(first, text=remainder),) if remainder else ()
            return first.text[:end].strip(), kept + rest
    return "", status


def _looks_like_name(text: str) -> bool:
    """A short phrase that is not a sentence, or a run of known names of any length."""
    text = text.strip()
    if text and _known_chain_end(text) == len(text):
        return True
    words = text.split()
    # A footnote marker after the full stop still ends a sentence.
    sentence = re.search(rf"[.!?][{SUPERSCRIPT_DIGITS}\s]*$", text)
    return 0 < len(words) <= MAX_INITIATOR_WORDS and not sentence


def _known_chain_end(text: str) -> int:
    """End of the longest run 'name (separator name)*' of known names at the start."""
    lowered = text.replace("’", "'").lower()
    spellings = sorted(_names(), key=len, reverse=True)
    position, end = 0, 0
    while True:
        found = next((s for s in spellings if _name_at(lowered, position, s)), None)
        if found is None:
            return end
        end = position + len(found)
        separator = _SEPARATOR_AT.match(lowered, end)
        if not separator or separator.end() == end:
            return end
        position = separator.end()


def _name_at(text: str, position: int, spelling: str) -> bool:
    if not text.startswith(spelling, position):
        return False
    after = position + len(spelling)
    return after == len(text) or not text[after].isalnum()
