"""For the analysts: the HTML report in a real headless Chromium, the Frictionless
data package, and the Excel CSV that round-trips to the plain CSV."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import frictionless
import numpy as np
import pytest
from PIL import Image

from ir.schema import SCHEMAS
from pipeline.cli import main
from report.browser import chromium, load, screenshot
from report.datapackage import V1_TYPES

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


@pytest.mark.parametrize("source", ["text", SOURCES[1]])
def test_datapackage_says_what_version_where_from_and_on_what_terms(published, source):
    package = json.loads((published[source] / "datapackage.json").read_text(encoding="utf-8"))
    manifest = json.loads((published[source] / "manifest.json").read_text(encoding="utf-8"))
    assert package["profile"] == "tabular-data-package"
    assert package["version"] == manifest["version_date"] != manifest["pipeline_version"]
    assert package["created"].startswith(manifest["version_date"])
    assert [(s["path"], s["sha256"]) for s in package["sources"]] == [
        (manifest["source_file"], manifest["sha256"])]
    assert [licence["name"] for licence in package["licenses"]] == ["CC0-1.0"]
    assert {c["role"] for c in package["contributors"]} >= {"publisher"}
    for described in package["resources"]:
        assert described["profile"] == "tabular-data-resource"
        types = {f["type"] for f in described["schema"]["fields"]}
        assert types <= set(V1_TYPES), described["name"]  # what R's reader accepts


def test_frictionless_reads_lists_as_lists_and_catches_a_wrong_item(published, tmp_path):
    import shutil

    package = frictionless.Package(str(published["text"] / "datapackage.json"))
    rows = {row["action_id"]: row for row in package.get_resource("actions").read_rows()}
    assert rows["19"]["ministries"] == ["ocw", "szw", "ez"]
    assert rows["1"]["footnotes"] == [] and rows["1"]["years_active"] is None
    copy = tmp_path / "copy"
    shutil.copytree(published["text"], copy)
    text = (copy / "actions.csv").read_text(encoding="utf-8")
    (copy / "actions.csv").write_text(text.replace('"[""ocw""]"', '"[""ocw"",7]"', 1)
                                      .replace(",[],", ',"[""x""]",', 1), encoding="utf-8")
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid


R_READER = r"""
# What R's frictionless (1.x) does in read_package()/read_resource(), with the same
# rules and the same readr calls (R/check_schema.R, R/col_types.R, R/read_from_path.R).
args <- commandArgs(trailingOnly = TRUE)
package <- jsonlite::read_json(args[[1]])
valid <- c("string", "number", "integer", "boolean", "object", "array", "date", "time",
           "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any")
collector <- function(field) {
  switch(field$type,
    string = if (is.null(field$constraints$enum)) readr::col_character()
             else readr::col_factor(unlist(field$constraints$enum)),
    number = readr::col_double(), integer = readr::col_double(),
    boolean = readr::col_logical(), readr::col_character())
}
for (resource in package$resources) {
  stopifnot(identical(resource$profile, "tabular-data-resource"))
  stopifnot(!startsWith(resource$path, "/"), !grepl("\\.\\./", resource$path))
  fields <- resource$schema$fields
  types <- vapply(fields, function(f) f$type, "")
  if (!all(types %in% valid)) stop("invalid types: ", paste(setdiff(types, valid)))
  names <- vapply(fields, function(f) f$name, "")
  col_types <- do.call(readr::cols, setNames(lapply(fields, collector), names))
  data <- readr::read_delim(file.path(dirname(args[[1]]), resource$path),
    delim = resource$dialect$delimiter, quote = resource$dialect$quoteChar,
    col_names = names, col_types = col_types, na = unlist(resource$schema$missingValues),
    skip = 1, skip_empty_rows = TRUE, locale = readr::locale(encoding = resource$encoding))
  problems <- readr::problems(data)
  if (nrow(problems) > 0) { print(problems); stop("parsing problems in ", resource$name) }
  cat(resource$name, nrow(data), "\n")
}
"""


@pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed: "
                    "apt-get install r-base-core r-cran-readr r-cran-jsonlite")
@pytest.mark.parametrize("source", ["text", SOURCES[1]])
def test_r_reads_every_resource_as_frictionless_for_r_would(published, source, tmp_path):
    script = tmp_path / "read.R"
    script.write_text(R_READER, encoding="utf-8")
    done = subprocess.run(["Rscript", str(script), str(published[source] / "datapackage.json")],
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((published[source] / "manifest.json").read_text(encoding="utf-8"))
    counts = dict(line.split() for line in done.stdout.splitlines())
    assert {k: int(v) for k, v in counts.items()} == manifest["row_counts"]
