"""A generated layout as HTML, printed by headless Chromium or by WeasyPrint.

Both engines paginate the tables themselves (a <thead> repeats on every page when the
layout repeats the header); footnotes are collected after the detail table. Timeline
fills are plain CSS backgrounds in the layout's RGB colours; colour spaces, curves and
patterns are applied to the PDF afterwards (facsimile.layouts.post).
"""

from __future__ import annotations

import html
import subprocess
import tempfile
from pathlib import Path

from facsimile import META_SUBJECT, META_TITLE, NOTICE_EN, NOTICE_NL
from facsimile.chromium_build import find_browser
from facsimile.content import DETAIL_HEADERS, MATRIX_HEADER_ACTION, MATRIX_HEADER_PARTIES
from facsimile.layouts.model import (
    BACKGROUND_RGB,
    BAND_RGB,
    HEADER_RGB,
    RUNNING_TITLE,
    Document,
    PrintedAction,
    banded,
    fit_matrix,
    initiator_width_pt,
    key_width_pt,
    page_mm,
    party_width_pt,
    pieces,
    title_width_pt,
    typography,
)
from facsimile.layouts.options import rgb_of

PAGE = {"portrait": ("A4 portrait", 186), "landscape": ("A4 landscape", 273)}  # generation 1
MARGIN_MM = 12
# the layout's `font` -> CSS families (DejaVu after each: it has every superscript digit)
FAMILIES = {"sans": '"Liberation Sans", "DejaVu Sans", sans-serif',
            "serif": '"DejaVu Serif", "Liberation Serif", serif',
            "condensed": '"Liberation Sans Narrow", "DejaVu Sans Condensed", "DejaVu Sans", '
                         'sans-serif'}


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _css_rgb(rgb: tuple[float, float, float]) -> str:
    return "rgb(" + ",".join(f"{round(v * 255)}" for v in rgb) + ")"


def _rich(text: str, style: str) -> str:
    out = []
    for piece, is_marker in pieces(text, style):
        if is_marker and style == "raised_digits":
            out.append(f'<sup class="fn">{_esc(piece)}</sup>')
        else:
            out.append(_esc(piece))
    return "".join(out)


def _spans(doc: Document, apart: frozenset[int] = frozenset()
           ) -> dict[int, dict[tuple[int, int], tuple[int, int]]]:
    """(row index) -> {(year, period): (colspan, rowspan)}; cells covered by another
    cell's span are absent from their row's dict and listed with span (0, 0). Rows
    `index` in `apart` share no cell with the row below (a page break between them)."""
    layout = doc.layout
    order = [(y, p) for y in doc.annex.years for p in range(1, doc.periods + 1)]
    out: dict[int, dict] = {i: {} for i in range(len(doc.actions))}
    for index, action in enumerate(doc.actions):
        row = out[index]
        position = 0
        while position < len(order):
            key = order[position]
            if key in row:  # covered from the row above
                position += 1
                continue
            colour = action.cells.get(key)
            span = 1
            if layout.fill_paint == "merged_years" and colour:
                while (position + span < len(order)
                       and action.cells.get(order[position + span]) == colour):
                    span += 1
            rows = 1
            if layout.fill_paint == "merged_rows" and colour and index + 1 < len(doc.actions) \
                    and index not in apart:
                below = doc.actions[index + 1]
                if below.action.ambition == action.action.ambition and \
                        below.cells.get(key) == colour:
                    rows = 2
                    out[index + 1][key] = (0, 0)
            row[key] = (span, rows)
            for covered in order[position + 1:position + span]:
                row[covered] = (0, 0)
            position += span
    return out


def _matrix(doc: Document, apart: frozenset[int] = frozenset(), mark: bool = False) -> str:
    """The matrix table; `apart` as for _spans; `mark` gives each action's row its index
    (data-row), for finding where the pages break."""
    layout = doc.layout
    periods = doc.periods
    years = doc.annex.years
    keys = doc.key_columns
    total = keys + 1 + len(doc.groups) + len(years) * periods
    head = [
        "<tr>",
        f'<th colspan="{keys + 1}" rowspan="2" class="l">{_esc(MATRIX_HEADER_ACTION)}</th>',
        f'<th colspan="{len(doc.groups)}">{_esc(MATRIX_HEADER_PARTIES)}</th>',
        f'<th colspan="{len(years) * periods}">{_esc(doc.timeline_header)}</th>',
        "</tr><tr>",
        *["<th>" + "<br>".join(_esc(x) for x in doc.labels[g]) + "</th>" for g in doc.groups],
        *[f'<th colspan="{periods}" class="yr">{_esc(label)}</th>' for label in doc.year_labels],
        "</tr>",
    ]
    if layout.matrix_header_repeat:
        parts = ["<thead>", *head, "</thead><tbody>"]
    else:
        parts = ["<tbody>", *head]
    spans = _spans(doc, apart)
    ambition = None
    for index, printed in enumerate(doc.actions):
        action = printed.action
        if action.ambition != ambition:
            ambition = action.ambition
            parts.append(f'<tr class="grp"><td colspan="{total}">{_esc(ambition)}</td></tr>')
        row = _matrix_row(doc, printed, spans[index], banded(layout, index))
        parts.append(row.replace("<tr", f'<tr data-row="{index}"', 1) if mark else row)
    parts.append("</tbody>")
    return '<table class="matrix">' + "\n".join(parts) + "</table>"


def _matrix_row(doc: Document, printed: PrintedAction, spans: dict,
                band: bool = False) -> str:
    cells = []
    if doc.key_columns == 2:
        cells += [f"<td>{_esc(printed.number_cell)}</td>", f"<td>{_esc(printed.letter_cell)}</td>"]
    else:
        cells.append(f"<td>{_esc(printed.key_cell)}</td>")
    cells.append(f"<td>{_esc(printed.title_cell)}</td>")
    cells += [f"<td>{_esc(printed.action.parties[g])}</td>" for g in doc.groups]
    for year in doc.annex.years:
        for period in range(1, doc.periods + 1):
            colspan, rowspan = spans[(year, period)]
            if colspan == 0:
                continue
            colour = printed.cells.get((year, period))
            classes = ["t", f"p{period}"] + ([colour] if colour else [])
            attrs = (f' colspan="{colspan}"' if colspan > 1 else "") + \
                (f' rowspan="{rowspan}"' if rowspan > 1 else "")
            cells.append(f'<td class="{" ".join(classes)}"{attrs}></td>')
    return ('<tr class="band">' if band else "<tr>") + "".join(cells) + "</tr>"


def _legend(doc: Document) -> str:
    items = "".join(f'<span class="sw {c}"></span><span>{_esc(t)}</span>' for c, t in doc.legend)
    return f'<div class="legend">Legenda: {items}</div>'


def _detail(doc: Document) -> str:
    style = doc.layout.markers
    keys = doc.detail_key_columns
    head = (f'<tr><th colspan="{keys + 1}" class="l">{_esc(DETAIL_HEADERS[0])}</th>'
            f"<th>{_esc(DETAIL_HEADERS[1])}</th><th>{_esc(DETAIL_HEADERS[2])}</th></tr>")
    parts = [f"<thead>{head}</thead><tbody>"]
    ambition = None
    for index, printed in enumerate(doc.details):
        row = printed.row
        if row.ambition and row.ambition != ambition:
            ambition = row.ambition
            parts.append(f'<tr class="grp"><td colspan="{keys + 3}">{_esc(ambition)}</td></tr>')
        cells = []
        if keys == 2:
            cells += [f"<td>{_esc(printed.number_cell)}</td>",
                      f"<td>{_esc(printed.letters_cell)}</td>"]
        else:
            cells.append(f"<td>{_esc(printed.key_cell)}</td>")
        action = "".join(
            "<p>" + "<br>".join(_block(b, style) for b in paragraph) + "</p>"
            for paragraph in printed.action)
        cells.append(f"<td>{action}</td>")
        cells.append(f"<td>{_esc(row.initiator)}</td>")
        cells.append("<td>" + "".join(f"<p>{_block(b, style)}</p>" for b in printed.status)
                     + "</td>")
        tr = '<tr class="band">' if banded(doc.layout, index) else "<tr>"
        parts.append(tr + "".join(cells) + "</tr>")
    parts.append("</tbody>")
    notes = "".join(
        f'<div class="fnote">{_rich(_marker(n.marker, style), style)} {_esc(n.text)}</div>'
        for n in doc.annex.footnotes)
    return ('<table class="detail">' + "\n".join(parts) + "</table>"
            + f'<div class="fnotes"><div class="sep"></div>{notes}</div>')


def _marker(digits: str, style: str) -> str:
    """A footnote's own marker, in the superscript alphabet so `pieces` styles it."""
    return digits.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _block(block, style: str) -> str:
    return ("• " if block.kind == "li" else "") + _rich(block.text, style)


def _page(doc: Document, landscape: bool) -> tuple[str, float]:
    """(CSS page size, table width in mm)."""
    layout = doc.layout
    if layout.page_size == "A4":  # as generation 1 wrote it
        return PAGE["landscape" if landscape else "portrait"]
    width, height = page_mm(layout, landscape)
    return f"{width:g}mm {height:g}mm", width - 2 * MARGIN_MM


MM_PT = 72 / 25.4  # points per millimetre


def _kind(doc: Document):
    landscape = doc.layout.orientation in ("landscape", "mixed")
    auto = 6.5 if not landscape or doc.periods == 12 else 7
    return typography(doc.layout, auto, auto)


def _matrix_kind(doc: Document):
    """The matrix's sizes: the body's, brought down until its header fits (fit_matrix)."""
    kind = _kind(doc)
    table_pt = _page(doc, doc.layout.orientation in ("landscape", "mixed"))[1] * MM_PT
    return fit_matrix(doc, kind, table_pt, 0.04 * table_pt, 0.26 * table_pt,
                      0.07 * table_pt, 0.8 * kind.padding * MM_PT)


def _margin_boxes(doc: Document) -> str:
    """Running header and page numbers as CSS page-margin boxes (both engines)."""
    layout = doc.layout
    style = f"font-family: {FAMILIES[layout.font]}; font-size: 7pt; color: #333;"
    boxes = []
    if layout.running_header == "title":
        boxes.append(f'@top-left {{ content: "{RUNNING_TITLE}"; {style} }}')
    if layout.page_numbers == "pagina_van":
        boxes.append('@bottom-right { content: "pagina " counter(page) " van " counter(pages); '
                     f"{style} }}")
    elif layout.page_numbers == "slash":
        boxes.append(f'@top-right {{ content: counter(page) "/" counter(pages); {style} }}')
    return " ".join(boxes)


def _css(doc: Document, engine: str) -> str:
    layout = doc.layout
    size_m, width_m = _page(doc, layout.orientation in ("landscape", "mixed"))
    size_d, width_d = _page(doc, layout.orientation == "landscape")
    looptijd, mijlpaal = (_css_rgb(rgb_of(c)) for c in layout.colours)
    border = "0.5pt solid #808080" if layout.rules == "ruled" else "none"
    split = "avoid" if layout.row_split == "avoided" else "auto"
    key_mm = 6 if doc.key_columns == 1 else 4
    kind = _kind(doc)
    font = f"{kind.body:g}"
    matrix_font = _matrix_kind(doc).body
    note = f"{kind.note:g}"
    pad = kind.padding
    padding = f"{0.5 * pad:g}mm {0.8 * pad:g}mm"
    boxes = _margin_boxes(doc)
    extra = ""
    if matrix_font != kind.body:
        extra += f"table.matrix {{ font-size: {matrix_font:g}pt; }}\n"
    if layout.banding == "zebra":  # the timeline fills stay as they are
        extra += ("tr.band td:not(.looptijd):not(.mijlpaal) { "
                  f"background: {_css_rgb(BAND_RGB)}; }}\n")
    if layout.header_shade == "shaded":
        extra += f"th {{ background: {_css_rgb(HEADER_RGB)}; }}\n"
    if layout.rules == "ruled" and layout.rule_lines == "horizontal":
        extra += "th, td { border-left: none; border-right: none; }\n"
    if layout.background == "tint":
        extra += (".bg { position: fixed; top: 0; left: 0; right: 0; bottom: 0; z-index: -1; "
                  f"background: {_css_rgb(BACKGROUND_RGB)}; }}\n")
    return f"""
@page {{ size: {size_m}; margin: 12mm; {boxes}}}
@page detail {{ size: {size_d}; margin: 12mm; {boxes}}}
body {{ font-family: {FAMILIES[layout.font]}; font-size: {font}pt;
        line-height: {kind.leading:g}; margin: 0; }}
h1 {{ font-size: 11pt; margin: 0 0 2mm 0; }}
.notice {{ color: #C00000; font-weight: bold; font-size: 7.5pt; margin-bottom: 3mm; }}
table {{ border-collapse: collapse; table-layout: fixed; }}
table.matrix {{ width: {width_m}mm; }}
table.detail {{ width: {width_d}mm; }}
th, td {{ border: {border}; padding: {padding}; vertical-align: top; text-align: left;
          overflow-wrap: break-word; }}
tr {{ break-inside: {split}; }}
.matrix col.k {{ width: {key_mm}mm; }}
.matrix td.t {{ padding: 0; }}
td.looptijd, .sw.looptijd {{ background: {looptijd}; }}
td.mijlpaal, .sw.mijlpaal {{ background: {mijlpaal}; }}
tr.grp td {{ font-weight: bold; }}
.legend {{ margin-top: 3mm; }}
.legend .sw {{ display: inline-block; width: 6mm; height: 3mm; margin: 0 1.5mm 0 4mm; }}
.detailpart {{ page: detail; break-before: page; }}
.detail td p {{ margin: 0 0 1mm 0; }}
sup.fn {{ font-size: 62%; vertical-align: super; line-height: 0; }}
.fnotes {{ margin-top: 4mm; font-size: {note}pt; }}
.fnotes .sep {{ width: 45mm; border-top: 0.5pt solid #000; margin-bottom: 1mm; }}
.foot {{ font-size: 6pt; color: #595959; margin-top: 3mm; }}
{extra}"""


def _cols(doc: Document) -> str:
    """Column widths as shares of the table: keys, title, parties, timeline."""
    keys = doc.key_columns
    periods = len(doc.annex.years) * doc.periods
    layout = doc.layout
    title, key, party = 26.0, 4.0, 7.0
    if layout.generation >= 2:  # shares of the table, never narrower than a word
        landscape = layout.orientation in ("landscape", "mixed")
        table_mm = _page(doc, landscape)[1]
        kind = _kind(doc)
        pad = 0.8 * kind.padding * MM_PT

        def share(points: float) -> float:
            return 100 * points / MM_PT / table_mm

        kind = _matrix_kind(doc)
        title = share(title_width_pt(doc, title / 100 * table_mm * MM_PT, kind.body, pad))
        key = share(key_width_pt(doc, key / 100 * table_mm * MM_PT, kind.body, pad))
        party = share(party_width_pt(doc, party / 100 * table_mm * MM_PT, kind.body, pad,
                                     table_mm * MM_PT))
    widths = [key] * keys + [title] + [party] * len(doc.groups)
    rest = 100.0 - sum(widths)
    widths += [rest / periods] * periods
    return "<colgroup>" + "".join(f'<col style="width:{w:.4f}%">' for w in widths) + "</colgroup>"


def _dcols(doc: Document) -> str:
    keys = doc.detail_key_columns
    initiator = 14.0
    layout = doc.layout
    if layout.generation >= 2:
        table_mm = _page(doc, layout.orientation == "landscape")[1]
        kind = _kind(doc)
        points = initiator_width_pt(doc, initiator / 100 * table_mm * MM_PT, kind.detail,
                                    0.8 * kind.padding * MM_PT)
        initiator = 100 * points / MM_PT / table_mm
    widths = ([4.0, 4.0] if keys == 2 else [7.0]) + [38.0, initiator]
    widths.append(100.0 - sum(widths))
    return "<colgroup>" + "".join(f'<col style="width:{w:.2f}%">' for w in widths) + "</colgroup>"


def page_html(doc: Document, engine: str, apart: frozenset[int] = frozenset(),
              mark: bool = False) -> str:
    foot = "FACSIMILE - tijdlijn illustratief / timeline illustrative"
    matrix = _matrix(doc, apart, mark).replace('<table class="matrix">',
                                               '<table class="matrix">' + _cols(doc))
    detail = _detail(doc).replace('<table class="detail">', '<table class="detail">' + _dcols(doc))
    legend = {"before": "", "after": "", "end": ""}
    if doc.layout.legend_place in legend:
        legend[doc.layout.legend_place] = _legend(doc) + ("\n" if doc.layout.legend_place
                                                         != "after" else "")
    background = '<div class="bg"></div>\n' if doc.layout.background == "tint" else ""
    return f"""<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<title>{_esc(META_TITLE)}</title>
<meta name="description" content="{html.escape(META_SUBJECT)}">
<meta name="author" content="techniekpact-annex layout generator">
<meta name="dcterms.created" content="2000-01-01T00:00:00+00:00">
<style>{_css(doc, engine)}</style></head><body>
{background}<h1>{_esc(doc.annex.title)}</h1>
<div class="notice">{_esc(NOTICE_NL)}<br>{_esc(NOTICE_EN)}</div>
{legend["before"]}{matrix}
{legend["after"]}
<div class="foot">{foot}</div>
<div class="detailpart">
{detail}
{legend["end"]}<div class="foot">{foot}</div>
</div>
</body></html>
"""


def render_chromium(doc: Document, target: Path) -> None:
    browser = find_browser()
    if browser is None:
        raise RuntimeError("no Chromium found (apt-get install -y chromium)")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "layout.html"
        page.write_text(page_html(doc, "chromium"), encoding="utf-8")
        command = [
            browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-extensions", "--hide-scrollbars", "--disable-pdf-tagging",
            f"--user-data-dir={Path(tmp) / 'profile'}", f"--print-to-pdf={target}",
            "--no-pdf-header-footer", page.as_uri(),
        ]
        done = subprocess.run(command, capture_output=True, text=True, timeout=180)
        if done.returncode != 0 or not target.exists():
            raise RuntimeError(f"chromium failed: {done.stderr.strip()[-300:]}")


# Passes of WeasyPrint's layout at most, to find the fills merged over two rows that a
# page break cuts (each pass paints those apart; they move no page break, being empty).
CUT_SPAN_PASSES = 4


def render_weasyprint(doc: Document, target: Path) -> None:
    """WeasyPrint paints a cell spanning two rows only on the page of its first row:
    where a page break falls between the rows, the second row's part is never painted
    (a timeline fill merged over two rows, 'merged_rows', cut at a page break). Those
    two rows get a fill each, as a writer does who sees the printed page, so that the
    PDF paints every cell the truth says. The page breaks come from WeasyPrint's own
    layout of the document (rows marked with their index, which paints nothing)."""
    import weasyprint

    apart: frozenset[int] = frozenset()
    if doc.layout.fill_paint == "merged_rows":
        for _ in range(CUT_SPAN_PASSES):
            laid_out = weasyprint.HTML(string=page_html(doc, "weasyprint", apart, True)).render()
            cut = apart | _rows_ending_pages(laid_out)
            if cut == apart:
                break
            apart = cut
    weasyprint.HTML(string=page_html(doc, "weasyprint", apart)).write_pdf(
        target, uncompressed_pdf=False)


def _rows_ending_pages(document) -> frozenset[int]:
    """Indexes of the marked matrix rows that are the last action row on their page."""
    last = set()
    for page in document.pages:
        rows = [box.element.get("data-row") for box in page._page_box.descendants()
                if type(box).__name__ == "TableRowBox" and box.element is not None
                and box.element.get("data-row") is not None]
        if rows:
            last.add(int(rows[-1]))
    return frozenset(last)
