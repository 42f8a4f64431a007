"""The change report between two versions as a page, in Dutch: what was added,
removed, renumbered or changed. A status text shows its word diff; a list field
(parties, initiators, years) shows the old and the new set with what left and what
came; a change that several actions share (one status text for 6b and 6c) is
listed once, with all its actions."""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.changes import (
    ADDED,
    CHANGED,
    LIST_SEPARATOR,
    PARTY_FIELDS,
    REMOVED,
    RENUMBERED,
    YEAR_FIELDS,
)
from pipeline.codebook import label_nl
from report.html import STYLE

_DIFF = re.compile(r"\[-(.*?)-\]|\{\+(.*?)\+\}", re.DOTALL)
EXTRA_STYLE = ("del{background:#fde2e1;color:#a00} ins{background:#dcf5dc;"
               "text-decoration:none} .set{display:inline-block;margin:1px}")
CHANGE_NL = {ADDED: "toegevoegd", REMOVED: "verwijderd", RENUMBERED: "hernummerd",
             CHANGED: "gewijzigd"}
LIST_FIELDS = ("initiators", *PARTY_FIELDS, *YEAR_FIELDS)


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


def _items(joined: str | None) -> list[str]:
    return [item for item in (joined or "").split(LIST_SEPARATOR) if item]


def _set_html(items: list[str], other: list[str], tag: str) -> str:
    """A list field's whole set; the items not in the other version marked."""
    if not items:
        return "<em>geen</em>"
    shown = []
    for item in items:
        text = f'<span class="code">{escape(item)}</span>'
        shown.append(f"<{tag}>{text}</{tag}>" if item not in other else text)
    return " ".join(shown)


def _field_label(field: str) -> str:
    return "actienummer" if field == "action_id" else label_nl("actions", field)


def _grouped(rows: list[dict]) -> list[tuple[dict, list[tuple[str | None, str | None]]]]:
    """One entry per distinct change, with every action it applies to (in order)."""
    groups: dict[tuple, tuple[dict, list]] = {}
    for row in rows:
        key = (row["change"], row["field"], row["before"], row["after"], row["word_diff"])
        if row["change"] in (ADDED, REMOVED, RENUMBERED):
            key += (row["action_id_before"], row["action_id_after"])  # never shared
        groups.setdefault(key, (row, []))[1].append(
            (row["action_id_before"], row["action_id_after"]))
    return list(groups.values())


def _action_html(before: str | None, after: str | None, old: str, new: str,
                 linked: bool) -> str:
    def link(annex_id: str, action_id: str) -> str:
        if not linked:
            return escape(action_id)
        return (f'<a href="../../{escape(annex_id)}/report.html#actie-{escape(action_id)}">'
                f"{escape(action_id)}</a>")
    ids = [link(old, before)] if before and before != after else []
    if after:
        ids.append(link(new, after))  # a changed action: as it is now
    return " → ".join(ids)  # one id unless the action was renumbered


def render_changes_page(folder: Path, linked: bool = False) -> Path:
    """`linked`: the page sits in a published snapshot (changes/<old>__<new>/), so it
    links to both versions' reports and to the index."""
    rows = pq.read_table(folder / "changes.parquet").to_pylist()
    old, new = folder.name.split("__", 1)
    body = [f"<h1>Wijzigingen van {escape(old)} naar {escape(new)}</h1>"]
    if linked:
        body.append(f'<nav><ul><li><a href="../../index.html">alle versies</a></li>'
                    f'<li><a href="../../{escape(old)}/report.html">rapport {escape(old)}</a></li>'
                    f'<li><a href="../../{escape(new)}/report.html">rapport {escape(new)}</a></li>'
                    '<li><a href="changes.csv">changes.csv</a></li>'
                    '<li><a href="changes.md">changes.md</a></li></ul></nav>')
    if not rows:
        body.append('<p class="note">Geen wijzigingen.</p>')
    else:
        body.append("<table><tr><th>Wijziging</th><th>Actie</th><th>Veld</th>"
                    "<th>Was</th><th>Wordt</th><th>Gelijkenis</th></tr>")
        for row, actions in _grouped(rows):
            action = ", ".join(_action_html(b, a, old, new, linked) for b, a in actions)
            if row["field"] in LIST_FIELDS and row["change"] == CHANGED:
                was, becomes = _items(row["before"]), _items(row["after"])
                before = _set_html(was, becomes, "del")
                detail = _set_html(becomes, was, "ins")
            else:
                before = escape(row["before"] or "")
                detail = (_diff_html(row["word_diff"]) if row["word_diff"]
                          else escape(row["after"] or ""))
            similarity = "" if row["similarity"] is None else f"{row['similarity']:.2f}"
            body.append(f"<tr><td>{CHANGE_NL.get(row['change'], escape(row['change']))}</td>"
                        f"<td>{action}</td><td>{escape(_field_label(row['field']))}</td>"
                        f"<td>{before}</td><td>{detail}</td><td>{similarity}</td></tr>")
        body.append("</table>")
    page = folder / "changes.html"
    page.unlink(missing_ok=True)  # never write through a link another snapshot shares
    page.write_text("<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\">"
                    f"<title>{escape(old)} → {escape(new)}</title>"
                    f"<style>{STYLE}{EXTRA_STYLE}</style></head><body>"
                    + "\n".join(body) + "</body></html>\n", encoding="utf-8")
    return page
