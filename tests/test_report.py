"""For the analysts: the HTML report in a real headless Chromium, the Frictionless
data package, and the Excel CSV that round-trips to the plain CSV."""

from __future__ import annotations

from pathlib import Path

import frictionless
import numpy as np
import pytest
from PIL import Image

from ir.schema import SCHEMAS
from pipeline.cli import main
from report.browser import chromium, load, screenshot

ROOT = Path(__file__).resolve().parent.parent
ANNEX_ID = "techniekpact-2013-07-02"
FACSIMILES = sorted((ROOT / "samples" / "facsimiles").glob("*.pdf"))
SOURCES = ["text"] + [path.stem for path in FACSIMILES]
needs_chromium = pytest.mark.skipif(chromium() is None, reason="chromium is not installed: "
                                    "`make test` installs it (apt-get install chromium)")


@pytest.fixture(scope="module")
def published(tmp_path_factory, real_annex_path) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("published")
    assert main(["run", str(real_annex_path), "--out", str(out / "text")]) == 0
    folders = {"text": out / "text" / ANNEX_ID}
    for pdf in FACSIMILES:
        assert main(["run", str(pdf), "--out", str(out / pdf.stem)]) == 0
        folders[pdf.stem] = out / pdf.stem / ANNEX_ID
    return folders


@pytest.mark.parametrize("source", SOURCES)
def test_datapackage_validates_with_frictionless(published, source):
    package = published[source] / "datapackage.json"
    report = frictionless.validate(str(package))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "type", "note"])
    names = [task.name for task in report.tasks]
    assert sorted(names) == sorted(SCHEMAS)


def test_datapackage_catches_a_broken_foreign_key(published, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(published["text"], copy)
    parties = (copy / "action_parties.csv").read_text(encoding="utf-8")
    (copy / "action_parties.csv").write_text(parties.replace(",1a,", ",99z,", 1),
                                             encoding="utf-8")
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "foreign-key" in {error.type for task in report.tasks for error in task.errors}


@needs_chromium
@pytest.mark.parametrize("source", SOURCES[1:])
def test_report_with_timeline_loads_cleanly_and_shows_the_chart(published, tmp_path, source):
    page = published[source] / "report.html"
    loaded = load(page)
    assert loaded.console == []
    assert 'id="timeline"' in loaded.dom and "FACSIMILE" in loaded.dom
    png = screenshot(page, tmp_path / "report.png")
    r, g, b = np.asarray(Image.open(png).convert("RGB")).astype(int).transpose(2, 0, 1)
    yellow = int(((r > 240) & (g > 200) & (g < 230) & (b < 40)).sum())  # #FFD800
    green = int(((r < 40) & (g > 150) & (b > 60) & (b < 110)).sum())  # #00B050
    assert yellow > 2000 and green > 200, (yellow, green)  # the chart is drawn, in colour


@needs_chromium
def test_report_without_timeline_says_so(published):
    loaded = load(published["text"] / "report.html")
    assert loaded.console == []
    assert 'id="no-timeline"' in loaded.dom and 'id="timeline"' not in loaded.dom
    assert "Ambitie 4: mensen voor de techniek behouden" in loaded.dom


@needs_chromium
def test_change_report_page_for_a_version_pair(tmp_path, real_annex_path):
    text = real_annex_path.read_text(encoding="utf-8")
    newer = tmp_path / "annex-2014.txt"
    newer.write_text(text.replace("2 juli 2013", "15 januari 2014", 1).replace(
        "SBB SBB ontwikkelt een studiebijsluiters", "SBB SBB heeft de studiebijsluiters", 1),
        encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(real_annex_path), str(newer), "--out", str(out)]) == 0
    page = out / "changes" / f"{ANNEX_ID}__techniekpact-2014-01-15" / "changes.html"
    loaded = load(page)
    assert loaded.console == []
    assert "<del>" in loaded.dom and "<ins>" in loaded.dom
    assert "status_text" in loaded.dom and ">16<" in loaded.dom
