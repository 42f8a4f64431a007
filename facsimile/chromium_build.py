"""The Chromium facsimile: HTML printed to PDF by headless Chromium (Skia/PDF).

The matrix is an ordinary HTML table that Chromium paginates itself (its
<thead> repeats on every page). The detail table is paginated by a small
script in the page, before printing: it fills page-sized boxes row by row,
splits a row that does not fit at a word boundary (the rest continues on the
next page under a repeated header, with empty key cells), and puts the
footnotes referenced on a page at the foot of that page.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from facsimile import META_SUBJECT, META_TITLE, NOTICE_EN, NOTICE_NL
from facsimile.content import (
    DETAIL_HEADERS,
    MATRIX_HEADER_ACTION,
    MATRIX_HEADER_PARTIES,
    MATRIX_HEADER_TIMELINE,
    PARTY_GROUPS,
    PARTY_LABELS,
    Annex,
    Block,
    split_markers,
)
from facsimile.timeline import Cells, coarsen

FILENAME = "facsimile-chromium-quarters.pdf"
PERIODS = 4
COLOURS = {"looptijd": "#FFF2CC", "mijlpaal": "#C6E0B4"}
HEADER_FILL = "#D9D9D9"
GROUP_FILL = "#F2F2F2"
BORDER = "#808080"
DESCRIPTION = (
    "HTML printed by headless Chromium (Skia/PDF), A4 landscape, Liberation Sans (Arial "
    "metrics); CSS-bordered tables (border-collapse), pale spreadsheet shades looptijd "
    f"{COLOURS['looptijd']} and mijlpaal {COLOURS['mijlpaal']}, timeline split into 4 "
    "quarter sub-columns per year (borders only between years); grey header rows "
    f"({HEADER_FILL}) and near-white ambition rows ({GROUP_FILL}) as traps; no page "
    "numbers on the matrix pages."
)
FIXED_DATE = b"(D:20000101000000+00'00')"  # replaces Chromium's build time
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> str | None:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    return None


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _rich(text: str) -> str:
    """Escaped text with footnote markers as <sup class="fn">."""
    out = []
    for piece, is_marker in split_markers(text):
        if is_marker:
            out.append(f'<sup class="fn" data-ref="{piece}">{piece}</sup>')
        else:
            out.append(_esc(piece))
    return "".join(out)


def _block_data(blocks: tuple[Block, ...]) -> list[dict]:
    return [{"kind": b.kind, "words": [_rich(w) for w in b.text.split()]} for b in blocks]


def _matrix_html(annex: Annex, truth: dict[str, Cells]) -> str:
    years = annex.years
    cols = ['<col style="width:6mm">', '<col style="width:62mm">']
    cols[1] = '<col style="width:55mm">'
    cols += [f'<col style="width:{w}mm">' for w in (16, 16, 20, 12, 12)]
    quarter = (273 - 6 - 55 - 76) / (len(years) * PERIODS)
    cols += [f'<col style="width:{quarter:.3f}mm">'] * (len(years) * PERIODS)
    total = 2 + len(PARTY_GROUPS) + len(years) * PERIODS
    head = [
        "<thead>",
        "<tr>",
        f'<th colspan="2" rowspan="2" class="l">{_esc(MATRIX_HEADER_ACTION)}</th>',
        f'<th colspan="{len(PARTY_GROUPS)}">{_esc(MATRIX_HEADER_PARTIES)}</th>',
        f'<th colspan="{len(years) * PERIODS}">{_esc(MATRIX_HEADER_TIMELINE)}</th>',
        "</tr>",
        "<tr>",
        *[f"<th>{_esc(PARTY_LABELS[g])}</th>" for g in PARTY_GROUPS],
        *[f'<th colspan="{PERIODS}" class="yr">&#39;{y % 100:02d}</th>' for y in years],
        "</tr>",
        "</thead>",
    ]
    body = ["<tbody>"]
    ambition = None
    for action in annex.matrix:
        if action.ambition != ambition:
            ambition = action.ambition
            body.append(f'<tr class="grp"><td colspan="{total}">{_esc(ambition)}</td></tr>')
        cells = coarsen(truth[action.action_id], PERIODS)
        row = [f'<tr data-action="{action.action_id}">',
               f"<td>{_esc(action.key_cell)}</td>", f"<td>{_esc(action.title_cell)}</td>"]
        row += [f"<td>{_esc(action.parties[g])}</td>" for g in PARTY_GROUPS]
        for year in years:
            for period in range(1, PERIODS + 1):
                colour_class = cells.get((year, period))
                classes = ["q", f"q{period}"]
                if colour_class:
                    classes.append(colour_class)
                row.append(f'<td class="{" ".join(classes)}"></td>')
        row.append("</tr>")
        body.append("".join(row))
    body.append("</tbody>")
    return (
        '<table class="matrix"><colgroup>' + "".join(cols) + "</colgroup>"
        + "\n".join(head) + "\n" + "\n".join(body) + "</table>"
    )


CSS = f"""
@page {{ size: A4 landscape; margin: 12mm; }}
html, body {{ margin: 0; padding: 0; }}
body {{ width: 273mm; font-family: "Liberation Sans", Arial, Helvetica, sans-serif;
        font-size: 7.5pt; line-height: 1.2; color: #000; }}
h1 {{ font-size: 12pt; margin: 0 0 2mm 0; }}
.notice {{ border: 1.2pt solid #C00000; color: #C00000; font-weight: bold; font-size: 8pt;
           padding: 1.5mm 2mm; margin-bottom: 3mm; }}
table {{ border-collapse: collapse; table-layout: fixed; width: 273mm; }}
th, td {{ border: 0.5pt solid {BORDER}; padding: 0.6mm 1mm; vertical-align: top;
          text-align: left; overflow-wrap: break-word; }}
th {{ background: {HEADER_FILL}; font-weight: bold; text-align: center; }}
.matrix th {{ font-size: 7pt; padding: 0.6mm 0.3mm; overflow-wrap: normal; }}
th.l {{ text-align: left; }}
.matrix tr {{ break-inside: avoid; }}
.matrix td.q {{ padding: 0; border-left: none; border-right: none; }}
.matrix td.q1 {{ border-left: 0.5pt solid {BORDER}; }}
.matrix td.q4 {{ border-right: 0.5pt solid {BORDER}; }}
td.looptijd {{ background: {COLOURS['looptijd']}; }}
td.mijlpaal {{ background: {COLOURS['mijlpaal']}; }}
tr.grp td {{ background: {GROUP_FILL}; font-weight: bold; }}
.legend {{ margin-top: 3mm; font-size: 7.5pt; }}
.legend .sw {{ display: inline-block; width: 6mm; height: 3mm; vertical-align: middle;
               margin: 0 1.5mm 0 4mm; }}
.legend .note {{ margin-left: 6mm; }}
.detail-start {{ break-before: page; }}
.page {{ position: relative; height: 183mm; width: 273mm; break-after: page;
         overflow: visible; }}
.page:last-child {{ break-after: auto; }}
.detail {{ font-size: 8pt; }}
.detail td p {{ margin: 0 0 1.2mm 0; }}
.detail td p:last-child {{ margin-bottom: 0; }}
.detail .li {{ padding-left: 3.2mm; text-indent: -3.2mm; margin: 0 0 0.4mm 0; }}
.detail .li.cont {{ text-indent: 0; }}
sup.fn {{ font-size: 62%; vertical-align: super; line-height: 0; }}
.fnotes {{ position: absolute; left: 0; bottom: 7mm; width: 273mm; font-size: 7pt; }}
.fnotes .sep {{ width: 45mm; border-top: 0.5pt solid #000; margin-bottom: 1mm; }}
.fnotes div.fnote {{ margin: 0 0 0.6mm 0; }}
.footer {{ position: absolute; left: 0; bottom: 0; width: 273mm; font-size: 6.5pt;
           color: #595959; }}
"""

SCRIPT = r"""
(function () {
  const data = JSON.parse(document.getElementById('detail-data').textContent);
  const root = document.getElementById('detail');
  const pages = [];
  function mm(v) { return v * 96 / 25.4; }
  const PAGE_H = mm(183) - mm(8) - 6;   // page box less footer strip and a safety margin
  const notes = data.footnotes;

  function newPage() {
    const page = document.createElement('div');
    page.className = 'page';
    page.innerHTML = document.getElementById('detail-head').innerHTML +
      '<div class="fnotes"></div><div class="footer">' + data.footer + '</div>';
    root.appendChild(page);
    const p = {el: page, table: page.querySelector('table'),
               tbody: page.querySelector('tbody'), fn: page.querySelector('.fnotes'), rows: 0};
    pages.push(p);
    return p;
  }
  function refreshNotes(p) {
    const refs = [];
    p.tbody.querySelectorAll('sup.fn').forEach(s => {
      const r = s.dataset.ref; if (!refs.includes(r)) refs.push(r); });
    if (!refs.length) { p.fn.innerHTML = ''; return; }
    p.fn.innerHTML = '<div class="sep"></div>' + refs.map(r =>
      '<div class="fnote"><sup class="fm">' + notes[r].marker + '</sup> ' + notes[r].text +
      '</div>').join('');
  }
  function fits(p) {
    refreshNotes(p);
    const fnH = p.fn.innerHTML ? p.fn.getBoundingClientRect().height + mm(1) : 0;
    return p.table.getBoundingClientRect().height + fnH <= PAGE_H;
  }
  function count(blocks) { return blocks.reduce((n, b) => n + b.words.length, 0); }
  // blocks between flat word positions a (incl.) and b (excl.)
  function render(blocks, a, b) {
    let out = '', pos = 0;
    for (const block of blocks) {
      const start = pos, end = pos + block.words.length;
      pos = end;
      const lo = Math.max(a, start), hi = Math.min(b, end);
      if (lo >= hi) continue;
      const text = block.words.slice(lo - start, hi - start).join(' ');
      if (block.kind === 'li') {
        out += lo === start ? '<div class="li">\u2022\u00a0\u00a0' + text + '</div>'
                            : '<div class="li cont">' + text + '</div>';
      } else {
        out += '<p>' + text + '</p>';
      }
    }
    return out;
  }
  function rowHtml(cells, from, to) {
    return '<tr>' + cells.map((c, i) =>
      '<td>' + (c.plain !== undefined ? (from[i] === 0 && to[i] > 0 ? c.plain : '')
                                      : render(c.blocks, from[i], to[i])) + '</td>').join('') +
      '</tr>';
  }
  function placeGroup(p, text) {
    const tr = document.createElement('tbody');
    tr.innerHTML = '<tr class="grp"><td colspan="5">' + text + '</td></tr>';
    const row = tr.firstChild;
    p.tbody.appendChild(row);
    // keep with next: room for the group row and three more lines
    const spare = PAGE_H - p.table.getBoundingClientRect().height;
    if (!fits(p) || spare < mm(12)) {
      row.remove();
      p = newPage();
      p.tbody.appendChild(row);
    }
    p.rows++;
    return p;
  }
  function placeRow(p, row) {
    const cells = [
      {plain: row.nr}, {plain: row.letters}, {blocks: row.action},
      {plain: row.initiator}, {blocks: row.status}];
    const size = cells.map(c => c.plain !== undefined ? (c.plain ? 1 : 0) : count(c.blocks));
    let from = cells.map(() => 0);
    const holder = document.createElement('tbody');
    for (let guard = 0; guard < 50; guard++) {
      holder.innerHTML = rowHtml(cells, from, size);
      let tr = holder.firstChild;
      p.tbody.appendChild(tr);
      if (fits(p)) { p.rows++; return p; }
      tr.remove();
      // largest prefix of each cell that fits on its own
      const to = from.slice();
      for (let i = 0; i < cells.length; i++) {
        if (size[i] === from[i]) continue;
        let lo = from[i], hi = size[i];
        while (lo < hi) {
          const mid = Math.ceil((lo + hi) / 2);
          const probe = from.slice(); probe[i] = mid;
          holder.innerHTML = rowHtml(cells, from, probe);
          tr = holder.firstChild; p.tbody.appendChild(tr);
          const ok = fits(p); tr.remove();
          if (ok) lo = mid; else hi = mid - 1;
        }
        to[i] = cells[i].plain !== undefined && lo < size[i] ? from[i] : lo;
      }
      // together they may still be too tall (footnotes of several cells): shrink
      for (;;) {
        holder.innerHTML = rowHtml(cells, from, to);
        tr = holder.firstChild; p.tbody.appendChild(tr);
        if (fits(p)) break;
        tr.remove();
        let widest = -1;
        for (let i = 0; i < cells.length; i++)
          if (to[i] > from[i] && (widest < 0 || to[i] - from[i] > to[widest] - from[widest]))
            widest = i;
        if (widest < 0) { tr = null; break; }
        to[widest] -= Math.max(1, Math.floor((to[widest] - from[widest]) / 20));
      }
      const lineH = mm(3.4);
      const tall = tr ? tr.getBoundingClientRect().height : 0;
      const moved = to.some((t, i) => t > from[i]);
      if (!tr || !moved || (p.rows > 0 && tall < 2.5 * lineH)) {
        if (tr) tr.remove();
        refreshNotes(p);
        p = newPage();
        continue;
      }
      p.rows++;
      from = to;
      p = newPage();
    }
    throw new Error('row does not fit');
  }
  let p = newPage();
  let ambition = null;
  for (const row of data.rows) {
    if (row.ambition && row.ambition !== ambition) {
      ambition = row.ambition;
      p = placeGroup(p, row.ambitionHtml);
    }
    p = placeRow(p, row);
  }
  pages.forEach(refreshNotes);
  document.getElementById('detail-head').remove();
  document.body.dataset.detailPages = String(pages.length);
})();
"""


def _detail_data(annex: Annex) -> dict:
    rows = []
    for row in annex.detail:
        rows.append({
            "ambition": row.ambition,
            "ambitionHtml": _esc(row.ambition or ""),
            "nr": _esc(row.number_cell),
            "letters": _esc(row.letters),
            "action": _block_data(row.action),
            "initiator": _esc(row.initiator),
            "status": _block_data(row.status),
        })
    footnotes = {
        str(note.number): {"marker": _esc(note.marker), "text": _esc(note.text)}
        for note in annex.footnotes
    }
    return {
        "rows": rows,
        "footnotes": footnotes,
        "footer": _esc("FACSIMILE - tijdlijn illustratief / timeline illustrative"),
    }


def _detail_head() -> str:
    cols = "".join(f'<col style="width:{w}">' for w in ("7mm", "7mm", "62mm", "30mm", "167mm"))
    return (
        f'<table class="detail"><colgroup>{cols}</colgroup><thead><tr>'
        f'<th colspan="3" class="l">{_esc(DETAIL_HEADERS[0])}</th>'
        f'<th class="l">{_esc(DETAIL_HEADERS[1])}</th>'
        f'<th class="l">{_esc(DETAIL_HEADERS[2])}</th>'
        "</tr></thead><tbody></tbody></table>"
    )


def page_html(annex: Annex, truth: dict[str, Cells]) -> str:
    data = json.dumps(_detail_data(annex), ensure_ascii=False).replace("</", "<\\/")
    legend = (
        '<div class="legend"><b>Legenda:</b>'
        f'<span class="sw" style="background:{COLOURS["looptijd"]}"></span>looptijd (geel)'
        f'<span class="sw" style="background:{COLOURS["mijlpaal"]}"></span>'
        "mijlpaal/gereed (groen)"
        '<span class="note">De kleuring in deze facsimile is illustratief, niet de officiële '
        "tijdlijn. / The shading in this facsimile is illustrative, not the official timeline."
        "</span></div>"
    )
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="nl"><head><meta charset="utf-8">',
        f"<title>{_esc(META_TITLE)}</title>",
        f'<meta name="description" content="{html.escape(META_SUBJECT)}">',
        f"<style>{CSS}</style></head><body>",
        f"<h1>{_esc(annex.title)}</h1>",
        f'<div class="notice">{_esc(NOTICE_NL)}<br>{_esc(NOTICE_EN)}</div>',
        _matrix_html(annex, truth),
        legend,
        '<div id="detail" class="detail-start"></div>',
        f'<template id="detail-head">{_detail_head()}</template>',
        f'<script type="application/json" id="detail-data">{data}</script>',
        f"<script>{SCRIPT}</script>",
        "</body></html>",
    ])


def _pdf_string(text: str) -> str:
    """A PDF text string: UTF-16BE with BOM, as hex."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def set_metadata(path: Path, title: str, subject: str) -> None:
    """Append an incremental update that rewrites the Info dictionary (Title, Subject);
    Chromium itself only writes the page title."""
    # Fixed dates (same byte length, so offsets hold) make the build reproducible.
    data = re.sub(rb"\(D:\d{14}[^)]{0,7}\)",
                  lambda m: FIXED_DATE if len(m.group(0)) == len(FIXED_DATE) else m.group(0),
                  path.read_bytes())
    trailer = data[data.rfind(b"trailer"):]
    root = re.search(rb"/Root (\d+) (\d+) R", trailer)
    info = re.search(rb"/Info (\d+) (\d+) R", trailer)
    size = re.search(rb"/Size (\d+)", trailer)
    prev = re.search(rb"startxref\s+(\d+)", data[data.rfind(b"startxref"):])
    if not (root and info and size and prev):
        raise RuntimeError(f"{path.name}: unexpected PDF trailer, cannot set metadata")
    number = int(info.group(1))
    old = re.search(rb"\n%d 0 obj\s*<<(.*?)>>\s*endobj" % number, data, re.DOTALL)
    keep = []
    if old:
        for key in (b"Creator", b"Producer", b"CreationDate", b"ModDate"):
            found = re.search(rb"/" + key + rb" (\((?:\\.|[^\\)])*\))", old.group(1))
            if found:
                keep.append(b"/" + key + b" " + found.group(1))
    body = b"<</Title " + _pdf_string(title).encode() + b"\n/Subject " + \
        _pdf_string(subject).encode() + b"\n" + b"\n".join(keep) + b">>"
    if not data.endswith(b"\n"):
        data += b"\n"
    offset = len(data)
    obj = b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = offset + len(obj)
    xref = b"xref\n%d 1\n%010d 00000 n \n" % (number, offset)
    new_trailer = (
        b"trailer\n<</Size " + size.group(1) + b" /Root " + root.group(1) + b" "
        + root.group(2) + b" R /Info %d 0 R /Prev " % number + prev.group(1)
        + b">>\nstartxref\n%d\n%%%%EOF\n" % xref_at
    )
    path.write_bytes(data + obj + xref + new_trailer)


def build(annex: Annex, truth: dict[str, Cells], out_dir: Path, keep_html: Path | None = None
          ) -> dict:
    browser = find_browser()
    if browser is None:
        raise RuntimeError(
            "no Chromium found (looked for " + ", ".join(BROWSERS) + "); "
            "install it with `apt-get install -y chromium`"
        )
    out = out_dir / FILENAME
    with tempfile.TemporaryDirectory(prefix="facsimile-chromium-") as tmp:
        page = Path(tmp) / "annex.html"
        page.write_text(page_html(annex, truth), encoding="utf-8")
        if keep_html:
            shutil.copyfile(page, keep_html)
        target = Path(tmp) / "annex.pdf"
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--hide-scrollbars", "--window-size=1280,1000",
            # untagged: smaller, and the structure tree's node ids vary from run to run
            "--disable-pdf-tagging",
            f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={target}",
            "--no-pdf-header-footer", page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180)
        if done.returncode != 0 or not target.exists():
            raise RuntimeError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
        set_metadata(target, META_TITLE, META_SUBJECT)
        shutil.copyfile(target, out)
    return {"pages": []}
