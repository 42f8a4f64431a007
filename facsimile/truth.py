"""Truth files beside the PDFs, and a read-back check of every PDF with pdfplumber."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pdfplumber

from facsimile import META_SUBJECT, META_TITLE, NOTICE_EN, NOTICE_NL
from facsimile.content import DETAIL_HEADERS, PARTY_GROUPS, Annex, split_markers
from facsimile.timeline import QUARTERS, Cells, coarsen, years_of


def colour_key(value) -> tuple[float, ...]:
    """pdfplumber gives DeviceGray fills of rects as a bare float, others as tuples."""
    if value is None:
        return ()
    if isinstance(value, (int, float)):
        return (round(float(value), 4),)
    if isinstance(value, str) or not all(isinstance(v, (int, float)) for v in value):
        return (str(value),)  # a pattern fill: pdfplumber gives the pattern's name
    return tuple(round(float(v), 4) for v in value)


# pdfplumber turns a page by its /Rotate, so the text of a turned page runs in another
# direction: these extract_words settings read each turn in reading order.
READING = {
    0: {},
    90: {"line_dir_rotated": "rtl", "char_dir_rotated": "ttb"},
    180: {"line_dir": "btt", "char_dir": "rtl", "line_dir_rotated": "btt",
          "char_dir_rotated": "rtl"},
    270: {"line_dir_rotated": "ltr", "char_dir_rotated": "btt"},
}


def readback(path: Path) -> dict:
    """What pdfplumber sees: pages, their kind, fills, and where the footnotes are."""
    pages = []
    fills: Counter = Counter()
    with pdfplumber.open(path) as pdf:
        metadata = {k: v for k, v in pdf.metadata.items() if isinstance(v, str)}
        texts = []
        word_lists = []
        for page in pdf.pages:
            words = page.extract_words(**READING.get(page.rotation, {}))
            word_lists.append([w["text"] for w in words])
            text = " ".join(w["text"] for w in words)
            texts.append(text)
            detail = all(h in text for h in DETAIL_HEADERS) and "Initiatiefnemer" in text
            pages.append({
                "page": page.page_number,
                "kind": "detail" if detail else "matrix",
                "width": round(float(page.width), 2),
                "height": round(float(page.height), 2),
                "words": len(words),
            })
            for rect in page.rects:
                if rect.get("fill"):
                    fills[colour_key(rect.get("non_stroking_color"))] += 1
    return {"metadata": metadata, "pages": pages, "texts": texts, "fills": fills,
            "words": word_lists}


def matrix_pages(annex: Annex, seen: dict) -> dict[str, int | None]:
    """Page of each matrix row: its key and first title word found in reading order."""
    found: dict[str, int | None] = {}
    page, position = 0, 0
    lists = seen["words"]
    kinds = [p["kind"] for p in seen["pages"]]
    for action in annex.matrix:
        probe = [action.key_cell, action.title_cell.split()[0]]
        hit = None
        for index in range(page, len(lists)):
            if kinds[index] != "matrix":
                break
            words = lists[index]
            start = position if index == page else 0
            for at in range(start, len(words) - 1):
                if words[at:at + 2] == probe:
                    hit = (index, at + 2)
                    break
            if hit:
                break
        if hit:
            page, position = hit
            found[action.action_id] = page + 1
        else:
            found[action.action_id] = None
    return found


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def footnote_pages(annex: Annex, texts: list[str]) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    for note in annex.footnotes:
        probe = _squash(note.marker + note.text)
        found[note.marker] = next(
            (i for i, text in enumerate(texts, 1) if probe in _squash(text)), None
        )
    return found


def truth_document(annex: Annex, truth: dict[str, Cells], pdf: Path, producer: dict,
                   description: str, periods_per_year: int, colours: dict,
                   other_fills: list[dict], seen: dict) -> dict:
    width = QUARTERS // periods_per_year
    actions = []
    for action in annex.matrix:
        cells = coarsen(truth[action.action_id], periods_per_year)
        active, milestones = years_of(cells)
        actions.append({
            "action_id": action.action_id,
            "number": action.number,
            "letter": action.letter,
            "title": action.title,
            "key_cell": action.key_cell,
            "title_cell": action.title_cell,
            "parties": {group: action.parties[group] for group in PARTY_GROUPS},
            "ambition": action.ambition,
            "years_active": active,
            "milestone_years": milestones,
            "cells": [{"year": y, "period": p, "class": c} for (y, p), c in cells.items()],
        })
    where = footnote_pages(annex, seen["texts"])
    on_page = matrix_pages(annex, seen)
    for action in actions:
        action["matrix_page"] = on_page[action["action_id"]]
    return {
        "file": pdf.name,
        "facsimile": True,
        "timeline_is_illustrative": True,
        "notice": {"nl": NOTICE_NL, "en": NOTICE_EN},
        "metadata": {"Title": META_TITLE, "Subject": META_SUBJECT},
        "source": "samples/techniekpact-2013-bijlage2.txt",
        "timeline_truth": "samples/facsimiles/timeline-truth.csv",
        "producer": producer,
        "description": description,
        "title": annex.title,
        "timeline_years": list(annex.years),
        "periods_per_year": periods_per_year,
        "period_quarters": {
            str(p): list(range((p - 1) * width + 1, p * width + 1))
            for p in range(1, periods_per_year + 1)
        },
        "colours": colours,
        "other_fills": other_fills,
        "fills_as_read_by_pdfplumber": [
            {"non_stroking_color": list(k), "rects": n}
            for k, n in sorted(seen["fills"].items(), key=lambda kv: -kv[1])
        ],
        "pages": [{k: v for k, v in p.items() if k != "words"} for p in seen["pages"]],
        "footnotes": [
            {"marker_printed": n.marker, "number": n.number, "text": n.text,
             "page": where[n.marker]}
            for n in annex.footnotes
        ],
        "actions": actions,
        "detail_rows": [
            {
                "ambition": row.ambition,
                "number": row.number,
                "number_cell": row.number_cell,
                "letters": row.letters,
                "initiator": row.initiator,
                "action_lines": [("• " if b.kind == "li" else "") + b.text for b in row.action],
                "status_lines": [("• " if b.kind == "li" else "") + b.text for b in row.status],
            }
            for row in annex.detail
        ],
    }


def write_json(path: Path, document: dict) -> None:
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _hyphen_parts(word: str) -> list[str]:
    """'PO-docenten' -> ['PO-', 'docenten']: how a line break at a hyphen reads back."""
    parts = word.split("-")
    return [p + "-" for p in parts[:-1]] + parts[-1:] if len(parts) > 1 else [word + "\0"]


def check(path: Path, annex: Annex, seen: dict, colours: dict) -> list[str]:
    """Problems found on reading the PDF back; empty when all is well."""
    problems = []
    texts = seen["texts"]
    if not texts or not all(texts):
        problems.append("a page without words")
    first = _squash(texts[0]) if texts else ""
    for needed in ("FACSIMILE", "ILLUSTRATIEF", "ILLUSTRATIVE", _squash(annex.title)):
        if needed not in first:
            problems.append(f"page 1 lacks {needed!r}")
    meta = seen["metadata"]
    if "FACSIMILE" not in meta.get("Title", "") or "ILLUSTRATIVE" not in meta.get("Subject", ""):
        problems.append("metadata Title/Subject lack the facsimile notice")
    details = [p for p in seen["pages"] if p["kind"] == "detail"]
    if len(details) < 2:
        problems.append("the detail table does not run over several pages")
    for colour_class, colour in colours.items():
        key = tuple(round(float(v), 4) for v in colour["pdfplumber_non_stroking_color"])
        if seen["fills"].get(key, 0) < 2:
            problems.append(f"no {colour_class} fills {key} found")
    words = set(" ".join(texts).split())
    for action in annex.matrix:
        missing = [w for w in action.title_cell.split() if w not in words
                   and not all(part in words for part in _hyphen_parts(w))]
        if missing:
            problems.append(f"matrix title of {action.action_id}: words {missing} not found")
    where = footnote_pages(annex, texts)
    for marker, page in where.items():
        if page is None:
            problems.append(f"footnote {marker} not found")
    for action_id, page in matrix_pages(annex, seen).items():
        if page is None:
            problems.append(f"matrix row {action_id} not found in reading order")
    # the words just before each marker in the text must be on the footnote's page
    by_number = {str(n.number): n.marker for n in annex.footnotes}
    for row in annex.detail:
        for block in row.status + row.action:
            pieces = split_markers(block.text)
            for index, (piece, is_marker) in enumerate(pieces):
                if not is_marker or index == 0:
                    continue
                before = pieces[index - 1][0].split()[-1]
                page = where.get(by_number.get(piece, piece))
                if page is None or before not in _squash(texts[page - 1]):
                    problems.append(f"footnote {piece} is not on the page that refers to it")
    return problems
