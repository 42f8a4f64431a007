"""The change report between annex versions: variants of the real annex with known edits.

`annex_2014` makes a new version of the real 2013 annex (title date 15 januari
2014) with exactly the edits in EXPECTED; the report must list those and
nothing else. The helpers here are shared by test_history.py and
test_incremental.py.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.changes import CHANGES_SCHEMA, compare_versions
from pipeline.worddiff import list_diff, word_diff

ROOT = Path(__file__).resolve().parent.parent
REAL_ANNEX = ROOT / "samples" / "techniekpact-2013-bijlage2.txt"
OLD_ID = "techniekpact-2013-07-02"
NEW_ID = "techniekpact-2014-01-15"
PAIR = f"{OLD_ID}__{NEW_ID}"

# (change, action before, action after, field, before, after)
EXPECTED = {
    ("changed", "14", "14", "status_text"),
    ("changed", "16", "16", "status_text"),
    ("removed", "17c", None, "title"),
    ("renumbered", "17d", "17c", "action_id"),
    ("changed", "18", "18", "employees"),
    ("changed", "18", "18", "ministries"),
    ("changed", "22", "22", "initiators"),
    ("added", None, "24", "title"),
}


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def _drop_line(text: str, start: str) -> str:
    lines = text.split("\n")
    found = [line for line in lines if line.startswith(start)]
    assert len(found) == 1, start
    return "\n".join(line for line in lines if not line.startswith(start))


def dated(text: str, date_nl: str = "15 januari 2014") -> str:
    """The annex under another title date: another version."""
    return _replace_once(text, "LRT van 2 juli 2013", f"LRT van {date_nl}")


def edited_2014(text: str) -> str:
    """The 2013 annex text with the edits of EXPECTED, dated 15 januari 2014."""
    text = dated(text)
    # status texts of 14 and 16
    text = _replace_once(text, "OCW Op 12 juni j.l. heeft de minister",
                         "OCW Op 12 juni 2013 heeft de minister")
    text = _replace_once(text, "SBB SBB ontwikkelt een studiebijsluiters in opdracht",
                         "SBB SBB heeft de studiebijsluiters in opdracht")
    # 17c removed (matrix line and detail row), so 17d becomes 17c
    text = _drop_line(text, "c\tInzet OenO-fondsen\t")
    text = _drop_line(text, "\tc\tInzetten OenO-fondsen")
    text = _replace_once(text, "\nd\tExperimenteren alternatieve BOL/BBL-route\t",
                         "\nc\tExperimenteren alternatieve BOL/BBL-route\t")
    text = _replace_once(text, "\n\td\tExperimenteren alternatieve BOL/BBL-route\t",
                         "\n\tc\tExperimenteren alternatieve BOL/BBL-route\t")
    # 18: employees (wn) and a ministry (ez) join
    title_18 = "18\tReductie aantal bacheloropleidingen techniek hbo"
    text = _replace_once(text, f"{title_18}\twg\t\thbo\t\tocw\t",
                         f"{title_18}\twg\twn\thbo\t\tocw ez\t")
    # 22: another initiator
    text = _replace_once(text, "22\t\tVerruimen scholing met behoud van uitkering\tSZW",
                         "22\t\tVerruimen scholing met behoud van uitkering\tOCW")
    # 24 added: a matrix line after 23 and a detail row at the end
    line_23 = next(line for line in text.split("\n") if line.startswith("23\t"))
    line_24 = _replace_once(line_23, "23\tUitvoering van de regionale Techniekpacten\twg\twn\t"
                            "alle\tregio's\tez",
                            "24\tTechniek in de zorg\twg\twn\tmbo\tregio's\tszw")
    text = _replace_once(text, line_23 + "\n", line_23 + "\n" + line_24 + "\n")
    return text + ("\n24\t\tStimuleren van techniek in de zorg\tSZW\n\t\t\t<p>Het ministerie "
                   "van SZW start in 2014 een programma voor techniek in de zorg.</p>")


def annex_2014(folder: Path, name: str = "bijlage2-update.txt") -> Path:
    path = folder / name
    path.write_text(edited_2014(REAL_ANNEX.read_text(encoding="utf-8")), encoding="utf-8")
    return path


def _key(row: dict) -> tuple:
    return (row["change"], row["action_id_before"], row["action_id_after"], row["field"])


def test_change_report_lists_exactly_the_edits(two_versions):
    folder = two_versions / "changes" / PAIR
    table = pq.read_table(folder / "changes.parquet")
    assert table.schema.remove_metadata() == CHANGES_SCHEMA.remove_metadata()
    assert table.schema.field("word_diff").metadata[b"description"]
    rows = table.to_pylist()
    assert {_key(r) for r in rows} == EXPECTED
    assert len(rows) == len(EXPECTED)
    assert {(r["from_annex_id"], r["to_annex_id"]) for r in rows} == {(OLD_ID, NEW_ID)}
    by_key = {_key(r): r for r in rows}

    status = by_key[("changed", "14", "14", "status_text")]
    assert "12 juni j.l. heeft" in status["before"] and "12 juni 2013 heeft" in status["after"]
    assert "[-j.l.-] {+2013+}" in status["word_diff"]
    assert 0.9 < status["similarity"] < 1.0
    assert "[-ontwikkelt een-] {+heeft de+}" in by_key[
        ("changed", "16", "16", "status_text")]["word_diff"]

    renumbered = by_key[("renumbered", "17d", "17c", "action_id")]
    assert (renumbered["before"], renumbered["after"], renumbered["similarity"]) == (
        "17d", "17c", 1.0)
    assert by_key[("removed", "17c", None, "title")]["before"] == "Inzet OenO-fondsen"
    assert by_key[("added", None, "24", "title")]["after"] == "Techniek in de zorg"
    employees = by_key[("changed", "18", "18", "employees")]
    assert (employees["before"], employees["after"], employees["word_diff"]) == ("", "wn",
                                                                                "{+wn+}")
    ministries = by_key[("changed", "18", "18", "ministries")]
    assert (ministries["before"], ministries["after"]) == ("ocw", "ocw;ez")
    initiators = by_key[("changed", "22", "22", "initiators")]
    assert (initiators["before"], initiators["after"]) == ("SZW", "OCW")


def test_change_csv_has_the_same_rows_in_the_same_order(two_versions):
    folder = two_versions / "changes" / PAIR
    rows = pq.read_table(folder / "changes.parquet").to_pylist()
    with open(folder / "changes.csv", encoding="utf-8", newline="") as handle:
        read = list(csv.DictReader(handle))
    assert [r["field"] for r in read] == [r["field"] for r in rows]
    assert [r["action_id_after"] or None for r in read] == [r["action_id_after"] for r in rows]
    assert list(read[0]) == CHANGES_SCHEMA.names
    # in action order: 14, 16, 17c (removed before renumbered), 18, 22, 24
    assert [r["action_id_after"] or r["action_id_before"] for r in rows] == [
        "14", "16", "17c", "17c", "18", "18", "22", "24"]


def test_markdown_report_reads_as_a_summary(two_versions):
    text = (two_versions / "changes" / PAIR / "changes.md").read_text(encoding="utf-8")
    assert text.startswith(f"# Changes from {OLD_ID} to {NEW_ID}")
    assert "1 added, 1 removed, 1 renumbered, 4 changed action(s)" in text
    for expected in ("**24** Techniek in de zorg", "**17c** Inzet OenO-fondsen",
                     "**17d → 17c** Experimenteren alternatieve BOL/BBL-route",
                     "~~j.l.~~ **2013**", "initiators: SZW → OCW",
                     "parties: ministries: ocw → ocw, ez", "parties: employees: — → wn",
                     "Timeline years are not compared"):
        assert expected in text, expected


def _actions(out: Path, annex_id: str) -> list[dict]:
    return pq.read_table(out / annex_id / "actions.parquet").to_pylist()


def test_same_actions_give_no_rows(two_versions):
    actions = _actions(two_versions, OLD_ID)
    assert compare_versions("a", "b", actions, actions) == []


def test_renumbering_between_look_alike_titles(two_versions):
    """6b and 6c differ in one word; dropping 6b and moving 6c up must not read
    as 6b's title having changed."""
    before = _actions(two_versions, OLD_ID)
    after = [dict(a) for a in before if a["action_id"] != "6b"]
    moved = next(a for a in after if a["action_id"] == "6c")
    moved.update(action_id="6b", action_letter="b")
    rows = compare_versions("a", "b", before, after)
    assert [_key(r) for r in rows] == [("removed", "6b", None, "title"),
                                       ("renumbered", "6c", "6b", "action_id")]


def test_timeline_years_compared_only_where_both_are_known(two_versions):
    before = [dict(a) for a in _actions(two_versions, OLD_ID)]
    after = [dict(a) for a in before]
    before[0].update(years_active=[2013, 2014], milestone_years=[2014])
    after[0].update(years_active=[2013, 2014, 2015], milestone_years=[2014])
    before[1].update(years_active=None)  # a text export: unknown, so not a change
    after[1].update(years_active=[2013])
    rows = compare_versions("a", "b", before, after)
    assert [(_key(r), r["before"], r["after"], r["word_diff"]) for r in rows] == [
        (("changed", "1", "1", "years_active"), "2013;2014", "2013;2014;2015", "{+2015+}")]


def test_word_diff_shows_changes_with_a_little_context():
    before = "een twee drie vier vijf zes zeven acht negen tien elf twaalf"
    after = "een twee drie vier vijf zes ZEVEN acht negen tien elf twaalf"
    assert word_diff(before, after) == ("… drie vier vijf zes [-zeven-] {+ZEVEN+} "
                                        "acht negen tien elf …")
    assert word_diff("a b", "a b c") == "a b {+c+}"
    assert word_diff("x a b", "a b") == "[-x-] a b"
    assert word_diff("gelijk", "gelijk") == ""
    assert list_diff(["ocw"], ["ocw", "ez"]) == "{+ez+}"
    assert list_diff(["szw"], ["ocw"]) == "[-szw-] {+ocw+}"
