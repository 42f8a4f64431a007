"""Headless Chromium, to check a report the way a person sees it."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# As root in a sandbox without network: no sandbox, and none of Chromium's own
# background traffic (its connections would only be refused).
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars"]
CONSOLE = re.compile(r"CONSOLE[^\]]*\]\s*(.*)")


@dataclass
class PageLoad:
    dom: str
    console: list[str]  # every console message the page produced (errors included)


def chromium() -> str | None:
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser",
                                                "google-chrome"))), None)


def _run(arguments: list[str]) -> subprocess.CompletedProcess:
    binary = chromium()
    if binary is None:
        raise FileNotFoundError("chromium is not installed (apt-get install chromium)")
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([binary, *FLAGS, f"--user-data-dir={profile}", *arguments],
                              capture_output=True, text=True, timeout=120, check=False)


def load(page: Path) -> PageLoad:
    done = _run(["--enable-logging=stderr", "--v=0", "--dump-dom", page.resolve().as_uri()])
    console = [m.group(1) for m in map(CONSOLE.search, done.stderr.splitlines()) if m]
    return PageLoad(done.stdout, console)


def screenshot(page: Path, png: Path, width: int = 1300, height: int = 1600) -> Path:
    _run([f"--window-size={width},{height}", f"--screenshot={png.resolve()}",
          page.resolve().as_uri()])
    if not png.exists():
        raise RuntimeError(f"chromium wrote no screenshot of {page}")
    return png
