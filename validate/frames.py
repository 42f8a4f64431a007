"""The frames GX checks: the published tables plus a few derived with pandas.

GX column expectations look at one scalar per row, so facts held in list
columns (years, footnote references) are exploded into long frames, and facts
that span tables (how many parties an action has) are added as derived columns.
Every derivation tolerates a missing column, so a broken table still gets
checked (and the structure check says what is missing) instead of crashing here.

No great_expectations import here: this is plain pandas.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from ir import AnnexTables
from ir.schema import SCHEMAS
from vocab import party_codes

# Which document of a validation run a row is from: one GX run checks the frames
# of several annexes at once (validate.run), each row marked with its document.
DOC = "_doc"
# action_years only: the action named with its document, for the milestone pair check.
DOC_ACTION = "_doc_action"


def doc_action(doc: int, action_id: object) -> str:
    return f"{doc}:{action_id}"


# A failing row as GX reports it: the key columns plus the checked column(s),
# or a bare row index when the frame had no key column to report.
Row = Mapping[str, object] | int


@dataclass(frozen=True)
class CheckFrame:
    name: str
    frame: pd.DataFrame
    # Columns GX reports for each failing row (unexpected_index_column_names).
    # The first one identifies the row; the label function turns them into text.
    key_columns: tuple[str, ...]
    label: Callable[[Row], str]
    # Published table this frame is (None for frames derived only for checking),
    # and the columns added here, so the structure check can expect both.
    schema_table: str | None = None
    derived_columns: tuple[str, ...] = ()
    notes: str = ""

    def present_key_columns(self) -> list[str]:
        return [c for c in self.key_columns if c in self.frame.columns]


def is_missing(value: object) -> bool:
    """None/NaN/NA for scalars; a list is never missing (it may be empty)."""
    if value is None:
        return True
    if isinstance(value, list | tuple | dict | np.ndarray):
        return False
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def as_list(value: object) -> list | None:
    """A list cell as a Python list; None stays None (no timeline in the source)."""
    if is_missing(value):
        return None
    if isinstance(value, list | tuple | np.ndarray | pd.Series):
        return list(value)
    return [value]


def as_int(value: object) -> int | None:
    if is_missing(value):
        return None
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def column(frame: pd.DataFrame, name: str) -> pd.Series:
    """The column, or all-missing when absent (the structure check reports that)."""
    if name in frame.columns:
        return frame[name]
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


def _row_get(row: Row, key: str) -> object:
    return None if isinstance(row, int) else row.get(key)


def _named(kind: str, value: object) -> str | None:
    return None if is_missing(value) else f"{kind} {value}"


def action_label(row: Row) -> str:
    if isinstance(row, int):
        return f"row {row}"
    return _named("action", row.get("action_id")) or "action (no id)"


def footnote_label(row: Row) -> str:
    if isinstance(row, int):
        return f"row {row}"
    return _named("footnote", row.get("footnote_number")) or "footnote (no number)"


def link_label(row: Row) -> str:
    # An unlinked action has no detail_ref, an unused detail row no action_id.
    parts = [
        _named("action", _row_get(row, "action_id")),
        _named("detail row", _row_get(row, "detail_ref")),
    ]
    named = [p for p in parts if p]
    if named:
        return " / ".join(named)
    return f"row {row}" if isinstance(row, int) else "link (no action, no detail row)"


def correction_label(row: Row) -> str:
    if isinstance(row, int):
        return f"row {row}"
    return f"correction {row.get('table')}:{row.get('row_ref')}.{row.get('field')}"


def field_label(row: Row) -> str:
    if isinstance(row, int):
        return f"row {row}"
    return f"{row.get('table')}:{row.get('row_ref')}.{row.get('field')}"


def _as_published(frame: pd.DataFrame, table: str) -> pd.DataFrame:
    """A copy, with integer columns of the output schema as integers: pandas holds
    an int column with a missing value as float (2.0), the published table as an
    integer (2). So a finding shows the number as published, and annexes with and
    without missing values can be checked in one GX run (validate.run). A column
    holding anything but whole numbers stays as it is, for the checks to report."""
    frame = frame.copy()
    for field in SCHEMAS.get(table, ()):
        name = field.name
        if (pa.types.is_integer(field.type) and name in frame.columns
                and pd.api.types.is_float_dtype(frame[name].dtype)):
            values = frame[name]
            whole = values.dropna()
            if bool((whole == whole.round()).all()):
                frame[name] = values.astype("Int64")
    return frame


def _counts_by_action(actions: pd.DataFrame, other: pd.DataFrame) -> pd.Series:
    counts = column(other, "action_id").value_counts(dropna=True)
    mapped = column(actions, "action_id").map(counts)
    return mapped.fillna(0).astype("Int64")


def _int_series(values: Iterable[int | None], index: pd.Index) -> pd.Series:
    return pd.Series(list(values), index=index, dtype="Int64")


def _actions(tables: AnnexTables) -> CheckFrame:
    actions = _as_published(tables.actions, "actions")
    # Previous non-null ambition in row order: ambitions must not go back down.
    ambition = pd.Series([as_int(v) for v in column(actions, "ambition_number")], dtype="Int64")
    previous = ambition.ffill().shift(1)
    actions["previous_ambition"] = previous.set_axis(actions.index).astype("Int64")
    actions["party_rows"] = _counts_by_action(actions, tables.action_parties)
    actions["initiator_rows"] = _counts_by_action(actions, tables.action_initiators)
    active = [as_list(v) for v in column(actions, "years_active")]
    actions["first_active_year"] = _int_series(
        (as_int(years[0]) if years else None for years in active), actions.index
    )
    actions["last_active_year"] = _int_series(
        (as_int(years[-1]) if years else None for years in active), actions.index
    )
    return CheckFrame(
        name="actions",
        frame=actions,
        key_columns=("action_id",),
        label=action_label,
        schema_table="actions",
        derived_columns=(
            "previous_ambition",
            "party_rows",
            "initiator_rows",
            "first_active_year",
            "last_active_year",
        ),
        notes=(
            "The actions table plus derived columns: previous_ambition (last non-null "
            "ambition above the row), party_rows / initiator_rows (rows in action_parties / "
            "action_initiators), first/last_active_year (ends of years_active)."
        ),
    )


def _action_parties(tables: AnnexTables) -> CheckFrame:
    parties = _as_published(tables.action_parties, "action_parties")
    # The vocabulary's group for the code; missing for unknown codes, which the
    # code-in-vocabulary check reports, so the pair check skips them.
    group_of = {p.code: p.group for p in party_codes()}
    parties["vocabulary_group"] = pd.Series(
        [group_of.get(c) if isinstance(c, str) else None for c in column(parties, "code")],
        index=parties.index,
        dtype=object,
    )
    return CheckFrame(
        name="action_parties",
        frame=parties,
        key_columns=("action_id", "code"),
        label=action_label,
        schema_table="action_parties",
        derived_columns=("vocabulary_group",),
        notes="The action_parties table plus vocabulary_group: the group vocab gives the code.",
    )


def _action_years(tables: AnnexTables) -> CheckFrame:
    records: list[tuple[object, str, int | None]] = []
    actions = tables.actions
    for action_id, active, milestones in zip(
        column(actions, "action_id"),
        column(actions, "years_active"),
        column(actions, "milestone_years"),
        strict=True,
    ):
        for kind, years in (("active", as_list(active)), ("milestone", as_list(milestones))):
            records.extend((action_id, kind, as_int(y)) for y in years or [])
    frame = pd.DataFrame(records, columns=["action_id", "kind", "year"], dtype=object)
    frame["year"] = frame["year"].astype("Int64")
    return CheckFrame(
        name="action_years",
        frame=frame,
        key_columns=("action_id", "kind"),
        label=action_label,
        notes=(
            "One row per year in actions.years_active (kind 'active') and "
            "actions.milestone_years (kind 'milestone')."
        ),
    )


def active_year_pairs(tables: AnnexTables) -> list[tuple[str, int]]:
    """(action_id, year) for every active year: the set milestones must fall in."""
    pairs: set[tuple[str, int]] = set()
    actions = tables.actions
    for action_id, active in zip(
        column(actions, "action_id"), column(actions, "years_active"), strict=True
    ):
        if is_missing(action_id):
            continue
        for year in as_list(active) or []:
            if (value := as_int(year)) is not None:
                pairs.add((str(action_id), value))
    return sorted(pairs)


def _footnote_refs(tables: AnnexTables) -> CheckFrame:
    records: list[tuple[object, int | None]] = []
    actions = tables.actions
    for action_id, refs in zip(
        column(actions, "action_id"), column(actions, "footnotes"), strict=True
    ):
        records.extend((action_id, as_int(n)) for n in as_list(refs) or [])
    frame = pd.DataFrame(records, columns=["action_id", "footnote_number"], dtype=object)
    frame["footnote_number"] = frame["footnote_number"].astype("Int64")
    return CheckFrame(
        name="footnote_refs",
        frame=frame,
        key_columns=("action_id",),
        label=action_label,
        notes="One row per footnote number referenced in actions.footnotes.",
    )


def _footnotes(tables: AnnexTables) -> CheckFrame:
    footnotes = _as_published(tables.footnotes, "footnotes")
    footnotes["reference_count"] = _int_series(
        (len(as_list(v) or []) for v in column(footnotes, "referenced_by")), footnotes.index
    )
    return CheckFrame(
        name="footnotes",
        frame=footnotes,
        key_columns=("footnote_number",),
        label=footnote_label,
        schema_table="footnotes",
        derived_columns=("reference_count",),
        notes="The footnotes table plus reference_count: the length of referenced_by.",
    )


def _plain(
    tables: AnnexTables, name: str, keys: tuple[str, ...], label: Callable[[Row], str]
) -> CheckFrame:
    return CheckFrame(
        name=name,
        frame=_as_published(tables.tables()[name], name),
        key_columns=keys,
        label=label,
        schema_table=name,
        notes=f"The {name} table as published.",
    )


def build_frames(tables: AnnexTables) -> dict[str, CheckFrame]:
    """Every frame to check, by name, in report order."""
    frames = [
        _actions(tables),
        _action_parties(tables),
        _plain(tables, "action_initiators", ("action_id",), action_label),
        _action_years(tables),
        _plain(tables, "links", ("action_id", "detail_ref"), link_label),
        _footnote_refs(tables),
        _footnotes(tables),
        _plain(tables, "corrections", ("table", "row_ref", "field"), correction_label),
        _plain(tables, "timeline_cells", ("action_id", "year", "period"), action_label),
        _plain(tables, "provenance", ("table", "row_ref", "field"), field_label),
    ]
    return {f.name: f for f in frames}
