"""The year labels of the matrix header, as producers print them when space is short.

Year columns narrower than their labels make a producer run the labels together
("'13'14'15'16", "20132014": one word to pdfplumber) or wrap each label in its cell
("'1" over "3"). Both are read back into one word per year, each at its own glyphs'
x positions (shared out by length where those are not known), so the header's year
labels are found however they were set.
"""

from __future__ import annotations

import re
from dataclasses import replace

from extract.keys import year_of
from extract.pdf_page import PageContent
from extract.pdf_words import Word, on_next_line

# A piece of a year label run: an apostrophe and its digits ("'13", or "'1" of a label
# wrapped in its cell), or four digits ("2013").
_QUOTED = re.compile(r"['’‘`]\d+")
_FULL_YEAR = re.compile(r"\d{4}")
# The start of a quoted year label cut short by its cell: "'" or "'1".
_OPEN = re.compile(r"['’‘`]\d?")
# The start of a four-digit year label cut short by its cell: "20" of "20" over "13".
_OPEN_FULL = re.compile(r"\d{1,3}")
FULL_YEAR_DIGITS = 4


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
    """A run of year labels as one word per label; any other word as it is. Each
    label spans its own glyphs (Word.glyphs): labels set in their own year columns
    stand as far apart as the columns, whatever the gap between them, and an
    apostrophe is narrower than a digit. Without the glyphs, the run's width is
    shared out by length."""
    pieces = year_pieces(word.text)
    if pieces is None:
        return [word]
    found, start = [], 0
    share = (word.x1 - word.x0) / len(word.text)
    for piece in pieces:
        end = start + len(piece)
        if len(word.glyphs) == len(word.text):
            x0, x1 = word.glyphs[start][0], max(x for _, x in word.glyphs[start:end])
        else:
            x0, x1 = word.x0 + start * share, word.x0 + end * share
        found.append(replace(word, text=piece, x0=x0, x1=x1, glyphs=()))
        start = end
    return found


def year_words(words: list[Word], page: PageContent, below: list[Word] | None = None
               ) -> list[Word]:
    """The header's words with runs of year labels split, and each year label wrapped
    in its cell read as one word: the start of a label (a quoted "'1" or "'", or the
    first digits of a four-digit year, "20") with the rest of it on the lines right
    under it, aligned with it ("3", "1" over "3", "13"), is that year ("'13", "2013").
    The pieces of a wrapped four-digit year are no labels of their own ("20" and "13"
    read alone are years too). `below`: more words (the page's) where a label's rest
    is looked for too: a label wrapped one character a line in a narrow column
    ("'" / "1" / "3") reaches further down than the header's words are taken."""
    pieces = [piece for word in words for piece in split_run(word)]
    known = {id(piece) for piece in pieces}
    rest_pool = pieces + [w for w in (below or []) if id(w) not in known and w.text.isdigit()]
    reach = page.settings.label_stack_em * page.em

    def opens(text: str) -> bool:
        return bool(_OPEN.fullmatch(text) or _OPEN_FULL.fullmatch(text))

    def whole(text: str) -> bool:
        if text[:1].isdigit():
            return len(text) == FULL_YEAR_DIGITS
        return year_of(text) is not None

    def under(upper: Word, last: Word, text: str) -> list[Word]:
        return [w for w in rest_pool if on_next_line(last, w, reach, page.settings)
                and min(abs(w.x0 - upper.x0), abs(w.center - upper.center)) <= reach
                and w.text.isdigit() and opens(text + w.text[:-1])]

    joined, used = [], set()
    for upper in pieces:
        if not opens(upper.text):
            continue
        text, last, parts = upper.text, upper, [upper]
        while not whole(text) and (rests := under(upper, last, text)):
            last = min(rests, key=lambda w: abs(w.x0 - upper.x0))
            text += last.text
            parts.append(last)
        if last is not upper and whole(text):
            joined.append(Word(text, upper.x0, max(upper.x1, last.x1), upper.top,
                               last.bottom, upper.size, upper.page))
            if text[:1].isdigit():
                used.update(id(part) for part in parts)
    return [w for w in pieces if id(w) not in used] + joined
