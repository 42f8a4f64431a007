"""The short human report: what failed, in which rows, and where the details are."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Protocol

from validate.outcome import Finding, ValidationOutcome


class Annex(Protocol):
    """What the report names of an annex (AnnexTables and Validated both have it)."""

    annex_id: str
    source_file: str
    sha256: str

REPORT_MD = "validation_report.md"
REPORT_HTML = "validation_report.html"
STYLE = ("body{font-family:system-ui,Arial,sans-serif;margin:2rem;max-width:1100px;color:#222}"
         ".passed{color:#1a7f37}.failed{color:#d62728}code{background:#f4f4f4}"
         "li{margin:.3rem 0}")
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


def render_report(tables: Annex, outcome: ValidationOutcome, report_dir: Path) -> str:
    status = "PASSED" if outcome.passed else "FAILED"
    docs_line = f"The same as a page: [{REPORT_HTML}]({REPORT_HTML})"
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


def _html_section(title: str, findings: list[Finding]) -> list[str]:
    parts = [f"<h2>{escape(title)} ({len(findings)})</h2>"]
    if not findings:
        return [*parts, "<p>None.</p>"]
    parts.append("<ul>")
    for finding in findings:
        rows = "".join(f"<li>{escape(row)}</li>" for row in finding.failing[:MAX_ROWS_LISTED])
        more = len(finding.failing) - MAX_ROWS_LISTED
        if more > 0:
            rows += f"<li>… and {more} more</li>"
        parts.append(f"<li><strong>{escape(finding.message)}</strong><br>"
                     f"<code>{escape(finding.expectation)}</code> on "
                     f"<code>{escape(finding.table)}</code><ul>{rows}</ul></li>")
    return [*parts, "</ul>"]


def render_html(tables: Annex, outcome: ValidationOutcome) -> str:
    """The report as one self-contained page: no script, no outside resource."""
    status = "PASSED" if outcome.passed else "FAILED"
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>Validation: {escape(tables.annex_id)}</title><style>{STYLE}</style>",
        f"</head><body><h1>Validation report: {escape(tables.annex_id)}</h1>",
        f"<p>Source: <code>{escape(tables.source_file)}</code> "
        f"(sha256 <code>{escape(tables.sha256)}</code>)</p>",
        f'<p>Result: <strong class="{status.lower()}">{status}</strong>: '
        f"{len(outcome.critical)} critical, {len(outcome.warnings)} warnings, "
        f"{outcome.expectations_run} expectations run.</p>",
        f'<p>Every expectation with its result: <a href="{escape(outcome.result_json.name)}">'
        f"{escape(outcome.result_json.name)}</a> (great-expectations result JSON).</p>",
        *_html_section("Critical failures", outcome.critical),
        *_html_section("Warnings", outcome.warnings),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def write_report(tables: Annex, outcome: ValidationOutcome, report_dir: Path) -> Path:
    path = report_dir / REPORT_MD
    path.write_text(render_report(tables, outcome, report_dir), encoding="utf-8")
    (report_dir / REPORT_HTML).write_text(render_html(tables, outcome), encoding="utf-8")
    return path
