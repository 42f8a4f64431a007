"""Footnotes: numbered from their printed markers, and found again inside texts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ir import SUPERSCRIPT_DIGITS, RawFootnote

_TO_DIGITS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789")
MARKER = re.compile(f"[{SUPERSCRIPT_DIGITS}]+")


@dataclass(frozen=True)
class Footnote:
    number: int
    printed: str
    text: str
    location: str
    corrected_from: int | None  # the number as printed, when it was repaired


def marker_number(marker: str) -> int | None:
    # '[1]' and '(1)' are the same marker as '¹', printed another way.
    digits = marker.strip().strip("[]()").translate(_TO_DIGITS)
    return int(digits) if digits.isdigit() else None


def _collapsed(marker_digits: str) -> int | None:
    """'77' -> 7: a marker printed twice over, as PDF exports sometimes do."""
    if len(marker_digits) > 1 and len(set(marker_digits)) == 1:
        return int(marker_digits[0])
    return None


def number_footnotes(raw: tuple[RawFootnote, ...]) -> list[Footnote]:
    """Footnotes run 1, 2, 3 ...; a marker that breaks the run but reads right once
    a doubled digit is collapsed ('⁷⁷' after '⁶') is repaired and reported."""
    notes: list[Footnote] = []
    expected = 1
    for footnote in raw:
        printed = footnote.marker.text
        number = marker_number(printed)
        corrected_from = None
        digits = printed.strip().strip("[]()").translate(_TO_DIGITS)
        if number != expected and _collapsed(digits) == expected:
            corrected_from, number = number, expected
        if number is None:
            continue
        notes.append(Footnote(number, printed, footnote.text.text,
                              footnote.marker.where.describe(), corrected_from))
        expected = number + 1
    return notes


def markers_in(text: str, known: set[int]) -> list[tuple[int, str, int | None]]:
    """Footnote numbers referenced in a text: (number, printed, corrected_from)."""
    found = []
    for match in MARKER.finditer(text):
        printed = match.group(0)
        number = marker_number(printed)
        corrected_from = None
        collapsed = _collapsed(printed.translate(_TO_DIGITS))
        if number not in known and collapsed in known:
            corrected_from, number = number, collapsed
        found.append((number, printed, corrected_from))
    return found
