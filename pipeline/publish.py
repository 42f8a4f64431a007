"""Publication by one atomic step: the swap of the `current` symlink.

    OUT/current -> .snapshots/000007          the one thing a run changes to publish
    OUT/.snapshots/000007/                     a complete published tree:
        <annex_id>/  history/  changes/  latest -> <annex_id>  sources.json
    OUT/<annex_id> -> current/<annex_id>       stable entry links, made once;
    OUT/history, OUT/changes, OUT/latest       they resolve through `current`

A run builds a whole new snapshot beside the published one (unchanged files
hard-linked, not copied), checks it, and then replaces the `current` symlink
with os.replace, which is atomic on POSIX. Readers see the old tree or the new
one, never a mix; a run killed at any point before the swap leaves a stray
snapshot folder that nothing points to (removed by the next publishing run),
and one killed after it has published completely. Renaming directories into
place instead takes two renames per folder (old out, new in) with a window in
which the folder is missing, and cannot switch several folders at once.

The snapshot before the current one is kept until the next publishing run, so
a reader that resolved `current` just before a swap can finish reading. That run
renames it (and any leftover) out of the way at once and removes it in a thread
while it reads and validates (Store.begin, Store.settle): removing costs a few ms
of the file system's time per folder and hardly any CPU, so in a store of
hundreds of versions it took most of a publication's wall time when done first.

The database of that older snapshot is not removed: no published snapshot names
it, so Store.begin moves it into the new snapshot, where the versions it lacks are
appended to it in place instead of copying the published one
(report.database_donor).
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import stat
import sys
import threading
from pathlib import Path

from pipeline.safepath import current_snapshot, make_folder
from pipeline.sources import PUBLISHED, SOURCES_FILE, Source, SourceManifest

CURRENT = "current"
SNAPSHOTS = ".snapshots"
SHARED_ENTRIES = ("history", "changes", "latest")
RESERVED = (CURRENT, *SHARED_ENTRIES)  # never an annex id (write.destination_for)
FOLDER_MODE = 0o750
REMOVING = ".removing-"  # a stale snapshot renamed out of the way, being removed


class PublishError(Exception):
    """The output folder is not in a state this pipeline can publish into."""


class Store:
    """The published output under one OUT folder."""

    def __init__(self, out_dir: Path) -> None:
        self.out = out_dir
        self.current_link = out_dir / CURRENT
        self.snapshots = out_dir / SNAPSHOTS
        self._pruning: threading.Thread | None = None
        self.donor = None  # report.database_donor.Donor taken by begin, or None

    # -- reading what is published ---------------------------------------------------

    def current(self) -> Path | None:
        """The published snapshot, or None before the first publication. `current`
        must be this pipeline's link into .snapshots/ (pipeline.safepath)."""
        return current_snapshot(self.out)

    def read_sources(self) -> SourceManifest:
        current = self.current()
        if current is not None and (current / SOURCES_FILE).exists():
            return SourceManifest.read(current / SOURCES_FILE)
        # No list of sources: a folder written by pipeline 0.1 (versions as real
        # folders in OUT) or a damaged snapshot. Rebuild it from the versions' own
        # manifests rather than forget what is published.
        return SourceManifest(list(_sources_in(current if current is not None else self.out)))

    def version_folder(self, annex_id: str) -> Path:
        """Where a published version's files are now (to carry them into a new snapshot)."""
        current = self.current()
        return (current if current is not None else self.out) / annex_id

    # -- building and publishing a snapshot --------------------------------------------

    def begin(self) -> Path:
        """A new, empty snapshot folder. Leftovers of killed runs and snapshots
        older than the published one are renamed out of the way (`.removing-*`,
        never a snapshot's name, so nothing reads them) and removed in a thread
        (`settle` waits for it)."""
        self._check_entry_names()
        current = self.current()
        make_folder(self.snapshots)  # refuses a link: its target's files are not ours
        os.chmod(self.snapshots, FOLDER_MODE)
        stale = []
        older: list[tuple[int, Path]] = []  # published before the current one
        for entry in self.snapshots.iterdir():
            if current is not None and entry.name == current.name:
                continue
            if entry.name.startswith(REMOVING):
                stale.append(entry)  # a killed run's, still being removed
                continue
            away = self.snapshots / f"{REMOVING}{entry.name}-{os.getpid()}"
            _remove(away)
            os.replace(entry, away)  # a link is renamed as the link, never followed
            stale.append(away)
            if (current is not None and entry.name.isdigit() and current.name.isdigit()
                    and int(entry.name) < int(current.name)):
                older.append((int(entry.name), away))
        number = int(current.name) + 1 if current is not None and current.name.isdigit() else 1
        snapshot = self.snapshots / f"{number:06d}"
        snapshot.mkdir(mode=FOLDER_MODE)
        self.donor = None
        if older:
            # The database of the snapshot before the published one: no published
            # snapshot names it, so it is appended to in place instead of copying
            # the published one (report.database_donor). A real folder of ours only.
            _number, previous = max(older)
            if not previous.is_symlink() and previous.is_dir():
                from report.database_donor import take

                self.donor = take(previous, snapshot)
        if stale:
            self._pruning = threading.Thread(target=_remove_all, args=(stale,),
                                             name="prune-snapshots", daemon=True)
            self._pruning.start()
        for pattern in (f".{CURRENT}.tmp-*", ".*.link-*"):
            for stale in self.out.glob(pattern):
                stale.unlink(missing_ok=True)
        return snapshot

    def settle(self) -> None:
        """Wait until what `begin` set aside is removed (before the run's lock is
        let go). A run killed before that leaves `.removing-*`, removed next time."""
        if self._pruning is not None:
            self._pruning.join()
            self._pruning = None

    def swap(self, snapshot: Path) -> None:
        """Publish `snapshot`: the single atomic step."""
        temporary = self.out / f".{CURRENT}.tmp-{os.getpid()}"
        temporary.unlink(missing_ok=True)
        # Relative, so OUT can be moved or copied (cp -a, rsync -a) and still work.
        os.symlink(os.path.relpath(snapshot, self.out), temporary)
        os.replace(temporary, self.current_link)
        _fsync_dir(self.out)

    def check_room(self, snapshot: Path) -> None:
        """Before the swap: every entry link of `snapshot` can be made."""
        for name in _entries(snapshot):
            entry = self.out / name
            if entry.is_symlink() or not entry.exists():
                continue
            if not (entry.is_dir() and _is_legacy_version(entry)):
                raise PublishError(f"{entry} is in the way of the link to {CURRENT}/{name}; "
                                   "move it away or choose another --out folder")

    def link_entries(self) -> None:
        """Make OUT/<name> -> current/<name> for every entry of the published
        snapshot. Cheap when they exist, so every run calls it: this is also what
        finishes a run that was killed right after its swap."""
        current = self.current()
        if current is None:
            return
        for name in _entries(current):
            entry = self.out / name
            target = f"{CURRENT}/{name}"
            if entry.is_symlink():
                if os.readlink(entry) == target:
                    continue
            elif entry.is_dir() and _is_legacy_version(entry):
                # A version folder published by pipeline 0.1 (a real folder): it was
                # carried into the snapshot, so its place becomes a link.
                retired = self.snapshots / f"retired-{name}-{os.getpid()}"
                os.replace(entry, retired)
                shutil.rmtree(retired)
            elif entry.exists():
                raise PublishError(f"{entry} is in the way of the link to {target}")
            temporary = self.out / f".{name}.link-{os.getpid()}"
            temporary.unlink(missing_ok=True)
            os.symlink(target, temporary)
            os.replace(temporary, entry)
        for entry in self.out.iterdir():  # links to what the snapshot no longer holds
            if (entry.is_symlink() and os.readlink(entry).startswith(f"{CURRENT}/")
                    and not entry.exists()):
                entry.unlink()

    def abandon(self, snapshot: Path) -> None:
        shutil.rmtree(snapshot, ignore_errors=True)

    # -- helpers -----------------------------------------------------------------------

    def _check_entry_names(self) -> None:
        for name in RESERVED:
            entry = self.out / name
            if entry.exists() and not entry.is_symlink():
                raise PublishError(f"{entry} exists and is not this pipeline's link; "
                                   "move it away or choose another --out folder")


def _sources_in(folder: Path):
    """The sources named by the manifests of the version folders in `folder`."""
    if not folder.is_dir():
        return
    for version in sorted(folder.iterdir()):
        if version.is_symlink() or not version.is_dir() or not _is_legacy_version(version):
            continue
        # Reads titles (imports normalize, scipy): only once such a folder is found.
        from pipeline.versions import version_date
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        found, where = version_date(manifest.get("title"), manifest.get("source_metadata") or {},
                                    manifest["source_file"])
        listed = manifest.get("sources") or [{
            "file": manifest["source_file"], "sha256": manifest["sha256"],
            "source_format": manifest.get("source_format", "text-export"), "role": PUBLISHED}]
        for entry in listed:
            published = entry["role"] == PUBLISHED
            rich = (manifest.get("periods_per_year") is not None if published
                    else entry["source_format"] == "pdf")
            yield Source(entry["sha256"], entry["file"], manifest["annex_id"],
                         entry["source_format"], rich, found, where, entry["role"])


def _entries(snapshot: Path) -> list[str]:
    return sorted(p.name for p in snapshot.iterdir() if p.name != SOURCES_FILE)


def _is_legacy_version(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (isinstance(manifest, dict) and manifest.get("annex_id") == folder.name
            and bool(manifest.get("sha256")) and bool(manifest.get("source_file")))


def _remove_all(paths: list[Path]) -> None:
    for path in paths:
        # What cannot be removed now stays set aside (never published, never read)
        # and is tried again by the next run: no traceback from a thread on stderr.
        with contextlib.suppress(OSError):
            _remove(path)


def _remove(path: Path) -> None:
    if path.is_symlink() or not path.is_dir():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def _fsync_dir(path: Path) -> None:
    handle = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def fsync_tree(root: Path) -> None:
    """Everything under `root` on disk before the swap points at it, so a power
    cut after the swap cannot publish empty files or a folder without its links.

    On Linux one syncfs(2) of the file system holding `root` does it: all of its
    data and metadata, with one cache flush, where fsync on every folder of the
    snapshot costs a flush each (a snapshot has a folder per version and history
    partition: ~2 ms each here, seconds for a store of hundreds of versions).
    Elsewhere the walk: every file this run wrote (one name; a file with more is a
    hard link carried from the published snapshot, synced before it was published)
    and every folder."""
    if _syncfs(root):
        return
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if stat.S_ISLNK(info.st_mode) or info.st_nlink > 1:
                continue
            handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
            try:
                os.fsync(handle)
            finally:
                os.close(handle)
        _fsync_dir(Path(folder))


def _syncfs(root: Path) -> bool:
    """syncfs(2) on the file system of `root`; False where there is none."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return False
    handle = os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        if syncfs(handle) != 0:
            error = ctypes.get_errno()
            raise OSError(error, os.strerror(error), str(root))
    finally:
        os.close(handle)
    return True
