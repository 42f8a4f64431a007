"""Footnote markers printed '[1]' or '(1)' instead of as superscripts.

The IR writes every footnote reference in a text as superscript digits. A
bracketed number is only taken for a reference when the annex's own footnotes
are numbered in that same notation and a footnote with that number exists: a
'(3)' in a text whose footnotes read '¹ ...' stays text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ir import SUPERSCRIPT_DIGITS, RawDetailRow, RawFootnote, TextBlocks

_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
NOTATIONS = {
    "[": re.compile(r"\[(\d{1,2})\]"),
    "(": re.compile(r"\((\d{1,2})\)"),
}


def notation_of(marker: str) -> str | None:
    """'[' or '(' for a bracketed marker as printed on a footnote line, else None."""
    marker = marker.strip()
    for opening, pattern in NOTATIONS.items():
        if pattern.fullmatch(marker):
            return opening
    return None


def bracket_markers_as_superscripts(
    rows: list[RawDetailRow], footnotes: list[RawFootnote],
) -> list[RawDetailRow]:
    """Rows with every bracketed reference to a footnote written as superscripts."""
    numbers: dict[str, set[int]] = {}
    for note in footnotes:
        opening = notation_of(note.marker.text)
        if opening:
            digits = note.marker.text.strip()[1:-1]
            known = numbers.setdefault(opening, set())
            known.add(int(digits))
            # A footnote printed with its digit doubled ('(77)' after '(6)') is footnote 7
            # (normalize.footnotes repairs and reports it): its reference '(7)' is one too.
            if len(digits) > 1 and len(set(digits)) == 1:
                known.add(int(digits[0]))
    if not numbers:
        return rows

    def convert(text: str) -> str:
        for opening, known in numbers.items():
            text = NOTATIONS[opening].sub(
                lambda m, known=known: (m.group(1).translate(_TO_SUPERSCRIPT)
                                        if int(m.group(1)) in known else m.group(0)), text)
        return text

    def blocks(cell: TextBlocks) -> TextBlocks:
        return replace(cell, blocks=tuple(replace(b, text=convert(b.text)) for b in cell.blocks))

    return [replace(row, action_text=blocks(row.action_text), status=blocks(row.status))
            for row in rows]
