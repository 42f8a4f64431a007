"""For the analysts: the HTML report in a real headless Chromium, the Frictionless
data package, and the Excel CSV that round-trips to the plain CSV."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import frictionless
import numpy as np
import pyarrow.parquet as pq
import pytest
from PIL import Image

from ir.schema import SCHEMAS
from pipeline.cli import main
from report.browser import Session, chromium, load, screenshot
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
def test_change_report_page_for_a_version_pair(two_published):
    loaded = load(two_published / "changes" / PAIR / "changes.html")
    assert loaded.console == []
    assert "<del>" in loaded.dom and "<ins>" in loaded.dom
    assert "stand van zaken" in loaded.dom and ">6b<" in loaded.dom


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


# -- the report to work with: filters, links, index, change page ---------------------

@pytest.fixture(scope="module")
def two_published(tmp_path_factory, real_annex_path) -> Path:
    """OUT with the real annex and an update that changes a status text that 6b and 6c
    share (one detail row) and turns action 1's education 'po' into 'po vo'."""
    folder = tmp_path_factory.mktemp("two-published")
    text = real_annex_path.read_text(encoding="utf-8")
    newer = text.replace("LRT van 2 juli 2013", "LRT van 15 januari 2014", 1)
    shared = "Vanaf schooljaar 2014-2015 kunnen scholen en instellingen starten"
    assert newer.count(shared) == 1
    newer = newer.replace(shared, shared.replace("2014-2015", "2015-2016"), 1)
    line = "1\tWenT op alle basisscholen\twg\twn\tpo\t"
    assert newer.count(line) == 1
    newer = newer.replace(line, "1\tWenT op alle basisscholen\twg\twn\tpo vo\t", 1)
    path = folder / "annex-2014.txt"
    path.write_text(newer, encoding="utf-8")
    out = folder / "out"
    assert main(["run", str(real_annex_path), str(path), "--out", str(out)]) == 0
    return out


NEW_ID = "techniekpact-2014-01-15"
PAIR = f"{ANNEX_ID}__{NEW_ID}"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _parse(page: Path) -> _Links:
    parser = _Links()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def test_every_link_of_every_page_leads_somewhere(two_published):
    pages = [two_published / "index.html",
             *(two_published / v / "report.html" for v in (ANNEX_ID, NEW_ID)),
             two_published / "changes" / PAIR / "changes.html"]
    for page in pages:
        links = _parse(page)
        assert links.hrefs, page
        for href in links.hrefs:
            assert "://" not in href and not href.startswith("/"), (page, href)  # offline
            target, _, anchor = href.partition("#")
            resolved = (page.parent / target) if target else page
            assert resolved.exists(), (page.name, href)
            if anchor:
                assert anchor in _parse(resolved).ids, (page.name, href)


def test_reports_link_to_their_files_and_the_index_to_every_version(two_published):
    for annex_id in (ANNEX_ID, NEW_ID):
        folder = two_published / annex_id
        hrefs = set(_parse(folder / "report.html").hrefs)
        published = {p.name for p in folder.iterdir() if p.name != "report.html"}
        assert published <= hrefs, published - hrefs
        assert {"../index.html", "../annex.sqlite", "../history/versions.csv"} <= hrefs
    index = set(_parse(two_published / "index.html").hrefs)
    assert {f"{ANNEX_ID}/report.html", f"{NEW_ID}/report.html", f"{NEW_ID}/{NEW_ID}.xlsx",
            f"changes/{PAIR}/changes.html", "annex.sqlite"} <= index
    change_page = set(_parse(two_published / "changes" / PAIR / "changes.html").hrefs)
    assert {f"../../{ANNEX_ID}/report.html", f"../../{NEW_ID}/report.html",
            "../../index.html"} <= change_page


def test_an_earlier_version_report_stays_byte_identical(two_published, real_annex_path,
                                                        tmp_path):
    """A new version changes the index, never the folders of the versions before it."""
    out = tmp_path / "out"
    assert main(["run", str(real_annex_path), "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in (out / ANNEX_ID).iterdir()}
    assert main(["run", str(two_published.parent / "annex-2014.txt"), "--out", str(out)]) == 0
    assert {p.name: p.read_bytes() for p in (out / ANNEX_ID).iterdir()} == before
    assert f"{NEW_ID}/report.html" in _parse(out / "index.html").hrefs


def test_change_page_is_dutch_shows_sets_and_lists_a_shared_change_once(two_published):
    page = (two_published / "changes" / PAIR / "changes.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>"
                      r"<td>(.*?)</td>", page, re.S)
    assert rows
    text = lambda html: re.sub(r"<[^>]+>", " ", html).split()  # noqa: E731
    for change, _action, field, *_ in rows:
        assert change in {"toegevoegd", "verwijderd", "hernummerd", "gewijzigd"}
        assert field not in {"status_text", "education", "initiators", "title"}
    status = [r for r in rows if "2015-2016" in r[4]]
    assert len(status) == 1  # one status text, shared by two actions: listed once
    assert text(status[0][1]) == ["6b", ",", "6c"] or text(status[0][1]) == ["6b,", "6c"]
    assert status[0][2] == "stand van zaken"
    education = [r for r in rows if r[2] == "onderwijsraden"]
    assert len(education) == 1
    _, action, _, was, becomes = education[0]
    assert text(action) == ["1"] and text(was) == ["po"] and text(becomes) == ["po", "vo"]
    assert "<ins>" in becomes and "po</span></ins>" not in becomes  # only vo is new


@needs_chromium
def test_typing_into_the_search_box_filters_the_rows(two_published):
    page = two_published / NEW_ID / "report.html"
    visible = "document.querySelectorAll('tr.action:not([hidden])').length"
    with Session(page) as tab:
        total = tab.evaluate("document.querySelectorAll('tr.action').length")
        assert total == 47 and tab.evaluate(visible) == 47
        assert tab.evaluate("document.getElementById('aantal').textContent") == "47 van 47 acties"
        tab.type_text("#zoek", "studiebijsluiter")
        assert tab.evaluate("document.getElementById('zoek').value") == "studiebijsluiter"
        shown = tab.evaluate("Array.from(document.querySelectorAll('tr.action:not([hidden])'))"
                             ".map(r => r.id)")
        expected = [f"actie-{a['action_id']}" for a in pq.read_table(
            two_published / NEW_ID / "actions.parquet").to_pylist()
            if "studiebijsluiter" in " ".join(
                [a["title"], a["detail_title"] or "", a["status_text"] or ""]).lower()]
        assert shown == expected and 0 < len(shown) < total
        assert tab.evaluate("document.getElementById('aantal').textContent") == (
            f"{len(shown)} van 47 acties")
        # a filter on top of the search: SBB is not the initiator of every match
        tab.evaluate("var s = document.getElementById('filter-initiatiefnemer');"
                     "s.value = 'OCW'; s.dispatchEvent(new Event('change'))")
        narrowed = tab.evaluate(visible)
        assert narrowed <= len(shown)
        for _ in "studiebijsluiter":  # clear by keys, as a user does
            tab.press("Backspace")
        assert tab.evaluate("document.getElementById('zoek').value") == ""
        ocw = tab.evaluate(visible)
        leads = {r["action_id"] for r in pq.read_table(
            two_published / NEW_ID / "action_initiators.parquet").to_pylist()
            if r["initiator"] == "OCW"}
        assert ocw == len(leads)


@needs_chromium
@pytest.mark.parametrize("page", ["index.html", f"{NEW_ID}/report.html",
                                  f"changes/{PAIR}/changes.html"])
def test_pages_load_without_console_errors(two_published, page):
    assert load(two_published / page).console == []


def _r_has_frictionless() -> bool:
    if shutil.which("Rscript") is None:
        return False
    done = subprocess.run(["Rscript", "-e", "quit(status = !requireNamespace('frictionless', "
                           "quietly = TRUE))"], capture_output=True, timeout=60, check=False)
    return done.returncode == 0


@pytest.mark.skipif(not _r_has_frictionless(), reason="R's frictionless package is not "
                    "installed: it is not in Debian (its dependencies are: r-cran-cli, -dplyr, "
                    "-httr, -jsonlite, -lifecycle, -purrr, -readr, -rlang, -yaml); "
                    "install.packages('frictionless') from CRAN; test_r_reads_every_resource_"
                    "as_frictionless_for_r_would checks the same rules without it")
@pytest.mark.parametrize("source", ["text", SOURCES[1]])
def test_r_frictionless_reads_every_table(published, source):
    script = ("package <- frictionless::read_package(commandArgs(TRUE)[[1]]); "
              "for (name in frictionless::resource_names(package)) { "
              "data <- frictionless::read_resource(package, name); "
              "cat(name, nrow(data), '\\n') }")
    done = subprocess.run(["Rscript", "-e", script, str(published[source] / "datapackage.json")],
                          capture_output=True, text=True, timeout=180, check=False)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr, done.stderr  # e.g. parsing problems
    manifest = json.loads((published[source] / "manifest.json").read_text(encoding="utf-8"))
    counts = {name: int(n) for name, n in (line.split() for line in done.stdout.splitlines())}
    assert counts == manifest["row_counts"]
