"""The expectations: what each checked frame must satisfy, and how bad a failure is.

Severity is GX's own (`severity=` on each expectation, FailureSeverity in GX 1.x);
run.py classifies failures by reading it back from the results. Each check also
carries the words used to report it, so a failed expectation turns into one line
about actions rather than about GX.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from ir import AnnexTables
from ir.schema import LINK_METHODS, SCHEMAS
from validate.frames import (
    DOC,
    DOC_ACTION,
    CheckFrame,
    Row,
    active_year_pairs,
    as_int,
    column,
    doc_action,
    is_missing,
)
from validate.outcome import CRITICAL, WARNING
from vocab import initiators, party_codes

ACTION_ID_PATTERN = r"^\d+[a-z]?$"
NOT_BLANK = r"\S"  # non-empty after stripping whitespace
FAILED_LINK_METHODS = ("unlinked", "unused")  # see ir.schema.LINK_METHODS
REQUIRED_TEXT = ("title", "detail_ref", "detail_title", "status_text")
# A confident link whose best alternative assignment is fewer title-score points
# behind than this is worth a person's look (links.margin, normalize/link.py).
SMALL_LINK_MARGIN = 15.0

# Turns one failing row (key columns + checked columns) and its value into text.
Describe = Callable[[Row, str, Any], str]  # (row, label, value) -> text


@dataclass(frozen=True)
class Check:
    key: str  # stored in the expectation's meta, so each result finds its check again
    frame: str
    column: str | None  # the column as the reader knows it (years_active, not a helper)
    problem: str  # completes "<n> values ...", e.g. "not in vocabulary"
    expectation: gxe.Expectation
    noun: str = "value"
    describe: Describe | None = None
    # The problem's words where they name the document's own bounds ("outside the
    # timeline 2013–2020"): one per document of the run, by its DOC number.
    problems: tuple[str, ...] = ()

    def problem_for(self, doc: int) -> str:
        return self.problems[doc] if doc < len(self.problems) else self.problem


# One document of a validation run: its tables and the frames built from them.
Document = tuple[AnnexTables, dict[str, CheckFrame]]


def _field(row: Row, name: str) -> Any:
    return None if isinstance(row, int) else row.get(name)


class _Checks:
    """Collects checks in report order and numbers them."""

    def __init__(self) -> None:
        self.items: list[Check] = []

    def add(
        self,
        frame: str,
        about: str | None,
        problem: str,
        kind: type[gxe.Expectation],
        *,
        severity: str = CRITICAL,
        noun: str = "value",
        describe: Describe | None = None,
        problems: tuple[str, ...] = (),
        **kwargs: Any,
    ) -> None:
        # `about` is the column as reported; GX's own column arguments go in kwargs.
        key = f"{len(self.items) + 1:02d} {frame}.{about or '*'}"
        expectation = kind(severity=severity, meta={"check": key}, **kwargs)
        self.items.append(Check(key, frame, about, problem, expectation, noun, describe,
                                problems))

    def structure(self, frame: CheckFrame) -> None:
        assert frame.schema_table is not None
        expected = [f.name for f in SCHEMAS[frame.schema_table]] + list(frame.derived_columns)
        expected.append(DOC)  # which document of the run a row is from (validate.run)
        self.add(
            frame.name,
            None,
            "columns differ from the output schema",
            gxe.ExpectTableColumnsToMatchSet,
            column_set=expected,
            exact_match=True,
        )

    def unique(self, frame: str, name: str) -> None:
        """Unique within each document of the run (the run holds several)."""
        self.add(
            frame,
            name,
            "duplicated",
            gxe.ExpectCompoundColumnsToBeUnique,
            describe=_label_only,
            column_list=[DOC, name],
            ignore_row_if="any_value_is_missing",
        )

    def required(self, frame: str, name: str, *, text: bool = False) -> None:
        self.add(frame, name, "missing", gxe.ExpectColumnValuesToNotBeNull, column=name)
        if text:
            self.add(
                frame,
                name,
                "empty",
                gxe.ExpectColumnValuesToMatchRegex,
                column=name,
                regex=NOT_BLANK,
            )


def _label_only(row: Row, label: str, value: Any) -> str:
    return label


def build_checks(documents: list[Document]) -> list[Check]:
    """The checks of one validation run over `documents` (one or more annexes whose
    frames are checked together, each row marked with its DOC number). Bounds that
    are the document's own (its timeline, its footnotes, its active years) are
    checked as (DOC, value) pairs, so each document is held to its own."""
    checks = _Checks()
    frames = documents[0][1]
    _action_checks(checks, documents, frames["actions"])
    _party_checks(checks, frames["action_parties"])
    checks.structure(frames["action_initiators"])
    checks.add(
        "action_initiators",
        "initiator",
        "not in vocabulary",
        gxe.ExpectColumnValuesToBeInSet,
        severity=WARNING,
        column="initiator",
        value_set=sorted(i.name for i in initiators()),
    )
    _year_checks(checks, documents)
    _link_checks(checks, frames["links"])
    _footnote_checks(checks, documents)
    checks.structure(frames["corrections"])
    _timeline_cell_checks(checks, documents, frames["timeline_cells"])
    checks.structure(frames["provenance"])
    return checks.items


def _doc_pairs(values: list[list]) -> list[tuple[int, Any]]:
    """(DOC, value) for every value allowed in each document."""
    return sorted((doc, value) for doc, allowed in enumerate(values) for value in allowed)


def _value_after_doc(row: Row, label: str, value: Any) -> Any:
    """The checked value of a (DOC, value) pair check, as the row carries it."""
    return value[1] if isinstance(value, list | tuple) and len(value) == 2 else value


def _timeline_cell_checks(checks: _Checks, documents: list[Document],
                          frame: CheckFrame) -> None:
    checks.structure(frame)
    spans = []
    for tables, _ in documents:
        years = [int(y) for y in tables.timeline_years]
        spans.append(list(range(min(years), max(years) + 1)) if years else [])
    checks.add(
        "timeline_cells",
        "year",
        "outside the timeline header",
        gxe.ExpectColumnPairValuesToBeInSet,
        column_A=DOC,
        column_B="year",
        value_pairs_set=_doc_pairs(spans),
        ignore_row_if="either_value_is_missing",
        describe=lambda row, label, value: f"{label} {_value_after_doc(row, label, value)!r}",
    )
    # A fill that is neither yellow nor green is published as 'onbekend' and left
    # out of the years: worth a look, not a reason to withhold the annex.
    checks.add(
        "timeline_cells",
        "colour_class",
        "not a timeline colour (looptijd, mijlpaal)",
        gxe.ExpectColumnValuesToBeInSet,
        severity=WARNING,
        column="colour_class",
        value_set=["looptijd", "mijlpaal"],
    )


def _action_checks(checks: _Checks, documents: list[Document], frame: CheckFrame) -> None:
    checks.structure(frame)
    checks.required("actions", "action_id")
    checks.unique("actions", "action_id")
    checks.add(
        "actions",
        "action_id",
        f"not of the form {ACTION_ID_PATTERN}",
        gxe.ExpectColumnValuesToMatchRegex,
        column="action_id",
        regex=ACTION_ID_PATTERN,
    )
    checks.required("actions", "action_number")
    checks.add(
        "actions",
        "action_number",
        "not positive",
        gxe.ExpectColumnValuesToBeBetween,
        column="action_number",
        min_value=1,
    )

    # The range is 1 up to the highest ambition present (each document's own, named
    # in its message): no number is above it, so only the lower bound is given to GX.
    # This catches zero, negative and unparseable numbers; gaps and order are the
    # next check's job.
    tops = []
    for tables, _ in documents:
        ambitions = [as_int(v) for v in column(tables.actions, "ambition_number")]
        tops.append(max((a for a in ambitions if a is not None), default=None))
    checks.add(
        "actions",
        "ambition_number",
        f"outside 1..{tops[0] or '?'}",
        gxe.ExpectColumnValuesToBeBetween,
        column="ambition_number",
        min_value=1,
        problems=tuple(f"outside 1..{t or '?'}" for t in tops),
    )
    checks.add(
        "actions",
        "ambition_number",
        "lower than the ambition before it",
        gxe.ExpectColumnPairValuesAToBeGreaterThanB,
        column_A="ambition_number",
        column_B="previous_ambition",
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        describe=lambda row, label, value: (
            f"{label} ambition {_field(row, 'ambition_number')} "
            f"after ambition {_field(row, 'previous_ambition')}"
        ),
    )
    for name in REQUIRED_TEXT:
        checks.required("actions", name, text=True)
    checks.add(
        "actions",
        "years_active",
        "with years running backwards",
        gxe.ExpectColumnPairValuesAToBeGreaterThanB,
        column_A="last_active_year",
        column_B="first_active_year",
        or_equal=True,
        ignore_row_if="either_value_is_missing",
        noun="action",
        describe=lambda row, label, value: (
            f"{label} first year {_field(row, 'first_active_year')} "
            f"after last year {_field(row, 'last_active_year')}"
        ),
    )
    checks.add(
        "actions",
        "party_rows",
        "without any party in action_parties",
        gxe.ExpectColumnValuesToBeBetween,
        severity=WARNING,
        noun="action",
        describe=_label_only,
        column="party_rows",
        min_value=1,
    )
    checks.add(
        "actions",
        "initiator_rows",
        "without any initiator in action_initiators",
        gxe.ExpectColumnValuesToBeBetween,
        severity=WARNING,
        noun="action",
        describe=_label_only,
        column="initiator_rows",
        min_value=1,
    )


def _party_checks(checks: _Checks, frame: CheckFrame) -> None:
    checks.structure(frame)
    checks.add(
        "action_parties",
        "code",
        "not in vocabulary",
        gxe.ExpectColumnValuesToBeInSet,
        column="code",
        value_set=sorted(p.code for p in party_codes()),
    )
    checks.add(
        "action_parties",
        "group",
        "not the vocabulary's group for the code",
        gxe.ExpectColumnPairValuesToBeEqual,
        column_A="group",
        column_B="vocabulary_group",
        ignore_row_if="either_value_is_missing",
        noun="row",
        describe=lambda row, label, value: (
            f"{label} code {_field(row, 'code')!r} in {_field(row, 'group')!r}"
            f" (vocabulary: {_field(row, 'vocabulary_group')!r})"
        ),
    )


def _year_checks(checks: _Checks, documents: list[Document]) -> None:
    allowed, spans = [], []
    for tables, _ in documents:
        years = sorted(tables.timeline_years)
        if years:
            allowed.append(list(range(years[0], years[-1] + 1)))
            spans.append(f"{years[0]}–{years[-1]}")
        else:
            allowed.append([])
            spans.append("(no timeline years)")
    checks.add(
        "action_years",
        "year",
        f"outside the timeline {spans[0]}",
        gxe.ExpectColumnPairValuesToBeInSet,
        column_A=DOC,
        column_B="year",
        value_pairs_set=_doc_pairs(allowed),
        ignore_row_if="either_value_is_missing",
        describe=lambda row, label, value: (
            f"{label} {_field(row, 'kind')} year {_value_after_doc(row, label, value)}"),
        problems=tuple(f"outside the timeline {span}" for span in spans),
    )
    # Milestones within active years, as a pair check on the same frame: an
    # active row's (action, year) is in the set by construction, so only
    # milestone rows can fail. (Not a row_condition: in GX 1.24 a row_condition
    # on a column-pair expectation breaks its result.) The action is named with
    # its document (DOC_ACTION, validate.frames), each held to its own years.
    checks.add(
        "action_years",
        "milestone_years",
        "not among the action's active years",
        gxe.ExpectColumnPairValuesToBeInSet,
        column_A=DOC_ACTION,
        column_B="year",
        value_pairs_set=sorted(
            (doc_action(doc, action_id), year)
            for doc, (tables, _) in enumerate(documents)
            for action_id, year in active_year_pairs(tables)
        ),
        ignore_row_if="either_value_is_missing",
        describe=lambda row, label, value: f"{label} {_field(row, 'kind')} {_field(row, 'year')}",
    )


def _link_checks(checks: _Checks, frame: CheckFrame) -> None:
    checks.structure(frame)
    checks.add(
        "links",
        "method",
        "not a known link method",
        gxe.ExpectColumnValuesToBeInSet,
        column="method",
        value_set=list(LINK_METHODS),
    )
    checks.add(
        "links",
        "method",
        "not linked",
        gxe.ExpectColumnValuesToNotBeInSet,
        column="method",
        value_set=list(FAILED_LINK_METHODS),
        noun="row",
    )
    # Unlinked rows are not confident by definition and already critical above.
    checks.add(
        "links",
        "confident",
        "not confident",
        gxe.ExpectColumnValuesToBeInSet,
        severity=WARNING,
        noun="link",
        describe=_label_only,
        column="confident",
        value_set=[True],
        row_condition=Column("method").is_not_in(FAILED_LINK_METHODS),
    )
    # Confident, but the best assignment without this link is close behind: the
    # evidence barely separates two readings, so a person should look at it.
    checks.add(
        "links",
        "margin",
        f"confident with a small margin (below {SMALL_LINK_MARGIN:.0f})",
        gxe.ExpectColumnValuesToBeBetween,
        severity=WARNING,
        noun="link",
        column="margin",
        min_value=SMALL_LINK_MARGIN,
        row_condition=Column("confident") == True,  # noqa: E712 - a GX condition, not a test
    )


def _footnote_checks(checks: _Checks, documents: list[Document]) -> None:
    numbers = [
        sorted(
            {
                n
                for n in (as_int(v) for v in column(frames["footnotes"].frame, "footnote_number"))
                if n is not None
            }
        )
        for _, frames in documents
    ]
    frames = documents[0][1]
    checks.add(
        "footnote_refs",
        "footnote_number",
        "not among the footnotes",
        gxe.ExpectColumnPairValuesToBeInSet,
        column_A=DOC,
        column_B="footnote_number",
        value_pairs_set=_doc_pairs(numbers),
        ignore_row_if="either_value_is_missing",
        describe=lambda row, label, value: (
            f"{label} footnote {_value_after_doc(row, label, value)}"),
    )
    checks.structure(frames["footnotes"])
    checks.required("footnotes", "footnote_number")
    checks.unique("footnotes", "footnote_number")
    checks.add(
        "footnotes",
        "referenced_by",
        "never referenced by an action",
        gxe.ExpectColumnValuesToBeBetween,
        severity=WARNING,
        noun="footnote",
        describe=_label_only,
        column="reference_count",
        min_value=1,
    )


def default_describe(frame: CheckFrame) -> Describe:
    """Label plus value, except where the value is what the label already shows."""
    first_key = frame.key_columns[0] if frame.key_columns else None

    def describe(row: Row, label: str, value: Any) -> str:
        if is_missing(value) or (not isinstance(row, int) and row.get(first_key) == value):
            return label
        return f"{label} {value!r}"

    return describe
