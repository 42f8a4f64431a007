"""Validate the normalized annex tables with Great Expectations (GX Core 1.x).

`validate_annex` checks the tables (and frames derived from their list columns)
against expectation suites, each expectation carrying GX's own severity:
critical failures fail the run, warnings are reported only. It writes the GX
validation results as JSON and the project's own report, as Markdown and as an
HTML page that works offline (GX Data Docs load their scripts from the internet,
so they are not built).

great_expectations is imported only inside `validate_annex`: it takes seconds
to import, and importing this package (e.g. for `Finding`) must stay cheap.
"""

from __future__ import annotations

import gc
import threading
from pathlib import Path

from ir import AnnexTables
from validate.outcome import Finding, Validated, ValidationOutcome
from validate.quiet import quiet

__all__ = ["Finding", "Validated", "ValidationOutcome", "validate_annex", "validate_many",
           "write_validation"]


_PRELOAD: threading.Thread | None = None


def preload() -> None:
    """Import great_expectations and make the GX context in a background thread.

    The import is ~half of a run's time and needs nothing from the document, so a
    run starts it while its documents are being read in worker processes (another
    core) instead of after. Every entry point below waits for it first: GX is used
    by one thread at a time, and quiet() is entered by one thread at a time."""
    global _PRELOAD
    if _PRELOAD is None:
        _PRELOAD = threading.Thread(target=_load, name="gx-preload", daemon=True)
        _PRELOAD.start()


def _load() -> None:
    try:
        with quiet():
            from validate.run import validator

            validator()
    except Exception:  # noqa: BLE001 - the caller's own import then says what is wrong
        return
    # The ~230k objects of the import live as long as the process: out of the
    # collector's generations, full collections during the run need not walk them.
    gc.freeze()


def _preloaded() -> None:
    if _PRELOAD is not None:
        _PRELOAD.join()


def validate_annex(tables: AnnexTables, report_dir: Path) -> ValidationOutcome:
    """Validate `tables`; write validation_result.json, validation_report.md
    and validation_report.html under `report_dir` (created if missing).

    Prints nothing: GX progress bars are switched off, GX log records and
    warnings are swallowed for the duration of the call (the GX import included).
    """
    _preloaded()
    with quiet():
        from validate.run import run_validation

        return run_validation(tables, Path(report_dir))


def validate_many(tables: list[AnnexTables]) -> list[Validated]:
    """Validate several annexes together, in one GX run per checked frame (and one
    GX context for the process: validate.run). Writes nothing; quiet as above."""
    _preloaded()
    with quiet():
        from validate.run import validate_tables

        return validate_tables(list(tables))


def write_validation(validated: Validated, report_dir: Path) -> ValidationOutcome:
    """Write one annex's result JSON and reports under `report_dir`, as validate_annex."""
    _preloaded()
    from validate.run import write_outcome

    return write_outcome(validated, Path(report_dir))
