"""Normalize stage: merge matrix and detail rows into the published tables.

Knows nothing of file formats: it reads only the intermediate representation.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from ir import AnnexTables, Provenance, RawAnnex, RawDetailRow, RawMatrixRow, Span
from ir.schema import SCHEMAS
from normalize.annex_id import annex_id as make_annex_id
from normalize.details import Detail, clean_detail
from normalize.footnotes import number_footnotes
from normalize.link import Link, MatrixKey, detail_units, link
from normalize.parties import parse_party_cell

PARTY_GROUPS = ("employers", "employees", "education", "regions", "ministries")
AMBITION = re.compile(r"^\s*ambitie\s+(\d+)\s*[:.\-–]?\s*(.*)$", re.IGNORECASE)


def normalize_annex(raw: RawAnnex) -> AnnexTables:
    title = raw.title.text if raw.title else None
    annex = make_annex_id(title, Path(raw.source_file).stem, raw.sha256)
    footnotes = number_footnotes(raw.footnotes)
    numbers = {note.number for note in footnotes}
    details = [clean_detail(row, numbers) for row in raw.detail_rows]
    keys = [_matrix_key(row) for row in raw.matrix_rows]
    units = detail_units([(d.number, d.letters, d.title, d.items) for d in details],
                         [d.ref for d in details])
    links = link(keys, units)
    builder = _Builder(annex, raw.source_file)
    for row, key, found in zip(raw.matrix_rows, keys, links, strict=True):
        detail = details[found.unit.detail_index] if found.unit else None
        builder.add_action(row, key, found, detail)
    for row, detail in zip(raw.detail_rows, details, strict=True):
        builder.add_detail_provenance(row, detail.ref)
    builder.add_unused(details, links)
    builder.notes += [f"detail row {d.ref} ({d.location}): superscript {m!r} matches no footnote"
                      for d in details for m in d.stray_markers]
    builder.add_footnotes(footnotes)
    return builder.tables(raw, annex)


def _matrix_key(row: RawMatrixRow) -> MatrixKey:
    return MatrixKey(int(row.number.text), row.letter.text if row.letter else None, row.title.text)


def _ambition(row: RawMatrixRow) -> tuple[int | None, str | None]:
    if row.ambition is None:
        return None, None
    match = AMBITION.match(row.ambition.text)
    if match:
        return int(match.group(1)), match.group(2).strip() or None
    return None, row.ambition.text.strip()


def _years(row: RawMatrixRow) -> tuple[list[int] | None, list[int] | None]:
    if row.timeline is None:
        return None, None
    active = sorted({c.year for c in row.timeline if c.colour_class in ("looptijd", "mijlpaal")})
    milestones = sorted({c.year for c in row.timeline if c.colour_class == "mijlpaal"})
    return active, milestones


class _Builder:
    """Collects the rows of every table while actions are merged."""

    def __init__(self, annex: str, source_file: str) -> None:
        self.annex = annex
        self.source_file = source_file
        self.rows: dict[str, list[dict]] = {name: [] for name in SCHEMAS}
        self.references: dict[int, list[str]] = {}
        self.notes: list[str] = []

    def add_action(self, row: RawMatrixRow, key: MatrixKey, found: Link,
                   detail: Detail | None) -> None:
        action_id = f"{key.number}{key.letter or ''}"
        ambition_number, ambition_title = _ambition(row)
        active, milestones = _years(row)
        parties = self._parties(row, action_id)
        action = {
            "annex_id": self.annex, "action_id": action_id, "action_number": key.number,
            "action_letter": key.letter, "ambition_number": ambition_number,
            "ambition_title": ambition_title, "title": row.title.text,
            **{group: parties.get(group, []) for group in PARTY_GROUPS},
            "years_active": active, "milestone_years": milestones,
            "link_method": found.method, "link_score": found.score,
            "source_file": self.source_file, "matrix_location": row.title.where.describe(),
            **self._detail_fields(action_id, found, detail),
        }
        self.rows["actions"].append(action)
        self._timeline_cells(row, action_id)
        self._matrix_provenance(row, action_id)
        self.rows["links"].append({
            "annex_id": self.annex, "action_id": action_id,
            "detail_ref": detail.ref if detail else None,
            "detail_item": found.unit.item if found.unit else None,
            "method": found.method, "score": found.score, "confident": found.confident,
            "key_match": found.key_match, "displacement": found.displacement,
            "margin": found.margin, "reason": found.reason,
            "matrix_title": row.title.text,
            "detail_text": found.unit.text if found.unit else None,
            "matrix_location": action["matrix_location"],
            "detail_location": detail.location if detail else None,
        })

    def _timeline_cells(self, row: RawMatrixRow, action_id: str) -> None:
        for cell in row.timeline or ():
            x0, top, x1, bottom = cell.where.bbox or (None, None, None, None)
            self.rows["timeline_cells"].append({
                "annex_id": self.annex, "action_id": action_id, "year": cell.year,
                "period": cell.period, "colour_class": cell.colour_class,
                "colour": cell.colour, "page": cell.where.page,
                "x0": x0, "top": top, "x1": x1, "bottom": bottom,
            })

    def _matrix_provenance(self, row: RawMatrixRow, action_id: str) -> None:
        spans = {"action_number": row.number, "action_letter": row.letter, "title": row.title,
                 "ambition": row.ambition, **row.parties}
        for name, span in spans.items():
            self._provenance("actions", action_id, name, span)

    def add_detail_provenance(self, row: RawDetailRow, ref: str) -> None:
        spans = {"action_text": row.action_text, "initiator": row.initiator,
                 "status": row.status}
        for name, span in spans.items():
            self._provenance("detail_rows", ref, name, span)

    def _provenance(self, table: str, row_ref: str, name: str, span: Span | None) -> None:
        if span is None:
            return
        where: Provenance = span.where
        x0, top, x1, bottom = where.bbox or (None, None, None, None)
        self.rows["provenance"].append({
            "annex_id": self.annex, "table": table, "row_ref": row_ref, "field": name,
            "source_file": where.file, "line": where.line, "line_end": where.line_end,
            "page": where.page, "x0": x0, "top": top, "x1": x1, "bottom": bottom,
        })

    def _detail_fields(self, action_id: str, found: Link, detail: Detail | None) -> dict:
        if detail is None:
            return {"detail_ref": None, "detail_title": None, "description": None,
                    "initiators": [], "status_text": None, "footnotes": [],
                    "detail_location": None}
        for position, name in enumerate(detail.initiators, 1):
            self.rows["action_initiators"].append({
                "annex_id": self.annex, "action_id": action_id, "position": position,
                "initiator": name.name, "initiator_printed": name.printed, "known": name.known,
            })
            if name.fuzzy_score is not None:
                self._correction("action_initiators", action_id, "initiator", name.printed,
                                 name.name, "fuzzy vocabulary match", name.fuzzy_score,
                                 detail.location)
        numbers = sorted({ref.number for ref in detail.footnotes})
        for ref in detail.footnotes:
            self.references.setdefault(ref.number, [])
            if action_id not in self.references[ref.number]:
                self.references[ref.number].append(action_id)
            if ref.corrected_from is not None:
                self._correction("actions", action_id, "footnotes", ref.printed, str(ref.number),
                                 "doubled footnote marker collapsed", None, detail.location)
        title = detail.items.get(found.unit.item, detail.title) if found.unit.item else detail.title
        return {
            "detail_ref": detail.ref, "detail_title": title, "description": detail.description,
            "initiators": [name.name for name in detail.initiators],
            "status_text": detail.status, "footnotes": numbers,
            "detail_location": detail.location,
        }

    def _parties(self, row: RawMatrixRow, action_id: str) -> dict[str, list[str]]:
        parties: dict[str, list[str]] = {}
        for group, cell in row.parties.items():
            codes = parse_party_cell(cell.text, group)
            parties[group] = [code.code for code in codes]
            for code in codes:
                self.rows["action_parties"].append({
                    "annex_id": self.annex, "action_id": action_id, "group": group,
                    "code": code.code, "code_printed": code.printed, "name_nl": code.name_nl,
                    "known": code.known,
                })
                if code.correction_score is not None:
                    self._correction("action_parties", action_id, group, code.printed,
                                     code.code, code.correction_method,
                                     code.correction_score, cell.where.describe())
        return parties

    def _correction(self, table: str, row_ref: str, field: str, original: str,
                    corrected: str, method: str, score: float | None, location: str) -> None:
        self.rows["corrections"].append({
            "annex_id": self.annex, "table": table, "row_ref": row_ref, "field": field,
            "original": original, "corrected": corrected, "method": method, "score": score,
            "location": location,
        })

    def add_unused(self, details: list[Detail], links: list[Link]) -> None:
        used = {found.unit.detail_index for found in links if found.unit}
        for index, detail in enumerate(details):
            if index not in used:
                self.rows["links"].append({
                    "annex_id": self.annex, "action_id": None, "detail_ref": detail.ref,
                    "detail_item": None, "method": "unused", "score": None, "confident": False,
                    "key_match": None, "displacement": None, "margin": None,
                    "reason": "no matrix action was linked to this row or its sub-items",
                    "matrix_title": None, "detail_text": detail.title, "matrix_location": None,
                    "detail_location": detail.location,
                })

    def add_footnotes(self, footnotes) -> None:
        for note in footnotes:
            self.rows["footnotes"].append({
                "annex_id": self.annex, "footnote_number": note.number,
                "marker_printed": note.printed, "text": note.text,
                "referenced_by": self.references.get(note.number, []),
                "location": note.location,
            })
            if note.corrected_from is not None:
                self._correction("footnotes", str(note.number), "footnote_number",
                                 note.printed, str(note.number),
                                 "doubled footnote marker collapsed", None, note.location)

    def tables(self, raw: RawAnnex, annex: str) -> AnnexTables:
        frames = {name: pd.DataFrame(self.rows[name], columns=SCHEMAS[name].names)
                  for name in SCHEMAS}
        return AnnexTables(annex_id=annex, source_file=raw.source_file, sha256=raw.sha256,
                           timeline_years=raw.timeline_years,
                           periods_per_year=raw.periods_per_year,
                           source_format=raw.source_format, notes=self.notes, **frames)
