"""One detail row made clean: key, title, description, initiators, status, footnotes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ir import RawDetailRow
from normalize.footnotes import markers_in
from normalize.initiators import InitiatorName, peel_initiator, split_initiators
from normalize.subitems import split_block_subitems
from normalize.text import block_text, one_line


@dataclass(frozen=True)
class FootnoteRef:
    number: int
    printed: str
    corrected_from: int | None


@dataclass(frozen=True)
class Detail:
    number: int
    letters: tuple[str, ...]
    ref: str  # '1a', '6b+6c', '10'
    title: str  # the row's own title: action text before any sub-items or blocks
    items: dict[str, str]  # embedded sub-items by letter
    description: str  # the whole action text, cleaned
    initiators: list[InitiatorName]
    status: str
    footnotes: list[FootnoteRef]
    location: str
    stray_markers: list[str]  # superscripts that match no footnote


def letters_of(printed: str | None) -> tuple[str, ...]:
    return tuple(re.findall(r"[a-z]", printed or ""))


def detail_ref(number: int, letters: tuple[str, ...]) -> str:
    if not letters:
        return str(number)
    return "+".join(f"{number}{letter}" for letter in letters)


def clean_detail(row: RawDetailRow, footnote_numbers: set[int]) -> Detail:
    number = int(row.number.text)
    letters = letters_of(row.letters.text if row.letters else None)
    initiator_cell = row.initiator.text if row.initiator else ""
    status = row.status.blocks
    if not initiator_cell.strip():
        initiator_cell, status = peel_initiator(status)
    action = row.action_text.blocks
    # The title proper is the action text's first block, without the sub-items,
    # lists and paragraphs that may follow it.
    head, items = split_block_subitems(action)
    whole_action = one_line(" ".join(block.line() for block in action))
    status_text = block_text(status)
    found = markers_in(" ".join(b.text for b in status + action), footnote_numbers)
    # A superscript that names no footnote ('m²') is text, not a reference.
    refs = [FootnoteRef(*ref) for ref in found if ref[0] in footnote_numbers]
    stray = [ref[1] for ref in found if ref[0] not in footnote_numbers]
    return Detail(
        number=number,
        letters=letters,
        ref=detail_ref(number, letters),
        title=one_line(head).rstrip(":;, ") or whole_action,
        items={item.letter: one_line(item.text) for item in items},
        description=block_text(action),
        initiators=split_initiators(initiator_cell) if initiator_cell.strip() else [],
        status=status_text,
        footnotes=refs,
        location=row.action_text.where.describe(),
        stray_markers=stray,
    )
