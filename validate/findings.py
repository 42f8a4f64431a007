"""Turn failed GX expectation results (as JSON dicts) into one-line findings.

Works on `ExpectationValidationResult.to_json_dict()` output, so values are plain
JSON types whatever dtype the frame had.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from validate.frames import CheckFrame, Row
from validate.outcome import CRITICAL, WARNING, Finding
from validate.suite import Check, default_describe

MAX_IN_MESSAGE = 8  # failing rows named in the one-line message; `failing` has all


def finding_from_result(
    result: dict[str, Any], check: Check | None, frame: CheckFrame, doc: int = 0
) -> Finding | None:
    """A Finding for a failed expectation result, None for a passed one."""
    if result.get("success"):
        return None
    config = result.get("expectation_config") or {}
    kind = str(config.get("type", "expectation"))
    kwargs = config.get("kwargs") or {}
    # Classification comes from the expectation's own GX severity; anything not
    # critical (warning, info) is reported as a warning rather than dropped.
    severity = CRITICAL if str(config.get("severity", CRITICAL)) == CRITICAL else WARNING
    column = check.column if check else kwargs.get("column")
    where = f"{frame.name}.{column}" if column else frame.name

    error = exception_message(result.get("exception_info"))
    if error is not None:
        message = f"{where}: check {kind} could not run: {error}"
        return Finding(severity, frame.name, kind, column, message, [])

    outcome = result.get("result") or {}
    if "unexpected_index_list" not in outcome and "unexpected_list" not in outcome:
        message = f"{where}: {_table_problem(kind, kwargs, outcome, check, doc)}"
        return Finding(severity, frame.name, kind, column, message, [])

    failing = _failing_rows(outcome, check, frame)
    count = int(outcome.get("unexpected_count") or len(failing))
    noun = check.noun if check else "value"
    problem = check.problem_for(doc) if check else kind
    message = f"{where}: {count} {_plural(noun, count)} {problem}: {_summary(failing)}"
    return Finding(severity, frame.name, kind, column, message, failing)


def exception_message(info: Any) -> str | None:
    """The first line of a raised error, if the expectation could not run.

    GX reports it either flat ({"raised_exception": bool, ...}) or, when a metric
    failed, keyed by metric id ({"<metric id>": {"exception_message": ...}}).
    """
    if not isinstance(info, dict) or not info:
        return None
    if "raised_exception" in info:
        entries = [info] if info["raised_exception"] else []
    else:
        entries = [e for e in info.values() if isinstance(e, dict)]
    if not entries:
        return None
    text = str(entries[0].get("exception_message") or "").strip()
    return text.splitlines()[0] if text else "unknown error"


def _table_problem(
    kind: str, kwargs: dict[str, Any], outcome: dict[str, Any], check: Check | None, doc: int
) -> str:
    observed = outcome.get("observed_value")
    if kind == "expect_table_columns_to_match_set" and isinstance(observed, list):
        expected = list(kwargs.get("column_set") or [])
        missing = [c for c in expected if c not in observed]
        extra = [c for c in observed if c not in expected]
        parts = [f"missing {missing}" if missing else "", f"unexpected {extra}" if extra else ""]
        detail = "; ".join(p for p in parts if p)
        return f"{check.problem_for(doc) if check else kind}: {detail}"
    return f"{check.problem_for(doc) if check else kind} (observed {observed!r})"


def _failing_rows(outcome: dict[str, Any], check: Check | None, frame: CheckFrame) -> list[str]:
    rows: list[Row] = list(outcome.get("unexpected_index_list") or [])
    values = list(outcome.get("unexpected_list") or [])
    if not rows:  # no index reported: fall back to the values alone
        return [repr(v) for v in values]
    if len(values) != len(rows):
        values = [None] * len(rows)
    describe = (check.describe if check and check.describe else None) or default_describe(frame)
    return [describe(row, frame.label(row), value) for row, value in zip(rows, values, strict=True)]


def _summary(failing: list[str]) -> str:
    # Identical rows (a duplicated id appears once per row) are shown once, counted.
    counted = list(Counter(failing).items())
    shown = [text if n == 1 else f"{text} (×{n})" for text, n in counted[:MAX_IN_MESSAGE]]
    if len(counted) > MAX_IN_MESSAGE:
        shown.append(f"… and {len(counted) - MAX_IN_MESSAGE} more")
    return ", ".join(shown) if shown else "(rows not reported)"


def _plural(noun: str, count: int) -> str:
    return noun if count == 1 else f"{noun}s"
