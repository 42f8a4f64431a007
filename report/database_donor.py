"""The database of the snapshot before the published one, taken over instead of copied.

`annex.sqlite` holds every version, so a copy of the published one costs the whole
file at every publication (16 MB at 100 versions, and its flush to disk). But the
store keeps two snapshots: the published one and the one before it, kept only for
readers that resolved `current` just before the last swap and removed by the next
publishing run (pipeline.publish.Store.begin). Its database is a complete file that
no published snapshot names any more, holding the versions of that older list. So
the next run does not delete it: Store.begin renames it into the new snapshot (one
name, ours, nothing else points at it) and report.database appends the versions it
lacks, usually two, in place. No byte of the published database is read or copied.

It is taken over only when it is exactly what building it from nothing would give
for its versions in the new list: the same layout, its versions the first ones of
the new list with the same rows, and every file its rows came from (each version's
tables, each change report between neighbours) the same file in the new snapshot
(the same inode: a published file is never written to, so the same inode is the same
bytes). Anything else (a late older version, a renumbered revision, a store copied
without its hard links, a file damaged or still open by a reader) and it is dropped:
the database is appended to a copy of the published one, or built from nothing.

sqlite3 only, no pyarrow: Store.begin calls this before the heavy imports.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

DATABASE = "annex.sqlite"  # report.database.DATABASE
# PRAGMA user_version of the file built one transaction per version (report.database);
# a database of an older layout (one transaction, vacuumed) is built again.
LAYOUT = 2
DONOR = f".{DATABASE}.donor"  # its name in the new snapshot until it is used or dropped
# ir.schema.SCHEMAS (not imported: pyarrow); report.database checks they agree.
TABLE_NAMES = ("actions", "action_parties", "action_initiators", "footnotes", "links",
               "corrections", "timeline_cells", "provenance")
CHANGES = "changes"  # pipeline.change_report.CHANGES


@dataclass(frozen=True)
class Donor:
    path: Path  # in the new, unpublished snapshot
    version_ids: tuple[str, ...]  # what it holds, in its order
    files: dict[str, tuple[int, int]]  # each source file's (device, inode), by relative path


def source_files(version_ids: tuple[str, ...] | list[str],
                 tables: tuple[str, ...] = TABLE_NAMES) -> list[str]:
    """The snapshot's files (relative paths) that a database of `version_ids` is
    built from: every table of every version, the change report of each pair of
    neighbours."""
    paths = [f"{annex_id}/{name}.parquet" for annex_id in version_ids for name in tables]
    paths += [f"{CHANGES}/{before}__{after}/changes.parquet"
              for before, after in zip(version_ids, version_ids[1:], strict=False)]
    return paths


def identities(snapshot: Path, relative: list[str]) -> dict[str, tuple[int, int]] | None:
    """(device, inode) of each file, or None when one is missing or not a real file."""
    found = {}
    for path in relative:
        try:
            info = os.lstat(snapshot / path)
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        found[path] = (info.st_dev, info.st_ino)
    return found


def held_versions(path: Path) -> tuple[int, list[str]] | None:
    """The layout (PRAGMA user_version) and the version ids of a database, or None."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0)
        try:
            layout = db.execute("PRAGMA user_version").fetchone()[0]
            ids = [row[0] for row in db.execute("SELECT annex_id FROM versions ORDER BY rowid")]
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return layout, ids


def take(old_snapshot: Path, new_snapshot: Path) -> Donor | None:
    """Move the database of `old_snapshot` (a snapshot no longer published, about to be
    removed) into `new_snapshot` as DONOR, with what it was built from. None (and
    nothing moved) when it is not a plain file of ours with one name, or unreadable."""
    source = old_snapshot / DATABASE
    try:
        info = os.lstat(source)
    except OSError:
        return None
    # One name only: a file with another name (a hard link made by someone else) is
    # never written to in place.
    if (not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid()
            or info.st_nlink != 1):
        return None
    held = held_versions(source)
    if held is None or held[0] != LAYOUT or not held[1]:
        return None
    ids = tuple(held[1])
    files = identities(old_snapshot, source_files(ids))
    if files is None:
        return None
    target = new_snapshot / DONOR
    try:
        os.rename(source, target)
    except OSError:
        return None
    return Donor(target, ids, files)


def usable(donor: Donor, snapshot: Path, version_ids: list[str]) -> int:
    """How many versions of the donor stay as they are in the new snapshot's database
    (its versions rows are compared by report.database): all of them when they are
    the first of `version_ids` and built from the same files; else 0."""
    count = len(donor.version_ids)
    if count > len(version_ids) or list(donor.version_ids) != version_ids[:count]:
        return 0
    if identities(snapshot, list(donor.files)) != donor.files:
        return 0
    return count


def drop(snapshot: Path) -> None:
    """The donor, unused, out of the new snapshot (never published)."""
    (snapshot / DONOR).unlink(missing_ok=True)
