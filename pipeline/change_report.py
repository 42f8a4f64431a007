"""changes/<from>__<to>/: the change table as Parquet and CSV, and changes.md to read.

Only the pairs that are new in this snapshot are compared: a pair of neighbours
that were neighbours in the published snapshot too, both unchanged, is carried
over as it is (hard links, pipeline.carry). A late older version between two
published ones gives two new pairs; the pair it separates is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from pipeline.carry import Carry, link_folder
from pipeline.changes import (
    ADDED,
    CHANGED,
    REMOVED,
    RENUMBERED,
    changes_table,
    compare_versions,
)
from pipeline.write import write_csv, write_parquet
from report.changes_html import render_changes_page

CHANGES = "changes"
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")
FIELD_NAMES = {
    "title": "title", "status_text": "status", "initiators": "initiators",
    "employers": "parties: employers", "employees": "parties: employees",
    "education": "parties: education", "regions": "parties: regions",
    "ministries": "parties: ministries", "years_active": "years active",
    "milestone_years": "milestone years",
}


@dataclass(frozen=True)
class VersionInfo:
    annex_id: str
    version_date: str | None
    source_file: str
    has_timeline: bool


@dataclass(frozen=True)
class ChangeSummary:
    from_id: str
    to_id: str
    counts: dict[str, int] | None  # change kind -> actions; None: carried, not compared
    folder: Path

    @property
    def compared(self) -> bool:
        """Compared in this run (a new pair), not carried from the published snapshot."""
        return self.counts is not None

    def line(self, out_dir: Path) -> str:
        counts = (", ".join(f"{n} {kind}" for kind, n in self.counts.items())
                  if self.counts is not None else "as published before")
        return (f"{self.from_id} -> {self.to_id}: {counts} "
                f"({out_dir / self.folder / 'changes.md'})")


def write_changes(snapshot: Path, versions: list[VersionInfo], carry: Carry | None = None,
                  published: dict[str, VersionInfo] | None = None) -> list[ChangeSummary]:
    """One folder per pair of consecutive versions (oldest first). A pair whose
    versions are unchanged and described as in the published snapshot
    (`published`: annex_id -> VersionInfo there) is carried, not compared again."""
    carry = carry or Carry(None)
    published = published or {}
    root = snapshot / CHANGES
    root.mkdir()
    summaries = []
    for old, new in zip(versions, versions[1:], strict=False):
        name = f"{old.annex_id}__{new.annex_id}"
        folder = root / name
        carried = (carry.find_folder(Path(CHANGES) / name, old.annex_id, new.annex_id)
                   if published.get(old.annex_id) == old and published.get(new.annex_id) == new
                   else None)
        if carried is not None:
            link_folder(carried, folder)
            summaries.append(ChangeSummary(old.annex_id, new.annex_id, None,
                                           Path(CHANGES) / name))
            continue
        before = pq.read_table(snapshot / old.annex_id / "actions.parquet").to_pylist()
        after = pq.read_table(snapshot / new.annex_id / "actions.parquet").to_pylist()
        rows = compare_versions(old.annex_id, new.annex_id, before, after)
        folder.mkdir()
        table = changes_table(rows)
        write_parquet(table, folder / "changes.parquet")
        write_csv(table, folder / "changes.csv")
        (folder / "changes.md").write_text(markdown(old, new, rows, after), encoding="utf-8")
        render_changes_page(folder, linked=True)  # it sits in the snapshot, beside both
        summaries.append(ChangeSummary(old.annex_id, new.annex_id, _counts(rows),
                                       Path(CHANGES) / name))
    from pipeline.changes import CHANGES_SCHEMA
    from pipeline.dictionary import describe_changes

    describe_changes(root, CHANGES_SCHEMA, [s.folder.name for s in summaries])
    return summaries


def _counts(rows: list[dict]) -> dict[str, int]:
    counts = {}
    for kind in (ADDED, REMOVED, RENUMBERED):
        counts[kind] = sum(1 for r in rows if r["change"] == kind)
    counts[CHANGED] = len({r["action_id_after"] for r in rows if r["change"] == CHANGED})
    return counts


def markdown(old: VersionInfo, new: VersionInfo, rows: list[dict], after: list[dict]) -> str:
    counts = _counts(rows)
    lines = [
        f"# Changes from {old.annex_id} to {new.annex_id}",
        "",
        f"- before: **{old.annex_id}** ({old.version_date or 'undated'}), from "
        f"`{old.source_file}`",
        f"- after: **{new.annex_id}** ({new.version_date or 'undated'}), from "
        f"`{new.source_file}`",
        "",
        f"{counts[ADDED]} added, {counts[REMOVED]} removed, {counts[RENUMBERED]} renumbered, "
        f"{counts[CHANGED]} changed action(s). Actions are matched by title, so a renumbered "
        "action is followed under its new number. Every row is in `changes.csv` / "
        "`changes.parquet` beside this file.",
    ]
    without = [v.annex_id for v in (old, new) if not v.has_timeline]
    if without:
        verb = "has" if len(without) == 1 else "have"
        lines += ["", f"Timeline years are not compared: {' and '.join(without)} {verb} no "
                  "timeline (a text export loses the PDF's colours)."]
    if not rows:
        lines += ["", "No changes."]
    titles = {a["action_id"]: a["title"] for a in after}
    for kind, heading in ((ADDED, "Added"), (REMOVED, "Removed"), (RENUMBERED, "Renumbered")):
        found = [r for r in rows if r["change"] == kind]
        if not found:
            continue
        lines += ["", f"## {heading}", ""]
        for r in found:
            if kind == ADDED:
                lines.append(f"- **{r['action_id_after']}** {_escape(r['after'])}")
            elif kind == REMOVED:
                lines.append(f"- **{r['action_id_before']}** {_escape(r['before'])}")
            else:
                lines.append(f"- **{r['action_id_before']} → {r['action_id_after']}** "
                             f"{_escape(titles[r['action_id_after']])} "
                             f"(title similarity {r['similarity']:.2f})")
    changed = [r for r in rows if r["change"] == CHANGED]
    if changed:
        lines += ["", "## Changed"]
        current = None
        for r in changed:
            key = (r["action_id_before"], r["action_id_after"])
            if key != current:
                current = key
                label = (r["action_id_after"] if r["action_id_before"] == r["action_id_after"]
                         else f"{r['action_id_before']} → {r['action_id_after']}")
                lines += ["", f"### {label} {_escape(titles[r['action_id_after']])}", ""]
            lines.append(_change_line(r))
    return "\n".join(lines) + "\n"


def _change_line(row: dict) -> str:
    name = FIELD_NAMES.get(row["field"], row["field"])
    if row["field"] in ("title", "status_text"):
        return (f"- {name} (similarity {row['similarity']:.2f}): "
                f"{_rendered_diff(row['word_diff'])}")
    before = _escape(row["before"] or "—").replace(";", ", ")
    after = _escape(row["after"] or "—").replace(";", ", ")
    return f"- {name}: {before} → {after}"


def _rendered_diff(diff: str) -> str:
    """The word diff in Markdown: removed words struck through, added ones bold."""
    rendered = _escape(diff)
    rendered = re.sub(r"\\\[-(.*?)-\\\]", lambda m: f"~~{m.group(1)}~~", rendered)
    return re.sub(r"\{\+(.*?)\+\}", lambda m: f"**{m.group(1)}**", rendered)


def _escape(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))
