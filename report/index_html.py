"""The page that links the versions together, written into a snapshot once all its
versions are known: `index.html` over every version and change report (each
version's report links to it). The change pages link to both versions themselves
(pipeline.change_report renders them in place, once, when the pair is new)."""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

from report.database import DATABASE
from report.html import STYLE
from report.workbook import workbook_name

INDEX = "index.html"


def write_pages(snapshot: Path, versions: list[tuple[str, str | None]]) -> Path:
    """`versions` oldest first, as (annex_id, version date)."""
    pairs = [(old, new) for (old, _), (new, _) in zip(versions, versions[1:], strict=False)]
    database = DATABASE if (snapshot / DATABASE).exists() else None
    return _write_index(snapshot, versions, pairs, database)


def _write_index(snapshot: Path, versions: list[tuple[str, str | None]],
                 pairs: list[tuple[str, str]], database: str | None) -> Path:
    rows = []
    for annex_id, date in reversed(versions):  # newest first: what people look for
        manifest = json.loads((snapshot / annex_id / "manifest.json").read_text(
            encoding="utf-8"))
        counts = manifest.get("row_counts", {})
        book = workbook_name(annex_id)
        links = [f'<a href="{escape(annex_id)}/report.html">rapport</a>',
                 f'<a href="{escape(annex_id)}/{escape(book)}">Excel</a>',
                 f'<a href="{escape(annex_id)}/datapackage.json">datapackage.json</a>',
                 f'<a href="{escape(annex_id)}/actions.csv">actions.csv</a>',
                 f'<a href="{escape(annex_id)}/">map</a>']
        rows.append(f"<tr><td>{escape(date or 'onbekend')}</td><td>{escape(annex_id)}</td>"
                    f"<td>{escape(manifest.get('title') or '')}</td>"
                    f"<td><code>{escape(manifest['source_file'])}</code></td>"
                    f"<td>{counts.get('actions', '?')}</td><td>{' · '.join(links)}</td></tr>")
    changes = [f'<li><a href="changes/{escape(o)}__{escape(n)}/changes.html">'
               f"{escape(o)} → {escape(n)}</a> (<a href=\"changes/{escape(o)}__{escape(n)}/"
               f'changes.csv">CSV</a>)</li>' for o, n in reversed(pairs)]
    shared = ['<li><a href="history/versions.csv">history/versions.csv</a> '
              "(alle versies; de tabellen van alle versies onder history/)</li>"]
    if database:
        shared.append(f'<li><a href="{escape(database)}">{escape(database)}</a> '
                      "(alle tabellen van alle versies in één database)</li>")
    parts = [
        '<!DOCTYPE html>\n<html lang="nl"><head><meta charset="utf-8">',
        "<title>Techniekpact: alle versies</title>",
        f"<style>{STYLE}</style></head><body>",
        "<h1>Techniekpact, Bijlage 2: alle versies</h1>",
        "<h2>Versies</h2><table><tr><th>Datum</th><th>Versie</th><th>Titel</th>"
        "<th>Bron</th><th>Acties</th><th>Bestanden</th></tr>", *rows, "</table>",
        "<h2>Wijzigingen tussen versies</h2>",
        f"<ul>{''.join(changes)}</ul>" if changes else "<p>Nog maar één versie.</p>",
        f"<h2>Alle versies samen</h2><ul>{''.join(shared)}</ul>",
        "</body></html>",
    ]
    path = snapshot / INDEX
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return path
