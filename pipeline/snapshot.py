"""Filling a new snapshot: the versions, their manifests, history/, changes/, latest.

Versions processed in this run are already in the snapshot (pipeline.run wrote
them); every other published version is carried over from the current
snapshot by hard links, which is cheap and safe because a published file is
never written to again, only replaced by a new file in a new snapshot.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from ir.schema import SCHEMAS
from pipeline.change_report import ChangeSummary, VersionInfo, write_changes
from pipeline.history import HISTORY, VersionRow, write_history
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
    touched = set()
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
            _carry(store.version_folder(source.annex_id), folder)
        else:  # a revision with an earlier document date arrived: it moved up a number
            touched.add(source.annex_id)
            relabel_folder(store.version_folder(previous[source.sha256]), folder,
                           source.annex_id)
        _write_manifest(folder, source, sources.of_version(source.annex_id),
                        sources.revisions(source.version))
    for left in snapshot.glob(f"{TABLES_PREFIX}*"):  # replaced within this run
        shutil.rmtree(left)
    (snapshot / SOURCES_FILE).write_text(sources.to_json(), encoding="utf-8")
    if published:
        write_history(snapshot, [_version_row(s, sources) for s in published])
        from pipeline.pause import pause

        pause("history")
        changes = write_changes(snapshot, [
            VersionInfo(s.annex_id, s.version_date, s.file, s.has_timeline) for s in published])
        os.symlink(published[-1].annex_id, snapshot / LATEST)  # relative: inside the snapshot
        from report.database import write_database
        from report.index_html import write_pages

        write_database(snapshot, [s.annex_id for s in published])
        write_pages(snapshot, [(s.annex_id, s.version_date) for s in published])
    else:
        changes = []
    check(snapshot, published)
    restrict_permissions(snapshot)
    return Assembled([s.annex_id for s in published], changes, touched)


def _carry(source: Path, destination: Path) -> None:
    """Hard-link the files of a published version folder (copy where links fail).
    Only real files of ours are carried: a planted link or a hard link to a file
    outside --out would otherwise be published and have its mode changed."""
    check_owned(source, folder=True)
    destination.mkdir()
    for path in sorted(source.iterdir()):
        check_owned(path, folder=False)
        if path.name == MANIFEST:
            continue  # rewritten by _write_manifest
        try:
            os.link(path, destination / path.name)
        except OSError:  # a file system without hard links
            shutil.copy2(path, destination / path.name)
    manifest = source / MANIFEST
    shutil.copy2(manifest, destination / MANIFEST)


def _write_manifest(folder: Path, source: Source, all_sources: list[Source],
                    revisions: list[Source]) -> None:
    """The version's manifest, with every file of that version and its role."""
    path = folder / MANIFEST
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.update({
        "version_date": source.version_date,
        "version_date_from": source.date_from,
        "version": source.version,
        "revision": source.revision,
        "decision_date": source.decision_date,
        "status_date": source.status_date,
        "document_date": source.document_date,
        # every revision of this version in document order (pipeline.sources): the
        # ones this document disagrees with
        "revisions": [r.annex_id for r in revisions],
        "sources": [{"file": s.file, "sha256": s.sha256, "source_format": s.source_format,
                     "role": s.role} for s in all_sources],
    })
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


def check(snapshot: Path, published: list[Source]) -> None:
    """The last look before publishing: every version complete, the history adds up."""
    total = dict.fromkeys(SCHEMAS, 0)
    for source in published:
        folder = snapshot / source.annex_id
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        for name in SCHEMAS:
            for suffix in (".parquet", ".csv"):
                if not (folder / f"{name}{suffix}").is_file():
                    raise RuntimeError(f"snapshot check: {folder.name}/{name}{suffix} missing")
            total[name] += manifest["row_counts"][name]
    if not published:
        return
    import pyarrow.dataset as ds

    for name, expected in total.items():
        rows = ds.dataset(snapshot / HISTORY / name, partitioning="hive").count_rows()
        if rows != expected:
            raise RuntimeError(f"snapshot check: history/{name} has {rows} rows, "
                               f"the versions {expected}")
    if not (snapshot / LATEST).resolve().is_dir():
        raise RuntimeError("snapshot check: latest does not lead to a version")
