"""validate_annex against a small hand-made annex, with real GX (no mocks).

Each mutation test changes one thing in a valid annex and looks for the finding
it should cause. GX runs once per validate_annex call,
so the run on the valid annex and one run with several independent planted
problems (checks beyond the required list) are shared via module-scoped fixtures.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from ir import AnnexTables
from ir.schema import SCHEMAS
from validate import Finding, ValidationOutcome, validate_annex, validate_many

ROOT = Path(__file__).resolve().parents[1]
TIMELINE = tuple(range(2013, 2021))
ANNEX = "techniekpact-2013-bijlage-2"


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    """Rows in schema column order; int columns nullable Int32 as normalize makes them."""
    schema = SCHEMAS[table]
    frame = pd.DataFrame(rows, columns=schema.names)
    for field in schema:
        if field.type == pa.int32():
            frame[field.name] = frame[field.name].astype("Int32")
        elif field.type == pa.float64():
            frame[field.name] = frame[field.name].astype("Float64")
        elif field.type == pa.bool_():
            frame[field.name] = frame[field.name].astype(bool)
    return frame


def _action(action_id: str, ambition: int | None, **overrides: object) -> dict:
    number = int("".join(ch for ch in action_id if ch.isdigit()))
    letter = action_id[len(str(number)) :] or None
    row = {
        "annex_id": ANNEX,
        "action_id": action_id,
        "action_number": number,
        "action_letter": letter,
        "ambition_number": ambition,
        "ambition_title": f"Ambitie {ambition}" if ambition else None,
        "title": f"Actie {action_id}",
        "detail_ref": action_id,
        "detail_title": f"Uitgebreide actie {action_id}",
        "description": None,
        "employers": [],
        "employees": [],
        "education": [],
        "regions": [],
        "ministries": [],
        "initiators": [],
        "status_text": "Loopt",
        "footnotes": [],
        "years_active": None,
        "milestone_years": None,
        "link_method": "key+title",
        "link_score": 1.0,
        "source_file": "bijlage2.pdf",
        "matrix_location": "page 1",
        "detail_location": "page 3",
    }
    row.update(overrides)
    return row


def make_tables() -> AnnexTables:
    """A valid annex of four actions covering the column types."""
    actions = [
        _action(
            "1a",
            1,
            employers=["wg"],
            education=["po", "vo"],
            initiators=["OCW"],
            footnotes=[1],
            years_active=[2013, 2014, 2015],
            milestone_years=[2015],
        ),
        _action(
            "1b",
            1,
            employees=["wn"],
            ministries=["ocw", "ez"],
            initiators=["Werkgevers", "OCW"],
            years_active=[2014],
            milestone_years=[],
        ),
        _action("2", 2, regions=["regio's"], initiators=["Regio's"], footnotes=[1, 2]),
        _action(
            "3",
            None,
            education=["alle"],
            initiators=["SBB"],
            years_active=[],
            milestone_years=[],
            description="Zonder ambitie.",
        ),
    ]
    groups = ("employers", "employees", "education", "regions", "ministries")
    parties = [
        {
            "annex_id": ANNEX,
            "action_id": a["action_id"],
            "group": g,
            "code": code,
            "code_printed": code.upper(),
            "name_nl": None,
            "known": True,
        }
        for a in actions
        for g in groups
        for code in a[g]
    ]
    initiator_rows = [
        {
            "annex_id": ANNEX,
            "action_id": a["action_id"],
            "position": i,
            "initiator": name,
            "initiator_printed": name,
            "known": True,
        }
        for a in actions
        for i, name in enumerate(a["initiators"], start=1)
    ]
    footnotes = [
        {
            "annex_id": ANNEX,
            "footnote_number": n,
            "marker_printed": m,
            "text": f"Noot {n}.",
            "referenced_by": refs,
            "location": "page 5",
        }
        for n, m, refs in ((1, "¹", ["1a", "2"]), (2, "²", ["2"]))
    ]
    links = [
        {
            "annex_id": ANNEX,
            "action_id": a["action_id"],
            "detail_ref": a["action_id"],
            "detail_item": None,
            "method": "key+title",
            "score": 1.0,
            "confident": True,
            "key_match": "number+letter",
            "displacement": 0,
            "margin": 90.0,
            "reason": None,
            "matrix_title": a["title"],
            "detail_text": a["detail_title"],
            "matrix_location": "page 1",
            "detail_location": "page 3",
        }
        for a in actions
    ]
    return AnnexTables(
        annex_id=ANNEX,
        source_file="bijlage2.pdf",
        sha256="0" * 64,
        timeline_years=TIMELINE,
        actions=_frame("actions", actions),
        action_parties=_frame("action_parties", parties),
        action_initiators=_frame("action_initiators", initiator_rows),
        footnotes=_frame("footnotes", footnotes),
        links=_frame("links", links),
        corrections=_frame("corrections", []),
        timeline_cells=_frame("timeline_cells", []),
        provenance=_frame("provenance", []),
    )


def _where(frame: pd.DataFrame, column: str, value: object) -> int:
    return int(frame.index[frame[column] == value][0])


def _only(findings: list[Finding], table: str, column: str | None, expectation: str) -> Finding:
    hits = [
        f
        for f in findings
        if f.table == table and f.column == column and f.expectation == expectation
    ]
    assert len(hits) == 1, [f.message for f in findings]
    return hits[0]


def _check(tables: AnnexTables, tmp_path: Path) -> ValidationOutcome:
    return validate_annex(tables, tmp_path / "report")


def make_broken_tables() -> AnnexTables:
    """Several independent problems at once, each on its own row and check.

    Critical: action 1a's years run backwards, action 1b jumps to ambition 3 so
    action 2 (ambition 2) goes down, action 2 has no status_text, footnote 1 is
    listed twice. Warnings: action 3 has no party and no initiator, footnote 2
    is not referenced, the link of action 1a is not confident, the link of action 3
    is confident with a small margin.
    """
    tables = make_tables()
    actions = tables.actions
    actions.at[_where(actions, "action_id", "1a"), "years_active"] = [2015, 2013]
    actions.loc[_where(actions, "action_id", "1b"), "ambition_number"] = 3
    actions.loc[_where(actions, "action_id", "2"), "status_text"] = None
    footnotes = tables.footnotes
    footnotes.at[_where(footnotes, "footnote_number", 2), "referenced_by"] = []
    tables.footnotes = pd.concat([footnotes, footnotes.iloc[[0]]], ignore_index=True)
    tables.action_parties = tables.action_parties[tables.action_parties.action_id != "3"]
    tables.action_initiators = tables.action_initiators[tables.action_initiators.action_id != "3"]
    tables.links.loc[_where(tables.links, "action_id", "1a"), "confident"] = False
    tables.links.loc[_where(tables.links, "action_id", "3"), "margin"] = 4.0
    return tables


# --- quietness, the valid annex, the reports ----------------------------------------


def test_run_prints_nothing(tmp_path: Path, capfd: pytest.CaptureFixture[str]) -> None:
    # The first GX use in this module, so GX's import (inside the call) is covered
    # too; an annex with failures and warnings, so those paths are covered as well.
    outcome = _check(make_broken_tables(), tmp_path)
    captured = capfd.readouterr()
    assert not outcome.passed and outcome.warnings
    assert captured.out == ""
    assert captured.err == ""


@pytest.fixture(scope="module")
def valid_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[ValidationOutcome, Path]:
    report_dir = tmp_path_factory.mktemp("valid") / "nested" / "report"  # created by the call
    return validate_annex(make_tables(), report_dir), report_dir


def test_valid_annex_passes(valid_run: tuple[ValidationOutcome, Path]) -> None:
    outcome, _ = valid_run
    assert outcome.passed
    assert outcome.critical == []
    assert outcome.warnings == []
    assert outcome.expectations_run >= 30


def test_reports_are_written(valid_run: tuple[ValidationOutcome, Path]) -> None:
    outcome, report_dir = valid_run
    assert outcome.result_json == report_dir / "validation_result.json"
    assert outcome.result_json.is_file()
    text = outcome.result_json.read_text(encoding="utf-8")
    assert '"passed": true' in text and "expect_compound_columns_to_be_unique" in text
    assert outcome.report_html == report_dir / "validation_report.html"
    page = outcome.report_html.read_text(encoding="utf-8")
    assert "PASSED" in page and "validation_result.json" in page
    assert "://" not in page and "<script" not in page  # works offline
    assert not (report_dir / "data_docs").exists()  # GX Data Docs need the internet
    report = (report_dir / "validation_report.md").read_text(encoding="utf-8")
    assert "PASSED" in report and "## Critical failures (0)" in report


def test_import_does_not_load_great_expectations() -> None:
    code = "import sys, validate; sys.exit('great_expectations' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()


def test_round_tripped_through_arrow_still_passes(tmp_path: Path) -> None:
    # What write would publish: Arrow types, list cells come back as numpy arrays.
    tables = make_tables()
    for name, frame in tables.tables().items():
        arrow = pa.Table.from_pandas(frame, schema=SCHEMAS[name], preserve_index=False)
        setattr(tables, name, arrow.to_pandas(types_mapper=pd.ArrowDtype))
    outcome = _check(tables, tmp_path)
    assert outcome.passed, [f.message for f in outcome.critical]
    assert outcome.warnings == []


# --- one critical problem each -----------------------------------------------------


def test_duplicate_action_id(tmp_path: Path) -> None:
    tables = make_tables()
    tables.actions.loc[_where(tables.actions, "action_id", "1b"), "action_id"] = "1a"
    outcome = _check(tables, tmp_path)
    assert not outcome.passed
    finding = _only(
        outcome.critical, "actions", "action_id", "expect_compound_columns_to_be_unique"
    )
    assert finding.message == "actions.action_id: 2 values duplicated: action 1a (×2)"


def test_bad_action_id(tmp_path: Path) -> None:
    tables = make_tables()
    tables.actions.loc[_where(tables.actions, "action_id", "1a"), "action_id"] = "1A"
    outcome = _check(tables, tmp_path)
    assert not outcome.passed
    finding = _only(outcome.critical, "actions", "action_id", "expect_column_values_to_match_regex")
    assert finding.failing == ["action 1A"]
    assert "action 1A" in finding.message


def test_unknown_party_code(tmp_path: Path) -> None:
    tables = make_tables()
    row = _where(tables.action_parties, "code", "wn")
    tables.action_parties.loc[row, ["code", "code_printed"]] = ["xyz", "XYZ"]
    outcome = _check(tables, tmp_path)
    assert not outcome.passed
    finding = _only(outcome.critical, "action_parties", "code", "expect_column_values_to_be_in_set")
    assert finding.message == "action_parties.code: 1 value not in vocabulary: action 1b 'xyz'"
    # An unknown code has no vocabulary group, so the group check stays silent about it.
    assert len(outcome.critical) == 1


def test_party_in_wrong_group(tmp_path: Path) -> None:
    tables = make_tables()
    tables.action_parties.loc[_where(tables.action_parties, "code", "ez"), "group"] = "employers"
    outcome = _check(tables, tmp_path)
    assert not outcome.passed
    finding = _only(
        outcome.critical, "action_parties", "group", "expect_column_pair_values_to_be_equal"
    )
    assert finding.failing == ["action 1b code 'ez' in 'employers' (vocabulary: 'ministries')"]


def test_year_outside_timeline(tmp_path: Path) -> None:
    tables = make_tables()
    row = _where(tables.actions, "action_id", "1b")
    tables.actions.at[row, "years_active"] = [2014, 2021]
    outcome = _check(tables, tmp_path)
    assert not outcome.passed
    finding = _only(
        outcome.critical, "action_years", "year", "expect_column_pair_values_to_be_in_set"
    )
    assert finding.failing == ["action 1b active year 2021"]
    assert "outside the timeline 2013–2020" in finding.message


def test_milestone_not_active(tmp_path: Path) -> None:
    tables = make_tables()
    tables.actions.at[_where(tables.actions, "action_id", "1a"), "milestone_years"] = [2016]
    outcome = _check(tables, tmp_path)
    assert not outcome.passed
    finding = _only(
        outcome.critical,
        "action_years",
        "milestone_years",
        "expect_column_pair_values_to_be_in_set",
    )
    assert finding.failing == ["action 1a milestone 2016"]


def test_unlinked_action_and_unused_detail_row(tmp_path: Path) -> None:
    tables = make_tables()
    links = tables.links
    row = _where(links, "action_id", "2")
    links.loc[row, ["detail_ref", "method", "confident"]] = [None, "unlinked", False]
    unused = links.iloc[[row]].assign(action_id=None, detail_ref="9", method="unused")
    tables.links = pd.concat([links, unused], ignore_index=True)
    outcome = _check(tables, tmp_path)
    assert not outcome.passed
    finding = _only(outcome.critical, "links", "method", "expect_column_values_to_not_be_in_set")
    assert finding.failing == ["action 2 'unlinked'", "detail row 9 'unused'"]
    assert finding.message == (
        "links.method: 2 rows not linked: action 2 'unlinked', detail row 9 'unused'"
    )
    # Unlinked rows are not also reported as unconfident links.
    assert outcome.warnings == []


def test_dangling_footnote_reference(tmp_path: Path) -> None:
    tables = make_tables()
    tables.actions.at[_where(tables.actions, "action_id", "3"), "footnotes"] = [7]
    outcome = _check(tables, tmp_path)
    assert not outcome.passed
    finding = _only(
        outcome.critical, "footnote_refs", "footnote_number",
        "expect_column_pair_values_to_be_in_set",
    )
    assert finding.failing == ["action 3 footnote 7"]


def test_empty_status_text(tmp_path: Path) -> None:
    tables = make_tables()
    tables.actions.loc[_where(tables.actions, "action_id", "2"), "status_text"] = "  "
    outcome = _check(tables, tmp_path)
    assert not outcome.passed
    [finding] = outcome.critical
    assert finding.expectation == "expect_column_values_to_match_regex"
    assert finding.message == "actions.status_text: 1 value empty: action 2 '  '"


def test_missing_column_is_reported_not_raised(tmp_path: Path) -> None:
    tables = make_tables()
    tables.actions = tables.actions.drop(columns=["status_text"])
    outcome = _check(tables, tmp_path)
    assert not outcome.passed
    structure = _only(outcome.critical, "actions", None, "expect_table_columns_to_match_set")
    assert "missing ['status_text']" in structure.message
    assert any("could not run" in f.message for f in outcome.critical)


# --- warnings only -----------------------------------------------------------------


def test_unknown_initiator_is_a_warning(tmp_path: Path) -> None:
    tables = make_tables()
    row = _where(tables.action_initiators, "initiator", "SBB")
    tables.action_initiators.loc[row, ["initiator", "initiator_printed"]] = ["Nieuwe Partij"] * 2
    outcome = _check(tables, tmp_path)
    assert outcome.passed
    assert outcome.critical == []
    [finding] = outcome.warnings
    assert finding.severity == "warning"
    assert finding.message == (
        "action_initiators.initiator: 1 value not in vocabulary: action 3 'Nieuwe Partij'"
    )
    report = (tmp_path / "report" / "validation_report.md").read_text(encoding="utf-8")
    assert "## Warnings (1)" in report and "Nieuwe Partij" in report


def test_empty_frames_still_run(tmp_path: Path) -> None:
    # No footnotes, no initiators, no corrections and (as in a text export) no
    # timeline: the exploded frames are empty too, and every check still runs.
    tables = make_tables()
    tables.footnotes = tables.footnotes.iloc[0:0]
    tables.action_initiators = tables.action_initiators.iloc[0:0]
    for name in ("footnotes", "years_active", "milestone_years"):
        tables.actions[name] = [[] if name == "footnotes" else None] * len(tables.actions)
    outcome = _check(tables, tmp_path)
    assert outcome.passed, [f.message for f in outcome.critical]
    assert outcome.expectations_run == 41
    [warning] = outcome.warnings
    assert warning.column == "initiator_rows"
    assert warning.failing == ["action 1a", "action 1b", "action 2", "action 3"]


# --- several problems in one run ---------------------------------------------------


@pytest.fixture(scope="module")
def broken_run(tmp_path_factory: pytest.TempPathFactory) -> ValidationOutcome:
    return validate_annex(make_broken_tables(), tmp_path_factory.mktemp("broken"))


def test_broken_annex_findings_are_exactly_the_planted_ones(
    broken_run: ValidationOutcome,
) -> None:
    assert [(f.table, f.column) for f in broken_run.critical] == [
        ("actions", "ambition_number"),
        ("actions", "status_text"),
        ("actions", "years_active"),
        ("footnotes", "footnote_number"),
    ]
    assert [(f.table, f.column) for f in broken_run.warnings] == [
        ("actions", "party_rows"),
        ("actions", "initiator_rows"),
        ("links", "confident"),
        ("links", "margin"),
        ("footnotes", "referenced_by"),
    ]


def test_ambitions_going_down(broken_run: ValidationOutcome) -> None:
    finding = _only(
        broken_run.critical,
        "actions",
        "ambition_number",
        "expect_column_pair_values_a_to_be_greater_than_b",
    )
    assert finding.failing == ["action 2 ambition 2 after ambition 3"]


def test_missing_status_text(broken_run: ValidationOutcome) -> None:
    finding = _only(
        broken_run.critical, "actions", "status_text", "expect_column_values_to_not_be_null"
    )
    assert finding.message == "actions.status_text: 1 value missing: action 2"


def test_first_year_after_last(broken_run: ValidationOutcome) -> None:
    finding = _only(
        broken_run.critical,
        "actions",
        "years_active",
        "expect_column_pair_values_a_to_be_greater_than_b",
    )
    assert finding.failing == ["action 1a first year 2015 after last year 2013"]


def test_duplicate_footnote_number(broken_run: ValidationOutcome) -> None:
    finding = _only(
        broken_run.critical, "footnotes", "footnote_number",
        "expect_compound_columns_to_be_unique",
    )
    assert finding.message == "footnotes.footnote_number: 2 values duplicated: footnote 1 (×2)"


def test_warning_rows_are_named(broken_run: ValidationOutcome) -> None:
    by_column = {f.column: f for f in broken_run.warnings}
    assert all(f.severity == "warning" for f in broken_run.warnings)
    assert by_column["party_rows"].failing == ["action 3"]
    assert by_column["initiator_rows"].failing == ["action 3"]
    assert by_column["referenced_by"].failing == ["footnote 2"]
    assert by_column["confident"].failing == ["action 1a / detail row 1a"]


# --- several annexes checked in shared GX runs ------------------------------------


def _variants() -> list[AnnexTables]:
    """Annexes of one shape, each with its own problems and its own bounds."""
    duplicate = make_tables()
    duplicate.actions.loc[_where(duplicate.actions, "action_id", "1b"), "action_id"] = "1a"
    shorter = make_tables()  # a timeline of its own: 2021 is outside it, not the others'
    shorter.timeline_years = tuple(range(2014, 2022))
    shorter.actions.at[_where(shorter.actions, "action_id", "2"), "years_active"] = [2013, 2021]
    dangling = make_tables()  # footnote 7 exists nowhere; footnote 1 only in the others
    dangling.actions.at[_where(dangling.actions, "action_id", "3"), "footnotes"] = [7]
    milestone = make_tables()
    milestone.actions.at[_where(milestone.actions, "action_id", "1a"), "milestone_years"] = [2016]
    return [make_tables(), make_broken_tables(), duplicate, shorter, dangling, milestone,
            make_tables()]


def test_checked_together_as_alone() -> None:
    variants = _variants()
    together = validate_many(variants)
    assert max(v.run["documents"] for v in together) >= 5  # the runs were shared
    for tables, shared in zip(variants, together, strict=True):
        [alone] = validate_many([tables])
        assert alone.run["documents"] == 1
        assert [f.message for f in shared.findings] == [f.message for f in alone.findings]
        assert [f.failing for f in shared.findings] == [f.failing for f in alone.findings]
        assert shared.expectations_run == alone.expectations_run
    messages = [[f.message for f in v.findings] for v in together]
    assert messages[0] == [] and messages[-1] == []
    assert any("outside the timeline 2014–2021" in m and "2013" in m for m in messages[3])
    assert any("footnote 7" in m for m in messages[4])
