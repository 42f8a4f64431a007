"""The short human report: what failed, in which rows, and where the details are."""

from __future__ import annotations

import os
from pathlib import Path

from ir import AnnexTables
from validate.outcome import Finding, ValidationOutcome

REPORT_MD = "validation_report.md"
MAX_ROWS_LISTED = 50  # per finding; the JSON result holds them all


def _section(title: str, findings: list[Finding]) -> list[str]:
    lines = [f"## {title} ({len(findings)})", ""]
    if not findings:
        return [*lines, "None.", ""]
    for finding in findings:
        lines.append(f"- **{finding.message}**  ")
        lines.append(f"  `{finding.expectation}` on `{finding.table}`")
        for row in finding.failing[:MAX_ROWS_LISTED]:
            lines.append(f"  - {row}")
        if len(finding.failing) > MAX_ROWS_LISTED:
            lines.append(f"  - … and {len(finding.failing) - MAX_ROWS_LISTED} more")
    return [*lines, ""]


def render_report(tables: AnnexTables, outcome: ValidationOutcome, report_dir: Path) -> str:
    status = "PASSED" if outcome.passed else "FAILED"
    if outcome.data_docs_index is not None:
        docs = os.path.relpath(outcome.data_docs_index, report_dir)
        docs_line = f"GX Data Docs: [{docs}]({docs})"
    else:
        docs_line = "GX Data Docs: not built (see the log)"
    lines = [
        f"# Validation report: {tables.annex_id}",
        "",
        f"- Source: `{tables.source_file}` (sha256 `{tables.sha256}`)",
        f"- Result: **{status}**: {len(outcome.critical)} critical, "
        f"{len(outcome.warnings)} warnings, {outcome.expectations_run} expectations run",
        f"- GX validation result: [{outcome.result_json.name}]({outcome.result_json.name})",
        f"- {docs_line}",
        "",
    ]
    lines += _section("Critical failures", outcome.critical)
    lines += _section("Warnings", outcome.warnings)
    return "\n".join(lines)


def write_report(tables: AnnexTables, outcome: ValidationOutcome, report_dir: Path) -> Path:
    path = report_dir / REPORT_MD
    path.write_text(render_report(tables, outcome, report_dir), encoding="utf-8")
    return path
