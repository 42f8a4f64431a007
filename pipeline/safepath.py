"""The store never follows a link it did not make.

Everything a run writes, deletes or changes the mode of lies under the real
--out. Links inside --out are either the pipeline's own (`current` ->
`.snapshots/<n>`, the entry links `OUT/<name>` -> `current/<name>`, `latest`
inside a snapshot) or refused: `.snapshots`, `_runs`, `_validation`, a
snapshot's folders and files, and `.lock` must be what the pipeline makes (real
folders and files owned by the user running it), checked before the run
touches anything. Files the pipeline creates itself are opened with O_NOFOLLOW
and O_EXCL, and a run works under its own umask, so --out and everything in it
get the project's modes whatever the caller's umask.
"""

from __future__ import annotations

import os
import re
import stat
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pipeline.outfault import UnsafeOutput


@dataclass(frozen=True)
class StoreRules:
    # Owner writes, group reads, others nothing (README: file modes); as a umask.
    umask: int = 0o027
    folder_mode: int = 0o750
    file_mode: int = 0o640
    # A published file is hard-linked into the next snapshot while the previous one
    # may still be kept for readers: at most two names. More means a link someone
    # else made, possibly to a file outside --out.
    max_links: int = 2
    snapshot_name: str = r"^\.snapshots/\d{6}$"


RULES = StoreRules()
PIPELINE_FOLDERS = (".snapshots", "_runs", "_validation")
LOCK = ".lock"
CURRENT = "current"
LATEST = "latest"


@contextmanager
def project_umask() -> Iterator[None]:
    previous = os.umask(RULES.umask)
    try:
        yield
    finally:
        os.umask(previous)


def prepare_out(out_dir: Path) -> Path:
    """Create --out (with the project's mode) if missing; its real path."""
    if not out_dir.exists():
        out_dir.mkdir(parents=True, mode=RULES.folder_mode)
        os.chmod(out_dir, RULES.folder_mode)
    return out_dir.resolve()


def _refuse(path: Path, what: str) -> UnsafeOutput:
    return UnsafeOutput(f"{path} {what}; this pipeline did not make it and will not follow "
                        "or change it: remove it or choose another --out folder")


def check_owned(path: Path, folder: bool, count_links: bool = True) -> os.stat_result | None:
    """`path` is missing, or a real folder (file) owned by us, never a link (and, with
    `count_links`, a file with no more hard links than snapshots give it)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        raise _refuse(path, f"is a symbolic link (to {os.readlink(path)})")
    if folder and not stat.S_ISDIR(info.st_mode):
        raise _refuse(path, "is not a folder")
    if not folder and not stat.S_ISREG(info.st_mode):
        raise _refuse(path, "is not a regular file")
    if info.st_uid != os.geteuid():
        raise _refuse(path, f"belongs to another user (uid {info.st_uid})")
    if not folder and count_links and info.st_nlink > RULES.max_links:
        raise _refuse(path, f"has {info.st_nlink} hard links")
    return info


def check_store(root: Path) -> None:
    """Before a run touches anything: every entry the pipeline uses is its own."""
    for name in PIPELINE_FOLDERS:
        check_owned(root / name, folder=True)
    check_owned(root / LOCK, folder=False)
    snapshot = current_snapshot(root)
    if snapshot is not None:
        check_snapshot(snapshot, _names_in_snapshots(root / ".snapshots"))


def _names_in_snapshots(snapshots: Path) -> Counter:
    """How many names each file (device, inode) has inside .snapshots: a published
    file is hard-linked from one snapshot into the next, never from anywhere else."""
    names: Counter = Counter()
    for _path, info in _tree(str(snapshots)):
        if stat.S_ISREG(info.st_mode):
            names[info.st_dev, info.st_ino] += 1
    return names


def _tree(root: str) -> Iterator[tuple[str, os.stat_result]]:
    """Every entry under `root` with its lstat, links never entered (os.scandir: one
    stat per entry, which matters in a store of hundreds of versions)."""
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                info = entry.stat(follow_symlinks=False)
                yield entry.path, info
                if stat.S_ISDIR(info.st_mode):
                    stack.append(entry.path)


def current_snapshot(root: Path) -> Path | None:
    """The folder `current` leads to, when it is the pipeline's own link."""
    link = root / CURRENT
    try:
        info = os.lstat(link)
    except FileNotFoundError:
        return None
    if not stat.S_ISLNK(info.st_mode):
        return None  # a real folder in the way: Store reports it as such
    target = os.readlink(link)
    if not re.match(RULES.snapshot_name, target):
        raise _refuse(link, f"leads to {target}, not to a snapshot in .snapshots/")
    snapshot = root / target
    if check_owned(snapshot, folder=True) is None:
        return None  # dangling: nothing published yet that can be read
    return snapshot


def check_snapshot(snapshot: Path, names: Counter) -> None:
    """A published snapshot holds real folders and files only, none with a name
    outside .snapshots (`names`), and one `latest` link to a version beside it."""
    top_latest = os.path.join(snapshot, LATEST)
    uid = os.geteuid()
    for path, info in _tree(str(snapshot)):
        if stat.S_ISLNK(info.st_mode):
            if path == top_latest:
                target = os.readlink(path)
                if "/" in target or target.startswith("."):
                    raise _refuse(Path(path), f"leads to {target}, not to a version beside it")
                continue
            raise _refuse(Path(path), f"is a symbolic link (to {os.readlink(path)})")
        if not (stat.S_ISDIR(info.st_mode) or stat.S_ISREG(info.st_mode)):
            raise _refuse(Path(path), "is not a regular file")
        if info.st_uid != uid:
            raise _refuse(Path(path), f"belongs to another user (uid {info.st_uid})")
        # Links are counted exactly here: a killed run's stale snapshot adds names.
        if stat.S_ISREG(info.st_mode) and info.st_nlink > names[info.st_dev, info.st_ino]:
            raise _refuse(Path(path), "has a hard link outside .snapshots (it may be a file "
                          "elsewhere)")


def open_new(path: Path, mode: int = RULES.file_mode) -> int:
    """A new file the pipeline makes: never through a planted link, never an old file."""
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)


def make_folder(path: Path) -> Path:
    """`path` as a folder of ours (made with the project's mode if missing)."""
    if check_owned(path, folder=True) is None:
        path.mkdir(mode=RULES.folder_mode)
    return path


@contextmanager
def replaced_folder(parent: Path, name: str) -> Iterator[Path]:
    """A new empty folder of ours that takes the place of `parent/name` when the
    block ends: whatever was planted in the old one (links to files elsewhere)
    is never written through, only removed with it."""
    import shutil

    make_folder(parent)
    temporary = parent / f".new-{name}-{os.getpid()}"
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(mode=RULES.folder_mode)
    try:
        yield temporary
    finally:
        old = parent / name
        if os.path.islink(old) or os.path.isfile(old):
            old.unlink()
        elif old.exists():
            retired = parent / f".old-{name}-{os.getpid()}"
            os.replace(old, retired)
            shutil.rmtree(retired)  # fd-based: never follows a link inside
        os.replace(temporary, old)
