"""Whether a PDF shows every word its truth says is printed.

A producer told to keep a table row whole (row_split=avoided) can meet a row taller than
a page: LibreOffice Writer then keeps the row on one page and CLIPS its last lines, so
the truth (every line of the row) would describe text the PDF does not show. Heights
are the producer's business and hard to guess; the PDF's own text is not. So a row is
checked by its words: each word (letters only, case folded; digits, markers, bullets
and punctuation left out, as producers print those in their own ways) must occur in the
PDF's text at least as often as the rows that print it use it. A clipped line leaves at
least one of its words short; the row holding the rarest short words is the clipped one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence


def words(texts: Iterable[str]) -> Counter:
    """Letters-only words of `texts`, case folded, with how often each occurs."""
    out: Counter = Counter()
    for text in texts:
        out.update(w.casefold() for w in
                   "".join(c if c.isalpha() else " " for c in text).split())
    return out


def short_words(rows: Sequence[Sequence[str]], page_texts: Iterable[str]) -> dict[str, int]:
    """Word -> how many times fewer the pages show it than `rows` (texts per row) print it."""
    wanted = words(text for row in rows for text in row)
    shown = words(page_texts)
    return {w: n - shown[w] for w, n in wanted.items() if shown[w] < n}


def clipped_rows(rows: Sequence[Sequence[str]], page_texts: Iterable[str]) -> list[int]:
    """Indexes of the rows whose words the pages do not all show, the likeliest first:
    a row scores the rarity (1 / uses in all rows) of each short word it holds, so a
    row that lost a word only it prints comes before rows sharing a common short word."""
    short = short_words(rows, page_texts)
    if not short:
        return []
    wanted = words(text for row in rows for text in row)
    scores = []
    for index, row in enumerate(rows):
        score = sum(1 / wanted[w] for w in words(row) if w in short)
        if score:
            scores.append((-score, index))
    return [index for _, index in sorted(scores)]
