"""A readable word diff of two texts: only what changed, with a few words around it.

    '… minister van OCW [-in oktober 2013-] {+in januari 2014+} een uitwerking …'

The markers are git's --word-diff=plain ones, so they read the same in a CSV
cell, a terminal or the Markdown report.
"""

from __future__ import annotations

from difflib import SequenceMatcher

CONTEXT_WORDS = 4
ELLIPSIS = "…"


def word_diff(before: str, after: str, context: int = CONTEXT_WORDS) -> str:
    a, b = before.split(), after.split()
    # autojunk off: in long status texts common words would otherwise be ignored
    opcodes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    pieces: list[str] = []
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            pieces.extend(_context(a[i1:i2], context, first=index == 0,
                                   last=index == len(opcodes) - 1))
            continue
        if i2 > i1:
            pieces.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            pieces.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(pieces)


def _context(words: list[str], context: int, first: bool, last: bool) -> list[str]:
    """The unchanged words kept around a change; the rest becomes an ellipsis."""
    if first and last:  # nothing changed
        return []
    head = [] if first else words[:context]
    tail = [] if last else words[-context:]
    if len(words) <= len(head) + len(tail):
        return words
    return [*head, ELLIPSIS, *tail]


def list_diff(before: list, after: list) -> str:
    """Items removed and added, in the same markers: '[-wn-] {+fnv+}'."""
    removed = [str(item) for item in before if item not in after]
    added = [str(item) for item in after if item not in before]
    pieces = []
    if removed:
        pieces.append("[-" + " ".join(removed) + "-]")
    if added:
        pieces.append("{+" + " ".join(added) + "+}")
    if not pieces:  # same items, other order
        pieces.append("[-" + " ".join(map(str, before)) + "-] {+" + " ".join(map(str, after))
                      + "+}")
    return " ".join(pieces)
