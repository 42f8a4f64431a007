"""Run the checks with GX Core 1.x and collect the results.

Imported lazily by `validate.validate_annex`: great_expectations takes seconds
to import, and nothing else in the pipeline should pay for it.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

import great_expectations as gx
from great_expectations.core.run_identifier import RunIdentifier
from great_expectations.data_context import EphemeralDataContext
from great_expectations.data_context.types.base import (
    DataContextConfig,
    InMemoryStoreBackendDefaults,
    ProgressBarsConfig,
)

from ir import AnnexTables
from validate.findings import finding_from_result
from validate.frames import CheckFrame, build_frames
from validate.outcome import CRITICAL, Finding, ValidationOutcome
from validate.report import write_report
from validate.suite import Check, build_checks

RESULT_JSON = "validation_result.json"
DATA_DOCS_DIR = "data_docs"
SITE_NAME = "annex_validation"
DATASOURCE_NAME = "annex"


def _context(docs_dir: Path) -> EphemeralDataContext:
    """An in-memory context whose one Data Docs site is a folder under report_dir."""
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        data_docs_sites={
            SITE_NAME: {
                "class_name": "SiteBuilder",
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                # The "how to" buttons advertise GX setup steps, not this annex.
                "show_how_to_buttons": False,
            }
        },
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


def _run_frame(
    context: EphemeralDataContext,
    frame: CheckFrame,
    checks: list[Check],
    run_id: RunIdentifier,
) -> dict[str, Any]:
    source = context.data_sources.get(DATASOURCE_NAME)
    batch = source.add_dataframe_asset(name=frame.name).add_batch_definition_whole_dataframe(
        "whole frame"
    )
    suite = context.suites.add(
        gx.ExpectationSuite(
            name=frame.name,
            expectations=[c.expectation for c in checks],
            notes=frame.notes or None,
        )
    )
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=f"validate {frame.name}", data=batch, suite=suite)
    )
    # COMPLETE: every failing value, each with the frame's key columns, so a
    # finding can name the action (or detail row, footnote) and its value.
    result_format: dict[str, Any] = {"result_format": "COMPLETE"}
    if keys := frame.present_key_columns():
        result_format["unexpected_index_column_names"] = keys
    result = definition.run(
        batch_parameters={"dataframe": frame.frame}, result_format=result_format, run_id=run_id
    )
    return result.to_json_dict()


def _build_docs(context: EphemeralDataContext, docs_dir: Path) -> Path | None:
    # Pages from an earlier run into the same folder would sit beside the new ones.
    shutil.rmtree(docs_dir, ignore_errors=True)
    try:
        context.build_data_docs(site_names=[SITE_NAME])
    except OSError:
        raise  # the folder cannot take files (full, read-only): the run says so in one line
    except Exception:  # the docs are a convenience; the JSON and the report still stand
        # Debug, not warning: a warning would be a stray line on the run's stderr.
        logging.getLogger(__name__).debug("building GX Data Docs failed", exc_info=True)
        return None
    index = docs_dir / "index.html"
    return index if index.exists() else None


def run_validation(tables: AnnexTables, report_dir: Path) -> ValidationOutcome:
    """Check every frame, write JSON, Data Docs and the Markdown report.

    Callers wrap this in `validate.quiet.quiet()` (validate_annex does).
    """
    report_dir = Path(report_dir).resolve()
    report_dir.mkdir(parents=True, exist_ok=True)
    docs_dir = report_dir / DATA_DOCS_DIR

    frames = build_frames(tables)
    checks = build_checks(tables, frames)
    by_key = {c.key: c for c in checks}
    order = {c.key: i for i, c in enumerate(checks)}

    context = _context(docs_dir)
    context.data_sources.add_pandas(name=DATASOURCE_NAME)
    run_id = RunIdentifier(run_name=tables.annex_id or "annex")
    results = {
        name: _run_frame(context, frame, [c for c in checks if c.frame == name], run_id)
        for name, frame in frames.items()
    }
    docs_index = _build_docs(context, docs_dir)

    ranked: list[tuple[int, Finding]] = []
    expectations_run = 0
    for name, result in results.items():
        for item in result.get("results", []):
            expectations_run += 1
            key = ((item.get("expectation_config") or {}).get("meta") or {}).get("check")
            finding = finding_from_result(item, by_key.get(key), frames[name])
            if finding is not None:
                ranked.append((order.get(key, len(order)), finding))
    findings = [f for _, f in sorted(ranked, key=lambda pair: pair[0])]
    critical = [f for f in findings if f.severity == CRITICAL]
    warnings_ = [f for f in findings if f.severity != CRITICAL]

    result_json = report_dir / RESULT_JSON
    document = {
        "annex_id": tables.annex_id,
        "source_file": tables.source_file,
        "sha256": tables.sha256,
        "passed": not critical,
        "expectations_run": expectations_run,
        "critical_failures": len(critical),
        "warnings": len(warnings_),
        "validations": results,
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
        data_docs_index=docs_index,
        expectations_run=expectations_run,
    )
    write_report(tables, outcome, report_dir)
    return outcome
