"""One annex file through the stages: extract -> normalize -> validate -> write.

This is the only module that knows the order of the stages.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from extract import read_annex
from extract.limits import DEFAULT_LIMITS, Limits, time_limit
from ir import StageError
from normalize import normalize_annex
from pipeline.write import destination_for, publish, write_annex

PIPELINE_VERSION = "0.1.0"
VALIDATION_FOLDER = "_validation"


@dataclass
class FileResult:
    path: Path
    ok: bool
    message: str
    annex_id: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    warnings: int = 0


def process_file(path: Path, out_dir: Path, debug_dir: Path | None = None,
                 published: dict[str, Path] | None = None,
                 limits: Limits = DEFAULT_LIMITS) -> FileResult:
    """Run one file through every stage, within the limits. `published` maps the
    annex ids already published by this batch to their files, so a second copy of
    a version is reported instead of silently replacing the first."""
    try:
        with time_limit(limits.max_seconds, path.name):
            return _process(path, out_dir, debug_dir,
                            published if published is not None else {}, limits)
    except StageError as error:
        return FileResult(path, False, _with_path(path, error))
    except Exception as error:  # a bug must not stop the batch; say where it happened
        stage = getattr(error, "pipeline_stage", "pipeline")
        reason = f"internal error {type(error).__name__}: {error}"
        return FileResult(path, False, f"{path}: {stage}: {reason}")


def _with_path(path: Path, error: StageError) -> str:
    """The error's one line, naming the file as the user gave it."""
    place = f" at {error.where}" if error.where else ""
    return f"{path}: {error.stage}: {error.reason}{place}"


def _stage(name: str, call, *args):
    try:
        return call(*args)
    except StageError:
        raise
    except Exception as error:
        error.pipeline_stage = name
        raise


def _process(path: Path, out_dir: Path, debug_dir: Path | None,
             published: dict[str, Path], limits: Limits) -> FileResult:
    raw = _stage("extract", read_annex, path, limits)
    if debug_dir is not None and raw.source_format == "pdf":
        from extract.debug_images import write_debug_images

        _stage("extract", write_debug_images, path, raw, debug_dir / path.stem)
    tables = _stage("normalize", normalize_annex, raw)
    if tables.annex_id in published:
        raise StageError(raw.source_file, "write", f"annex {tables.annex_id} was already "
                         f"published from {published[tables.annex_id]} in this run; "
                         "give each copy of a version its own --out folder")
    from validate import validate_annex  # imports great-expectations: only when validating

    report_dir = out_dir / VALIDATION_FOLDER / tables.annex_id
    outcome = _stage("validate", validate_annex, tables, report_dir)
    if not outcome.passed:
        failed = "; ".join(finding.message for finding in outcome.critical)
        raise StageError(
            raw.source_file, "validate",
            f"{len(outcome.critical)} critical check(s) failed, nothing published: {failed} "
            f"(report: {report_dir / 'validation_report.md'})",
        )
    manifest = {
        "annex_id": tables.annex_id,
        "source_file": raw.source_file,
        "source_format": raw.source_format,
        "sha256": raw.sha256,
        "pipeline_version": PIPELINE_VERSION,
        "title": raw.title.text if raw.title else None,
        "source_metadata": dict(raw.metadata),
        "notes": tables.notes,
        "timeline_years": list(raw.timeline_years),
        "periods_per_year": raw.periods_per_year,
        "validation": {
            "expectations_run": outcome.expectations_run,
            "critical_failures": len(outcome.critical),
            "warnings": [finding.message for finding in outcome.warnings],
        },
    }
    try:
        destination = destination_for(out_dir, tables.annex_id)
    except ValueError as error:
        raise StageError(raw.source_file, "write", str(error)) from None
    staging = out_dir / f".{tables.annex_id}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        counts = _stage("write", write_annex, tables, staging, manifest)
        _stage("write", publish, staging, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    published[tables.annex_id] = path
    warnings = len(outcome.warnings)
    summary = (f"{path} -> {out_dir / tables.annex_id} ({counts['actions']} actions, "
               f"{len(raw.detail_rows)} detail rows, {warnings} warning{'s' * (warnings != 1)})")
    return FileResult(path, True, summary, tables.annex_id, counts, len(outcome.warnings))
