"""Run the checks with GX Core 1.x and collect the results.

Imported lazily by `validate`: great_expectations takes seconds to import, and
nothing else in the pipeline should pay for it.

GX's cost is per expectation and per run, hardly per row (configuration,
metric graphs, result objects: ~0.5 s for the ~40 expectations of one annex),
so a batch does not pay it per annex:

- one context for the process (`Validator`, made once), its data assets and
  batch definitions made once per checked frame;
- the annexes given together are checked together: each checked frame of every
  annex, marked with its document number (DOC), goes into one frame, and each
  frame is one GX run whatever the number of annexes. Bounds that are an annex's
  own (timeline, footnotes, active years) are (DOC, value) pairs in the suite
  (validate.suite), so each annex is held to its own;
- each annex then gets its share of the results: the failing rows whose DOC is
  its number. Annexes whose frames differ in columns or types (a broken table)
  are checked in a run of their own; a run in which an expectation raised is
  redone one annex at a time, so one annex's error is never another's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.data_context import EphemeralDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from ir import AnnexTables
from validate.findings import exception_message, finding_from_result
from validate.frames import DOC, DOC_ACTION, CheckFrame, build_frames, doc_action, is_missing
from validate.outcome import Finding, Validated, ValidationOutcome
from validate.report import REPORT_HTML, write_report
from validate.suite import Check, Document, build_checks

RESULT_JSON = "validation_result.json"
DATASOURCE_NAME = "annex"
# Result fields about the run's whole frame that a share cannot restate exactly
# (percentages, partial lists, a query over the combined index): left out of a share.
WHOLE_RUN_FIELDS = ("missing_count", "missing_percent", "unexpected_percent",
                    "unexpected_percent_total", "unexpected_percent_nonmissing",
                    "unexpected_index_query")


@dataclass(frozen=True)
class ValidateSettings:
    # Annexes checked in one GX run at most: the combined frames are small (an
    # annex is ~1,000 rows over all frames), so this bounds memory, not speed.
    max_documents_per_run: int = 200


SETTINGS = ValidateSettings()


def _context() -> EphemeralDataContext:
    """An in-memory context. No Data Docs site: GX's pages load their scripts and
    styles from the internet and are empty offline, so the project publishes its
    own validation report instead (validate.report: Markdown and HTML)."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites={},
        # Progress bars are on unless switched off; tqdm would draw them on stderr.
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        analytics_enabled=False,
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _json_default(value: Any) -> Any:
    """numpy/pandas scalars that slip through GX's own conversion."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)


class Validator:
    """One GX context for the process, with one data asset per checked frame."""

    def __init__(self) -> None:
        self.context = _context()
        self.source = self.context.data_sources.add_pandas(name=DATASOURCE_NAME)
        self._definitions: dict[str, Any] = {}

    def _definition(self, name: str):
        if name not in self._definitions:
            asset = self.source.add_dataframe_asset(name=name)
            self._definitions[name] = asset.add_batch_definition_whole_dataframe("whole frame")
        return self._definitions[name]

    def run_frame(self, name: str, frame: pd.DataFrame, checks: list[Check], notes: str,
                  keys: list[str]) -> dict[str, Any]:
        """One GX run: the suite of `name`'s checks over `frame`."""
        suite = gx.ExpectationSuite(name=name, expectations=[c.expectation for c in checks],
                                    notes=notes or None)
        batch = self._definition(name).get_batch(batch_parameters={"dataframe": frame})
        # COMPLETE: every failing value, each with the frame's key columns and its
        # document, so a finding can name the action (or detail row, footnote).
        result_format: dict[str, Any] = {"result_format": "COMPLETE",
                                         "unexpected_index_column_names": [*keys, DOC]}
        return batch.validate(suite, result_format=result_format).to_json_dict()

    def validate(self, tables: list[AnnexTables]) -> list[Validated]:
        """Every annex's findings; annexes with the same frame shapes share GX runs."""
        documents = [(t, build_frames(t)) for t in tables]
        done: dict[int, Validated] = {}
        for members in _groups(documents):
            checked = self._run_group([documents[i] for i in members])
            done.update(zip(members, checked, strict=True))
        return [done[i] for i in range(len(documents))]

    def _run_group(self, documents: list[Document]) -> list[Validated]:
        checks = build_checks(documents)
        first = documents[0][1]
        results = {}
        for name, frame in first.items():
            combined = _combined(name, [frames[name] for _, frames in documents])
            mine = [c for c in checks if c.frame == name]
            results[name] = self.run_frame(name, combined, mine, frame.notes,
                                           frame.present_key_columns())
        if len(documents) > 1 and _raised(results):
            # An error may be one annex's doing: each annex alone then, as if it
            # had come by itself.
            return [v for document in documents for v in self._run_group([document])]
        return [_share(doc, tables, frames, checks, results, len(documents))
                for doc, (tables, frames) in enumerate(documents)]


_VALIDATOR: Validator | None = None


def validator() -> Validator:
    """The process's one Validator (and GX context), made on first use."""
    global _VALIDATOR
    if _VALIDATOR is None:
        _VALIDATOR = Validator()
    return _VALIDATOR


TEXT_DTYPES = ("object", "str", "string")  # Python strings (or None) either way


def _kinds(frame: pd.DataFrame) -> tuple[str, ...] | None:
    """The column types that matter when frames are combined; None for no rows."""
    if not len(frame):
        return None
    return tuple(_kind(t) for t in frame.dtypes)


def _kind(dtype) -> str:
    # numpy or pandas' nullable types: the values (and how a finding shows them) agree
    if str(dtype) in TEXT_DTYPES:
        return "text"
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "float"
    return str(dtype)


class _Group:
    """Annexes checked together: the same columns in every frame, of the same types
    where there are rows (combined, a value keeps its column's type: an int column
    that met a float one would report 2.0 for 2). Strings are strings whatever the
    dtype; a frame without rows adds nothing and fits any."""

    def __init__(self) -> None:
        self.members: list[int] = []
        self.columns: tuple | None = None
        self.kinds: dict[str, tuple[str, ...]] = {}

    def fits(self, frames: dict[str, CheckFrame]) -> bool:
        if self.columns is None:
            return True
        if self.columns != tuple((n, tuple(f.frame.columns)) for n, f in frames.items()):
            return False
        return all(kinds is None or self.kinds.get(name, kinds) == kinds
                   for name, kinds in ((n, _kinds(f.frame)) for n, f in frames.items()))

    def add(self, index: int, frames: dict[str, CheckFrame]) -> None:
        self.members.append(index)
        self.columns = tuple((n, tuple(f.frame.columns)) for n, f in frames.items())
        for name, frame in frames.items():
            if (kinds := _kinds(frame.frame)) is not None:
                self.kinds.setdefault(name, kinds)


def _groups(documents: list[Document]) -> list[list[int]]:
    groups: list[_Group] = []
    for index, (_, frames) in enumerate(documents):
        group = next((g for g in groups
                      if len(g.members) < SETTINGS.max_documents_per_run and g.fits(frames)),
                     None)
        if group is None:
            group = _Group()
            groups.append(group)
        group.add(index, frames)
    return [g.members for g in groups]


def _combined(name: str, frames: list[CheckFrame]) -> pd.DataFrame:
    parts = []
    for doc, frame in enumerate(frames):
        part = frame.frame.copy()
        part[DOC] = doc
        if name == "action_years":
            part[DOC_ACTION] = pd.Series(
                [None if is_missing(a) else doc_action(doc, a) for a in part["action_id"]],
                index=part.index, dtype=object)
        parts.append(part)
    # Empty parts add no rows, and would turn the type of a column they lack a
    # value for (an int column joined with an empty float one becomes float).
    parts = [p for p in parts if len(p)] or parts[:1]
    if len(parts) == 1:
        return parts[0].reset_index(drop=True)
    return pd.concat(parts, ignore_index=True)


def _raised(results: dict[str, dict]) -> bool:
    return any(exception_message(item.get("exception_info")) is not None
               for result in results.values() for item in result.get("results", []))


def _share_item(item: dict[str, Any], doc: int, rows: int) -> dict[str, Any]:
    """This document's part of one expectation's result: its failing rows."""
    result = item.get("result") or {}
    if "unexpected_index_list" not in result:
        return item  # about the table's shape: the same for each document of the run
    index = list(result.get("unexpected_index_list") or [])
    values = list(result.get("unexpected_list") or [])
    keep = [i for i, row in enumerate(index) if isinstance(row, dict) and row.get(DOC) == doc]
    share = {k: v for k, v in result.items()
             if not k.startswith("partial_") and k not in WHOLE_RUN_FIELDS}
    share["element_count"] = rows
    share["unexpected_count"] = len(keep)
    share["unexpected_index_list"] = [index[i] for i in keep]
    share["unexpected_list"] = [values[i] for i in keep] if len(values) == len(index) else []
    return {**item, "expectation_config": _own_config(item.get("expectation_config"), doc),
            "result": share, "success": bool(item.get("success")) or not keep}


def _own_config(config: Any, doc: int) -> Any:
    """The expectation as it applies to this document: of a (DOC, value) pair set
    only this document's pairs (the run's set holds every document's)."""
    if not isinstance(config, dict):
        return config
    kwargs = config.get("kwargs") or {}
    pairs = kwargs.get("value_pairs_set")
    if pairs is None or kwargs.get("column_A") not in (DOC, DOC_ACTION):
        return config
    prefix = doc_action(doc, "")
    own = [p for p in pairs
           if (p[0] == doc if kwargs["column_A"] == DOC else str(p[0]).startswith(prefix))]
    return {**config, "kwargs": {**kwargs, "value_pairs_set": own}}


def _share(doc: int, tables: AnnexTables, frames: dict[str, CheckFrame], checks: list[Check],
           results: dict[str, dict], documents: int) -> Validated:
    by_key = {c.key: c for c in checks}
    order = {c.key: i for i, c in enumerate(checks)}
    ranked: list[tuple[int, Finding]] = []
    shares: dict[str, dict] = {}
    expectations_run = 0
    for name, result in results.items():
        items = [_share_item(item, doc, len(frames[name].frame))
                 for item in result.get("results", [])]
        passed = sum(1 for item in items if item.get("success"))
        shares[name] = {
            "suite_name": result.get("suite_name"),
            "success": passed == len(items),
            "statistics": {"evaluated_expectations": len(items),
                           "successful_expectations": passed,
                           "unsuccessful_expectations": len(items) - passed},
            "results": items,
        }
        for item in items:
            expectations_run += 1
            key = ((item.get("expectation_config") or {}).get("meta") or {}).get("check")
            finding = finding_from_result(item, by_key.get(key), frames[name], doc)
            if finding is not None:
                ranked.append((order.get(key, len(order)), finding))
    findings = [f for _, f in sorted(ranked, key=lambda pair: pair[0])]
    return Validated(tables.annex_id, tables.source_file, tables.sha256, findings,
                     expectations_run, shares, {"documents": documents, "document": doc})


def validate_tables(tables: list[AnnexTables]) -> list[Validated]:
    """Validate several annexes in shared GX runs. Callers wrap this in
    `validate.quiet.quiet()` (validate.validate_many does)."""
    return validator().validate(tables)


def write_outcome(validated: Validated, report_dir: Path) -> ValidationOutcome:
    """Write the GX result JSON and the report (Markdown and HTML) of one annex."""
    report_dir = Path(report_dir).resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    critical, warnings_ = validated.critical, validated.warnings
    result_json = report_dir / RESULT_JSON
    document = {
        "annex_id": validated.annex_id,
        "source_file": validated.source_file,
        "sha256": validated.sha256,
        "passed": not critical,
        "expectations_run": validated.expectations_run,
        "critical_failures": len(critical),
        "warnings": len(warnings_),
        # The GX runs checked this many annexes together; "validations" holds this
        # annex's share of each (its failing rows, counted over its own rows).
        "run": validated.run,
        "validations": validated.results,
    }
    result_json.write_text(
        json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False, default=_json_default)
        + "\n",
        encoding="utf-8",
    )
    outcome = ValidationOutcome(
        passed=not critical,
        critical=critical,
        warnings=warnings_,
        result_json=result_json,
        report_html=report_dir / REPORT_HTML,
        expectations_run=validated.expectations_run,
    )
    write_report(validated, outcome, report_dir)
    return outcome


def run_validation(tables: AnnexTables, report_dir: Path) -> ValidationOutcome:
    """Check one annex, write the GX result JSON and the report (Markdown and HTML).

    Callers wrap this in `validate.quiet.quiet()` (validate_annex does).
    """
    return write_outcome(validate_tables([tables])[0], report_dir)
