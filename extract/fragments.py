"""Joining the pieces of one cell that a page break or line wrap cut apart."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"[.!?:;)\]\"'»”]\s*$")
_CLOSE_P = re.compile(r"\s*</[pP]>\s*$")
# Lower case after the tag: the text goes on mid-sentence.
_OPEN_P = re.compile(r"^\s*<[pP]>\s*(?=[a-zà-ÿ(])")


def join_fragments(before: str, after: str) -> str:
    """Append `after` to `before`, healing a paragraph that a page break split.

    Exporters close the open paragraph at the foot of a page and open a new one
    at the top of the next ("... een sterkere</p>" + "<p>positie van ..."). When
    the text before the break does not end a sentence, the two halves are one
    paragraph, so the markup between them is dropped.
    """
    before, after = before.rstrip(), after.strip()
    if not before:
        return after
    if not after:
        return before
    text_before = _CLOSE_P.sub("", before)
    if text_before != before and not _SENTENCE_END.search(text_before):
        return text_before + " " + _OPEN_P.sub("", after)
    if not _SENTENCE_END.search(before) and _OPEN_P.match(after):
        return before + " " + _OPEN_P.sub("", after)
    return before + " " + after
