"""Sub-items embedded in a detail row's action text ('... a. invoeren ... b. ontwikkelen ...')."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A lone letter and a full stop after a space or at the start: 'o.a.' does not qualify.
_MARKER = re.compile(r"(?:(?<=\s)|^)([a-z])\.\s+(?=\S)")


@dataclass(frozen=True)
class SubItem:
    letter: str
    text: str


def split_subitems(text: str) -> tuple[str, list[SubItem]]:
    """(head, items). Items are only taken as a run of consecutive letters (a, b,
    c... or b, c, d...) of at least two, so a stray 'd.' in prose is left alone."""
    markers = list(_MARKER.finditer(text))
    run = _longest_run(markers)
    if len(run) < 2:
        return text.strip(), []
    head = text[: run[0].start()].strip()
    items = []
    for index, marker in enumerate(run):
        end = run[index + 1].start() if index + 1 < len(run) else len(text)
        items.append(SubItem(marker.group(1), text[marker.end():end].strip()))
    return head, items


def _longest_run(markers: list[re.Match]) -> list[re.Match]:
    best: list[re.Match] = []
    for start in range(len(markers)):
        run = [markers[start]]
        for marker in markers[start + 1:]:
            if ord(marker.group(1)) == ord(run[-1].group(1)) + 1:
                run.append(marker)
        if len(run) > len(best):
            best = run
    return best
