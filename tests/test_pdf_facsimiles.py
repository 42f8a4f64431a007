"""The PDF reader on the three facsimiles (three looks, two producers), against their
truth files and against the text export of the same annex."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

from extract import read_annex
from normalize import normalize_annex

ROOT = Path(__file__).resolve().parent.parent
FACSIMILES = sorted((ROOT / "samples" / "facsimiles").glob("*.pdf"))
SAME_AS_TEXT = ["action_id", "action_number", "action_letter", "ambition_number",
                "ambition_title", "title", "detail_ref", "detail_title", "description",
                "employers", "employees", "education", "regions", "ministries", "initiators",
                "status_text", "footnotes", "link_method", "link_score"]


@cache
def _read(path: Path):
    raw = read_annex(path)
    return raw, normalize_annex(raw)


@cache
def _truth(path: Path) -> dict:
    return json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))


def _ids(paths):
    return [p.stem for p in paths]


def test_three_facsimiles_from_two_producers():
    import pdfplumber

    producers = set()
    for path in FACSIMILES:
        with pdfplumber.open(path) as pdf:
            producers.add(pdf.metadata["Producer"].split()[0])
            notice = pdf.pages[0].extract_text()
        assert "FACSIMILE" in notice and "ILLUSTRATIEF" in notice  # never mistaken for real
    assert len(FACSIMILES) >= 3
    assert len(producers) >= 2, producers


@pytest.mark.parametrize("path", FACSIMILES, ids=_ids(FACSIMILES))
def test_matrix_fields_equal_truth(path):
    raw, _ = _read(path)
    truth = _truth(path)
    assert raw.source_format == "pdf"
    assert list(raw.timeline_years) == truth["timeline_years"]
    assert raw.periods_per_year == truth["periods_per_year"]
    assert len(raw.matrix_rows) == len(truth["actions"])
    for row, expected in zip(raw.matrix_rows, truth["actions"], strict=True):
        found = {
            "action_id": row.number.text + (row.letter.text if row.letter else ""),
            "title": row.title.text,
            "parties": {group: span.text for group, span in row.parties.items()},
            "ambition": row.ambition.text if row.ambition else None,
        }
        wanted = {key: expected[key] for key in ("action_id", "title", "parties", "ambition")}
        assert found == wanted


@pytest.mark.parametrize("path", FACSIMILES, ids=_ids(FACSIMILES))
def test_every_timeline_cell_equals_truth(path):
    _, tables = _read(path)
    truth = _truth(path)
    expected = {(a["action_id"], c["year"], c["period"], c["class"])
                for a in truth["actions"] for c in a["cells"]}
    cells = tables.timeline_cells
    found = set(zip(cells["action_id"], cells["year"], cells["period"], cells["colour_class"],
                    strict=True))
    assert found == expected
    assert len(cells) == len(expected)  # no cell read twice
    assert cells["page"].notna().all() and cells["x0"].notna().all()


@pytest.mark.parametrize("path", FACSIMILES, ids=_ids(FACSIMILES))
def test_year_flags_equal_truth(path):
    _, tables = _read(path)
    actions = tables.actions.set_index("action_id")
    for expected in _truth(path)["actions"]:
        row = actions.loc[expected["action_id"]]
        assert list(row["years_active"]) == expected["years_active"]
        assert list(row["milestone_years"]) == expected["milestone_years"]


@pytest.mark.parametrize("path", FACSIMILES, ids=_ids(FACSIMILES))
def test_actions_equal_the_text_export_except_the_timeline(path, tables):
    _, from_pdf = _read(path)
    text = tables.actions[SAME_AS_TEXT].reset_index(drop=True)
    pdf = from_pdf.actions[SAME_AS_TEXT].reset_index(drop=True)
    pd.testing.assert_frame_equal(pdf, text)
    assert from_pdf.annex_id == tables.annex_id
    assert list(from_pdf.footnotes["text"]) == list(tables.footnotes["text"])


@pytest.mark.parametrize("path", FACSIMILES, ids=_ids(FACSIMILES))
def test_provenance_has_page_and_bbox(path):
    _, tables = _read(path)
    provenance = tables.provenance
    matrix = provenance[(provenance["table"] == "actions") & (provenance["field"] == "title")]
    assert len(matrix) == 47
    assert matrix["page"].notna().all() and matrix["x0"].notna().all()
    assert (matrix["x0"] < matrix["x1"]).all() and (matrix["top"] < matrix["bottom"]).all()
    detail = provenance[provenance["table"] == "detail_rows"]
    assert detail["page"].notna().all()


def test_text_export_has_no_timeline_cells(tables):
    assert tables.timeline_cells.empty
    assert tables.periods_per_year is None
