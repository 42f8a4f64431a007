"""The change report between two versions as a page: what was added, removed,
renumbered or changed, with the word diff of status texts made visible."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pyarrow.parquet as pq

from report.html import STYLE

_DIFF = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.DOTALL)
EXTRA_STYLE = "del{background:#fde2e1;color:#a00} ins{background:#dcf5dc;text-decoration:none}"


def _diff_html(diff: str) -> str:
    parts, last = [], 0
    for match in _DIFF.finditer(diff):
        parts.append(escape(diff[last:match.start()]))
        removed, added = match.groups()
        parts.append(f"<del>{escape(removed)}</del>" if removed is not None
                     else f"<ins>{escape(added)}</ins>")
        last = match.end()
    parts.append(escape(diff[last:]))
    return "".join(parts)


def render_changes_page(folder: Path) -> Path:
    rows = pq.read_table(folder / "changes.parquet").to_pylist()
    old, new = folder.name.split("__", 1)
    body = [f"<h1>Wijzigingen van {escape(old)} naar {escape(new)}</h1>"]
    if not rows:
        body.append('<p class="note">Geen wijzigingen.</p>')
    else:
        body.append("<table><tr><th>Wijziging</th><th>Actie</th><th>Veld</th>"
                    "<th>Was</th><th>Wordt</th><th>Gelijkenis</th></tr>")
        for row in rows:
            ids = list(dict.fromkeys(filter(None, (row["action_id_before"],
                                                    row["action_id_after"]))))
            action = " → ".join(ids)  # one id unless the action was renumbered
            detail = (_diff_html(row["word_diff"]) if row["word_diff"]
                      else escape(row["after"] or ""))
            similarity = "" if row["similarity"] is None else f"{row['similarity']:.2f}"
            body.append(f"<tr><td>{escape(row['change'])}</td><td>{escape(action)}</td>"
                        f"<td>{escape(row['field'])}</td><td>{escape(row['before'] or '')}</td>"
                        f"<td>{detail}</td><td>{similarity}</td></tr>")
        body.append("</table>")
    page = folder / "changes.html"
    page.write_text("<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
                    f"<title>{escape(old)} → {escape(new)}</title>"
                    f"<style>{STYLE}{EXTRA_STYLE}</style></head><body>"
                    + "\n".join(body) + "</body></html>\n", encoding="utf-8")
    return page
