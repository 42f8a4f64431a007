"""The year labels of the matrix header, as producers print them when space is short.

Year columns narrower than their labels make a producer run the labels together
("'13'14'15'16", "20132014": one word to pdfplumber) or wrap each label in its cell
("'1" over "3"). Both are read back into one word per year, x positions shared out
by length (the digits of one font are equally wide), so the header's year labels
are found however they were set.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.keys import year_of
from extract.pdf_page import PageContent
from extract.pdf_words import Word

# A piece of a year label run: an apostrophe and its digits ("'13", or "'1" of a label
# wrapped in its cell), or four digits ("2013").
_QUOTED = re.compile(r"['’‘`]\d+")
_FULL_YEAR = re.compile(r"\d{4}")
# The start of a quoted year label cut short by its cell: "'" or "'1".
_OPEN = re.compile(r"['’‘`]\d?")


def year_pieces(text: str) -> list[str] | None:
    """The pieces of a run of year labels printed as one word, or None when the text
    is no such run: quoted pieces ("'13'14", "'1'1'1" of labels wrapped in their
    cells) or four-digit years that follow each other ("20132014")."""
    quoted = _QUOTED.findall(text)
    if len(quoted) > 1 and "".join(quoted) == text:
        return quoted
    full = _FULL_YEAR.findall(text)
    if len(full) > 1 and "".join(full) == text and all(
            int(b) == int(a) + 1 for a, b in zip(full, full[1:], strict=False)):
        return full
    return None


def split_run(word: Word) -> list[Word]:
    """A run of year labels as one word per label; any other word as it is."""
    pieces = year_pieces(word.text)
    if pieces is None:
        return [word]
    share = (word.x1 - word.x0) / len(word.text)
    found, start = [], 0
    for piece in pieces:
        found.append(replace(word, text=piece, x0=word.x0 + start * share,
                             x1=word.x0 + (start + len(piece)) * share))
        start += len(piece)
    return found


def year_words(words: list[Word], page: PageContent) -> list[Word]:
    """The header's words with runs of year labels split, plus a word for each year
    label wrapped in its cell: the start of a quoted label ("'1", or "'" alone) with
    the rest of it on the lines right under it, aligned with it ("3", or "1" over
    "3"), is that year ("'13")."""
    pieces = [piece for word in words for piece in split_run(word)]
    reach = page.settings.label_stack_em * page.em

    def under(upper: Word, last: Word, text: str) -> list[Word]:
        return [w for w in pieces if 0 <= w.top - last.bottom <= reach
                and min(abs(w.x0 - upper.x0), abs(w.center - upper.center)) <= reach
                and w.text.isdigit() and _OPEN.fullmatch(text + w.text[:-1])]

    joined = []
    for upper in pieces:
        if not _OPEN.fullmatch(upper.text):
            continue
        text, last = upper.text, upper
        while not year_of(text) and (rests := under(upper, last, text)):
            last = min(rests, key=lambda w: abs(w.x0 - upper.x0))
            text += last.text
        if last is not upper and year_of(text):
            joined.append(Word(text, upper.x0, max(upper.x1, last.x1), upper.top,
                               last.bottom, upper.size, upper.page))
    return pieces + joined
