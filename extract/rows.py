"""Row assembly that both readers share: the action number carried down to the
letter-only rows of its group, and the clear refusal when there is none."""

from __future__ import annotations

from extract.keys import parse_matrix_key
from ir import Provenance, Span, StageError


def matrix_key(key: str, title: str, where: Provenance, carried: Span | None
               ) -> tuple[Span, Span | None, str]:
    """(number, letter, title) of one matrix row as printed, the number carried
    over from the row above when this row prints only a letter ('b ...')."""
    number_text, letter_text, title = parse_matrix_key(key, title)
    if number_text:
        number = Span(number_text, where)
    elif carried is None:
        table = f"matrix, page {where.page}" if where.page is not None else "matrix"
        raise StageError(where.file, "extract", f"{table}: a letter row ({key!r}) with no "
                         "action number above it", where.describe())
    else:
        number = carried
    return number, (Span(letter_text, where) if letter_text else None), title


def next_letter(letter: Span | None) -> str:
    """The letter the next row of a group would carry: 'a' after a number-only row."""
    if letter is None or not letter.text:
        return "a"
    return chr(ord(letter.text[-1]) + 1)
