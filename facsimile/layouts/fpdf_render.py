"""A generated layout printed by fpdf2: a pure-Python PDF writer with its own table
engine (`FPDF.table`), text layout and font subsetting, so another code path to the PDF
than reportlab's platypus, the browsers' and LibreOffice's.

fpdf2 moves a table row that does not fit to the next page (rows never split), and
lays out a cell's text itself: footnotes are collected after the detail table. Fills are
RGB rectangles; colour spaces, curves and patterns are applied afterwards (post.py).
"""

from __future__ import annotations

from pathlib import Path

from facsimile import META_SUBJECT, META_TITLE, NOTICE_EN, NOTICE_NL
from facsimile.content import DETAIL_HEADERS, MATRIX_HEADER_ACTION, MATRIX_HEADER_PARTIES
from facsimile.layouts.model import (
    BACKGROUND_RGB,
    BAND_RGB,
    HEADER_RGB,
    RUNNING_TITLE,
    SUPERSCRIPT,
    Document,
    banded,
    fit_matrix,
    initiator_width_pt,
    key_width_pt,
    page_mm,
    party_width_pt,
    plain,
    title_width_pt,
    typography,
)
from facsimile.layouts.options import rgb_of
from facsimile.layouts.rl_render import FAMILIES, FONT_DIRS

MM_PT = 72 / 25.4
MARGIN_MM = 12.0
FOOT = "FACSIMILE - tijdlijn illustratief / timeline illustrative"
PADDING_PT = 1.5  # fpdf2's cell padding at spacing=normal (times the layout's factor)
LINE_SHARE = 1.2  # a line's height as a multiple of the font size at spacing=normal


def _rgb255(rgb: tuple[float, float, float]) -> tuple[int, int, int]:
    return tuple(round(v * 255) for v in rgb)


def _font_files(font: str) -> tuple[Path, Path]:
    name = FAMILIES[font]
    for folder in FONT_DIRS:
        regular, bold = Path(folder) / f"{name}.ttf", Path(folder) / f"{name}-Bold.ttf"
        if regular.exists() and bold.exists():
            return regular, bold
    raise RuntimeError(f"{name} not found (apt-get install -y fonts-dejavu-core)")


def render_fpdf(doc: Document, target: Path) -> None:
    """Build the PDF. fpdf2 cannot split a table row, so a layout whose detail row is
    taller than a page (large type, loose spacing) is built a second time with each
    detail row on one table row per paragraph, the key and initiator cells empty on the
    continuation rows (as Calc's layouts are, and as people lay out such tables)."""
    try:
        _render(doc, target, split_rows=False)
    except ValueError as error:
        if "too high" not in str(error):
            raise
        _render(doc, target, split_rows=True)


def _render(doc: Document, target: Path, split_rows: bool) -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    layout = doc.layout
    matrix_landscape = layout.orientation in ("landscape", "mixed")
    detail_landscape = layout.orientation == "landscape"
    kind = typography(layout, 7.0, 7.0)
    family = FAMILIES[layout.font]
    regular, bold = _font_files(layout.font)

    class Pdf(FPDF):
        def header(self) -> None:
            if layout.background == "tint":  # under everything the page prints
                self.set_fill_color(*_rgb255(BACKGROUND_RGB))
                self.rect(0, 0, self.w, self.h, style="F")
            top = []
            if layout.running_header == "title":
                top.append(RUNNING_TITLE)
            if layout.page_numbers == "slash":
                top.append(f"{self.page_no()}/{{nb}}")
            if top:
                self.set_font(family, size=6)
                self.set_xy(self.l_margin, MARGIN_MM * MM_PT / 2)
                self.cell(0, 8, "    ".join(top))
                self.set_xy(self.l_margin, self.t_margin)

        def footer(self) -> None:
            self.set_font(family, size=6)
            self.set_text_color(0x59, 0x59, 0x59)
            self.set_xy(self.l_margin, self.h - MARGIN_MM * MM_PT * 0.75)
            text = FOOT
            if layout.page_numbers == "pagina_van":
                text += f"    pagina {self.page_no()} van {{nb}}"
            self.cell(0, 8, text)
            self.set_text_color(0, 0, 0)

    def size_of(landscape: bool) -> tuple[float, float]:
        width, height = page_mm(layout, landscape)
        return width * MM_PT, height * MM_PT

    pdf = Pdf(orientation="L" if matrix_landscape else "P", unit="pt", format=size_of(False))
    pdf.set_creator("techniekpact-annex layout generator")
    pdf.set_title(META_TITLE)
    pdf.set_subject(META_SUBJECT)
    import datetime

    pdf.set_creation_date(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    pdf.add_font(family, "", str(regular))
    pdf.add_font(family, "B", str(bold))
    margin = MARGIN_MM * MM_PT
    pdf.set_margins(margin, margin, margin)
    pdf.set_auto_page_break(True, margin=margin)
    pad = PADDING_PT * kind.padding
    line = kind.leading / 1.2 * LINE_SHARE
    headings = FontFace(
        emphasis="BOLD",
        fill_color=_rgb255(HEADER_RGB) if layout.header_shade == "shaded" else None,
    )
    if layout.rules != "ruled":
        borders = "NONE"
    else:
        borders = "HORIZONTAL_LINES" if layout.rule_lines == "horizontal" else "ALL"
    band = FontFace(fill_color=_rgb255(BAND_RGB))
    fills = {
        c: FontFace(fill_color=_rgb255(rgb_of(n)))
        for c, n in zip(("looptijd", "mijlpaal"), layout.colours, strict=True)
    }
    strong = FontFace(emphasis="BOLD")

    def legend() -> None:
        pdf.set_font(family, size=kind.note)
        pdf.ln(4)
        words = [pdf.get_string_width(t) + 2 * pad + 2 for _, t in doc.legend]
        label = pdf.get_string_width("Legenda:") + 2 * pad + 2
        with pdf.table(
            col_widths=[label, 18, words[0], 18, words[1]],
            width=label + 36 + sum(words),
            align="LEFT",
            borders_layout="NONE",
            first_row_as_headings=False,
            padding=pad,
            text_align="LEFT",
        ) as table:
            row = table.row()
            row.cell("Legenda:")
            for index, (colour_class, text) in enumerate(doc.legend):
                row.cell("", style=fills[colour_class])
                row.cell(text)
                del index
        pdf.ln(4)

    pdf.add_page()
    pdf.set_font(family, "B", 11)
    pdf.multi_cell(0, 13, doc.annex.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(family, "B", 7.5)
    pdf.set_text_color(0xC0, 0, 0)
    pdf.multi_cell(0, 9, NOTICE_NL + "\n" + NOTICE_EN, new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(4)
    if layout.legend_place == "before":
        legend()

    # matrix
    table_pt = size_of(matrix_landscape)[0] - 2 * margin
    mkind = fit_matrix(doc, kind, table_pt, 0.04 * table_pt, 0.26 * table_pt, 0.07 * table_pt, pad)
    size = mkind.body
    keys = doc.key_columns
    periods = doc.periods
    years = doc.annex.years
    count = len(years) * periods
    key_w = key_width_pt(doc, 0.04 * table_pt, size, pad)
    title_w = title_width_pt(doc, 0.26 * table_pt, size, pad)
    party_w = party_width_pt(doc, 0.07 * table_pt, size, pad, table_pt)
    fixed = [key_w] * keys + [title_w] + [party_w] * len(doc.groups)
    widths = fixed + [(table_pt - sum(fixed)) / count] * count
    pdf.set_font(family, size=size)
    order = [(y, p) for y in years for p in range(1, periods + 1)]
    merged = layout.fill_paint == "merged_years"
    with pdf.table(
        col_widths=widths,
        width=table_pt,
        align="LEFT",
        v_align="TOP",
        borders_layout=borders,
        headings_style=headings,
        num_heading_rows=2,
        repeat_headings=1 if layout.matrix_header_repeat else 0,
        line_height=size * line,
        padding=pad,
        text_align="LEFT",
    ) as table:
        top = table.row()
        top.cell(MATRIX_HEADER_ACTION, colspan=keys + 1, rowspan=2)
        top.cell(MATRIX_HEADER_PARTIES, colspan=len(doc.groups))
        top.cell(doc.timeline_header, colspan=count)
        second = table.row()
        for group in doc.groups:
            second.cell("\n".join(doc.labels[group]))
        for label in doc.year_labels:
            second.cell(label, colspan=periods, padding=(pad, 0, pad, 0))
        ambition = None
        for number, printed in enumerate(doc.actions):
            action = printed.action
            if action.ambition != ambition:
                ambition = action.ambition
                table.row().cell(ambition, colspan=len(widths), style=strong)
            shade = band if banded(layout, number) else None
            row = table.row()
            texts = [printed.number_cell, printed.letter_cell] if keys == 2 else [printed.key_cell]
            for text in [*texts, printed.title_cell, *(action.parties[g] for g in doc.groups)]:
                row.cell(text, style=shade)
            position = 0
            while position < count:
                colour = printed.cells.get(order[position])
                span = 1
                if merged and colour:
                    while (
                        position + span < count
                        and printed.cells.get(order[position + span]) == colour
                    ):
                        span += 1
                row.cell(
                    "",
                    colspan=span,
                    style=fills[colour] if colour else shade,
                    padding=(0, 0, 0, 0),
                )  # a month is narrower than the padding
                position += span
    if layout.legend_place == "after":
        legend()
    pdf.set_font(family, size=6)
    pdf.multi_cell(0, 8, FOOT, new_x="LMARGIN", new_y="NEXT")

    # detail table, on its own pages
    pdf.add_page(orientation="L" if detail_landscape else "P", format=size_of(False))
    dkeys = doc.detail_key_columns
    detail_pt = size_of(detail_landscape)[0] - 2 * margin
    dsize = kind.detail
    fixed = [0.05 * detail_pt] * 2 if dkeys == 2 else [0.08 * detail_pt]
    rest = detail_pt - sum(fixed)
    initiator_w = initiator_width_pt(doc, 0.16 * rest, dsize, pad)
    dwidths = fixed + [(rest - initiator_w) / 2, initiator_w, (rest - initiator_w) / 2]
    style = layout.markers

    def blocks(items) -> str:
        return "\n".join(("• " if b.kind == "li" else "") + plain(b.text, style) for b in items)

    pdf.set_font(family, size=dsize)
    with pdf.table(
        col_widths=dwidths,
        width=detail_pt,
        align="LEFT",
        v_align="TOP",
        borders_layout=borders,
        headings_style=headings,
        num_heading_rows=1,
        repeat_headings=1,
        line_height=dsize * line,
        padding=pad,
        text_align="LEFT",
    ) as table:
        head = table.row()
        head.cell(DETAIL_HEADERS[0], colspan=dkeys + 1)
        head.cell(DETAIL_HEADERS[1])
        head.cell(DETAIL_HEADERS[2])
        ambition = None
        for number, printed in enumerate(doc.details):
            data = printed.row
            if data.ambition and data.ambition != ambition:
                ambition = data.ambition
                table.row().cell(ambition, colspan=len(dwidths), style=strong)
            shade = band if banded(layout, number) else None
            texts = (
                [printed.number_cell, printed.letters_cell] if dkeys == 2 else [printed.key_cell]
            )
            if split_rows:  # one table row per paragraph / status block
                actions = [blocks(paragraph) for paragraph in printed.action]
                statuses = [blocks([b]) for b in printed.status]
            else:
                actions = ["\n\n".join(blocks(paragraph) for paragraph in printed.action)]
                statuses = [blocks(printed.status)]
            for part in range(max(len(actions), len(statuses), 1)):
                row = table.row()
                for text in texts:
                    row.cell(text if part == 0 else "", style=shade)
                row.cell(actions[part] if part < len(actions) else "", style=shade)
                row.cell(data.initiator if part == 0 else "", style=shade)
                row.cell(statuses[part] if part < len(statuses) else "", style=shade)
    pdf.ln(6)
    pdf.set_font(family, size=kind.note)
    for note in doc.annex.footnotes:
        marker = note.marker.translate(str.maketrans("0123456789", SUPERSCRIPT))
        pdf.multi_cell(
            0,
            kind.note * line,
            plain(marker + " " + note.text, style),
            new_x="LMARGIN",
            new_y="NEXT",
        )
    if layout.legend_place == "end":
        legend()
    pdf.set_font(family, size=6)
    pdf.multi_cell(0, 8, FOOT, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(target))
