"""Shapes of the annex's keys and labels, shared by every reader."""

from __future__ import annotations

import re
from functools import cache

from ir import SUPERSCRIPT_DIGITS

NUMBER = re.compile(r"^\d{1,3}$")
LETTER = re.compile(r"^[a-z]$")
LETTERS = re.compile(r"^[a-z](?:[\s,/+&]+[a-z])*$")
NUMBER_LETTER = re.compile(r"^(\d{1,3})\s*([a-z])$")
# 'a Toename havo ...': the letter printed in front of the title.
GLUED_LETTER = re.compile(r"^([a-z])[.)]?\s+(?=[A-Z0-9\"'“‘(€])(.+)$", re.DOTALL)
YEAR_LABEL = re.compile(r"^['’‘`]?(\d{2}|\d{4})$")
FOOTNOTE = re.compile(rf"^([{SUPERSCRIPT_DIGITS}]+|\d{{1,2}})\s*(\S.*)$")
PAGE_NUMBER = re.compile(r"^\s*(?:pagina\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*$", re.IGNORECASE)


def is_key(cell: str) -> bool:
    return bool(NUMBER.match(cell) or LETTER.match(cell) or NUMBER_LETTER.match(cell))


def year_of(label: str) -> int | None:
    match = YEAR_LABEL.match(label.strip())
    if not match:
        return None
    value = int(match.group(1))
    return value if value > 999 else 2000 + value


SHORT_LABEL = 4  # labels this long or shorter are matched exactly, not by similarity


def plain_label(text: str) -> str:
    return text.lower().replace("’", "'").replace("‘", "'").strip()


@cache
def party_group_of(label: str) -> str | None:
    """The party group whose matrix header this is ('werkgevers' -> employers)."""
    from rapidfuzz import fuzz

    import vocab

    text = plain_label(label)
    if not text:
        return None
    for group, known in vocab.party_header_labels():
        known = plain_label(known)
        # Short labels ('wg', 'rk') must match exactly: one letter off is another word.
        if text == known or (len(known) > SHORT_LABEL and fuzz.ratio(text, known) >= 85):
            return group
    return None


def parse_matrix_key(key: str, title: str) -> tuple[str | None, str | None, str]:
    """(number, letter, title) of a matrix row as printed.

    '3' with 'a Toename ...' -> ('3', 'a', 'Toename ...'); '3a' -> ('3', 'a');
    'b' -> (None, 'b'): the number carries over from the row above.
    """
    if NUMBER.match(key):
        glued = GLUED_LETTER.match(title)
        return (key, glued.group(1), glued.group(2)) if glued else (key, None, title)
    match = NUMBER_LETTER.match(key)
    if match:
        return match.group(1), match.group(2), title
    return None, (key if LETTER.match(key) else None), title
