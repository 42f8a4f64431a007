"""Normalize on the real 2013 annex: the hard links and values, checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest


def _value(value):
    return None if not isinstance(value, list) and pd.isna(value) else value


def test_one_row_per_action_and_every_link_confident(tables):
    assert len(tables.actions) == 47
    assert tables.actions["action_id"].is_unique
    assert tables.annex_id == "techniekpact-2013-07-02"
    links = tables.links
    assert set(links["method"]) <= {"key+title", "key", "combined", "embedded", "title_only"}
    assert links["confident"].all()
    assert len(links) == 47  # no unused detail row
    assert tables.actions["detail_ref"].nunique() == 39


@pytest.mark.parametrize(
    ("action_id", "detail_ref", "item", "method"),
    [
        ("1", "1a", None, "title_only"),  # the detail table's 1a is the matrix's 1
        ("1a", "1a", "b", "embedded"),  # ... and its embedded b., c., d. are 1a, 1b, 1c
        ("1b", "1a", "c", "embedded"),
        ("1c", "1a", "d", "embedded"),
        ("3a", "3a", None, "key+title"),
        ("6a", "6a", None, "key"),
        ("6b", "6b+6c", None, "combined"),
        ("6c", "6b+6c", None, "combined"),
        ("8d", "8d+8e", None, "combined"),
        ("8e", "8d+8e", None, "combined"),
        ("10a", "10", "a", "embedded"),
        ("10b", "10", "b", "embedded"),
        ("10c", "10", "c", "embedded"),
        ("10d", "10", "d", "embedded"),
        ("19", "19", None, "key+title"),
        ("21b", "21b", None, "key+title"),
        ("22", "22", None, "key+title"),
        ("23", "23", None, "key+title"),
    ],
)
def test_hard_links(tables, action_id, detail_ref, item, method):
    link = tables.links.set_index("action_id").loc[action_id]
    found = (link["detail_ref"], _value(link["detail_item"]), link["method"])
    assert found == (detail_ref, item, method)


def test_embedded_and_shifted_titles(actions):
    assert actions.loc["1", "detail_title"] == (
        "Structureel Wetenschap en Technologie onderwijs op alle basisscholen")
    assert actions.loc["1a", "detail_title"].startswith("Opdracht OCW aan SLO")
    assert actions.loc["1c", "detail_title"] == "Periodieke peilingen Onderwijsinspectie"
    assert actions.loc["10d", "detail_title"] == (
        "ontwikkelen afstudeerrichting beroepsonderwijs (vmbo en mbo)")
    assert actions.loc["6b", "status_text"] == actions.loc["6c", "status_text"]


def test_parties(actions, tables):
    assert actions.loc["19", "ministries"] == ["ocw", "szw", "ez"]
    assert actions.loc["21b", "education"] == ["mbo", "ho", "nrto"]
    assert actions.loc["7d", "ministries"] == []
    assert actions.loc["1", "regions"] == ["regio's"]
    correction = tables.corrections.query("row_ref == '21b'").iloc[0]
    assert (correction["original"], correction["corrected"]) == ("nrtto", "nrto")
    assert correction["score"] == pytest.approx(88.9)
    assert tables.action_parties["known"].all()


@pytest.mark.parametrize(
    ("action_id", "initiators"),
    [
        ("1", ["OCW"]),  # 'OCW OCW heeft ...'
        ("16", ["SBB"]),  # 'SBB SBB ontwikkelt ...'
        ("5c", ["OCW"]),  # '<p>OCW</p> <p>De ...'
        ("18", ["Vereniging Hogescholen", "Technische werkgevers"]),
        ("9", ["OCW", "PO-raad"]),  # its own cell 'OCW/ PO-raad'
        ("12a", ["OCW", "EZ"]),
        ("10a", []),  # row 10 names no initiator
        ("20b", ["Topsectoren"]),
        ("21b", ["Sociale partners"]),
        ("22", ["SZW"]),
        ("23", ["Regio's"]),
    ],
)
def test_initiators(actions, action_id, initiators):
    assert actions.loc[action_id, "initiators"] == initiators


def test_status_text_cleaned_and_initiator_removed(actions):
    assert actions.loc["1", "status_text"].startswith("OCW heeft de opdracht")
    assert actions.loc["16", "status_text"].startswith("SBB ontwikkelt")
    assert actions.loc["18", "status_text"].startswith("Het aantal bacheloropleidingen")
    status_5c = actions.loc["5c", "status_text"]
    assert status_5c.startswith("De toevoeging van loopbaanoriëntatie")
    assert "<" not in "".join(actions["status_text"])
    lines_22 = actions.loc["22", "status_text"].split("\n")
    assert lines_22[0].startswith("Er is geen sprake")
    assert lines_22[1:] == [
        "• Scholing mag maximaal 9 maanden duren;",
        "• Moet gaan om landelijk erkende scholing;",
        "• Er staat een baangarantie tegenover met een baan voor minimaal dezelfde periode als "
        "de scholing heeft geduurd, maar minimaal 6 maanden.",
    ]
    assert actions.loc["23", "status_text"].startswith("In het Techniekpact staan")


def test_footnotes(tables, actions):
    notes = tables.footnotes.set_index("footnote_number")
    assert list(notes.index) == [1, 2, 3, 4, 5, 6, 7]
    expected = {1: ["2"], 2: ["8a"], 3: ["13"], 4: ["14"], 5: ["15"], 6: ["17b"], 7: ["21a"]}
    assert {n: list(notes.loc[n, "referenced_by"]) for n in notes.index} == expected
    assert notes.loc[7, "marker_printed"] == "⁷⁷"
    assert actions.loc["21a", "footnotes"] == [7]
    assert "⁷" in actions.loc["21a", "status_text"]
    assert tables.corrections.query("table == 'footnotes'")["row_ref"].tolist() == ["7"]


def test_ambitions(actions):
    assert actions.loc["1", "ambition_number"] == 1
    assert actions.loc["8a", "ambition_title"] == (
        "Deskundige docenten voor inspirerend techniekonderwijs")
    assert actions.loc["22", "ambition_number"] == 4
    assert actions.loc["23", "ambition_title"] == "Regionale uitvoering"
    assert actions["ambition_number"].isna().sum() == 1


def test_text_source_has_unknown_years(actions):
    assert actions["years_active"].isna().all()
    assert actions["milestone_years"].isna().all()


def test_description_keeps_list_items(actions):
    lines = actions.loc["21b", "description"].split("\n")
    assert lines[0].startswith("Opstellen sectorplan(nen) techniek;")
    assert "• Sociale partners ontwikkelen een Leven-lang-leren-agenda." in lines


def test_link_evidence_is_recorded(tables):
    """Every link says how it was made: key evidence, displacement, margin; none of the
    real annex's links is a close call."""
    links = tables.links.set_index("action_id")
    assert set(links["key_match"]) <= {"number+letter", "number", "none"}
    assert links.loc["1", "key_match"] == "number"  # the detail table's 1a is the matrix's 1
    assert links.loc["3a", "key_match"] == "number+letter"
    assert (links["displacement"] <= 2).all()
    assert (links["margin"] >= 15).all(), links.loc[links["margin"] < 15, "margin"]
    assert links["reason"].isna().all()
