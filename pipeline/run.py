"""One annex file through the stages: extract -> normalize -> validate -> write.

This is the only module that knows the order of the stages. The tables go into
the run's unpublished snapshot; pipeline.batch publishes the snapshot when every
input has been through.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from extract.limits import DEFAULT_LIMITS, Limits
from ir import StageError
from pipeline import PIPELINE_VERSION
from pipeline.identity import Override
from pipeline.outfault import describe as describe_fault
from pipeline.outfault import is_output_fault
from pipeline.pause import pause
from pipeline.safepath import replaced_folder
from pipeline.safetext import safe_name, safe_text
from pipeline.sources import ALTERNATE as ALTERNATE_ROLE
from pipeline.sources import Placement, Source, SourceManifest, tables_folder
from pipeline.worker import ReadResult, read_in_worker
from pipeline.write import destination_for, write_annex

VALIDATION_FOLDER = "_validation"
PUBLISHED, ALTERNATE, FAILED = "published", "alternate", "failed"

__all__ = ["PIPELINE_VERSION", "FileResult", "process_file"]


@dataclass
class FileResult:
    path: Path
    ok: bool
    message: str  # the line to print: after "ok: " on stdout, or alone on stderr
    annex_id: str | None = None
    outcome: str = FAILED  # published (its tables are in the snapshot), alternate, failed
    counts: dict[str, int] = field(default_factory=dict)
    warnings: int = 0
    stage: str = ""  # of a failure: extract, normalize, validate, write, pipeline
    output_fault: bool = False  # the output folder failed, not the input (exit 5)


def process_file(path: Path, sha256: str, snapshot: Path, sources: SourceManifest,
                 out_dir: Path, debug_dir: Path | None = None,
                 limits: Limits = DEFAULT_LIMITS, override: Override | None = None,
                 published=None, read: ReadResult | None = None,
                 validated=None) -> FileResult:
    """Run one file through every stage, within the limits, and record it in
    `sources`: published (its tables written to `snapshot/<annex_id>`, a new
    version or revision, or in place of a poorer copy of the same content) or as
    an alternate source of the revision it agrees with. `published(annex_id)`
    gives a published revision's actions (pipeline.placement).

    A batch reads its documents in a pool and validates them together before they
    come here (pipeline.batch): `read` is then the file's read (else it is read
    here, in a worker) and `validated` its validation (validate.Validated, else it
    is validated here). Both are pure functions of the file, so the outcome is the
    same either way."""
    staging = snapshot / f".staging-{os.getpid()}"
    try:
        # No timer here: the worker that reads the document is killed at its deadline.
        prepared = _prepare(path, sha256, staging, sources, out_dir, debug_dir, limits,
                            override, published, read, validated)
        return _commit(prepared, snapshot, sources)
    except StageError as error:
        return FileResult(path, False, _with_path(path, error), stage=error.stage)
    except OSError as error:
        if not is_output_fault(error):
            raise
        stage = getattr(error, "pipeline_stage", "write")
        return FileResult(path, False,
                          f"{safe_text(str(path))}: {stage}: {describe_fault(error)}",
                          stage=stage, output_fault=True)
    except Exception as error:  # a bug must not stop the batch; say where it happened
        stage = getattr(error, "pipeline_stage", "pipeline")
        reason = f"internal error {type(error).__name__}: {error}"
        return FileResult(path, False, safe_text(f"{path}: {stage}: {reason}"), stage=stage)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _with_path(path: Path, error: StageError) -> str:
    """The error's one line, naming the file as the user gave it."""
    place = f" at {error.where}" if error.where else ""
    return safe_text(f"{path}: {error.stage}: {error.reason}{place}")


def _stage(name: str, call, *args):
    try:
        return call(*args)
    except StageError:
        raise
    except Exception as error:
        error.pipeline_stage = name
        raise


@dataclass
class _Prepared:
    """A validated file whose tables are written to its staging folder."""

    path: Path
    candidate: Source
    placement: Placement
    staging: Path | None  # None: an alternate source, nothing to publish
    summary: str  # the ok line (without what it replaces)
    counts: dict[str, int] = field(default_factory=dict)
    warnings: int = 0


def _prepare(path: Path, sha256: str, staging: Path, sources: SourceManifest, out_dir: Path,
             debug_dir: Path | None, limits: Limits, override: Override | None,
             published, read: ReadResult | None, validated) -> _Prepared:
    from pipeline.placement import candidate_source, describe, place

    # Extract and normalize: in a worker process, within the limits (pipeline.worker).
    if read is None:
        read = read_in_worker(path, safe_name(path), limits, debug_dir)
    if not read.ok:
        raise StageError(safe_name(path), read.stage, read.reason, read.where)
    raw, tables = read.raw, read.tables
    title = raw.title.text if raw.title else None
    candidate = _stage("normalize", candidate_source, raw, tables, path, sha256, override)
    placement = _stage("normalize", place, candidate, tables, sources, published)
    try:
        destination_for(out_dir, placement.annex_id)
    except ValueError as error:
        raise StageError(raw.source_file, "write", str(error)) from None
    said = describe(placement, candidate)
    if placement.role == ALTERNATE_ROLE:
        return _Prepared(path, candidate, placement, None,
                         f"{path} -> {out_dir / placement.annex_id}: {said}")
    report_dir = out_dir / VALIDATION_FOLDER / tables.annex_id
    with replaced_folder(out_dir / VALIDATION_FOLDER, tables.annex_id) as fresh:
        if validated is None:
            from validate import validate_annex  # imports great-expectations

            outcome = _stage("validate", validate_annex, tables, fresh)
        else:
            from validate import write_validation

            # Validated before placement gave the tables their final id (the id is
            # in no check): the reports name the id they are published under.
            named = dataclasses.replace(validated, annex_id=tables.annex_id,
                                        source_file=tables.source_file, sha256=tables.sha256)
            outcome = _stage("validate", write_validation, named, fresh)
    if not outcome.passed:
        failed = "; ".join(finding.message for finding in outcome.critical)
        raise StageError(
            raw.source_file, "validate",
            f"{len(outcome.critical)} critical check(s) failed, nothing published: {failed} "
            f"(report: {report_dir / 'validation_report.md'})",
        )
    pause("validated")
    manifest = {
        "annex_id": tables.annex_id,
        "source_file": raw.source_file,
        "source_format": raw.source_format,
        "sha256": raw.sha256,
        "pipeline_version": PIPELINE_VERSION,
        "title": title,
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
    counts = _stage("write", write_annex, tables, staging, manifest)
    warnings = len(outcome.warnings)
    summary = (f"{path} -> {out_dir / tables.annex_id} ({counts['actions']} actions, "
               f"{len(raw.detail_rows)} detail rows, {warnings} warning{'s' * (warnings != 1)}"
               + said)
    return _Prepared(path, candidate, placement, staging, summary, counts, warnings)


def _commit(prepared: _Prepared, snapshot: Path, sources: SourceManifest) -> FileResult:
    """Move the tables into the snapshot and record the source: together or not at all."""
    placement = prepared.placement
    if prepared.staging is None:
        sources.add(prepared.candidate, placement)
        return FileResult(prepared.path, True, prepared.summary, placement.annex_id,
                          ALTERNATE)
    # By content, not id: a later input of this run may still renumber the revisions
    # (pipeline.snapshot puts every folder under its final id).
    destination = tables_folder(snapshot, prepared.candidate.sha256)
    if destination.exists():
        shutil.rmtree(destination)
    os.replace(prepared.staging, destination)  # the snapshot is unpublished: no reader yet
    renamed = sources.add(prepared.candidate, placement)
    pause("written")
    moved = "".join(f"; {old} moves to {new} (document order)"
                    for old, new in sorted(renamed.items()))
    return FileResult(prepared.path, True, prepared.summary + moved + ")",
                      placement.annex_id, PUBLISHED, prepared.counts, prepared.warnings)
