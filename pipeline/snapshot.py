"""Filling a new snapshot: the versions, their manifests, history/, changes/, latest.

Versions processed in this run are already in the snapshot (pipeline.run wrote
them); every other published version is carried over from the current
snapshot by hard links, which is cheap and safe because a published file is
never written to again, only replaced by a new file in a new snapshot
(pipeline.carry). What a publication writes: the new versions' folders, their
history partitions, the change reports of the pairs that are new, the manifest
of a carried version only when what it says about its sources changed, and the
small files over all versions (sources.json, history/versions.*, the
descriptors, index.html) and annex.sqlite (appended in place to the database of
the snapshot before the published one, which no published snapshot names, or to
a copy of the published one: report.database_donor). Nothing of an untouched
version is rewritten.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ir.schema import SCHEMAS
from pipeline.carry import Carry, link_folder
from pipeline.change_report import ChangeSummary, VersionInfo, write_changes
from pipeline.history import VersionRow, csv_part_path, partition_path, write_history
from pipeline.publish import Store
from pipeline.relabel import relabel_folder, tables_id
from pipeline.safepath import check_owned
from pipeline.sources import (
    PUBLISHED,
    SOURCES_FILE,
    TABLES_PREFIX,
    Source,
    SourceManifest,
    tables_folder,
)
from pipeline.write import json_text, restrict_permissions

LATEST = "latest"
MANIFEST = "manifest.json"
DATAPACKAGE = "datapackage.json"


@dataclass(frozen=True)
class Assembled:
    versions: list[str]  # oldest first
    changes: list[ChangeSummary]
    touched: set[str]  # ids whose tables this run wrote or renumbered


def assemble(snapshot: Path, sources: SourceManifest, store: Store,
             previous: dict[str, str]) -> Assembled:
    """Complete `snapshot` for the versions in `sources`. The tables this run wrote
    are in snapshot/.tables-<sha256>; the others are carried from the published
    snapshot, where `previous` (sha256 -> id) says under which id they are."""
    published = sources.versions()  # document order: pipeline.sources.Source.order_key
    before = store.current()  # None before the first snapshot (or a pipeline 0.1 folder)
    earlier = store.read_sources() if before is not None else SourceManifest()
    touched = set()
    unchanged = set()  # carried under the same id: the same tables as published
    for source in published:
        folder = snapshot / source.annex_id
        written = tables_folder(snapshot, source.sha256)
        if written.is_dir():
            touched.add(source.annex_id)
            if tables_id(written) == source.annex_id:
                os.replace(written, folder)
            else:  # renumbered later in this run
                relabel_folder(written, folder, source.annex_id)
        elif previous[source.sha256] == source.annex_id:
            unchanged.add(source.annex_id)
            said = _publication(source, sources)
            if before is not None and said == _published_as(source, earlier):
                _carry(store.version_folder(source.annex_id), folder, keep_manifest=True)
                continue  # its manifest says the same: not a byte of it is written
            _carry(store.version_folder(source.annex_id), folder, keep_manifest=False)
        else:  # a revision with an earlier document date arrived: it moved up a number
            touched.add(source.annex_id)
            relabel_folder(store.version_folder(previous[source.sha256]), folder,
                           source.annex_id)
        _write_manifest(folder, _publication(source, sources))
    for left in snapshot.glob(f"{TABLES_PREFIX}*"):  # replaced within this run
        shutil.rmtree(left)
    (snapshot / SOURCES_FILE).write_text(sources.to_json(), encoding="utf-8")
    carry = Carry(before, frozenset(unchanged))
    if published:
        write_history(snapshot, [_version_row(s, sources) for s in published], carry)
        from pipeline.pause import pause

        pause("history")
        changes = write_changes(snapshot, [_version_info(s) for s in published], carry,
                                {s.annex_id: _version_info(s) for s in earlier.versions()})
        os.symlink(published[-1].annex_id, snapshot / LATEST)  # relative: inside the snapshot
        from report.database import DATABASE, write_database
        from report.index_html import write_pages

        write_database(snapshot, [s.annex_id for s in published], carry.find(DATABASE),
                       carry.unchanged, store.donor)
        write_pages(snapshot, [(s.annex_id, s.version_date) for s in published])
    else:
        changes = []
    from report.database_donor import drop

    drop(snapshot)  # used, or not wanted: never published
    check(snapshot, published, touched)
    restrict_permissions(snapshot)
    return Assembled([s.annex_id for s in published], changes, touched)


def _version_info(source: Source) -> VersionInfo:
    return VersionInfo(source.annex_id, source.version_date, source.file, source.has_timeline)


def _carry(source: Path, destination: Path, keep_manifest: bool) -> None:
    """Hard-link the files of a published version folder (copy where links fail).
    Only real files of ours are carried: the published snapshot was checked whole
    before the run (safepath.check_store refuses a planted link or a hard link to a
    file outside --out, which would otherwise be published). Without
    `keep_manifest`, the manifest is copied (to be rewritten by _write_manifest) and
    the data package left to be written from it."""
    if keep_manifest:
        link_folder(source, destination)
        return
    link_folder(source, destination, skip=(MANIFEST, DATAPACKAGE))
    check_owned(source / MANIFEST, folder=False)
    shutil.copy2(source / MANIFEST, destination / MANIFEST)


def _publication(source: Source, sources: SourceManifest) -> dict:
    """What a version's manifest says about its place among the sources: the keys
    that pipeline.snapshot sets at every publication (pipeline.relabel)."""
    return {
        "version_date": source.version_date,
        "version_date_from": source.date_from,
        "version": source.version,
        "revision": source.revision,
        "decision_date": source.decision_date,
        "status_date": source.status_date,
        "document_date": source.document_date,
        # every revision of this version in document order (pipeline.sources): the
        # ones this document disagrees with
        "revisions": [r.annex_id for r in sources.revisions(source.version)],
        "sources": [{"file": s.file, "sha256": s.sha256, "source_format": s.source_format,
                     "role": s.role} for s in sources.of_version(source.annex_id)],
    }


def _published_as(source: Source, earlier: SourceManifest) -> dict | None:
    """_publication of `source` in the published snapshot, if it was published there
    under the same id."""
    known = earlier.find(source.sha256)
    if known is None or known.role != PUBLISHED or known.annex_id != source.annex_id:
        return None
    return _publication(known, earlier)


def _write_manifest(folder: Path, publication: dict) -> None:
    """The version's manifest, with every file of that version and its role."""
    path = folder / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update(publication)
    text = json_text(manifest)
    path.unlink()  # never write through a link that another snapshot shares
    path.write_text(text, encoding="utf-8")
    from report.datapackage import write_datapackage

    write_datapackage(folder, manifest)  # its version, date and sources are these


def _version_row(source: Source, sources: SourceManifest) -> VersionRow:
    others = [f"{s.file} ({s.role})" for s in sources.of_version(source.annex_id)
              if s.role != PUBLISHED]
    return VersionRow(source.annex_id, source.version_date, source.date_from, source.file,
                      source.source_format, source.sha256, others, source.version,
                      source.revision, source.decision_date, source.status_date,
                      source.document_date)


def check(snapshot: Path, published: list[Source], touched: set[str] | None = None) -> None:
    """The last look before publishing: every version complete, the history adds up.
    Every version folder is looked at; the history partitions of the versions in
    `touched` (all when None) are counted against their manifest. The others are
    hard links to partitions counted when they were first published
    (pipeline.history.write_history links or writes each one, or fails)."""
    import pyarrow.parquet as pq

    expected = [f"{name}{suffix}" for name in SCHEMAS for suffix in (".parquet", ".csv")]
    for source in published:
        folder = snapshot / source.annex_id
        with os.scandir(folder) as entries:
            held = {entry.name for entry in entries if entry.is_file(follow_symlinks=False)}
        missing = [name for name in expected if name not in held]
        if missing:
            raise RuntimeError(f"snapshot check: {folder.name}/{missing[0]} missing")
        if touched is not None and source.annex_id not in touched:
            continue
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        for name in SCHEMAS:
            if not (snapshot / csv_part_path(name, source.annex_id)).is_file():
                raise RuntimeError(f"snapshot check: {csv_part_path(name, source.annex_id)} "
                                   "missing")
            partition = partition_path(name, source.annex_id)
            rows = pq.read_metadata(snapshot / partition).num_rows
            if rows != manifest["row_counts"][name]:
                raise RuntimeError(f"snapshot check: {partition} has {rows} rows, the "
                                   f"version {manifest['row_counts'][name]}")
    if published and not (snapshot / LATEST).resolve().is_dir():
        raise RuntimeError("snapshot check: latest does not lead to a version")
