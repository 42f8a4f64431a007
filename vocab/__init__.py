"""Vocabularies as data: party codes, party groups, initiators, abbreviations, stopwords.

Kept as CSV/text files beside this module so they can be reviewed and extended
without touching code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent


def _rows(name: str) -> list[dict[str, str]]:
    with open(HERE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class PartyCode:
    code: str
    group: str
    name_nl: str


@dataclass(frozen=True)
class PartyGroup:
    group: str
    header_label: str
    name_nl: str
    name_en: str


@dataclass(frozen=True)
class Initiator:
    name: str
    kind: str
    aliases: tuple[str, ...]


@cache
def party_codes() -> tuple[PartyCode, ...]:
    return tuple(PartyCode(r["code"], r["group"], r["name_nl"]) for r in _rows("party_codes.csv"))


@cache
def party_groups() -> tuple[PartyGroup, ...]:
    return tuple(
        PartyGroup(r["group"], r["header_label"], r["name_nl"], r["name_en"])
        for r in _rows("party_groups.csv")
    )


@cache
def party_header_labels() -> tuple[tuple[str, str], ...]:
    """(group, label) for every way a matrix header names a party column: written
    out, abbreviated ('wg'), in English. The group's own header_label is included."""
    labels = [(g.group, g.header_label) for g in party_groups()]
    labels += [(r["group"], r["label"]) for r in _rows("party_header_labels.csv")]
    return tuple(dict.fromkeys(labels))


@cache
def initiators() -> tuple[Initiator, ...]:
    return tuple(
        Initiator(r["initiator"], r["kind"], tuple(a for a in r["aliases"].split("|") if a))
        for r in _rows("initiators.csv")
    )


@cache
def abbreviations() -> dict[str, str]:
    return {r["abbreviation"]: r["expansion"] for r in _rows("abbreviations.csv")}


@cache
def stopwords() -> frozenset[str]:
    text = (HERE / "stopwords_nl.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@dataclass(frozen=True)
class ColourClass:
    colour_class: str
    legend_words: tuple[str, ...]
    colour_words: tuple[str, ...]
    hue_from: float
    hue_to: float
    meaning: str


@cache
def colour_names() -> dict[str, tuple[float, float, float]]:
    """Colour names a legend may print ('looptijd (rood)') -> RGB 0..1."""
    def rgb(text: str) -> tuple[float, float, float]:
        text = text.lstrip("#")
        return tuple(int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))

    return {r["name"].lower(): rgb(r["rgb"]) for r in _rows("colour_names.csv")}


@cache
def colour_classes() -> tuple[ColourClass, ...]:
    return tuple(
        ColourClass(r["colour_class"], tuple(r["legend_words"].split("|")),
                    tuple(r["colour_words"].split("|")), float(r["hue_from"]),
                    float(r["hue_to"]), r["meaning"])
        for r in _rows("colour_classes.csv")
    )


@cache
def cid_glyphs() -> dict[int, str]:
    """Characters for glyph codes that PDFs leave without a Unicode mapping."""
    return {int(r["cid"]): r["char"] for r in _rows("cid_glyphs.csv")}


@cache
def elision_words() -> frozenset[str]:
    text = (HERE / "elision_words.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@cache
def apostrophe_endings() -> frozenset[str]:
    text = (HERE / "apostrophe_endings.txt").read_text(encoding="utf-8")
    return frozenset(w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#"))


@cache
def months_nl() -> dict[str, int]:
    """Dutch month names and their abbreviations -> month number."""
    found: dict[str, int] = {}
    for r in _rows("months_nl.csv"):
        for name in (r["name"], *r["abbreviations"].split("|")):
            if name:
                found[name.lower()] = int(r["number"])
    return found


@cache
def version_markers() -> tuple[str, ...]:
    """Words after which a document states which version (status date) it is."""
    return tuple(r["marker"].lower() for r in _rows("version_markers.csv"))


@cache
def text_repertoire() -> frozenset[str]:
    """Every character the annex text is written with (vocab/text_repertoire.csv):
    what decides between characters whose glyphs share one outline."""
    return frozenset(c for r in _rows("text_repertoire.csv") for c in r["chars"])


@cache
def glyph_alike() -> dict[str, str]:
    """Character -> the character its family of lookalikes is read as
    (vocab/glyph_alike.csv: the first of each family): characters fonts draw with
    one outline (hyphen, soft hyphen, minus), where which was meant does not
    change the text."""
    first: dict[str, str] = {}
    alike: dict[str, str] = {}
    for r in _rows("glyph_alike.csv"):
        first.setdefault(r["family"], r["char"])
        alike.setdefault(r["char"], first[r["family"]])
    return alike
