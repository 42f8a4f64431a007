"""What a validation run hands back: findings and where the reports were written.

Kept free of great_expectations so `import validate` stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

CRITICAL = "critical"
WARNING = "warning"


@dataclass
class Finding:
    """One failed expectation, told in terms of the annex rather than of GX."""

    severity: str  # "critical" or "warning", taken from the expectation's GX severity
    table: str  # the checked frame: a published table or a derived one (action_years, ...)
    expectation: str  # GX expectation type, e.g. "expect_column_values_to_be_in_set"
    column: str | None
    message: str  # one line naming the failing rows and values
    failing: list[str] = field(default_factory=list)  # every failing row, one text each


@dataclass
class ValidationOutcome:
    passed: bool  # True when no critical finding
    critical: list[Finding]
    warnings: list[Finding]
    result_json: Path
    report_html: Path  # the project's own validation page (works offline)
    expectations_run: int


@dataclass
class Validated:
    """One annex's validation, computed but not yet written (validate.write_validation).

    `results` is this annex's share of the GX results, per checked frame: one GX
    run checks the frames of every annex given together (validate.run)."""

    annex_id: str
    source_file: str
    sha256: str
    findings: list[Finding]  # in report order
    expectations_run: int
    results: dict[str, dict]
    run: dict = field(default_factory=dict)  # how many documents the GX runs held

    @property
    def critical(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == CRITICAL]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity != CRITICAL]
