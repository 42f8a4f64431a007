"""Where a processed file goes among the versions already published: a new
version, a new revision of one, or another copy of a revision (pipeline.sources
has the rule). The tables are compared here, field by field, with
pipeline.changes, the same comparison the change reports make: so "agrees"
means exactly "its change report would be empty".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from ir import AnnexTables, RawAnnex
from ir.schema import SCHEMAS
from normalize.annex_id import identify
from pipeline.changes import compare_versions
from pipeline.identity import Override, apply_override, relabel
from pipeline.sources import ALTERNATE, Placement, Source, SourceManifest
from pipeline.write import arrow_table

PublishedActions = Callable[[Source], list[dict]]


def candidate_source(raw: RawAnnex, tables: AnnexTables, path: Path, sha256: str,
                     override: Override | None) -> Source:
    """The file as a source of its version, before it is placed."""
    title = raw.title.text if raw.title else None
    identity = apply_override(
        identify(title, [line.text for line in raw.preamble], dict(raw.metadata), raw.source_file),
        override)
    version = identity.annex_id(Path(raw.source_file).stem, sha256)
    # raw.source_file, not path.name: the worker has escaped any bytes a name may hold.
    return Source(sha256, raw.source_file, version, raw.source_format,
                  raw.periods_per_year is not None, identity.version_date, identity.date_from,
                  version=version, decision_date=identity.decision_date,
                  status_date=identity.status_date, document_date=identity.document_date)


def actions_of(tables: AnnexTables) -> list[dict]:
    """The actions as published (the types of the Parquet file)."""
    return arrow_table(tables.actions, SCHEMAS["actions"]).to_pylist()


def differences(before: list[dict], after: list[dict]) -> list[dict]:
    return compare_versions("before", "after", before, after)


def place(candidate: Source, tables: AnnexTables, sources: SourceManifest,
          published: PublishedActions | None) -> Placement:
    """Place the candidate and give its tables the id of their place."""
    mine = actions_of(tables)
    compared: dict[str, int] = {}

    def agrees(revision: Source) -> bool:
        if published is None:
            return False
        found = differences(published(revision), mine)
        compared[revision.annex_id] = _actions_touched(found)
        return not found

    placement = sources.place(candidate, agrees)
    if placement.disagrees_with:
        placement = replace(placement, differing=tuple(sorted(compared.items())))
    relabel(tables, placement.annex_id)
    return placement


def _actions_touched(rows: list[dict]) -> int:
    """Actions with at least one change row (added, removed and changed alike)."""
    return len({(r["action_id_before"], r["action_id_after"]) for r in rows})


def describe(placement: Placement, candidate: Source) -> str:
    """What the run says about the placement: after the ok line's counts, or (for an
    alternate) the whole rest of the line."""
    if placement.role == ALTERNATE:
        kept = placement.same_as
        if kept.source_format != candidate.source_format and kept.has_timeline:
            return (f"same version as {kept.file} ({kept.source_format}), which has the "
                    "timeline and stays published; they agree on every field both have; "
                    "recorded as another source of it")
        return (f"same content as {kept.file} ({kept.source_format}) on every field; "
                "recorded as another source of it")
    if placement.replaces is not None:
        old = placement.replaces
        return f"; replaces {old.file} ({old.source_format}), which agrees with it"
    if placement.disagrees_with:
        counts = dict(placement.differing)
        against = ", ".join(f"{s.file} ({s.source_format}, {s.annex_id}: "
                            f"{counts.get(s.annex_id, '?')} action(s) differ)"
                            for s in placement.disagrees_with)
        kind = ("a text export and a PDF of the same version disagree"
                if any(s.source_format != candidate.source_format
                       for s in placement.disagrees_with)
                else "another document of the same version")
        return (f"; revision {placement.revision} of {candidate.version}: {kind}, "
                f"differs from {against}")
    return ""
