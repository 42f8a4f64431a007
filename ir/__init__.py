"""The intermediate representation that the stages hand to each other.

Extract readers (text export, PDF) produce a `RawAnnex`; normalize turns it into
`AnnexTables`; validate checks those; pipeline writes them. Every raw value is a
`Span`: its text plus where it was read, so any output value can be traced back
to a line (text export) or a page and bounding box (PDF).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations: readers and the CLI need no pandas to start
    import pandas as pd


# Footnote markers are written in IR texts as superscript digits ('¹'), whatever the
# source used (raised small digits in a PDF): every stage finds them by this alphabet.
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"


@dataclass(frozen=True)
class Provenance:
    """Where a value was read: lines for text exports, page and bbox for PDFs."""

    file: str
    line: int | None = None
    line_end: int | None = None
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None

    def describe(self) -> str:
        if self.page is not None:
            where = f"page {self.page}"
            if self.bbox is not None:
                where += " bbox(" + ", ".join(f"{v:.1f}" for v in self.bbox) + ")"
            return where
        if self.line is None:
            return "whole file"
        if self.line_end is None or self.line_end == self.line:
            return f"line {self.line}"
        return f"lines {self.line}-{self.line_end}"

    def merged(self, other: Provenance) -> Provenance:
        """The span covering both (same file, lines or page)."""
        if self.line is None or other.line is None:
            return self
        end = max(self.line_end or self.line, other.line_end or other.line)
        return Provenance(self.file, min(self.line, other.line), end, self.page, self.bbox)


@dataclass(frozen=True)
class Span:
    """A piece of source text with its provenance."""

    text: str
    where: Provenance

    def __bool__(self) -> bool:
        return bool(self.text.strip())


# The bullet every reader writes for an unnumbered list item, whatever glyph was printed.
BULLET = "•"


@dataclass(frozen=True)
class TextBlock:
    """One paragraph or list item of a cell, as plain text (no markup).

    `marker` is the item's printed label: BULLET for an unnumbered item, '1.',
    'a)' ... for a numbered one, None for a paragraph.
    """

    kind: str  # "paragraph" or "item"
    text: str
    marker: str | None = None

    def line(self) -> str:
        """The block as one line of plain text: items keep their marker in front."""
        return f"{self.marker} {self.text}" if self.marker else self.text


@dataclass(frozen=True)
class TextBlocks:
    """The structured text of one cell (paragraphs, list items) with where it was read."""

    blocks: tuple[TextBlock, ...]
    where: Provenance

    def __bool__(self) -> bool:
        return any(block.text.strip() for block in self.blocks)

    def plain(self) -> str:
        """One line per block, as the blocks were read."""
        return "\n".join(block.line() for block in self.blocks)


@dataclass(frozen=True)
class TimelineCell:
    """One shaded (or blank) cell under a year of the matrix timeline."""

    year: int
    period: int  # sub-column within the year (1 when years are not split)
    colour_class: str  # "looptijd", "mijlpaal" or "onbekend"
    colour: str  # the fill as read, e.g. "rgb(1.000,1.000,0.000)" or "cmyk(0,0,1,0)"
    where: Provenance


@dataclass(frozen=True)
class RawMatrixRow:
    """One action line of the matrix, cells as printed."""

    ambition: Span | None  # the group line above it ("Ambitie 1: ...")
    number: Span
    letter: Span | None
    title: Span
    parties: dict[str, Span]  # party group (employers, ...) -> printed cell
    # None: the source holds no timeline (text export). A list, possibly
    # empty: the cells that were read.
    timeline: tuple[TimelineCell, ...] | None = None


@dataclass(frozen=True)
class RawDetailRow:
    """One row of the detail table, continuation lines already joined."""

    ambition: Span | None
    number: Span
    letters: Span | None  # as printed: "a", "b c", or None
    action_text: TextBlocks  # long title, possibly with embedded sub-items
    initiator: Span | None  # None or empty: no separate initiator cell was filled
    status: TextBlocks


@dataclass(frozen=True)
class RawFootnote:
    marker: Span  # as printed, e.g. "¹" or "⁷⁷"
    text: Span


@dataclass(frozen=True)
class RawAnnex:
    source_file: str
    sha256: str
    source_format: str  # "text-export" or "pdf"
    title: Span | None
    timeline_years: tuple[int, ...]  # from the matrix header, e.g. 2013..2020
    periods_per_year: int | None  # None: the source has no timeline
    matrix_rows: tuple[RawMatrixRow, ...]
    detail_rows: tuple[RawDetailRow, ...]
    footnotes: tuple[RawFootnote, ...]
    # The document's own description of itself (PDF Title, Subject, Producer ...).
    metadata: tuple[tuple[str, str], ...] = ()


@dataclass
class AnnexTables:
    """The normalized tables of one annex: what validate checks and write publishes."""

    annex_id: str
    source_file: str
    sha256: str
    timeline_years: tuple[int, ...]
    actions: pd.DataFrame
    action_parties: pd.DataFrame
    action_initiators: pd.DataFrame
    footnotes: pd.DataFrame
    links: pd.DataFrame
    corrections: pd.DataFrame
    timeline_cells: pd.DataFrame
    provenance: pd.DataFrame
    periods_per_year: int | None = None
    source_format: str = "text-export"
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {
            "actions": self.actions,
            "action_parties": self.action_parties,
            "action_initiators": self.action_initiators,
            "footnotes": self.footnotes,
            "links": self.links,
            "corrections": self.corrections,
            "timeline_cells": self.timeline_cells,
            "provenance": self.provenance,
        }


class StageError(Exception):
    """A failure with enough context for the one-line report: file, stage, reason, place."""

    def __init__(self, file: str, stage: str, reason: str, where: str = "") -> None:
        super().__init__(reason)
        self.file = file
        self.stage = stage
        self.reason = reason
        self.where = where

    def one_line(self) -> str:
        place = f" at {self.where}" if self.where else ""
        return f"{self.file}: {self.stage}: {self.reason}{place}"
