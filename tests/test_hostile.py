"""The hostile-input corpus (issue 12), generated here: bombs, loops, nesting,
page-count extremes, odd file names, links planted in --out, output folders that
are read-only, full or over a file-size limit. Each case has its expected
one-line outcome; none may print a traceback, touch anything outside --out or
change what is published."""

from __future__ import annotations

import hashlib
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.safetext import safe_text
from tests import hostile

ANNEX_ID = "techniekpact-2013-07-02"
ROOT = Path(__file__).resolve().parent.parent
# Small limits keep the bombs quick; the real annex needs far less than either.
LIMITS = ("--max-seconds", "20", "--max-memory-mb", "1024")
BOMB_BYTES = 1 << 30  # inflated size: well over the 1024 MB address space


def _run(capsys, *args: str) -> tuple[int, list[str], list[str]]:
    code = main(["run", *args])
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def _state(root: Path) -> dict[str, tuple]:
    """Everything about a tree that a run could change: names, kinds, modes,
    link targets, contents, inodes."""
    found = {}
    for folder, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(folder) / name
            info = os.lstat(path)
            kind = stat.S_IFMT(info.st_mode)
            if stat.S_ISLNK(info.st_mode):
                extra = os.readlink(path)
            elif stat.S_ISREG(info.st_mode):
                extra = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                extra = None
            found[str(path.relative_to(root))] = (kind, stat.S_IMODE(info.st_mode),
                                                  info.st_ino, extra)
    return found


# -- documents: bombs and broken structure ------------------------------------------


def _limit_cases() -> dict[str, tuple[bytes, str]]:
    """Documents that only a limit stops, and the one line each must get."""
    memory = r"extract: needed more memory than the limit of 1024 MB at whole file"
    # A bomb meets the memory limit first on an idle machine, the time limit first on
    # a busy one: either is its one limit line. Past the address-space limit a C library
    # that does not check its allocations can end the worker (a signal or an exit
    # status) before Python sees a MemoryError: the parent's line then names the memory.
    limit = (r"pipeline: (took longer than the limit of 20 s \(stopped after [\d.]+ s\)"
             r"|the reading worker died \((?:signal \w+|exit status \d+)\) at \d+ MB of memory"
             r" \(limit 1024 MB\))"
             r" at whole file|" + memory)
    return {
        "01-compression-bomb.pdf": (hostile.compression_bomb(BOMB_BYTES), limit),
        "02-object-stream-bomb.pdf": (hostile.object_stream_bomb(BOMB_BYTES), limit),
        "03-text-operator-bomb.pdf": (hostile.text_operator_bomb(3_000_000), limit),
        "05-reference-loop.pdf": (hostile.reference_loop(),
                                  r"pipeline: took longer than the limit of 20 s .* at whole file"),
    }


def _structure_cases(real_annex: Path) -> dict[str, tuple[bytes, str]]:
    """Documents whose structure is refused with its own reason, within the default limits."""
    cases = {
        "04-deep-nesting.pdf": (hostile.deep_nesting(20_000),
                                r"extract: PDF has no text layer .* at pages 1-1"),
        "06-zero-pages.pdf": (hostile.zero_pages(), r"extract: PDF has no pages at whole file"),
        "07-many-pages.pdf": (hostile.many_pages(10_000),
                              r"extract: PDF has 10000 pages, more than the limit of 300 "
                              r"at whole file"),
    }
    lines = real_annex.read_bytes().split(b"\n")
    at = next(i for i, line in enumerate(lines) if sum(map(len, lines[:i])) > 1024
              and line.startswith(b"14\t"))
    lines[at] = lines[at].replace(b"\t", b"\t\x00", 1)
    cases["08-nul-after-first-kb.txt"] = (
        b"\n".join(lines), rf"extract: control character U\+0000 \(NUL\) in the text "
        rf"at line {at + 1}, column \d+")
    odd = os.fsdecode(b"09-odd-\xff-name\nsecond line\x1b[31m.pdf")
    cases[odd] = (hostile.zero_pages() + b"%other bytes\n",
                  r"extract: PDF has no pages at whole file")
    return cases


def _write(folder: Path, cases: dict[str, tuple[bytes, str]]) -> dict[str, str]:
    folder.mkdir()
    expected = {}
    for name, (data, pattern) in cases.items():
        (folder / name).write_bytes(data)
        expected[safe_text(str(folder / name))] = pattern
    return expected


def _check_lines(err: list[str], expected: dict[str, str]) -> None:
    assert len(err) == len(expected), err  # one line per hostile input, nothing else
    for line, (path, pattern) in zip(sorted(err), sorted(expected.items()), strict=True):
        assert re.fullmatch(re.escape(path) + ": (?:" + pattern + ")", line), line
    assert "\n" not in "".join(err) and "Traceback" not in "".join(err)


def test_bombs_and_loops_stop_at_a_limit_and_the_next_document_is_published(
        tmp_path, real_annex_path, capsys):
    inbox = tmp_path / "inbox"
    expected = _write(inbox, _limit_cases())
    shutil.copy(real_annex_path, inbox / "99-annex.txt")
    code, out, err = _run(capsys, str(inbox), "--out", str(tmp_path / "out"), *LIMITS)
    assert code == 1
    _check_lines(err, expected)
    # The annex after them is published, read by a fresh worker.
    assert [line for line in out if line.startswith("ok: ")] == [
        f"ok: {inbox / '99-annex.txt'} -> {tmp_path / 'out' / ANNEX_ID} (47 actions, "
        "39 detail rows, 1 warning)"]


def test_broken_structure_gets_its_own_one_line_reason(tmp_path, real_annex_path, capsys):
    inbox = tmp_path / "inbox"
    expected = _write(inbox, _structure_cases(real_annex_path))
    code, _, err = _run(capsys, str(inbox), "--out", str(tmp_path / "out"))
    assert code == 1
    _check_lines(err, expected)


def test_junk_before_the_pdf_header_is_still_read_as_pdf(tmp_path, capsys):
    source = ROOT / "samples" / "facsimiles" / "facsimile-reportlab-ruled.pdf"
    path = tmp_path / "with-junk.pdf"
    path.write_bytes(b"From: scanner@example.invalid\r\n\r\n" * 20 + source.read_bytes())
    code, _, err = _run(capsys, str(path), "--out", str(tmp_path / "out"))
    assert code == 0, err
    manifest = (tmp_path / "out" / ANNEX_ID / "manifest.json").read_text(encoding="utf-8")
    assert '"source_format": "pdf"' in manifest


def test_a_name_with_any_bytes_is_published_under_an_escaped_name(tmp_path, real_annex_path,
                                                                  capsys):
    name = os.fsdecode(b"annex-\xe9\xff\nx.txt")
    path = tmp_path / name
    shutil.copy(real_annex_path, path)
    code, out, err = _run(capsys, str(path), "--out", str(tmp_path / "out"))
    assert code == 0, err
    assert out[0].startswith(f"ok: {tmp_path}/annex-\\xe9\\xff\\nx.txt -> ")
    manifest = (tmp_path / "out" / ANNEX_ID / "manifest.json").read_text(encoding="utf-8")
    assert '"source_file": "annex-\\\\xe9\\\\xff\\\\nx.txt"' in manifest
    log = next((tmp_path / "out" / "_runs").glob("*.log")).read_text(encoding="utf-8")
    assert len(log.splitlines()) == 3  # start, the input, end: the name did not split it


@pytest.mark.parametrize("option,value", [
    ("--max-seconds", "0"), ("--max-seconds", "-5"), ("--max-seconds", "nan"),
    ("--max-seconds", "inf"), ("--max-file-mb", "nan"), ("--max-file-mb", "0"),
    ("--max-pages", "0"), ("--max-pages", "10000000"), ("--max-memory-mb", "16"),
    ("--max-output-mb", "-1"), ("--max-seconds", "1e9")])
def test_a_limit_that_is_no_limit_is_a_command_line_error(tmp_path, real_annex_path, option,
                                                          value, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["run", str(real_annex_path), "--out", str(tmp_path / "out"), option, value])
    assert stop.value.code == 2
    assert f"argument {option}: " in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# -- links planted in --out -----------------------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory, real_annex_path) -> Path:
    """An output folder with the real annex published once."""
    out = tmp_path_factory.mktemp("published") / "out"
    assert main(["run", str(real_annex_path), "--out", str(out)]) == 0
    return out


def _snapshot(out: Path) -> Path:
    return out / os.readlink(out / "current")


def _plant_snapshots_link(out: Path, outside: Path) -> None:
    shutil.move(out / ".snapshots", outside / "snapshots")
    (outside / "snapshots" / "victim.txt").write_text("keep me")
    (out / ".snapshots").symlink_to(outside / "snapshots")


def _plant_current_elsewhere(out: Path, outside: Path) -> None:
    shutil.copytree(_snapshot(out), outside / "fake", symlinks=True)
    (out / "current").unlink()
    (out / "current").symlink_to(outside / "fake")


def _plant_version_link(out: Path, outside: Path) -> None:
    version = _snapshot(out) / ANNEX_ID
    shutil.move(version, outside / "version")
    version.symlink_to(outside / "version")


def _plant_file_link(out: Path, outside: Path) -> None:
    target = _snapshot(out) / ANNEX_ID / "actions.csv"
    target.unlink()
    target.symlink_to(outside / "victim.txt")


def _plant_hard_link(out: Path, outside: Path) -> None:
    target = _snapshot(out) / ANNEX_ID / "actions.csv"
    target.unlink()
    os.link(outside / "victim.txt", target)  # two names: as many as a kept snapshot gives


def _plant_runs_link(out: Path, outside: Path) -> None:
    shutil.rmtree(out / "_runs")
    (out / "_runs").symlink_to(outside)


def _plant_validation_link(out: Path, outside: Path) -> None:
    shutil.rmtree(out / "_validation")
    (out / "_validation").symlink_to(outside)


def _plant_lock_link(out: Path, outside: Path) -> None:
    (out / ".lock").unlink()
    (out / ".lock").symlink_to(outside / "created-by-the-run")


TRAPS = {
    "snapshots-folder-link": (_plant_snapshots_link, "is a symbolic link"),
    "current-elsewhere": (_plant_current_elsewhere, "not to a snapshot in .snapshots/"),
    "version-folder-link": (_plant_version_link, "is a symbolic link"),
    "file-link": (_plant_file_link, "is a symbolic link"),
    "hard-link-outside": (_plant_hard_link, "has a hard link outside .snapshots"),
    "runs-link": (_plant_runs_link, "is a symbolic link"),
    "validation-link": (_plant_validation_link, "is a symbolic link"),
    "lock-link": (_plant_lock_link, "is a symbolic link"),
}


@pytest.mark.parametrize("trap", sorted(TRAPS))
def test_a_planted_link_is_refused_before_anything_is_touched(tmp_path, published,
                                                              real_annex_path, trap, capsys):
    out = tmp_path / "out"
    shutil.copytree(published, out, symlinks=True)
    outside = tmp_path / "outside"
    outside.mkdir(mode=0o700)
    (outside / "victim.txt").write_text("secret")
    os.chmod(outside / "victim.txt", 0o600)
    plant, says = TRAPS[trap]
    plant(out, outside)
    before_out, before_outside = _state(out), _state(outside)
    code, out_lines, err = _run(capsys, str(real_annex_path), "--out", str(out), "--force")
    assert code == 5
    assert len(err) == 1 and says in err[0], err
    assert err[0].startswith(f"{real_annex_path}: output: ")
    assert _state(outside) == before_outside  # nothing outside written, deleted or chmod-ed
    assert _state(out) == before_out  # and nothing inside: refused before the first step


def test_links_inside_the_pipelines_own_folders_are_replaced_never_followed(
        tmp_path, published, real_annex_path, capsys):
    """A stale snapshot that is a link, and a validation report folder or file that
    is a link: the run publishes, removes the links themselves and leaves their
    targets alone."""
    out = tmp_path / "out"
    shutil.copytree(published, out, symlinks=True)
    outside = tmp_path / "outside"
    (outside / "folder").mkdir(parents=True)
    (outside / "folder" / "victim.txt").write_text("keep me")
    (out / ".snapshots" / "000099").symlink_to(outside / "folder")
    report = out / "_validation" / ANNEX_ID / "validation_report.md"
    report.unlink()
    report.symlink_to(outside / "folder" / "victim.txt")
    before = _state(outside)
    code, _, err = _run(capsys, str(real_annex_path), "--out", str(out), "--force")
    assert code == 0, err
    assert _state(outside) == before
    assert not report.is_symlink() and "Validation report" in report.read_text(encoding="utf-8")
    assert not (out / ".snapshots" / "000099").exists()


def test_everything_made_gets_the_projects_modes_whatever_the_umask(tmp_path, real_annex_path,
                                                                    capsys):
    previous = os.umask(0)
    try:
        code, _, err = _run(capsys, str(real_annex_path), "--out", str(tmp_path / "new" / "out"))
    finally:
        os.umask(previous)
    assert code == 0, err
    loose = [(path, oct(stat.S_IMODE(mode))) for path, (_, mode, _, _) in
             _state(tmp_path / "new").items()
             if mode & 0o027 and not os.path.islink(tmp_path / "new" / path)]
    assert loose == []


# -- output folders that cannot take the output -----------------------------------------


def _cli(args: list[str], fsize: int | None = None) -> subprocess.CompletedProcess:
    def limit():
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return subprocess.run([sys.executable, "-m", "pipeline", "run", *args], cwd=ROOT,
                          capture_output=True, text=True, preexec_fn=limit, timeout=300)


# Both below the largest file a run writes (annex.sqlite, ~200 KB, since the Data Docs
# are no longer built): the limit is met while writing, at two different points.
@pytest.mark.parametrize("kilobytes", [64, 128])
def test_a_file_size_limit_is_one_line_and_exit_5(tmp_path, real_annex_path, kilobytes):
    result = _cli([str(real_annex_path), "--out", str(tmp_path / "out")], kilobytes * 1024)
    assert result.returncode == 5, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "File too large" in lines[0], lines
    assert not (tmp_path / "out" / "current").exists()  # nothing published


def _mount(args: list[str], target: Path) -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small or read-only folder")
    done = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here: {done.stderr.strip()}")


@pytest.fixture
def mounts():
    made: list[Path] = []
    yield made
    for target in reversed(made):
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.mark.parametrize("kilobytes", [4, 64])
def test_a_full_disk_is_one_line_and_exit_5(tmp_path, real_annex_path, kilobytes, mounts):
    out = tmp_path / "out"
    out.mkdir()
    _mount(["-t", "tmpfs", "-o", f"size={kilobytes}k", "tmpfs"], out)
    mounts.append(out)
    result = _cli([str(real_annex_path), "--out", str(out)])
    assert result.returncode == 5, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "No space left on device" in lines[0], lines
    assert not (out / "current").exists()


@pytest.mark.parametrize("part", ["", "_runs", "_validation", ".snapshots"])
def test_a_read_only_folder_is_one_line_and_exit_5(tmp_path, published, real_annex_path, part,
                                                   mounts):
    out = tmp_path / "out"
    shutil.copytree(published, out, symlinks=True)
    target = out / part if part else out
    _mount(["--bind", str(target)], target)
    mounts.append(target)
    _mount(["-o", "remount,bind,ro"], target)
    before = _state(out)
    result = _cli([str(real_annex_path), "--out", str(out), "--force"])
    assert result.returncode == 5, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and "Read-only file system" in lines[0], lines
    def kept(state: dict) -> dict:  # where it could, the run wrote its own log
        return {k: v for k, v in state.items() if not k.startswith("_runs/")}
    assert kept(_state(out)) == kept(before)
