"""A static HTML report of one published annex version: opens from disk, no server,
no outside resources; one small inline script filters the actions as you type.

The annex is a picture (a matrix with a coloured timeline), so the report gives
that picture back from the extracted data: actions by ambition with parties,
initiators and status, the timeline as a chart in the annex's own colours, the
validation summary and the links that were not made by plain key.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

import pandas as pd

import vocab
from ir.schema import SCHEMAS

COLOURS = {"looptijd": "#FFD800", "mijlpaal": "#00B050", "onbekend": "#D62728"}
LABELS = {"looptijd": "looptijd (geel)", "mijlpaal": "mijlpaal/gereed (groen)",
          "onbekend": "kleur niet herkend"}
PARTY_COLUMNS = ("employers", "employees", "education", "regions", "ministries")
ROW_HEIGHT, YEAR_WIDTH = 16, 56
# The timeline's label column: action id and as much of the title as fits; the whole
# title is the label's tooltip.
LABEL_WIDTH, LABEL_TITLE_CHARS = 330, 52

STYLE = """
body{font-family:system-ui,-apple-system,'Segoe UI',Arial,sans-serif;margin:2rem;color:#222;
max-width:1200px}
h1{font-size:1.5rem} h2{margin-top:2rem;border-bottom:1px solid #ccc}
.banner{background:#fde2e1;border:2px solid #d62728;padding:.6rem 1rem;font-weight:bold}
.note{background:#f4f4f4;padding:.6rem 1rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.3rem .4rem;vertical-align:top;text-align:left}
th{background:#eee} .code{display:inline-block;background:#e8eef7;border-radius:3px;
padding:0 .3rem;margin:1px;font-family:monospace}
details summary{cursor:pointer} .status{white-space:pre-wrap}
.legend span{display:inline-block;width:1em;height:1em;vertical-align:middle;
margin:0 .3rem 0 1rem;border:1px solid #999}
.ok{color:#1a7f37} .fail{color:#d62728}
nav ul{margin:.2rem 0} nav li{display:inline-block;margin-right:1rem}
.filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #ccc}
.filters label{margin-right:.8rem;white-space:nowrap} #zoek{width:18rem}
"""

FILTER_SCRIPT = """
(function () {
  var box = document.getElementById('zoek');
  var selects = Array.prototype.slice.call(document.querySelectorAll('select[data-filter]'));
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.action'));
  var count = document.getElementById('aantal');
  function listed(row, name, value) {
    return value === '' || (row.getAttribute('data-' + name) || '').split('|').indexOf(value) >= 0;
  }
  function apply() {
    var words = box.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var shown = 0;
    rows.forEach(function (row) {
      var text = row.getAttribute('data-zoek');
      var ok = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
        selects.every(function (s) { return listed(row, s.getAttribute('data-filter'), s.value); });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.querySelectorAll('section.ambitie').forEach(function (section) {
      section.hidden = !section.querySelector('tr.action:not([hidden])');
    });
    count.textContent = shown + ' van ' + rows.length + ' acties';
  }
  box.addEventListener('input', apply);
  selects.forEach(function (s) { s.addEventListener('change', apply); });
  apply();
})();
"""




REPORT_TABLES = ("actions", "timeline_cells", "links", "action_parties", "action_initiators")


def _load(folder: Path, written: dict | None = None) -> dict:
    """The tables the report shows: as just written (Arrow tables, the Parquet files'
    contents: no second read of the files) or read from the folder's Parquet files."""
    if written is not None and all(name in written for name in REPORT_TABLES):
        tables = {name: written[name].to_pandas() for name in REPORT_TABLES}
    else:
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in REPORT_TABLES}
    tables["manifest"] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return tables


def _is_facsimile(manifest: dict) -> bool:
    said = " ".join(str(v) for v in (manifest.get("source_metadata") or {}).values())
    return "facsimile" in (said + " " + (manifest.get("title") or "")).lower()


def render_report(folder: Path, written: dict | None = None) -> Path:
    """report.html of a version folder; `written`: its tables as pipeline.write has
    just written them to the folder's Parquet files (spares reading them back)."""
    data = _load(folder, written)
    manifest = data["manifest"]
    actions = data["actions"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        f"<title>{escape(manifest['annex_id'])}: Techniekpact acties</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(manifest.get('title') or manifest['annex_id'])}</h1>",
        _source(manifest),
        _navigation(folder),
        "<h2>Tijdlijn</h2>",
        _timeline(actions, data["timeline_cells"], manifest),
        '<h2 id="acties">Acties per ambitie</h2>',
        _filters(actions),
        _actions(actions),
        '<h2 id="per-partij">Per partij</h2>',
        _per_party(data["action_parties"]),
        '<h2 id="per-initiatiefnemer">Per initiatiefnemer</h2>',
        _per_initiator(data["action_initiators"]),
        "<h2>Validatie</h2>",
        _validation(manifest),
        "<h2>Koppelingen die niet op sleutel alleen berusten</h2>",
        _links(data["links"]),
        f"<script>{FILTER_SCRIPT}</script>",
        "</body></html>",
    ]
    path = folder / "report.html"
    path.unlink(missing_ok=True)  # may be a hard link shared with the published snapshot
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path


def _source(manifest: dict) -> str:
    html = ""
    if _is_facsimile(manifest):
        html += ('<p class="banner">FACSIMILE: de tijdlijn in deze bron is illustratief, '
                 "niet de officiële tijdlijn. / The timeline of this source is illustrative, "
                 "not the official timeline.</p>")
    counts = manifest.get("row_counts", {})
    return html + (
        f'<p class="note">Bron: <code>{escape(manifest["source_file"])}</code> '
        f'({escape(manifest["source_format"])}), sha256 <code>{manifest["sha256"][:16]}…</code>; '
        f'{counts.get("actions", "?")} acties, {counts.get("footnotes", "?")} voetnoten.</p>'
    )


def _timeline(actions: pd.DataFrame, cells: pd.DataFrame, manifest: dict) -> str:
    years = manifest.get("timeline_years") or []
    if cells.empty or not years:
        return ('<p class="note" id="no-timeline">Deze bron bevat geen tijdlijn: de '
                "tekstexport verliest de gele en groene kleuring van de PDF, dus de jaren zijn "
                "onbekend (niet leeg). Lees de PDF in om de tijdlijn te krijgen.</p>")
    periods = manifest.get("periods_per_year") or 1
    ids = list(actions["action_id"])
    titles = dict(zip(actions["action_id"], actions["title"], strict=True))
    width = LABEL_WIDTH + YEAR_WIDTH * len(years)
    height = ROW_HEIGHT * (len(ids) + 1)
    svg = [f'<svg id="timeline" xmlns="http://www.w3.org/2000/svg" width="{width}" '
           f'height="{height}" role="img" aria-label="Tijdlijn per actie">']
    for index, year in enumerate(years):
        x = LABEL_WIDTH + index * YEAR_WIDTH
        svg.append(f'<text x="{x + YEAR_WIDTH / 2}" y="12" font-size="11" '
                   f'text-anchor="middle">\'{year % 100:02d}</text>')
        svg.append(f'<line x1="{x}" y1="{ROW_HEIGHT}" x2="{x}" y2="{height}" stroke="#ccc"/>')
    for row, action_id in enumerate(ids, 1):
        y = row * ROW_HEIGHT
        title = titles[action_id]
        short = title if len(title) <= LABEL_TITLE_CHARS else title[:LABEL_TITLE_CHARS - 1] + "…"
        svg.append(f'<a href="#actie-{escape(action_id)}"><text x="2" y="{y + 12}" '
                   f'font-size="11"><title>{escape(action_id)} {escape(title)}</title>'
                   f'<tspan font-weight="bold">{escape(action_id)}</tspan> '
                   f'{escape(short)}</text></a>')
    period_width = YEAR_WIDTH / periods
    for cell in cells.itertuples():
        if cell.action_id not in ids or cell.year not in years:
            continue
        x = LABEL_WIDTH + years.index(cell.year) * YEAR_WIDTH + (cell.period - 1) * period_width
        y = (ids.index(cell.action_id) + 1) * ROW_HEIGHT + 2
        svg.append(f'<rect class="{escape(cell.colour_class)}" x="{x:.1f}" y="{y}" '
                   f'width="{period_width:.1f}" height="{ROW_HEIGHT - 4}" '
                   f'fill="{COLOURS.get(cell.colour_class, "#999")}"/>')
    svg.append("</svg>")
    legend = "".join(f'<span style="background:{COLOURS[k]}"></span>{LABELS[k]}'
                     for k in ("looptijd", "mijlpaal"))
    return f'<p class="legend">{legend}</p>' + "".join(svg)


def _codes(values) -> str:
    """List cells come back from Parquet as arrays (or None)."""
    items = [] if values is None else list(values)
    return "".join(f'<span class="code">{escape(str(v))}</span>' for v in items)


def _items(values) -> list[str]:
    return [] if values is None else [str(v) for v in values]


def _years(action) -> list[str]:
    return sorted(set(_items(action.years_active)) | set(_items(action.milestone_years)))


def _attribute(values: list[str]) -> str:
    return escape("|".join(values), quote=True)


def _actions(actions: pd.DataFrame) -> str:
    html = []
    for title, group in actions.groupby("ambition_title", sort=False, dropna=False):
        number = group["ambition_number"].iloc[0]
        heading = f"Ambitie {int(number)}: {title}" if pd.notna(number) else str(title)
        html.append(f'<section class="ambitie"><h3>{escape(heading)}</h3>')
        html.append("<table><tr><th>Actie</th><th>Titel</th><th>Betrokken partijen</th>"
                    "<th>Initiatiefnemer</th><th>Stand van zaken</th></tr>")
        for action in group.itertuples():
            parties = [p for c in PARTY_COLUMNS for p in _items(getattr(action, c))]
            status = action.status_text if isinstance(action.status_text, str) else ""
            initiators = _items(action.initiators)
            searchable = " ".join([action.action_id, action.title, str(action.detail_title or ""),
                                   status, *initiators, *parties]).lower()
            html.append(
                f'<tr class="action" id="actie-{escape(action.action_id)}" '
                f'data-ambitie="{escape(heading, quote=True)}" '
                f'data-partij="{_attribute(parties)}" '
                f'data-initiatiefnemer="{_attribute(initiators)}" '
                f'data-ministerie="{_attribute(_items(action.ministries))}" '
                f'data-jaar="{_attribute(_years(action))}" '
                f'data-zoek="{escape(searchable, quote=True)}">'
                f"<td>{escape(action.action_id)}</td><td>{escape(action.title)}</td>"
                f"<td>{''.join(_codes(getattr(action, c)) for c in PARTY_COLUMNS)}</td>"
                f"<td>{escape(', '.join(initiators))}</td>"
                f"<td><details><summary>{escape(status[:90])}…</summary>"
                f'<div class="status">{escape(status)}</div></details></td></tr>')
        html.append("</table></section>")
    return "\n".join(html)


def _options(values: list[str]) -> str:
    return "".join(f'<option value="{escape(v, quote=True)}">{escape(v)}</option>'
                   for v in values)


def _select(name: str, label: str, values: list[str], empty: str = "alle") -> str:
    disabled = "" if values else " disabled"
    return (f'<label>{escape(label)} <select id="filter-{name}" data-filter="{name}"{disabled}>'
            f'<option value="">{escape(empty)}</option>{_options(values)}</select></label>')


def _filters(actions: pd.DataFrame) -> str:
    ambitions, parties, initiators, ministries, years = [], [], [], [], set()
    for action in actions.itertuples():
        number = action.ambition_number
        heading = (f"Ambitie {int(number)}: {action.ambition_title}" if pd.notna(number)
                   else str(action.ambition_title))
        ambitions.append(heading)
        parties += [p for c in PARTY_COLUMNS for p in _items(getattr(action, c))]
        initiators += _items(action.initiators)
        ministries += _items(action.ministries)
        years |= set(_years(action))
    unique = lambda values: list(dict.fromkeys(values))  # noqa: E731 - first seen order
    return (
        '<form class="filters" onsubmit="return false">'
        '<label>Zoek <input id="zoek" type="search" autocomplete="off" '
        'placeholder="titel, stand van zaken, partij, …"></label>'
        + _select("ambitie", "Ambitie", unique(ambitions))
        + _select("partij", "Partij", sorted(set(parties)))
        + _select("initiatiefnemer", "Initiatiefnemer", sorted(set(initiators), key=str.lower))
        + _select("ministerie", "Ministerie", sorted(set(ministries)))
        + _select("jaar", "Jaar", sorted(years),
                  "alle" if years else "onbekend (geen tijdlijn)")
        + ' <output id="aantal" aria-live="polite"></output></form>')


def _action_links(action_ids) -> str:
    return ", ".join(f'<a href="#actie-{escape(a)}">{escape(a)}</a>'
                     for a in dict.fromkeys(action_ids))


def _per_party(parties: pd.DataFrame) -> str:
    names = {c.code: c.name_nl for c in vocab.party_codes()}
    groups = {g.group: g.name_nl for g in vocab.party_groups()}
    rows = []
    for (group, code), part in parties.groupby(["group", "code"], sort=False):
        name = names.get(code) or (part["name_nl"].dropna().iloc[0]
                                   if part["name_nl"].notna().any() else "")
        rows.append(f"<tr><td>{escape(groups.get(group, group))}</td>"
                    f'<td><span class="code">{escape(code)}</span> {escape(name)}</td>'
                    f"<td>{part['action_id'].nunique()}</td>"
                    f"<td>{_action_links(part['action_id'])}</td></tr>")
    return ("<table><tr><th>Groep</th><th>Partij</th><th>Acties</th><th></th></tr>"
            + "".join(rows) + "</table>")


def _per_initiator(initiators: pd.DataFrame) -> str:
    rows = []
    for name, part in sorted(initiators.groupby("initiator"), key=lambda g: g[0].lower()):
        rows.append(f"<tr><td>{escape(name)}</td><td>{part['action_id'].nunique()}</td>"
                    f"<td>{_action_links(part['action_id'])}</td></tr>")
    return ("<table><tr><th>Initiatiefnemer</th><th>Acties</th><th></th></tr>"
            + "".join(rows) + "</table>")


def _navigation(folder: Path) -> str:
    """Links to this version's files, and to what lies beside every published version
    folder: the index over all versions and change pages, the database, the history.
    The other versions are listed on the index, not here, so a version's folder stays
    byte-identical when later versions arrive."""
    files = [f'<li><a href="{escape(p.name)}">{escape(p.name)}</a></li>'
             for p in _own_files(folder)]
    return "".join([
        '<nav><h2>Bestanden van deze versie</h2><ul>', *files, "</ul>",
        '<h2>Andere versies en wijzigingen</h2><ul>',
        '<li><a href="../index.html">alle versies en hun wijzigingen</a></li>',
        '<li><a href="../annex.sqlite">database van alle versies (annex.sqlite)</a></li>',
        '<li><a href="../history/versions.csv">history/versions.csv</a></li>',
        "</ul></nav>"])


def _own_files(folder: Path) -> list[Path]:
    """The version's published files, in a fixed order: workbook, data package, tables."""
    wanted = [*sorted(folder.glob("*.xlsx")), folder / "datapackage.json",
              folder / "codebook.csv", folder / "README.md", folder / "LEESMIJ.md",
              folder / "manifest.json"]
    for table in SCHEMAS:
        wanted += [folder / f"{table}.csv", folder / f"{table}.parquet"]
    return [p for p in wanted if p.exists()]


def _validation(manifest: dict) -> str:
    validation = manifest.get("validation", {})
    warnings = validation.get("warnings", [])
    items = "".join(f"<li>{escape(w)}</li>" for w in warnings) or "<li>geen</li>"
    return (f'<p class="ok">Geslaagd: {validation.get("expectations_run", "?")} controles, '
            f'{validation.get("critical_failures", 0)} kritieke fouten.</p>'
            f"<p>Waarschuwingen:</p><ul>{items}</ul>")


def _links(links: pd.DataFrame) -> str:
    shown = links[links["method"] != "key+title"]
    if shown.empty:
        return "<p>Alle acties zijn op sleutel en titel gekoppeld.</p>"
    rows = "".join(
        f"<tr><td>{escape(str(r.action_id))}</td><td>{escape(str(r.detail_ref))}"
        f"{'.' + escape(r.detail_item) if isinstance(r.detail_item, str) else ''}</td>"
        f"<td>{escape(r.method)}</td><td>{r.score:.1f}</td>"
        f"<td>{escape(str(r.matrix_title))}</td><td>{escape(str(r.detail_text))}</td></tr>"
        for r in shown.itertuples())
    return ("<table><tr><th>Actie</th><th>Detailrij</th><th>Methode</th><th>Score</th>"
            "<th>Matrix-titel</th><th>Detailtekst</th></tr>" + rows + "</table>")
