"""The truth JSON of a generated layout, in the format of samples/facsimiles/*.truth.json
(facsimile/truth.py) plus a `layout` object with every choice and the producer."""

from __future__ import annotations

import json
import re
from pathlib import Path

from facsimile import META_SUBJECT, META_TITLE, NOTICE_EN, NOTICE_NL
from facsimile.content import PARTY_GROUPS
from facsimile.layouts.model import (
    BAND_RGB,
    HEADER_RGB,
    WATERMARK_RGB,
    WATERMARK_TEXT,
    Document,
    banded,
    marker_text,
)
from facsimile.layouts.options import LEGACY, LEGACY3, SUPPORT, rgb_of


def write_compact(path: Path, document: dict) -> None:
    """JSON with one line per top-level key and per list item (an action, a detail row):
    the same data as json.dumps(indent=1) in a quarter of the bytes, still diffable."""
    def one(value) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    lines = []
    for key, value in document.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            items = ",\n  ".join(one(item) for item in value)
            lines.append(f"{one(key)}: [\n  {items}\n ]")
        else:
            lines.append(f"{one(key)}: {one(value)}")
    path.write_text("{\n " + ",\n ".join(lines) + "\n}\n", encoding="utf-8")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _footnote_page(marker: str, text: str, texts: list[str]) -> int | None:
    probe = _squash(marker + text)
    return next((i for i, page in enumerate(texts, 1) if probe in _squash(page)), None)


def document(doc: Document, pdf: Path, producer: dict, seen: dict, fills: int) -> dict:
    layout = doc.layout
    actions = []
    for printed in doc.actions:
        action = printed.action
        cells = printed.cells
        actions.append({
            "action_id": action.action_id,
            "number": action.number,
            "letter": action.letter,
            "title": action.title,
            "number_cell": printed.number_cell,
            "letter_cell": printed.letter_cell,
            "key_cell": printed.key_cell or printed.number_cell,
            "title_cell": printed.title_cell,
            "parties": {group: action.parties[group] for group in PARTY_GROUPS},
            "ambition": action.ambition,
            "years_active": sorted({y for y, _ in cells}),
            "milestone_years": sorted({y for (y, _), c in cells.items() if c == "mijlpaal"}),
            "cells": [{"year": y, "period": p, "class": c} for (y, p), c in cells.items()],
            "matrix_page": None,
        })
    style = layout.markers
    texts = seen["texts"]
    footnotes = []
    for note in doc.annex.footnotes:
        printed = marker_text(note.marker, style)
        footnotes.append({"marker_printed": note.marker, "marker_as_printed": printed,
                          "number": note.number, "text": note.text,
                          "page": _footnote_page(printed, note.text, texts)})
    colours = {}
    for colour_class, name in zip(("looptijd", "mijlpaal"), layout.colours, strict=True):
        colours[colour_class] = {"name": name, "rgb_written_by_producer": list(rgb_of(name)),
                                 # a pattern is its own colour space (its tiles are RGB)
                                 "space": "pattern" if layout.fill_paint == "pattern"
                                 else layout.colour_space,
                                 "pattern": layout.fill_paint == "pattern"}
    out = {
        "file": pdf.name,
        "facsimile": True,
        "timeline_is_illustrative": True,
        "notice": {"nl": NOTICE_NL, "en": NOTICE_EN},
        "metadata": {"Title": META_TITLE, "Subject": META_SUBJECT},
        "source": "samples/techniekpact-2013-bijlage2.txt",
        "timeline_truth": "generated from the layout seed (facsimile/layouts/model.py)",
        "producer": producer,
        "description": f"generated layout, seed {layout.seed}, producer {layout.producer}",
        "layout": {**layout.as_dict(), "producer_supports": {
            k: list(v) for k, v in SUPPORT[layout.producer].items()
            if (layout.generation >= 2 or k not in LEGACY)
            and (layout.generation >= 3 or k not in LEGACY3)},
            "timeline_fills_rewritten": fills},
        "title": doc.annex.title,
        "timeline_years": list(doc.annex.years),
        "periods_per_year": doc.periods,
        "colours": colours,
        "legend": [{"class": c, "text": t} for c, t in doc.legend],
        "header": {"parties_order": list(doc.groups),
                   "party_labels": {g: list(v) for g, v in doc.labels.items()},
                   "year_labels": list(doc.year_labels), "timeline": doc.timeline_header},
        "pages": [{k: v for k, v in p.items() if k != "words"} for p in seen["pages"]],
        "footnotes": footnotes,
        "actions": actions,
        "detail_rows": [
            {
                "ambition": printed.row.ambition,
                "number": printed.row.number,
                "number_cell": printed.number_cell,
                "letters": printed.row.letters,
                "letters_cell": printed.letters_cell,
                "key_cell": printed.key_cell,
                "initiator": printed.row.initiator,
                "action_lines": [("• " if b.kind == "li" else "") + b.text
                                 for paragraph in printed.action for b in paragraph],
                "action_paragraphs": len(printed.action),
                "status_lines": [("• " if b.kind == "li" else "") + b.text
                                 for b in printed.status],
            }
            for printed in doc.details
        ],
    }
    if layout.generation >= 3:
        out["styling"] = styling(doc)
    return out


def styling(doc: Document) -> dict:
    """What generation 3's table styling printed: the greys, which rows are banded
    (action ids of the matrix, detail row keys), the watermark. None of it is data: a
    banded row's timeline cells are blank where the truth's `cells` has none."""
    layout = doc.layout
    return {
        "banding": None if layout.banding == "none" else {
            "rgb": list(BAND_RGB),
            "matrix_actions": [a.action.action_id for i, a in enumerate(doc.actions)
                               if banded(layout, i)],
            "detail_rows": [d.key_cell or d.number_cell for i, d in enumerate(doc.details)
                            if banded(layout, i)]},
        "header_shade": None if layout.header_shade == "none" else {"rgb": list(HEADER_RGB)},
        "rules": "none" if layout.rules != "ruled" else layout.rule_lines,
        "watermark": None if layout.watermark == "none" else {
            "text": WATERMARK_TEXT, "rgb": list(WATERMARK_RGB), "behind_content": True},
        "redistill": layout.redistill,
    }
