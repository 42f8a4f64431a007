"""A generated layout printed by reportlab's platypus (tables that split over pages).

The one producer here that places footnotes itself: each marker is an `onDraw` hook,
so the page that really printed it is known, and its footnote is drawn at the foot of
that page, of the next page, or after the table, as the layout says. Fonts: DejaVu Sans
(TrueType, embedded subset) so Unicode superscript digits print as such.
"""

from __future__ import annotations

import html
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from facsimile import META_SUBJECT, META_TITLE, NOTICE_EN, NOTICE_NL
from facsimile.content import DETAIL_HEADERS, MATRIX_HEADER_ACTION, MATRIX_HEADER_PARTIES
from facsimile.layouts.model import Document, pieces
from facsimile.layouts.options import rgb_of

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
MARGIN = 30.0
FOOT = "FACSIMILE - tijdlijn illustratief / timeline illustrative"


def _fonts() -> tuple[str, str]:
    for folder in FONT_DIRS:
        regular, bold = Path(folder) / "DejaVuSans.ttf", Path(folder) / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
                pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
            return "DejaVuSans", "DejaVuSans-Bold"
    raise RuntimeError("DejaVu Sans not found (apt-get install -y fonts-dejavu-core)")


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def _rich(text: str, style: str) -> str:
    out = []
    for piece, is_marker in pieces(text, style):
        hook = f'<onDraw name="fn" label="{_digits(piece)}"/>' if is_marker else ""
        if is_marker and style == "raised_digits":
            out.append(f"<super>{_esc(piece)}</super>{hook}")
        else:
            out.append(_esc(piece) + hook)
    return "".join(out)


def _digits(text: str) -> str:
    return "".join(c for c in text.translate(str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789"))
                   if c.isdigit())


class _Doc(BaseDocTemplate):
    pass


def render(doc: Document, target: Path) -> None:
    regular, bold = _fonts()
    layout = doc.layout
    matrix_size = landscape(A4) if layout.orientation in ("landscape", "mixed") else portrait(A4)
    detail_size = portrait(A4) if layout.orientation in ("portrait", "mixed") else landscape(A4)
    small = 6.5 if matrix_size == portrait(A4) or doc.periods == 12 else 7.0
    body = ParagraphStyle("body", fontName=regular, fontSize=small, leading=small * 1.2)
    head = ParagraphStyle("head", parent=body, fontName=bold)
    detail = ParagraphStyle("detail", fontName=regular, fontSize=7.5, leading=9.0)
    note_style = ParagraphStyle("note", fontName=regular, fontSize=6.5, leading=7.8)
    marker_style = layout.markers
    notes = {n.marker: n for n in doc.annex.footnotes}
    by_number = {str(n.number): n.marker for n in doc.annex.footnotes}
    note_paras = {
        m: Paragraph(_rich(_sup(m), marker_style) + " " + _esc(n.text), note_style)
        for m, n in notes.items()
    }
    width_d = detail_size[0] - 2 * MARGIN
    reserve = 0.0
    if layout.footnotes in ("page_foot", "next_page"):
        reserve = 14.0 + sum(p.wrap(width_d, 1000)[1] + 1 for p in note_paras.values())
    state = {"page_markers": {}, "carried": []}

    def on_marker(canvas, kind, label):
        marker = by_number.get(label, label)
        seen = state["page_markers"].setdefault(canvas.getPageNumber(), [])
        if marker not in seen:
            seen.append(marker)

    def page_end(canvas, document):
        number = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFont(regular, 6)
        canvas.setFillGray(0.35)
        canvas.drawString(MARGIN, MARGIN / 2, FOOT)
        canvas.drawRightString(canvas._pagesize[0] - MARGIN, MARGIN / 2, f"pagina {number}")
        canvas.restoreState()

    def detail_end(canvas, document):
        page_end(canvas, document)
        number = canvas.getPageNumber()
        here = state["page_markers"].get(number, [])
        if layout.footnotes == "page_foot":
            draw = here
        elif layout.footnotes == "next_page":
            draw, state["carried"] = state["carried"], list(here)
        else:
            return
        if not draw:
            return
        y = MARGIN + reserve
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, y - 3, MARGIN + 120, y - 3)
        y -= 8
        for marker in draw:
            para = note_paras[marker]
            _, height = para.wrap(width_d, 1000)
            para.drawOn(canvas, MARGIN, y - height)
            y -= height + 1
        canvas.restoreState()

    document = _Doc(str(target), pagesize=matrix_size, leftMargin=MARGIN, rightMargin=MARGIN,
                    topMargin=MARGIN, bottomMargin=MARGIN, title=META_TITLE,
                    subject=META_SUBJECT, author="techniekpact-annex layout generator",
                    creator=f"layout generator (reportlab, seed {layout.seed})",
                    invariant=1, pageCompression=1)
    frame_m = Frame(MARGIN, MARGIN, matrix_size[0] - 2 * MARGIN, matrix_size[1] - 2 * MARGIN,
                    id="m", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    frame_d = Frame(MARGIN, MARGIN + reserve, width_d, detail_size[1] - 2 * MARGIN - reserve,
                    id="d", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    document.addPageTemplates([
        PageTemplate(id="matrix", frames=[frame_m], pagesize=matrix_size, onPageEnd=page_end),
        PageTemplate(id="detail", frames=[frame_d], pagesize=detail_size, onPageEnd=detail_end),
    ])
    story = [
        Paragraph(_esc(doc.annex.title), ParagraphStyle("t", fontName=bold, fontSize=11,
                                                       leading=13.5)),
        Spacer(1, 4),
        Paragraph(_esc(NOTICE_NL) + "<br/>" + _esc(NOTICE_EN),
                  ParagraphStyle("n", fontName=bold, fontSize=7, leading=8.6,
                                 textColor=colors.Color(0.75, 0, 0))),
        Spacer(1, 6),
    ]
    story += _matrix(doc, body, head, matrix_size[0] - 2 * MARGIN)
    story += [Spacer(1, 6), _legend(doc, body), NextPageTemplate("detail"), PageBreak()]
    story += _detail(doc, detail, ParagraphStyle("dh", parent=detail, fontName=bold), width_d)
    if layout.footnotes == "after_table":
        story.append(Spacer(1, 8))
        story += [note_paras[n.marker] for n in doc.annex.footnotes]
    elif layout.footnotes == "next_page":
        # the notes of the table's last page are carried to one more page
        story += [PageBreak(), Paragraph("(voetnoten bij de vorige pagina)", note_style)]
    document.build(story, canvasmaker=_canvas_maker(on_marker))


def _canvas_maker(on_marker):
    from reportlab.pdfgen.canvas import Canvas

    class _Canvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.setNamedCB("fn", on_marker)

    return _Canvas


def _sup(digits: str) -> str:
    return digits.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _matrix(doc: Document, body: ParagraphStyle, head: ParagraphStyle, width: float) -> list:
    """The matrix as one table, or as two with a page break after the second group line
    when the layout wants a group line as the last line of a page."""
    items: list[tuple[str, int]] = []  # ("group", action index) or ("action", index)
    ambition = None
    for index, printed in enumerate(doc.actions):
        if printed.action.ambition != ambition:
            ambition = printed.action.ambition
            items.append(("group", index))
        items.append(("action", index))
    groups = [i for i, (kind, _) in enumerate(items) if kind == "group"]
    if doc.layout.group_last_on_page and len(groups) > 1:
        cut = groups[1] + 1
        return [_matrix_table(doc, items[:cut], True, body, head, width), PageBreak(),
                _matrix_table(doc, items[cut:], doc.layout.matrix_header_repeat, body, head,
                              width)]
    return [_matrix_table(doc, items, True, body, head, width)]


def _matrix_table(doc: Document, items: list, with_header: bool, body: ParagraphStyle,
                  head: ParagraphStyle, width: float) -> Table:
    layout = doc.layout
    keys = doc.key_columns
    years = doc.annex.years
    periods = doc.periods
    portrait_page = width < 600
    title_w = 110.0 if portrait_page else 150.0
    party_w = 30.0 if portrait_page else 40.0
    # a column is at least as wide as its longest label line, so no label is broken
    # inside a word (and glued labels meet at the border instead of overlapping)
    label_w = [max(stringWidth(line, head.fontName, head.fontSize) for line in doc.labels[g])
               + (0.5 if layout.header_labels == "glued" else 3.5) for g in doc.groups]
    fixed = [14.0] * keys + [title_w] + [max(party_w, w) for w in label_w]
    if layout.header_labels == "glued":
        fixed[-1] += 4.0  # the labels meet each other, not the first year label
    count = len(years) * periods
    step = (width - sum(fixed)) / count
    widths = fixed + [step] * count
    t0 = len(fixed)
    p0 = keys + 1
    glued = layout.header_labels == "glued"
    data: list[list] = []
    commands: list = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LEFTPADDING", (t0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (t0, 0), (-1, -1), 0),
    ]
    if with_header:
        label_style = head.clone("lab", alignment=0)
        row1 = [Paragraph(_esc(MATRIX_HEADER_ACTION), head)] + [""] * keys
        row1 += [Paragraph(_esc(MATRIX_HEADER_PARTIES), head)] + [""] * (len(doc.groups) - 1)
        row1 += [Paragraph(_esc(doc.timeline_header), head)] + [""] * (count - 1)
        row2 = [""] * (keys + 1)
        for index, group in enumerate(doc.groups):
            # glued: pairs of labels meet at their common border, with no padding
            align = 2 if glued and index % 2 == 0 and index < len(doc.groups) - 1 else 0
            row2.append(Paragraph("<br/>".join(_esc(x) for x in doc.labels[group]),
                                  label_style.clone(f"l{index}", alignment=align)))
        for label in doc.year_labels:
            row2 += [Paragraph(_esc(label), head)] + [""] * (periods - 1)
        data += [row1, row2]
        commands += [("SPAN", (0, 0), (keys, 1)), ("SPAN", (p0, 0), (t0 - 1, 0)),
                     ("SPAN", (t0, 0), (-1, 0))]
        if glued:
            commands += [("LEFTPADDING", (p0, 1), (t0 - 1, 1), 0),
                         ("RIGHTPADDING", (p0, 1), (t0 - 1, 1), 0)]
        for index in range(len(years)):
            start = t0 + index * periods
            commands.append(("SPAN", (start, 1), (start + periods - 1, 1)))
    if layout.rules == "ruled":
        commands.append(("GRID", (0, 0), (-1, -1), 0.4, colors.black))
    fills = {c: colors.Color(*rgb_of(n)) for c, n in zip(("looptijd", "mijlpaal"),
                                                        layout.colours, strict=True)}
    order = [(y, p) for y in years for p in range(1, periods + 1)]
    covered: set[tuple[int, int]] = set()  # (row, column) inside another cell's span
    in_table = {index for kind, index in items if kind == "action"}
    for kind, index in items:
        printed = doc.actions[index]
        action = printed.action
        r = len(data)
        if kind == "group":
            data.append([Paragraph(_esc(action.ambition), head)] + [""] * (len(widths) - 1))
            commands.append(("SPAN", (0, r), (-1, r)))
            continue
        cells = [printed.number_cell, printed.letter_cell] if keys == 2 else [printed.key_cell]
        row = [Paragraph(_esc(c), body) if c else "" for c in cells]
        row.append(Paragraph(_esc(printed.title_cell), body))
        row += [Paragraph(_esc(action.parties[g]), body) if action.parties[g] else ""
                for g in doc.groups]
        row += [""] * count
        data.append(row)
        below = doc.actions[index + 1] if index + 1 in in_table else None
        position = 0
        while position < count:
            column = t0 + position
            colour = printed.cells.get(order[position])
            if (r, column) in covered or not colour:
                position += 1
                continue
            span = 1
            if layout.fill_paint == "merged_years":
                while position + span < count and \
                        printed.cells.get(order[position + span]) == colour:
                    span += 1
            end_row = r
            if layout.fill_paint == "merged_rows" and below is not None and \
                    below.action.ambition == action.ambition and \
                    below.cells.get(order[position]) == colour:
                end_row = r + 1
                covered.add((r + 1, column))
            if span > 1 or end_row > r:
                commands.append(("SPAN", (column, r), (column + span - 1, end_row)))
            commands.append(("BACKGROUND", (column, r), (column + span - 1, end_row),
                             fills[colour]))
            position += span
    repeat = 2 if (with_header and layout.matrix_header_repeat) else 0
    split_in_row = 1 if layout.row_split == "allowed" else 0
    table = Table(data, colWidths=widths, repeatRows=repeat, splitInRow=split_in_row)
    table.setStyle(TableStyle(commands))
    return table


def _legend(doc: Document, body: ParagraphStyle) -> Table:
    row = [Paragraph("Legenda:", body)]
    commands = []
    for index, (_, text) in enumerate(doc.legend):
        name = doc.layout.colours[index]
        row += ["", Paragraph(_esc(text), body)]
        column = 1 + 2 * index
        commands.append(("BACKGROUND", (column, 0), (column, 0), colors.Color(*rgb_of(name))))
    table = Table([row], colWidths=[40, 18, 110, 18, 130], hAlign="LEFT")
    table.setStyle(TableStyle(commands + [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _detail(doc: Document, style: ParagraphStyle, bold: ParagraphStyle, width: float) -> list:
    layout = doc.layout
    markers = layout.markers
    keys = doc.detail_key_columns
    fixed = [16.0, 16.0] if keys == 2 else [26.0]
    action_w = (width - sum(fixed)) * 0.42
    initiator_w = (width - sum(fixed)) * 0.16
    widths = fixed + [action_w, initiator_w, width - sum(fixed) - action_w - initiator_w]
    header = [Paragraph(_esc(DETAIL_HEADERS[0]), bold)] + [""] * keys + \
        [Paragraph(_esc(DETAIL_HEADERS[1]), bold), Paragraph(_esc(DETAIL_HEADERS[2]), bold)]
    data = [header]
    commands = [("SPAN", (0, 0), (keys, 0)), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2)]
    if layout.rules == "ruled":
        commands.append(("GRID", (0, 0), (-1, -1), 0.4, colors.black))
    ambition = None
    for printed in doc.details:
        row = printed.row
        if row.ambition and row.ambition != ambition:
            ambition = row.ambition
            r = len(data)
            data.append([Paragraph(_esc(ambition), bold)] + [""] * (len(widths) - 1))
            commands.append(("SPAN", (0, r), (-1, r)))
        cells = [printed.number_cell, printed.letters_cell] if keys == 2 else [printed.key_cell]
        line = [Paragraph(_esc(c), style) if c else "" for c in cells]
        line.append([Paragraph("<br/>".join(_block(b, markers) for b in paragraph), style)
                     for paragraph in printed.action])
        line.append(Paragraph(_esc(row.initiator), style) if row.initiator else "")
        line.append([Paragraph(_block(b, markers), style) for b in printed.status])
        data.append(line)
    split_in_row = 1 if layout.row_split == "allowed" else 0
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=split_in_row)
    table.setStyle(TableStyle(commands))
    return [table]


def _block(block, markers: str) -> str:
    return ("• " if block.kind == "li" else "") + _rich(block.text, markers)
