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

from rapidfuzz import fuzz, process

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
