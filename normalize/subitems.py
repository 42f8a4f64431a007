"""Sub-items embedded in a detail row's action text: 'a. invoeren ... b. ontwikkelen ...'.

They come in running text, on lines or paragraphs of their own, or as list items,
labelled 'a.', 'a)' or '(a)'. Only a run of consecutive letters (a, b, c ... or
b, c, d ...) of at least two, all labelled alike, is taken, so a stray 'd.' in
prose is left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ir import TextBlock

# A lone letter with its label after a space or at the start: 'o.a.' does not qualify.
_MARKER = re.compile(r"(?:(?<=\s)|^)(?:([a-z])([.)])|\(([a-z])\))\s+(?=\S)")
_LABEL = re.compile(r"^(?:([a-z])([.)])|\(([a-z])\))$")
MIN_RUN = 2


@dataclass(frozen=True)
class SubItem:
    letter: str
    text: str


@dataclass(frozen=True)
class _Marker:
    block: int
    start: int  # where the label starts in the block's text
    end: int  # where the item's text starts
    letter: str
    style: str  # '.', ')' or '()'


def _style(match: re.Match) -> tuple[str, str]:
    if match.group(1):
        return match.group(1), match.group(2)
    return match.group(3), "()"


def split_subitems(text: str) -> tuple[str, list[SubItem]]:
    """(head, items) of one running text."""
    return split_block_subitems((TextBlock("paragraph", text),))


def split_block_subitems(blocks: tuple[TextBlock, ...]) -> tuple[str, list[SubItem]]:
    """(head, items): the head is the first block's text before any sub-item."""
    if not blocks:
        return "", []
    markers: list[_Marker] = []
    for index, block in enumerate(blocks):
        label = _LABEL.match(block.marker or "") if block.kind == "item" else None
        if label:
            markers.append(_Marker(index, 0, 0, *_style(label)))
        for match in _MARKER.finditer(block.text):
            markers.append(_Marker(index, match.start(), match.end(), *_style(match)))
    run = _longest_run(markers)
    first = blocks[0].text
    if len(run) < MIN_RUN:
        return first.strip(), []
    head = first[: run[0].start].strip() if run[0].block == 0 else first.strip()
    items = []
    for index, marker in enumerate(run):
        following = run[index + 1] if index + 1 < len(run) else None
        text = blocks[marker.block].text
        end = following.start if following and following.block == marker.block else len(text)
        items.append(SubItem(marker.letter, text[marker.end:end].strip()))
    return head, items


def _longest_run(markers: list[_Marker]) -> list[_Marker]:
    best: list[_Marker] = []
    for start in range(len(markers)):
        run = [markers[start]]
        for marker in markers[start + 1:]:
            if marker.style == run[-1].style and ord(marker.letter) == ord(run[-1].letter) + 1:
                run.append(marker)
        if len(run) > len(best):
            best = run
    return best
