"""`python -m report FOLDER...`: (re)build report.html of published annex folders and
take a screenshot of each (report.png) with headless Chromium, for people to look at."""

from __future__ import annotations

import sys
from pathlib import Path

from report.browser import screenshot
from report.html import render_report


def main(folders: list[str]) -> int:
    for folder in map(Path, folders):
        page = render_report(folder)
        print(screenshot(page, folder / "report.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
