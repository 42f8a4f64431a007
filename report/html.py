"""A static HTML report of one published annex version: opens from disk, no server,
no scripts, no outside resources.

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

COLOURS = {"looptijd": "#FFD800", "mijlpaal": "#00B050", "onbekend": "#D62728"}
LABELS = {"looptijd": "looptijd (geel)", "mijlpaal": "mijlpaal/gereed (groen)",
          "onbekend": "kleur niet herkend"}
PARTY_COLUMNS = ("employers", "employees", "education", "regions", "ministries")
ROW_HEIGHT, YEAR_WIDTH, LABEL_WIDTH = 16, 56, 60

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
"""


def _load(folder: Path) -> dict:
    tables = {name: pd.read_parquet(folder / f"{name}.parquet")
              for name in ("actions", "timeline_cells", "links")}
    tables["manifest"] = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return tables


def _is_facsimile(manifest: dict) -> bool:
    said = " ".join(str(v) for v in (manifest.get("source_metadata") or {}).values())
    return "facsimile" in (said + " " + (manifest.get("title") or "")).lower()


def render_report(folder: Path) -> Path:
    data = _load(folder)
    manifest = data["manifest"]
    parts = [
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        f"<title>{escape(manifest['annex_id'])}: Techniekpact acties</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>{escape(manifest.get('title') or manifest['annex_id'])}</h1>",
        _source(manifest),
        "<h2>Tijdlijn</h2>",
        _timeline(data["actions"], data["timeline_cells"], manifest),
        "<h2>Acties per ambitie</h2>",
        _actions(data["actions"]),
        "<h2>Validatie</h2>",
        _validation(manifest),
        "<h2>Koppelingen die niet op sleutel alleen berusten</h2>",
        _links(data["links"]),
        "</body></html>",
    ]
    path = folder / "report.html"
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
        svg.append(f'<text x="2" y="{y + 12}" font-size="11">{escape(action_id)}</text>')
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


def _actions(actions: pd.DataFrame) -> str:
    html = []
    for title, group in actions.groupby("ambition_title", sort=False, dropna=False):
        number = group["ambition_number"].iloc[0]
        heading = f"Ambitie {int(number)}: {title}" if pd.notna(number) else str(title)
        html.append(f"<h3>{escape(heading)}</h3>")
        html.append("<table><tr><th>Actie</th><th>Titel</th><th>Betrokken partijen</th>"
                    "<th>Initiatiefnemer</th><th>Stand van zaken</th></tr>")
        for action in group.itertuples():
            parties = "".join(_codes(getattr(action, c)) for c in PARTY_COLUMNS)
            status = action.status_text if isinstance(action.status_text, str) else ""
            html.append(
                f"<tr><td>{escape(action.action_id)}</td><td>{escape(action.title)}</td>"
                f"<td>{parties}</td><td>{escape(', '.join(list(action.initiators)))}</td>"
                f"<td><details><summary>{escape(status[:90])}…</summary>"
                f'<div class="status">{escape(status)}</div></details></td></tr>')
        html.append("</table>")
    return "\n".join(html)


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
