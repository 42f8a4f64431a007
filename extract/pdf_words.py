"""Words and lines of a PDF page, with superscripts recognised.

Lines are built from vertical overlap rather than equal `top`, so a raised
footnote marker stays on the line it belongs to; a marker is a word in a
smaller font sitting above the line's baseline, and is written with
superscript digits (¹) as in the text export.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

import vocab
from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings
from ir import SUPERSCRIPT_DIGITS

TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
UNMAPPED_GLYPH = re.compile(r"\(cid:(\d+)\)")
APOSTROPHES = "'’"
# A printed soft hyphen is a hyphen: mupdf's convert names every hyphen glyph U+00AD
# (the PDF's mark for a hyphen set at a line break), also inside 'pss-en'; whether a
# line-end hyphen joins its word is join_lines' decision, as for '-'.
SOFT_HYPHEN = "\u00ad"
# The Latin ligatures of Unicode's Alphabetic Presentation Forms (ff, fi, fl, ffi, ffl,
# long st, st): letters, whatever glyph printed them. Only these are decomposed, not
# all of NFKC, which would also turn the superscript footnote markers into digits.
LIGATURES = ("\ufb00", "\ufb06")
PUNCTUATION = ".,;:()[]"  # around a word, not part of it
# A word that may be a run of year labels ("'13'14", "20132014"): it keeps its glyphs'
# positions (Word.glyphs).
_DIGITS_AND_QUOTES = re.compile(r"['’‘`\d]{2,}")


# slots: a long annex keeps every word of every page until both tables are read.
@dataclass(frozen=True, slots=True)
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    # A space glyph is printed right before the word, on its line: a space, whatever
    # the gap left (a substituted glyph wider than the writer set it eats into it).
    spaced: bool = False
    # Each glyph's (x0, x1), for a word of digits and apostrophes only (a run of year
    # labels, "'13'14'15", that pdf_years splits at its glyphs: the labels' glyphs are
    # not equally wide, nor set edge to edge); empty for any other.
    glyphs: tuple[tuple[float, float], ...] = ()

    @property
    def center(self) -> float:
        return (self.x0 + self.x1) / 2


@dataclass(slots=True)
class Line:
    words: list[Word]
    page: int

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return self.words[0].x0

    @property
    def size(self) -> float:
        return median(w.size for w in self.words)

    @property
    def print_size(self) -> float:
        """The size of the line's text, its raised footnote references ('¹') aside: a
        short line ('opleidingen.⁴') is otherwise half small print."""
        sizes = [w.size for w in self.words if not _is_superscript(w.text)]
        return median(sizes) if sizes else self.size

    @property
    def references_only(self) -> bool:
        """Whether the line is only superscript references: one the writer wrapped
        onto a line of its own ends a cell; a footnote's marker has its text."""
        return all(_is_superscript(w.text) for w in self.words)

    @property
    def text(self) -> str:
        return join_words(self.words)

    def within(self, left: float, right: float) -> list[Word]:
        return [w for w in self.words if left <= w.center < right]


def body_size(page, settings: PdfSettings = DEFAULT_SETTINGS) -> float:
    """The page's body font size (median character size): the reader's em."""
    sizes = [c["size"] for c in page.chars if c["text"].strip()]
    return median(sizes) if sizes else settings.fallback_em_pt


def page_words(page, page_number: int, settings: PdfSettings, em: float,
               cuts: list[tuple[float, float, float]] = ()) -> list[Word]:
    """The page's words. A word pdfplumber built across a drawn vertical rule (`cuts`:
    x, top, bottom), where a cell's text ran up to its border and the next cell's
    starts right after it ('opgeleide|OCW'), is two words, split at the rule; so is
    one built across a column's left edge that the page's text shows without a rule
    (`_column_edges`)."""
    raw = page.extract_words(extra_attrs=["size"], x_tolerance=settings.word_x_tolerance_em * em,
                             y_tolerance=settings.word_y_tolerance_em * em,
                             keep_blank_chars=False, use_text_flow=False,
                             return_chars=True)
    edges = _column_edges(raw, settings, em)
    letter_gap = _letter_gap(raw)
    blanks = sorted((c for c in page.chars if c["text"].isspace()), key=lambda c: c["x1"])
    ends = [c["x1"] for c in blanks]
    reach = settings.space_glyph_reach_em * em
    words = []
    for w in raw:
        pieces = _split_at_spaces(w, letter_gap, settings)
        if cuts:
            pieces = [q for piece in pieces for q in _split_at_rules(piece, cuts)]
        if edges:
            pieces = [q for piece in pieces
                      for q in _split_at_edges(piece, edges, letter_gap, settings)]
        words += [Word(printed_text(p["text"]), p["x0"], p["x1"], p["top"], p["bottom"],
                       p["size"], page_number, _spaced(p, blanks, ends, reach), _glyphs(p))
                  for p in pieces]
    return words


def _glyphs(word: dict) -> tuple[tuple[float, float], ...]:
    """The (x0, x1) of each glyph of a word of digits and apostrophes (Word.glyphs),
    one per character of its text; () for any other word, or one whose glyphs do not
    match its text one to one."""
    chars = word.get("chars") or ()
    if not _DIGITS_AND_QUOTES.fullmatch(word["text"]) or len(chars) != len(word["text"]):
        return ()
    return tuple((c["x0"], c["x1"]) for c in chars)


def _spaced(word: dict, blanks: list[dict], ends: list[float], reach: float) -> bool:
    """Whether a space glyph ends where `word` starts (within `reach`), on its line:
    `blanks` the page's space glyphs sorted by their right edge (`ends`)."""
    middle = (word["top"] + word["bottom"]) / 2
    return any(blank["top"] < middle < blank["bottom"] for blank in
               blanks[bisect_left(ends, word["x0"] - reach):bisect_right(ends, word["x0"] + reach)])


def _letter_gap(raw: list[dict]) -> float:
    """The page's gap between letters of one word (pt): the median gap between
    neighbouring characters inside pdfplumber's words, never below 0 (kerning pulls
    letters together, which says nothing about a space). Letter-spaced print sets
    every letter this far apart; most pages set them edge to edge."""
    gaps = [b["x0"] - a["x1"] for w in raw for a, b in pairwise(w.get("chars") or ())]
    return max(median(gaps), 0.0) if gaps else 0.0


def _split_at_spaces(word: dict, letter_gap: float, settings: PdfSettings) -> list[dict]:
    """`word` in pieces at the gaps between its letters that are a space: wider than
    the page's letter gap by `space_gap_em` of the letters' size, as join_words puts
    a space between two words. pdfplumber joins letters closer than its x tolerance
    (an em fraction of the page's body size), and a writer that prints no space
    glyphs (pdftocairo's re-distilling) leaves only the gap, which in a narrow font
    ('de ALV': 0.18 em) or small print (a footnote at 6/7 of the body size) is
    within that tolerance. Kerning only narrows gaps; justified text widens only its
    spaces; letter-spaced text widens every gap alike (the page's letter gap)."""
    chars = word.get("chars")
    if not chars or len(chars) < 2:
        return [word]
    limit = letter_gap + settings.space_gap_em * word["size"]  # one size: extra_attrs
    cut = [i for i in range(1, len(chars)) if chars[i]["x0"] - chars[i - 1]["x1"] > limit]
    return _pieces(word, chars, cut) if cut else [word]


def _pieces(word: dict, chars: list[dict], cut: list[int]) -> list[dict]:
    """`word` cut before each of the character indices `cut`."""
    parts = [chars[a:b] for a, b in zip([0, *cut], [*cut, len(chars)], strict=True)]
    return [{"text": "".join(c["text"] for c in part), "x0": part[0]["x0"],
             "x1": max(c["x1"] for c in part), "top": min(c["top"] for c in part),
             "bottom": max(c["bottom"] for c in part), "size": word["size"], "chars": part}
            for part in parts]


def _column_edges(raw: list[dict], settings: PdfSettings, em: float) -> list[tuple[float, int]]:
    """Left edges of the page's text columns: x where many words start, each with
    how many do."""
    step = settings.column_edge_tolerance_em * em
    xs = sorted(w["x0"] for w in raw)
    counts = [(x, bisect_right(xs, x + step) - bisect_left(xs, x - step)) for x in xs]
    return [(x, n) for x, n in counts if n >= settings.column_edge_min_words]


def _split_at_edges(word: dict, edges: list[tuple[float, int]], letter_gap: float,
                    settings: PdfSettings) -> list[dict]:
    """`word` in pieces where one of its letters starts on a column edge after a gap:
    the next column's text, run into. A gap a space would be (`space_gap_em`) cuts at
    any edge (letter-spaced words stay whole between edges). A narrower one, wider
    than the page's letter gap by `edge_gap_em` of the letter before, cuts at an
    edge where at least `column_edge_sure_words` words start: a cell set tight
    leaves only its two paddings between its text and the next column's (0.6 pt:
    'leerprestaties|ocw' left 0.09 em), less than a space, while letters of one word
    follow each other at the page's letter gap (kerning only narrows it); a hyphen's
    side bearing (0.036 em) that happens to start where one other word does stays
    in its word."""
    chars = word.get("chars")
    if not chars or len(chars) < 2:
        return [word]
    step = settings.column_edge_tolerance_em * word["size"]
    inside = bisect_right(edges, (word["x0"] - step,))  # edges are sorted
    if inside == len(edges) or edges[inside][0] > word["x1"] + step:
        return [word]  # no edge within the word's reach: told without its letters

    def cuts(i: int) -> bool:
        gap, size = chars[i]["x0"] - chars[i - 1]["x1"], chars[i - 1]["size"]
        wide = gap > settings.space_gap_em * size
        if not wide and gap <= letter_gap + settings.edge_gap_em * size:
            return False
        least = 1 if wide else settings.column_edge_sure_words
        return any(abs(chars[i]["x0"] - x) <= step and n >= least for x, n in edges)

    cut = [i for i in range(1, len(chars)) if cuts(i)]
    return _pieces(word, chars, cut) if cut else [word]


def printed_text(text: str) -> str:
    """A word's text as printed. Its Unicode in canonical composition (NFC): a writer
    may name a glyph by a canonical equivalent (mupdf's convert names the semicolon
    U+037E, the Greek question mark; others give 'e' and a combining diaeresis for
    'ë'), which is the same character; a Latin ligature (U+FB00-FB06: 'ﬁ', 'ﬂ', as
    Ghostscript may name one glyph for two letters) as its letters; a soft hyphen as
    the hyphen it prints; glyphs the base-14 fonts leave unnamed by their names
    (vocab/cid_glyphs.csv)."""
    text = unicodedata.normalize("NFC", _unmapped(text))
    if any(LIGATURES[0] <= c <= LIGATURES[1] for c in text):
        text = "".join(unicodedata.normalize("NFKC", c) if LIGATURES[0] <= c <= LIGATURES[1]
                       else c for c in text)
    return text.replace(SOFT_HYPHEN, "-")


def _split_at_rules(word: dict, cuts: list[tuple[float, float, float]]) -> list[dict]:
    """`word` in pieces at the rules that pass through a gap between two of its
    characters (a rule inside a character's box is a word printed over it, and stays)."""
    middle = (word["top"] + word["bottom"]) / 2
    xs = [x for x, top, bottom in cuts
          if top <= middle <= bottom and word["x0"] < x < word["x1"]]
    chars = word.get("chars")
    if not xs or not chars:
        return [word]
    pieces, current = [], [chars[0]]
    for before, after in zip(chars, chars[1:], strict=False):
        if any(before["x1"] <= x <= after["x0"] for x in xs):
            pieces.append(current)
            current = []
        current.append(after)
    pieces.append(current)
    if len(pieces) == 1:
        return [word]
    return [{"text": "".join(c["text"] for c in part), "x0": part[0]["x0"],
             "x1": max(c["x1"] for c in part), "top": min(c["top"] for c in part),
             "bottom": max(c["bottom"] for c in part), "size": word["size"], "chars": part}
            for part in pieces]


def _unmapped(text: str) -> str:
    """'(cid:127)' -> '•' for glyphs a font left without Unicode (vocab/cid_glyphs.csv)."""
    if "(cid:" not in text:
        return text
    glyphs = vocab.cid_glyphs()
    return UNMAPPED_GLYPH.sub(lambda m: glyphs.get(int(m.group(1)), m.group(0)), text)


def group_lines(words: list[Word], settings: PdfSettings = DEFAULT_SETTINGS) -> list[Line]:
    """Words into lines, top to bottom, each line left to right.

    Print smaller than the words' body size (raised footnote markers) is placed
    only once the body print has made its lines: set tight, lines touch, and a
    marker raised into the line above would otherwise join that line first and
    chain the next line's words onto it (two lines interleaved word by word). It
    goes to the body line it overlaps most, or makes lines of its own (small
    print such as footnotes)."""
    if not words:
        return []
    body = median(w.size for w in words)
    small = [w for w in words if w.size < body * settings.superscript_size_ratio]
    lines = _build_lines([w for w in words if w.size >= body * settings.superscript_size_ratio],
                         settings)
    bands = [(line.top, line.bottom) for line in lines]
    rest = []
    for word in small:
        best = max(range(len(bands)), key=lambda i: _share(bands[i], word), default=None)
        if best is not None and _share(bands[best], word) >= settings.line_overlap:
            lines[best].words.append(word)
        else:
            rest.append(word)
    lines += _build_lines(rest, settings)
    for line in lines:
        line.words.sort(key=lambda w: w.x0)
        line.words[:] = _mark_superscripts(line.words, settings)
    return sorted(lines, key=lambda line: line.top)


def _build_lines(words: list[Word], settings: PdfSettings) -> list[Line]:
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        target = next((line for line in reversed(lines[-settings.line_lookback:])
                       if _overlaps(line, word, settings.line_overlap)), None)
        if target is None:
            lines.append(Line([word], word.page))
        else:
            target.words.append(word)
    return lines


def _share(band: tuple[float, float], word: Word) -> float:
    """How much of `word`'s height lies within the band (top, bottom)."""
    height = max(word.bottom - word.top, 1e-3)  # a zero-height word: avoid dividing by 0
    return (min(band[1], word.bottom) - max(band[0], word.top)) / height


def _overlaps(line: Line, word: Word, share: float) -> bool:
    return _share((line.top, line.bottom), word) >= share


def _mark_superscripts(words: list[Word], settings: PdfSettings) -> list[Word]:
    body = max(w.size for w in words)
    baseline = median(w.bottom for w in words if w.size >= body * settings.baseline_size_ratio)
    marked = []
    for word in words:
        raised = word.bottom < baseline - settings.superscript_raise_em * body
        small = word.size < body * settings.superscript_size_ratio
        if small and raised and word.text.isdigit():
            word = Word(word.text.translate(TO_SUPERSCRIPT), word.x0, word.x1, word.top,
                        word.bottom, word.size, word.page, word.spaced, word.glyphs)
        marked.append(word)
    return marked


def join_words(words: list[Word], settings: PdfSettings = DEFAULT_SETTINGS) -> str:
    """Words of one line as text: a space where the page shows a gap."""
    parts: list[str] = []
    previous: Word | None = None
    gap = settings.space_gap_em
    for word in words:
        # A raised marker is set in small print right after its word: the gap before
        # it is measured in the size of the text it marks, not in its own.
        if previous is not None:
            sizes = (word.size, previous.size)
            marker = _is_superscript(word.text)
            limit = settings.marker_gap_em * max(sizes) if marker else gap * min(sizes)
            if word.x0 - previous.x1 > (0.0 if word.spaced else limit):
                parts.append(" ")
        parts.append(word.text)
        previous = word
    return "".join(parts)


def _is_superscript(text: str) -> bool:
    return bool(text) and all(c in SUPERSCRIPT_DIGITS for c in text)


def on_next_line(upper: Word, lower: Word, reach: float, settings: PdfSettings) -> bool:
    """Whether `lower` is set on a line under `upper` and at most `reach` below it (a
    label wrapped in its cell: 'werk-' / 'gevers', "'1" / "3"). Set tight, the two
    lines touch or overlap a little: less than it takes to share a line
    (`line_overlap` of the upper word's height)."""
    touch = settings.line_overlap * (upper.bottom - upper.top)
    return -touch < lower.top - upper.bottom <= reach


def bbox(words: list[Word]) -> tuple[float, float, float, float]:
    return (min(w.x0 for w in words), min(w.top for w in words),
            max(w.x1 for w in words), max(w.bottom for w in words))


def join_lines(before: str, after: str) -> str:
    """Two wrapped lines of one paragraph. A line that ends in a hyphen was broken
    inside a word ('vmbo-' + 'mbo'), unless the hyphen stands alone ('onderwijs -')
    or an elided compound goes on with a conjunction ('op-' + 'en bijscholing'). A line
    that ends at a word's apostrophe ("regio'" + "s") goes on in the same word.

    A line may also end in the hyphen that opens the next word: writers break
    after any hyphen, so 'en -begeleiding' and '(-publieke)' wrap as 'en -' and
    '(-'. The hyphen opens a word when it follows an opening bracket, or stands
    alone after the conjunction of an elided compound ('... en -begeleiding'),
    where a spaced dash ('onderwijs - bedrijfsleven') does not stand."""
    before, after = before.rstrip(), after.lstrip()
    if not before or not after:
        return before + after
    inside_word = before.endswith("-") and before[-2:-1].isalnum()
    if inside_word and (after[0].isalnum()) and not goes_on_elided(after):
        return before + after
    if after[0].isalnum() and _opens_word(before):
        return before + after
    # "regio'" + "s": a word broken at its apostrophe, not a closing quote.
    at_apostrophe = before[-1:] in APOSTROPHES and before[-2:-1].isalpha()
    if at_apostrophe and after.split()[0] in vocab.apostrophe_endings():
        return before + after
    return before + " " + after


def document_words(pages_words) -> frozenset[str]:
    """Every word printed in the document, without the punctuation around it: the
    evidence for a join at a line end ('BOL/' + 'BBL-route' where 'BOL/BBL-route' is
    printed whole elsewhere, in the detail table that repeats the titles), with the
    parts of hyphenated words ('BOL/BBL' of 'BOL/BBL-', itself broken at its hyphen)."""
    found = set()
    for words in pages_words:
        for word in words:
            text = word.text.strip(PUNCTUATION)
            found.add(text)
            found.update(part for part in text.split("-") if len(part) > 1)
    return frozenset(found)


def joined_elsewhere(before: str, after: str, seen: frozenset[str]) -> bool:
    """Whether `before`, ending in a slash or a hyphen inside a word, and `after`
    are one word that the document prints whole elsewhere ('BOL/' + 'BBL-route')."""
    before, after = before.rstrip(), after.lstrip()
    if not (before[-1:] in "/-" and before[-2:-1].isalnum() and after[:1].isalnum()):
        return False
    last, first = before.split()[-1], after.split()[0].strip(PUNCTUATION)
    glued = (last + first).strip(PUNCTUATION)
    # The part of the joined word around the join: up to the next hyphen after it.
    around = (last + first.split("-")[0]).strip(PUNCTUATION)
    return glued in seen or around in seen


def join_lines_seen(before: str, after: str, seen: frozenset[str]) -> str:
    """join_lines, except that a line ending in a slash or hyphen inside a word goes
    on without a space where the document prints the joined word whole elsewhere."""
    if joined_elsewhere(before, after, seen):
        return before.rstrip() + after.lstrip()
    return join_lines(before, after)


def goes_on_elided(after: str) -> bool:
    """Whether a line after one ending in a hyphen ('op-') goes on an elided compound:
    a conjunction ('en bijscholing') followed by the compound's other half, a content
    word. A function word after it ('pss-' + 'en in VO') says the conjunction is the
    broken word's own end, as a writer breaking after a hyphen wraps 'pss-en'. A line
    that is only the conjunction shows no second half: it is taken as elided."""
    words = after.split()
    if not words or words[0].lower() not in vocab.elision_words():
        return False
    return len(words) < 2 or words[1].lower() not in vocab.stopwords()


def _opens_word(text: str) -> bool:
    """Whether the hyphen ending `text` is the first character of the next word."""
    last = text.split()[-1]
    if last[-1:] not in "-\u2010" or len(last) > 2:
        return False
    if len(last) == 2:
        return last[0] in "([{\"'‘“"
    words = text.split()
    return len(words) > 1 and words[-2].lower() in vocab.elision_words()
