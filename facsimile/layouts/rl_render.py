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
from reportlab.lib.pagesizes import landscape, portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
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
from reportlab.platypus.flowables import TopPadder

from facsimile import META_SUBJECT, META_TITLE, NOTICE_EN, NOTICE_NL
from facsimile.content import DETAIL_HEADERS, MATRIX_HEADER_ACTION, MATRIX_HEADER_PARTIES
from facsimile.layouts.model import (
    BACKGROUND_RGB,
    BAND_RGB,
    HEADER_RGB,
    PAGE_MM,
    RUNNING_TITLE,
    Document,
    Typography,
    banded,
    fit_matrix,
    initiator_width_pt,
    key_width_pt,
    page_number_text,
    party_width_pt,
    pieces,
    title_width_pt,
    typography,
)
from facsimile.layouts.options import rgb_of

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu",)
MARGIN = 30.0
FOOT = "FACSIMILE - tijdlijn illustratief / timeline illustrative"


# the layout's `font` -> the DejaVu family printing it (all three have every superscript
# digit the footnote markers need)
FAMILIES = {"sans": "DejaVuSans", "serif": "DejaVuSerif", "condensed": "DejaVuSansCondensed"}


def _fonts(font: str = "sans") -> tuple[str, str]:
    name = FAMILIES[font]
    for folder in FONT_DIRS:
        regular, bold = Path(folder) / f"{name}.ttf", Path(folder) / f"{name}-Bold.ttf"
        if regular.exists() and bold.exists():
            if name not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont(name, str(regular)))
                pdfmetrics.registerFont(TTFont(f"{name}-Bold", str(bold)))
            return name, f"{name}-Bold"
    raise RuntimeError(f"{name} not found (apt-get install -y fonts-dejavu-core "
                       "fonts-dejavu-extra)")


def _page(layout, landscape_page: bool) -> tuple[float, float]:
    width, height = PAGE_MM[layout.page_size]
    size = (width * mm, height * mm)
    return landscape(size) if landscape_page else portrait(size)


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
    """Build the PDF. With row_split=avoided a detail row taller than a page (large type,
    loose spacing) cannot be kept whole (Word and LibreOffice split such a row anyway):
    only such a layout is built a second time, its detail rows then splitting as with
    row_split=allowed (reportlab's splitInRow is one switch for the whole table)."""
    from reportlab.platypus.doctemplate import LayoutError

    try:
        _render(doc, target, split_tall_rows=False)
    except LayoutError:
        if doc.layout.row_split != "avoided":
            raise
        _render(doc, target, split_tall_rows=True)


def _render(doc: Document, target: Path, split_tall_rows: bool) -> None:
    layout = doc.layout
    regular, bold = _fonts(layout.font)
    matrix_size = _page(layout, layout.orientation in ("landscape", "mixed"))
    detail_size = _page(layout, layout.orientation == "landscape")
    small = 6.5 if matrix_size[0] < matrix_size[1] or doc.periods == 12 else 7.0
    kind = typography(layout, small, 7.5)
    portrait_matrix = matrix_size[0] - 2 * MARGIN < 600  # as _matrix_table decides
    kind = fit_matrix(doc, kind, matrix_size[0] - 2 * MARGIN, 14.0,
                      110.0 if portrait_matrix else 150.0, 30.0 if portrait_matrix else 40.0,
                      1.5 * kind.padding, year_padding_pt=0.0)  # timeline cells: no padding
    body = ParagraphStyle("body", fontName=regular, fontSize=kind.body,
                          leading=kind.body * kind.leading)
    head = ParagraphStyle("head", parent=body, fontName=bold)
    detail = ParagraphStyle("detail", fontName=regular, fontSize=kind.detail,
                            leading=kind.detail * kind.leading)
    note_style = ParagraphStyle("note", fontName=regular, fontSize=kind.note,
                                leading=kind.note * 1.2)
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

    def page_start(canvas, document):
        # drawn before the page's content: the content is printed over it
        if layout.background == "none" and layout.running_header == "none":
            return  # nothing drawn, not even an empty q Q: generation 1 stays byte-equal
        width, height = canvas._pagesize
        canvas.saveState()
        if layout.background == "tint":
            canvas.setFillColorRGB(*BACKGROUND_RGB)
            canvas.rect(MARGIN / 2, MARGIN / 2, width - MARGIN, height - MARGIN, stroke=0,
                        fill=1)
        if layout.running_header == "title":
            canvas.setFont(regular, 7)
            canvas.setFillGray(0.2)
            canvas.drawString(MARGIN, height - MARGIN / 2 - 3, RUNNING_TITLE)
        canvas.restoreState()

    def page_end(canvas, document):
        number = canvas.getPageNumber()
        canvas.saveState()
        canvas.setFont(regular, 6)
        canvas.setFillGray(0.35)
        canvas.drawString(MARGIN, MARGIN / 2, FOOT)
        if layout.page_numbers == "default":
            canvas.drawRightString(canvas._pagesize[0] - MARGIN, MARGIN / 2,
                                   f"pagina {number}")
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
        PageTemplate(id="matrix", frames=[frame_m], pagesize=matrix_size, onPage=page_start,
                     onPageEnd=page_end),
        PageTemplate(id="detail", frames=[frame_d], pagesize=detail_size, onPage=page_start,
                     onPageEnd=detail_end),
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
    place = layout.legend_place
    if place == "before":
        story += [_legend(doc, body), Spacer(1, 6)]
    story += _matrix(doc, body, head, matrix_size[0] - 2 * MARGIN, kind)
    if place == "after":
        story += [Spacer(1, 6), _legend(doc, body)]
    elif place == "page_foot":  # pushed to the foot of the matrix's last page
        story.append(TopPadder(_legend(doc, body)))
    story += [NextPageTemplate("detail"), PageBreak()]
    story += _detail(doc, detail, ParagraphStyle("dh", parent=detail, fontName=bold), width_d,
                     kind, split_tall_rows)
    if layout.footnotes == "after_table":
        story.append(Spacer(1, 8))
        story += [note_paras[n.marker] for n in doc.annex.footnotes]
    elif layout.footnotes == "next_page":
        # the notes of the table's last page are carried to one more page
        story += [PageBreak(), Paragraph("(voetnoten bij de vorige pagina)", note_style)]
    if place == "end":
        story += [Spacer(1, 8), _legend(doc, body)]
    numbers = None
    if layout.page_numbers != "default":
        def numbers(canvas, number, total):
            canvas.saveState()
            canvas.setFont(regular, 7)
            canvas.setFillGray(0.2)
            width, height = canvas._pagesize
            text = page_number_text(layout, number, total)
            if layout.page_numbers == "slash":  # top right, as report writers put it
                canvas.drawRightString(width - MARGIN, height - MARGIN / 2 - 3, text)
            else:
                canvas.drawRightString(width - MARGIN, MARGIN / 2, text)
            canvas.restoreState()
    document.build(story, canvasmaker=_canvas_maker(on_marker, numbers))


def _canvas_maker(on_marker, numbers=None):
    """A canvas that reports footnote markers; with `numbers`, one that keeps every page
    until the end, so each can say how many pages there are ("pagina 3 van 12")."""
    from reportlab.pdfgen.canvas import Canvas

    class _Canvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.setNamedCB("fn", on_marker)
            self._kept: list[dict] = []

        def showPage(self):
            if numbers is None:
                super().showPage()
                return
            self._kept.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._kept)
            for number, state in enumerate(self._kept, 1):
                self.__dict__.update(state)
                numbers(self, number, total)
                super().showPage()
            super().save()

    return _Canvas


def _sup(digits: str) -> str:
    return digits.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _matrix(doc: Document, body: ParagraphStyle, head: ParagraphStyle, width: float,
            kind: Typography) -> list:
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
        return [_matrix_table(doc, items[:cut], True, body, head, width, kind), PageBreak(),
                _matrix_table(doc, items[cut:], doc.layout.matrix_header_repeat, body, head,
                              width, kind)]
    return [_matrix_table(doc, items, True, body, head, width, kind)]


def _matrix_table(doc: Document, items: list, with_header: bool, body: ParagraphStyle,
                  head: ParagraphStyle, width: float, kind: Typography) -> Table:
    layout = doc.layout
    keys = doc.key_columns
    years = doc.annex.years
    periods = doc.periods
    portrait_page = width < 600
    pad = kind.padding
    title_w = title_width_pt(doc, 110.0 if portrait_page else 150.0, body.fontSize, 1.5 * pad)
    party_w = 30.0 if portrait_page else 40.0
    # a column is at least as wide as its longest label line, so no label is broken
    # inside a word (and glued labels meet at the border instead of overlapping)
    label_w = [max(stringWidth(line, head.fontName, head.fontSize) for line in doc.labels[g])
               + (0.5 if layout.header_labels == "glued" else 3.5) for g in doc.groups]
    key_w = key_width_pt(doc, 14.0, body.fontSize, 1.5 * pad)
    extra = 3 * (pad - 1)  # labels keep their room inside a padded cell
    party_w = party_width_pt(doc, party_w, body.fontSize, 1.5 * pad, width, labels=False)
    fixed = [key_w] * keys + [title_w] + [max(party_w, w + extra) for w in label_w]
    if layout.header_labels == "glued":
        fixed[-1] += 4.0  # the labels meet each other, not the first year label
    count = len(years) * periods
    # the year labels must fit over their periods: the title gives way first
    year_w = max(stringWidth(y, head.fontName, head.fontSize) for y in doc.year_labels) + 1
    short = year_w * len(years) - (width - sum(fixed))
    if short > 0:
        floor = max(40.0, title_width_pt(doc, 0.0, body.fontSize, 1.5 * pad))  # whole words
        fixed[keys] = max(floor, fixed[keys] - short)
    step = (width - sum(fixed)) / count
    widths = fixed + [step] * count
    t0 = len(fixed)
    p0 = keys + 1
    glued = layout.header_labels == "glued"
    data: list[list] = []
    commands: list = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 1.5 * pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), 1.5 * pad),
        ("TOPPADDING", (0, 0), (-1, -1), 1.0 * pad),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 * pad),
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
    commands += _rules(layout)
    if with_header and layout.header_shade == "shaded":
        commands.append(("BACKGROUND", (0, 0), (-1, 1), colors.Color(*HEADER_RGB)))
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
        if banded(layout, index):  # before the fills, which paint over it
            commands.append(("BACKGROUND", (0, r), (-1, r), colors.Color(*BAND_RGB)))
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
    """Swatches painted like the timeline cells, each before its words."""
    row = [Paragraph("Legenda:", body)]
    commands = []
    for index, (_, text) in enumerate(doc.legend):
        name = doc.layout.colours[index]
        row += ["", Paragraph(_esc(text), body)]
        column = 1 + 2 * index
        commands.append(("BACKGROUND", (column, 0), (column, 0), colors.Color(*rgb_of(name))))
    widths = [40, 18, 110, 18, 130]  # generation 1
    if doc.layout.generation >= 2:  # room for the words at any size (6 pt padding a side)
        label = stringWidth("Legenda:", body.fontName, body.fontSize) + 13
        words = [stringWidth(t, body.fontName, body.fontSize) + 13 for _, t in doc.legend]
        widths = [max(40, label), 18, max(110, words[0]), 18, max(130, words[1])]
    table = Table([row], colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle(commands + [("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return table


def _detail(doc: Document, style: ParagraphStyle, bold: ParagraphStyle, width: float,
            kind: Typography, split_tall_rows: bool = False) -> list:
    layout = doc.layout
    markers = layout.markers
    keys = doc.detail_key_columns
    pad = kind.padding
    scale = max(1.0, style.fontSize / 7.5)  # key cells as wide as their keys need
    extra = 2 * (pad - 1)
    fixed = [16.0 * scale + extra, 16.0 * scale + extra] if keys == 2 else \
        [26.0 * scale + extra]
    action_w = (width - sum(fixed)) * 0.42
    initiator_w = initiator_width_pt(doc, (width - sum(fixed)) * 0.16, style.fontSize, 2 * pad)
    action_w -= max(0.0, initiator_w - (width - sum(fixed)) * 0.16) / 2
    widths = fixed + [action_w, initiator_w, width - sum(fixed) - action_w - initiator_w]
    header = [Paragraph(_esc(DETAIL_HEADERS[0]), bold)] + [""] * keys + \
        [Paragraph(_esc(DETAIL_HEADERS[1]), bold), Paragraph(_esc(DETAIL_HEADERS[2]), bold)]
    data = [header]
    commands = [("SPAN", (0, 0), (keys, 0)), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 2 * pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2 * pad),
                ("TOPPADDING", (0, 0), (-1, -1), 3 * pad),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * pad)]
    commands += _rules(layout)
    if layout.header_shade == "shaded":
        commands.append(("BACKGROUND", (0, 0), (-1, 0), colors.Color(*HEADER_RGB)))
    ambition = None
    for number, printed in enumerate(doc.details):
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
        if banded(layout, number):
            commands.append(("BACKGROUND", (0, len(data)), (-1, len(data)),
                             colors.Color(*BAND_RGB)))
        data.append(line)
    split_in_row = 1 if layout.row_split == "allowed" or split_tall_rows else 0
    table = Table(data, colWidths=widths, repeatRows=1, splitInRow=split_in_row)
    table.setStyle(TableStyle(commands))
    return [table]


def _rules(layout) -> list:
    """The table's rules: a grid, or (`rule_lines=horizontal`) a rule above every row
    and below the last, no vertical ones; none when borderless."""
    if layout.rules != "ruled":
        return []
    if layout.rule_lines == "horizontal":
        return [("LINEABOVE", (0, 0), (-1, -1), 0.4, colors.black),
                ("LINEBELOW", (0, -1), (-1, -1), 0.4, colors.black)]
    return [("GRID", (0, 0), (-1, -1), 0.4, colors.black)]


def _block(block, markers: str) -> str:
    return ("• " if block.kind == "li" else "") + _rich(block.text, markers)
