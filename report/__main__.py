"""`python -m report FOLDER...`: a screenshot (report.png) of the report.html of each
published annex folder, with headless Chromium, for people to look at. A published
report is not rebuilt here: the snapshot wrote it with the links to the other
versions, which this folder alone does not know; one is built only where none exists."""

from __future__ import annotations

import sys
from pathlib import Path

from report.browser import screenshot
from report.html import render_report


def main(folders: list[str]) -> int:
    for folder in map(Path, folders):
        page = folder / "report.html"
        if not page.exists():
            page = render_report(folder)
        print(screenshot(page, folder / "report.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
