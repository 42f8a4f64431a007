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


def coverage_matrix(shorts: list[list[str]], longs: list[list[str]]) -> np.ndarray:
    """coverage(short, long, Corpus.of(longs)) for every pair at once, shape
    (len(shorts), len(longs)).

    The same numbers as calling `coverage` pair by pair, but the fuzzy word
    comparison runs once per pair of distinct words (rapidfuzz's cdist) and the
    weighting is one sparse product, so a few thousand actions take a second,
    not minutes.
    """
    result = np.zeros((len(shorts), len(longs)), dtype=np.float64)
    if not shorts or not longs:
        return result
    corpus = Corpus.of(longs)
    short_vocab = sorted({w for words in shorts for w in words})
    long_vocab = sorted({w for words in longs for w in words})
    if not short_vocab or not long_vocab:
        return result
    scores = process.cdist(short_vocab, long_vocab, scorer=fuzz.ratio,
                           score_cutoff=TOKEN_MATCH_CUTOFF, dtype=np.float32, workers=1)
    long_index = {w: i for i, w in enumerate(long_vocab)}
    rows = [long_index[w] for words in longs for w in set(words)]
    cols = [u for u, words in enumerate(longs) for _ in set(words)]
    present = sparse.csr_array((np.ones(len(rows), dtype=np.float32), (rows, cols)),
                               shape=(len(long_vocab), len(longs)))
    # best[w, u]: the best ratio of short word w against any word of long text u.
    best = np.zeros((len(short_vocab), len(longs)), dtype=np.float64)
    for w in range(len(short_vocab)):
        matches = np.flatnonzero(scores[w])
        if matches.size:
            best[w] = (present[matches].toarray() * scores[w, matches][:, None]).max(axis=0)
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
    found = weights @ best / 100
    nonempty = totals > 0
    result[nonempty] = found[nonempty] / totals[nonempty, None]
    empty_long = np.array([not words for words in longs])
    result[:, empty_long] = 0.0
    return result
