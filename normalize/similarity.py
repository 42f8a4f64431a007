"""Title similarity for linking a matrix action to the detail text that describes it.

The matrix holds short titles ('WenT op alle basisscholen'), the detail table
long ones ('Structureel Wetenschap en Technologie onderwijs op alle
basisscholen'). The score is the share of the short title's meaningful words
found (fuzzily, so 'ontwikkeling' meets 'ontwikkelen') in the long text,
weighted by how rare each word is among all detail texts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process
from scipy import sparse

import vocab

WORD = re.compile(r"[^\W_]+(?:['’&][^\W_]+)*(?:-[^\W_]+)*")
TOKEN_MATCH_CUTOFF = 80.0


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Meaningful words, abbreviations expanded, accents and stopwords dropped."""
    abbreviations = vocab.abbreviations()
    stop = vocab.stopwords()
    out: list[str] = []
    for word in WORD.findall(_fold(text)):
        for piece in _expand(word, abbreviations):
            if piece not in stop and len(piece) > 1:
                out.append(piece)
    return out


def _expand(word: str, abbreviations: dict[str, str]) -> list[str]:
    if word in abbreviations:
        return abbreviations[word].split()
    pieces = []
    for part in word.split("-"):
        pieces.extend(abbreviations.get(part, part).split())
    return pieces


@dataclass(frozen=True)
class Corpus:
    """Word rarity over the texts being compared against."""

    weights: dict[str, float]
    default: float

    @classmethod
    def of(cls, texts: list[list[str]]) -> Corpus:
        frequency = Counter(word for words in texts for word in set(words))
        n = max(len(texts), 1)
        weights = {word: math.log(1 + n / count) for word, count in frequency.items()}
        return cls(weights, math.log(1 + n))

    def weight(self, word: str) -> float:
        return self.weights.get(word, self.default)


def coverage(short: list[str], long: list[str], corpus: Corpus) -> float:
    """Weighted share (0..1) of the short title's words found in the long text."""
    if not short or not long:
        return 0.0
    found = total = 0.0
    for word in short:
        weight = corpus.weight(word)
        total += weight
        match = process.extractOne(word, long, scorer=fuzz.ratio,
                                   score_cutoff=TOKEN_MATCH_CUTOFF)
        if match:
            found += weight * match[1] / 100
    return found / total


def _word_matches(shorts: list[str], longs: list[str]) -> tuple[np.ndarray, ...]:
    """(short index, long index, ratio) of every word pair scoring at least
    TOKEN_MATCH_CUTOFF. fuzz.ratio can only reach the cutoff when the lengths are
    close (ratio <= 200 * shorter / (sum of lengths)), so each length is compared
    only with the lengths that can match it: the same pairs, far fewer comparisons."""
    cutoff = TOKEN_MATCH_CUTOFF
    by_length: dict[int, list[int]] = {}
    for index, word in enumerate(longs):
        by_length.setdefault(len(word), []).append(index)
    lengths = sorted(by_length)
    short_by_length: dict[int, list[int]] = {}
    for index, word in enumerate(shorts):
        short_by_length.setdefault(len(word), []).append(index)
    found_w, found_v, found_r = [], [], []
    for length, members in short_by_length.items():
        low, high = length * cutoff / (200 - cutoff), length * (200 - cutoff) / cutoff
        candidates = [i for n in lengths if low <= n <= high for i in by_length[n]]
        if not candidates:
            continue
        # Whole-number scores find the pairs cheaply (a quarter of the memory to
        # scan); each pair found is then scored exactly, as coverage() does.
        rough = process.cdist([shorts[i] for i in members], [longs[i] for i in candidates],
                              scorer=fuzz.ratio, score_cutoff=cutoff - 1, dtype=np.uint8,
                              workers=1)
        w, v = np.nonzero(rough)
        w, v = np.array(members)[w], np.array(candidates)[v]
        exact = np.array([fuzz.ratio(shorts[a], longs[b]) for a, b in
                          zip(w.tolist(), v.tolist(), strict=True)], dtype=np.float32)
        keep = exact >= cutoff
        found_w.append(w[keep])
        found_v.append(v[keep])
        found_r.append(exact[keep])
    if not found_w:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32)
    return np.concatenate(found_w), np.concatenate(found_v), np.concatenate(found_r)


def coverage_matrix(shorts: list[list[str]], longs: list[list[str]]) -> sparse.csr_array:
    """coverage(short, long, Corpus.of(longs)) for every pair at once, shape
    (len(shorts), len(longs)), sparse: most pairs share no word.

    The same numbers as calling `coverage` pair by pair, but the fuzzy word
    comparison runs once per pair of distinct words (rapidfuzz's cdist) and the
    weighting is one sparse product, so a few thousand actions take a second,
    not minutes.
    """
    empty = sparse.csr_array((len(shorts), len(longs)), dtype=np.float64)
    if not shorts or not longs:
        return empty
    corpus = Corpus.of(longs)
    short_vocab = sorted({w for words in shorts for w in words})
    long_vocab = sorted({w for words in longs for w in words})
    if not short_vocab or not long_vocab:
        return empty
    # present: long word -> the long texts holding it.
    long_index = {w: i for i, w in enumerate(long_vocab)}
    pairs = sorted({(long_index[w], u) for u, words in enumerate(longs) for w in words})
    present = sparse.csr_array((np.ones(len(pairs)), ([p[0] for p in pairs],
                                                      [p[1] for p in pairs])),
                               shape=(len(long_vocab), len(longs)))
    # best[w, u]: the best ratio of short word w against any word of long text u,
    # from the (short word, long word) matches joined with where each long word occurs.
    match_w, match_v, match_ratio = _word_matches(short_vocab, long_vocab)
    counts = np.diff(present.indptr)[match_v]
    w_of = np.repeat(match_w, counts)
    ratio = np.repeat(match_ratio, counts)
    starts = present.indptr[match_v]
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    u_of = present.indices[np.repeat(starts, counts) + offsets]
    order = np.lexsort((-ratio, u_of, w_of))
    w_of, u_of, ratio = w_of[order], u_of[order], ratio[order]
    first = np.ones(len(w_of), dtype=bool)
    first[1:] = (w_of[1:] != w_of[:-1]) | (u_of[1:] != u_of[:-1])
    best = sparse.csr_array((ratio[first].astype(np.float64), (w_of[first], u_of[first])),
                            shape=(len(short_vocab), len(longs)))
    short_index = {w: i for i, w in enumerate(short_vocab)}
    data, rows, cols, totals = [], [], [], np.zeros(len(shorts))
    for s, words in enumerate(shorts):
        for word in words:
            weight = corpus.weight(word)
            data.append(weight)
            rows.append(s)
            cols.append(short_index[word])
            totals[s] += weight
    weights = sparse.csr_array((data, (rows, cols)), shape=(len(shorts), len(short_vocab)))
    scale = np.divide(1.0, totals * 100, out=np.zeros_like(totals), where=totals > 0)
    return sparse.csr_array(sparse.diags_array(scale) @ (weights @ best))
