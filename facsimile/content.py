"""The annex content every facsimile prints, read once from the text export.

Uses the project's own text-export reader, so the facsimiles print what the
pipeline reads; only the layout (which cell holds what) is reconstructed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from extract.text_export import read_text_export
from ir import BULLET, TextBlock
from normalize.initiators import peel_initiator

PARTY_GROUPS = ("employers", "employees", "education", "regions", "ministries")
PARTY_LABELS = {
    "employers": "werkgevers",
    "employees": "werknemers",
    "education": "onderwijsraden",
    "regions": "regio's",
    "ministries": "rijk",
}
MATRIX_HEADER_ACTION = "Actie"
MATRIX_HEADER_PARTIES = "Betrokken partijen"
MATRIX_HEADER_TIMELINE = "looptijd (geel) mijlpaal/gereed (groen)"
DETAIL_HEADERS = ("Actie", "Initiatiefnemer", "Stand van zaken")

SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"
TO_DIGITS = str.maketrans(SUPERSCRIPT, "0123456789")
_MARKER = re.compile(rf"\s*([{SUPERSCRIPT}]+)")


@dataclass(frozen=True)
class MatrixAction:
    action_id: str  # "1", "1a", ...
    number: int
    letter: str | None
    title: str
    key_cell: str  # printed in the first column: the number, or the letter of a later sub-row
    title_cell: str  # printed title; the first sub-row of a number carries "a " before it
    parties: dict[str, str]  # group -> printed cell text ("" when empty)
    ambition: str  # the group row printed above it


@dataclass(frozen=True)
class Block:
    kind: str  # "p" paragraph or "li" bullet item (printed with "•")
    text: str  # plain text; footnote markers as Unicode superscripts glued to the word before


@dataclass(frozen=True)
class DetailRow:
    ambition: str | None
    number: str  # the action number (from the reader)
    number_cell: str  # printed: the number on the first row of that number, else ""
    letters: str  # printed, e.g. "a", "b c", ""
    action: tuple[Block, ...]
    initiator: str
    status: tuple[Block, ...]


@dataclass(frozen=True)
class Footnote:
    marker: str  # ASCII digits as printed, e.g. "1", "77"
    number: int  # the marker number it answers in the text ("77" answers "7")
    text: str


@dataclass(frozen=True)
class Annex:
    title: str
    years: tuple[int, ...]
    matrix: tuple[MatrixAction, ...]
    detail: tuple[DetailRow, ...]
    footnotes: tuple[Footnote, ...]

    def ambitions(self) -> list[str]:
        seen: list[str] = []
        for row in self.matrix:
            if row.ambition not in seen:
                seen.append(row.ambition)
        return seen


def glue_markers(text: str) -> str:
    """'plan. ¹ Dit' -> 'plan.¹ Dit': a printed superscript sits on the word before it."""
    return _MARKER.sub(lambda m: m.group(1), text)


def split_markers(text: str) -> list[tuple[str, bool]]:
    """Text -> [(piece, is_marker)], markers as ASCII digits."""
    out: list[tuple[str, bool]] = []
    position = 0
    for match in re.finditer(rf"[{SUPERSCRIPT}]+", text):
        if match.start() > position:
            out.append((text[position:match.start()], False))
        out.append((match.group(0).translate(TO_DIGITS), True))
        position = match.end()
    if position < len(text):
        out.append((text[position:], False))
    return out


def markers_of(text: str) -> list[str]:
    return [piece for piece, marker in split_markers(text) if marker]


def _blocks(read: tuple[TextBlock, ...]) -> tuple[Block, ...]:
    """The reader's blocks as printed: bullet items as "li", paragraphs and numbered
    items (their number printed in front) as "p"."""
    blocks = []
    for block in read:
        text = glue_markers(block.text.strip())
        if not text:
            continue
        if block.kind == "item" and block.marker == BULLET:
            blocks.append(Block("li", text))
        else:
            blocks.append(Block("p", glue_markers(block.line().strip())))
    return tuple(blocks)


def _collapsed(digits: str) -> int:
    if len(digits) > 1 and len(set(digits)) == 1:
        return int(digits[0])
    return int(digits)


def load_annex(path: Path) -> Annex:
    raw = read_text_export(path)
    matrix: list[MatrixAction] = []
    previous_number: int | None = None
    for row in raw.matrix_rows:
        number = int(row.number.text)
        letter = row.letter.text if row.letter else None
        title = row.title.text
        if letter and previous_number == number:
            key_cell, title_cell = letter, title
        elif letter:
            key_cell, title_cell = str(number), f"{letter} {title}"
        else:
            key_cell, title_cell = str(number), title
        previous_number = number
        parties = {g: (row.parties[g].text if g in row.parties else "") for g in PARTY_GROUPS}
        matrix.append(MatrixAction(
            action_id=f"{number}{letter or ''}", number=number, letter=letter, title=title,
            key_cell=key_cell, title_cell=title_cell, parties=parties,
            ambition=row.ambition.text if row.ambition else "",
        ))
    _check_against_source(path, raw, matrix)

    detail: list[DetailRow] = []
    previous = None
    for row in raw.detail_rows:
        status = row.status.blocks
        initiator = row.initiator.text.strip() if row.initiator else ""
        if not initiator:
            initiator, status = peel_initiator(status)
        detail.append(DetailRow(
            ambition=row.ambition.text if row.ambition else None,
            number=row.number.text,
            number_cell="" if row.number.text == previous else row.number.text,
            letters=row.letters.text if row.letters else "",
            action=_blocks(row.action_text.blocks),
            initiator=initiator.strip(),
            status=_blocks(status),
        ))
        previous = row.number.text
    footnotes = []
    for note in raw.footnotes:
        digits = note.marker.text.translate(TO_DIGITS)
        footnotes.append(Footnote(digits, _collapsed(digits), note.text.text.strip()))
    referenced = {
        int(m) for row in detail for b in row.status + row.action for m in markers_of(b.text)
    }
    missing = [f.marker for f in footnotes if f.number not in referenced]
    if missing:
        raise ValueError(f"footnotes never referenced in the detail table: {missing}")
    return Annex(
        title=raw.title.text if raw.title else "",
        years=tuple(raw.timeline_years),
        matrix=tuple(matrix),
        detail=tuple(detail),
        footnotes=tuple(footnotes),
    )


def _check_against_source(path: Path, raw, matrix: list[MatrixAction]) -> None:
    """The reconstructed key/title cells must be the cells of the export line."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for source, action in zip(raw.matrix_rows, matrix, strict=True):
        cells = [cell.strip() for cell in lines[source.title.where.line - 1].split("\t")]
        if (cells[0], cells[1]) != (action.key_cell, action.title_cell):
            raise ValueError(
                f"matrix cells of {action.action_id} do not match line "
                f"{source.title.where.line}: {cells[:2]} vs {action.key_cell!r}, "
                f"{action.title_cell!r}"
            )
