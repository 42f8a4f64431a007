"""What a new snapshot takes over from the published one: hard links, never rewrites.

A publication writes only what it changes: the new version's folder, its history
partitions, the change reports of its new neighbour pairs and the small index
files. Everything else in the new snapshot is a hard link to the same file in
the published snapshot. That is safe because a published file is never written
to again: a file that must change is unlinked and written anew (so the other
snapshot keeps its own), and only files of ours are linked (pipeline.safepath
checks the published snapshot before a run touches anything: a planted link, or a
file with a name outside .snapshots, is refused).

`Carry` says what may be taken over: the published snapshot, and the versions
whose tables are the same in both snapshots under the same id (`unchanged`).
A file derived only from unchanged versions (a history partition, a change
report between two unchanged neighbours) is carried when the published
snapshot has it; anything else is written.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.safepath import check_owned


@dataclass(frozen=True)
class Carry:
    published: Path | None  # the published snapshot; None before the first one
    unchanged: frozenset[str] = field(default_factory=frozenset)  # ids with the same tables

    def may(self, *ids: str) -> bool:
        """Whether files derived from `ids` alone may be carried."""
        return self.published is not None and all(i in self.unchanged for i in ids)

    def find(self, relative: str | Path, *ids: str) -> Path | None:
        """The published file `relative` when every one of `ids` is unchanged and
        the published snapshot has it (a real file of ours), else None."""
        if not self.may(*ids):
            return None
        path = self.published / relative
        if check_owned(path, folder=False) is None:
            return None
        return path

    def link(self, relative: str, destination: str, *ids: str) -> bool:
        """Carry the published file `relative` (a path inside the snapshot) to
        `destination` when `ids` are unchanged and it is there; False: write it."""
        if not self.may(*ids):
            return False
        try:
            link_file(os.path.join(self.published, relative), destination)
        except FileNotFoundError:
            return False
        return True

    def find_folder(self, relative: str | Path, *ids: str) -> Path | None:
        if not self.may(*ids):
            return None
        path = self.published / relative
        if check_owned(path, folder=True) is None:
            return None
        return path


def link_file(source: str | Path, destination: str | Path) -> None:
    """`destination` as another name of `source` (a copy where links fail;
    FileNotFoundError when it is missing). Not checked file by file: the published
    snapshot was checked whole before the run touched anything (safepath.check_store:
    real files of ours, no name outside .snapshots), and link() never follows a
    link, so a link planted since would be carried as a link, and refused by the
    next run's check rather than followed."""
    try:
        os.link(source, destination, follow_symlinks=False)
    except FileNotFoundError:
        raise
    except OSError:  # a file system without hard links
        shutil.copy2(source, destination, follow_symlinks=False)


def link_folder(source: Path, destination: Path, skip: tuple[str, ...] = ()) -> None:
    """A new folder holding another name of every file of `source` (flat) but `skip`."""
    check_owned(source, folder=True)
    os.mkdir(destination)
    with os.scandir(source) as entries:
        names = sorted(entry.name for entry in entries)
    for name in names:
        if name not in skip:
            link_file(os.path.join(source, name), os.path.join(destination, name))
