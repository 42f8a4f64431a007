"""Shapes of the annex's keys and labels, shared by every reader."""

from __future__ import annotations

import re
from functools import cache

from ir import SUPERSCRIPT_DIGITS

NUMBER = re.compile(r"^\d{1,3}$")
LETTER = re.compile(r"^[a-z]$")
LETTERS = re.compile(r"^[a-z](?:[\s,/+&]+[a-z])*$")
NUMBER_LETTER = re.compile(r"^(\d{1,3})\s*([a-z])$")
# '11Verbetering ...': a number key run into its title's first word (a capital,
# then lower case: '3D-printen' is a word of its own).
GLUED_NUMBER = re.compile(r"^(\d{1,3}[a-z]?)(?=[A-Z][a-z])(.+)$")
# 'a Toename havo ...': the letter printed in front of the title.
GLUED_LETTER = re.compile(r"^([a-z])[.)]?\s+(?=[A-Z0-9\"'“‘(€])(.+)$", re.DOTALL)
YEAR_LABEL = re.compile(r"^['’‘`]?(\d{2}|\d{4})$")
# A footnote line starts with its marker: superscripts, a plain number, '[1]' or '(1)'.
FOOTNOTE = re.compile(
    rf"^([{SUPERSCRIPT_DIGITS}]+|\[\d{{1,2}}\]|\(\d{{1,2}}\)|\d{{1,2}})\s*(\S.*)$")
PAGE_NUMBER = re.compile(r"^\s*(?:pagina\s+)?\d{1,4}(?:\s*/\s*\d{1,4})?\s*$", re.IGNORECASE)


def is_key(cell: str) -> bool:
    return bool(NUMBER.match(cell) or LETTER.match(cell) or NUMBER_LETTER.match(cell))


# --- detail keys --------------------------------------------------------------
# A detail row's key names one action or several: '6', '1a', 'b c', 'b, c',
# 'b/c', 'b en c', 'b & c', 'b+c', a range 'b-d', and any of these after the
# number in one cell ('6b-c', '8 d/e', '6 b/c').
_LETTER_SEPARATOR = r"(?:\s*[,/+&]\s*|\s+en\s+|\s+|\s*[-–]\s*)"
_DETAIL_LETTERS = rf"[a-z](?:{_LETTER_SEPARATOR}[a-z])*"
DETAIL_LETTERS = re.compile(rf"^{_DETAIL_LETTERS}$")
DETAIL_KEY = re.compile(rf"^(\d{{1,3}})(?:\s*({_DETAIL_LETTERS}))?$")
_RANGE = re.compile(r"([a-z])\s*[-–]\s*([a-z])")


def detail_letters(text: str) -> tuple[str, ...] | None:
    """The letters a detail key cell names, ranges expanded ('b-d' -> b, c, d);
    None when the cell is not a letter key (a reversed range 'd-b' is not)."""
    text = text.strip()
    if not DETAIL_LETTERS.match(text):
        return None
    expanded = _RANGE.sub(lambda m: _span(m.group(1), m.group(2)) or "!", text)
    if "!" in expanded:
        return None
    letters = tuple(re.findall(r"[a-z](?![a-z])", re.sub(r"\ben\b", " ", expanded)))
    return letters if len(set(letters)) == len(letters) else None


def _span(first: str, last: str) -> str | None:
    if ord(last) <= ord(first):
        return None
    return " ".join(chr(c) for c in range(ord(first), ord(last) + 1))


def parse_detail_key(cell: str) -> tuple[str | None, tuple[str, ...]] | None:
    """(number or None, letters) of a detail key cell; None when it is no key.

    '6' -> ('6', ()); '6b-c' -> ('6', ('b', 'c')); '8 d/e' -> ('8', ('d', 'e'));
    'b en c' -> (None, ('b', 'c')): the number carries over from the row above.
    """
    cell = cell.strip()
    match = DETAIL_KEY.match(cell)
    if match:
        if match.group(2) is None:
            return match.group(1), ()
        letters = detail_letters(match.group(2))
        return (match.group(1), letters) if letters else None
    letters = detail_letters(cell)
    return (None, letters) if letters else None


_OPEN_TAIL = re.compile(r"(?:\s*[,/+&\-–]|\s+en)\s*$")


def open_detail_key(cell: str) -> str | None:
    """The key so far when a key cell ends in a separator ('6 b,', '8 d/', 'b en'):
    the cell wrapped and its last letters are on the next line. None otherwise."""
    tail = _OPEN_TAIL.search(cell)
    if tail is None or tail.start() == 0:
        return None
    head = cell[:tail.start()]
    return head if parse_detail_key(head) is not None else None


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

# Lines of the first page before the matrix that are kept as its preamble (where a
# document names its version: "stand van zaken maart 2014"). A title page says so
# in its first lines; the cap keeps a page of prose out of the IR.
PREAMBLE_LINES = 30
