"""The two reportlab facsimiles: one ruled (Word-like), one borderless with CMYK fills.

Everything is laid out by this module (pages, table rows, row splits, footnotes)
and then drawn on a reportlab canvas with the base-14 fonts, so the output is
small and byte-for-byte reproducible (`invariant=1`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

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
)
from facsimile.rl_text import Line, TextStyle, draw_lines, fit, height_of, wrap_blocks, wrap_text
from facsimile.timeline import Cells, coarsen

Colour = tuple[str, tuple[float, ...]]  # (PDF colour space, components)


@dataclass(frozen=True)
class Variant:
    name: str
    filename: str
    description: str
    matrix_page: tuple[float, float]
    detail_page: tuple[float, float]
    font: str
    bold: str
    matrix_text: TextStyle
    detail_text: TextStyle
    footnote_text: TextStyle
    ruled: bool
    periods_per_year: int
    colours: dict[str, Colour]
    text_colour: Colour
    header_fill: Colour | None = None
    group_fill: Colour | None = None
    cell_inset: tuple[float, float] = (0.0, 0.0)  # timeline fill inset (x, y) in points
    margin: float = 36.0
    pad: float = 2.0
    row_gap: float = 0.0  # extra space between rows (borderless tables)
    matrix_widths: tuple[float, ...] = ()  # key, title, 5 party columns; rest = timeline
    detail_widths: tuple[float, ...] = ()  # nr, letters, action, initiator; rest = status


RULED = Variant(
    name="reportlab-ruled",
    filename="facsimile-reportlab-ruled.pdf",
    description=(
        "reportlab, A4 landscape throughout, Helvetica; ruled table (stroked grid lines); "
        "timeline one cell per year, DeviceRGB pure yellow (1,1,0) and green (0,0.69,0.31) "
        "filling the whole cell; footnote separator line; no other fills."
    ),
    matrix_page=landscape(A4),
    detail_page=landscape(A4),
    font="Helvetica",
    bold="Helvetica-Bold",
    matrix_text=TextStyle("Helvetica", 7.0, 8.4),
    detail_text=TextStyle("Helvetica", 7.5, 9.0),
    footnote_text=TextStyle("Helvetica", 6.5, 7.8),
    ruled=True,
    periods_per_year=1,
    colours={"looptijd": ("DeviceRGB", (1.0, 1.0, 0.0)),
             "mijlpaal": ("DeviceRGB", (0.0, 0.69, 0.31))},
    text_colour=("DeviceRGB", (0.0, 0.0, 0.0)),
    matrix_widths=(18, 190, 44, 44, 58, 38, 42),
    detail_widths=(20, 18, 205, 88),
)

BORDERLESS = Variant(
    name="reportlab-borderless-cmyk",
    filename="facsimile-reportlab-borderless-cmyk.pdf",
    description=(
        "reportlab, matrix on A4 landscape pages and detail table on A4 portrait pages, "
        "Times-Roman; NO ruling lines at all (cells only by position); timeline split into "
        "2 half-year sub-columns per year, DeviceCMYK yellow (0,0,1,0) and green "
        "(0.5,0,1,0.2), inset 0.5 pt so neighbouring fills do not touch; DeviceGray fills "
        "(0.85 header rows, 0.93 ambition rows) as a trap."
    ),
    matrix_page=landscape(A4),
    detail_page=portrait(A4),
    font="Times-Roman",
    bold="Times-Bold",
    matrix_text=TextStyle("Times-Roman", 7.5, 8.6),
    detail_text=TextStyle("Times-Roman", 8.0, 9.4),
    footnote_text=TextStyle("Times-Roman", 7.0, 8.2),
    ruled=False,
    periods_per_year=2,
    colours={"looptijd": ("DeviceCMYK", (0.0, 0.0, 1.0, 0.0)),
             "mijlpaal": ("DeviceCMYK", (0.5, 0.0, 1.0, 0.2))},
    text_colour=("DeviceGray", (0.0,)),
    header_fill=("DeviceGray", (0.85,)),
    group_fill=("DeviceGray", (0.93,)),
    cell_inset=(0.5, 1.2),
    margin=34.0,
    row_gap=2.0,
    matrix_widths=(16, 196, 42, 42, 56, 38, 44),
    detail_widths=(16, 14, 132, 72),
)

VARIANTS = (RULED, BORDERLESS)


# --- drawing operations -----------------------------------------------------------


@dataclass
class Page:
    kind: str  # "matrix" or "detail"
    size: tuple[float, float]
    ops: list = field(default_factory=list)  # callables(canvas)
    footnotes: list[str] = field(default_factory=list)  # markers, in order of reference
    actions: list[str] = field(default_factory=list)  # matrix action ids on this page
    segments: dict = field(default_factory=dict)  # ruling (x0, y0, x1, y1) -> line width

    def rule(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.5) -> None:
        key = (round(x0, 2), round(y0, 2), round(x1, 2), round(y1, 2))
        self.segments[key] = max(width, self.segments.get(key, 0.0))


def _set_fill(canvas: Canvas, colour: Colour) -> None:
    space, value = colour
    if space == "DeviceRGB":
        canvas.setFillColorRGB(*value)
    elif space == "DeviceCMYK":
        canvas.setFillColorCMYK(*value)
    elif space == "DeviceGray":
        canvas.setFillGray(value[0])
    else:
        raise ValueError(space)


class _Layout:
    def __init__(self, variant: Variant, annex: Annex, truth: dict[str, Cells]) -> None:
        self.v = variant
        self.annex = annex
        self.truth = truth
        self.pages: list[Page] = []
        self.footnote_lines: dict[str, list[Line]] = {}
        self.y = 0.0

    # -- common ---------------------------------------------------------------

    def new_page(self, kind: str) -> Page:
        size = self.v.matrix_page if kind == "matrix" else self.v.detail_page
        page = Page(kind, size)
        self.pages.append(page)
        self.y = size[1] - self.v.margin
        return page

    @property
    def page(self) -> Page:
        return self.pages[-1]

    def width(self) -> float:
        return self.page.size[0] - 2 * self.v.margin

    def text_op(self, lines: list[Line], x: float, top: float, style: TextStyle):
        def op(canvas: Canvas) -> None:
            _set_fill(canvas, self.v.text_colour)
            draw_lines(canvas, lines, x, top, style)
        return op

    def fill_op(self, colour: Colour, x: float, y: float, w: float, h: float):
        def op(canvas: Canvas) -> None:
            _set_fill(canvas, colour)
            canvas.rect(x, y, w, h, stroke=0, fill=1)
        return op

    def line_op(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.5):
        def op(canvas: Canvas) -> None:
            canvas.setStrokeColorRGB(0, 0, 0)
            canvas.setLineWidth(width)
            canvas.line(x0, y0, x1, y1)
        return op

    def box_lines(self, top: float, bottom: float, bounds: list[float]) -> None:
        """Grid of one row: top and bottom edge, and verticals at `bounds`."""
        if not self.v.ruled:
            return
        page = self.page
        page.rule(bounds[0], top, bounds[-1], top)
        page.rule(bounds[0], bottom, bounds[-1], bottom)
        for bx in bounds:
            page.rule(bx, top, bx, bottom)

    def title_block(self) -> None:
        v = self.v
        x = v.margin
        style = TextStyle(v.bold, 11.0, 13.5)
        lines = wrap_text(self.annex.title, self.width(), style, v.bold)
        self.page.ops.append(self.text_op(lines, x, self.y, style))
        self.y -= height_of(lines) + 6
        note_style = TextStyle(v.bold, 7.5, 9.2)
        notice = wrap_text(NOTICE_NL, self.width() - 8, note_style, v.bold)
        notice += wrap_text(NOTICE_EN, self.width() - 8, note_style, v.bold)
        top = self.y
        height = height_of(notice) + 6

        def op(canvas: Canvas) -> None:
            canvas.setFillColorRGB(0.75, 0.0, 0.0)
            draw_lines(canvas, notice, x + 4, top - 3, note_style)
            if v.ruled:
                canvas.setStrokeColorRGB(0.75, 0.0, 0.0)
                canvas.setLineWidth(1.0)
                canvas.rect(x, top - height, self.width(), height, stroke=1, fill=0)
        self.page.ops.append(op)
        self.y -= height + 10

    def footer(self, page: Page, number: int, total: int) -> None:
        v = self.v

        def op(canvas: Canvas) -> None:
            canvas.setFillColorRGB(0.35, 0.35, 0.35)
            canvas.setFont(v.font, 6.5)
            canvas.drawString(v.margin, v.margin / 2,
                              "FACSIMILE - tijdlijn illustratief / timeline illustrative")
            canvas.drawRightString(page.size[0] - v.margin, v.margin / 2,
                                   f"pagina {number} van {total}")
        page.ops.append(op)

    # -- matrix -----------------------------------------------------------------

    def matrix_columns(self) -> tuple[list[float], list[float]]:
        """x bounds of the fixed columns and of the timeline sub-columns."""
        x = self.v.margin
        bounds = [x]
        for w in self.v.matrix_widths:
            x += w
            bounds.append(x)
        right = self.page.size[0] - self.v.margin
        count = len(self.annex.years) * self.v.periods_per_year
        step = (right - x) / count
        periods = [x + i * step for i in range(count + 1)]
        return bounds, periods

    def matrix_header(self) -> None:
        v = self.v
        bounds, periods = self.matrix_columns()
        bold = TextStyle(v.bold, v.matrix_text.size, v.matrix_text.leading)
        row = bold.leading + 2 * v.pad
        top = self.y
        mid = top - row - 2
        bottom = mid - row
        ops = self.page.ops
        if v.header_fill:
            ops.append(self.fill_op(v.header_fill, bounds[0], bottom, periods[-1] - bounds[0],
                                    top - bottom))
        # upper header row: Actie | Betrokken partijen | looptijd ... (spanning)
        ops.append(self.text_op(wrap_text(MATRIX_HEADER_ACTION, 100, bold, v.bold),
                                bounds[0] + v.pad, top - v.pad, bold))
        parties = wrap_text(MATRIX_HEADER_PARTIES, 400, bold, v.bold)
        ops.append(self.text_op(parties, _centre(bounds[2], bounds[7], parties), top - v.pad,
                                bold))
        legend = wrap_text(MATRIX_HEADER_TIMELINE, 400, bold, v.bold)
        ops.append(self.text_op(legend, _centre(periods[0], periods[-1], legend), top - v.pad,
                                bold))
        # lower header row: party labels, year labels
        for index, group in enumerate(PARTY_GROUPS):
            label = wrap_text(PARTY_LABELS[group], 200, bold, v.bold)
            ops.append(self.text_op(label, _centre(bounds[2 + index], bounds[3 + index], label),
                                    mid - v.pad, bold))
        per = v.periods_per_year
        for index, year in enumerate(self.annex.years):
            label = wrap_text(f"'{year % 100:02d}", 100, bold, v.bold)
            left, right = periods[index * per], periods[(index + 1) * per]
            ops.append(self.text_op(label, _centre(left, right, label), mid - v.pad, bold))
        if v.ruled:
            self.box_lines(top, mid, [bounds[0], bounds[2], bounds[7], periods[-1]])
            year_bounds = periods[::per]
            self.box_lines(mid, bottom, [bounds[0], *bounds[2:8], *year_bounds[1:]])
            self.page.rule(bounds[0], bottom, periods[-1], bottom, 1.0)
        self.y = bottom

    def matrix_rows(self) -> None:
        v = self.v
        bounds, periods = self.matrix_columns()
        style = v.matrix_text
        bold = TextStyle(v.bold, style.size, style.leading)
        bottom_limit = v.margin + 14
        ambition = None
        for action in self.annex.matrix:
            if action.ambition != ambition:
                ambition = action.ambition
                lines = wrap_text(ambition, periods[-1] - bounds[0] - 2 * v.pad, bold, v.bold)
                height = height_of(lines) + 2 * v.pad
                if self.y - height - 2 * (style.leading + 2 * v.pad) < bottom_limit:
                    self._matrix_break()
                top = self.y - v.row_gap
                if v.group_fill:
                    self.page.ops.append(self.fill_op(v.group_fill, bounds[0], top - height,
                                                      periods[-1] - bounds[0], height))
                self.page.ops.append(self.text_op(lines, bounds[0] + v.pad, top - v.pad, bold))
                self.box_lines(top, top - height, [bounds[0], periods[-1]])
                self.y = top - height
            cells = [
                wrap_text(action.key_cell, bounds[1] - bounds[0] - 2 * v.pad, style),
                wrap_text(action.title_cell, bounds[2] - bounds[1] - 2 * v.pad, style),
            ]
            for index, group in enumerate(PARTY_GROUPS):
                text = action.parties[group]
                width = bounds[3 + index] - bounds[2 + index] - 2 * v.pad
                cells.append(wrap_text(text, width, style) if text else [])
            height = max(height_of(c) for c in cells) + 2 * v.pad
            if self.y - height - v.row_gap < bottom_limit:
                self._matrix_break()
            top = self.y - v.row_gap
            bottom = top - height
            ops = self.page.ops
            self.page.actions.append(action.action_id)
            # timeline fills first (under the grid), then text
            per = v.periods_per_year
            dx, dy = v.cell_inset
            for (year, period), colour_class in coarsen(
                    self.truth[action.action_id], per).items():
                index = (year - self.annex.years[0]) * per + period - 1
                left, right = periods[index], periods[index + 1]
                ops.append(self.fill_op(v.colours[colour_class], left + dx, bottom + dy,
                                        right - left - 2 * dx, height - 2 * dy))
            for index, lines in enumerate(cells):
                if lines:
                    ops.append(self.text_op(lines, bounds[index] + v.pad, top - v.pad, style))
            if v.ruled:
                self.box_lines(top, bottom, [*bounds, *periods[per::per]])
            self.y = bottom
        self.legend(bounds, periods)

    def _matrix_break(self) -> None:
        self.new_page("matrix")
        self.matrix_header()

    def legend(self, bounds: list[float], periods: list[float]) -> None:
        v = self.v
        style = v.matrix_text
        if self.y - 30 < v.margin + 14:
            self._matrix_break()
        top = self.y - 12
        x = bounds[0]
        bold = TextStyle(v.bold, style.size, style.leading)
        label = wrap_text("Legenda:", 100, bold, v.bold)
        self.page.ops.append(self.text_op(label, x, top, bold))
        x += stringWidth("Legenda:", v.bold, style.size) + 8
        for colour_class, text in (("looptijd", "looptijd (geel)"),
                                   ("mijlpaal", "mijlpaal/gereed (groen)")):
            self.page.ops.append(self.fill_op(v.colours[colour_class], x, top - 8, 14, 7))
            lines = wrap_text(text, 200, style)
            self.page.ops.append(self.text_op(lines, x + 18, top, style))
            x += 18 + stringWidth(text, style.font, style.size) + 14
        note = wrap_text(
            "De kleuring in deze facsimile is illustratief, niet de officiële tijdlijn. / "
            "The shading in this facsimile is illustrative, not the official timeline.",
            periods[-1] - x, style)
        self.page.ops.append(self.text_op(note, x + 10, top, style))
        self.y = top - 12

    # -- detail table -------------------------------------------------------------

    def detail_columns(self) -> list[float]:
        x = self.v.margin
        bounds = [x]
        for w in self.v.detail_widths:
            x += w
            bounds.append(x)
        bounds.append(self.page.size[0] - self.v.margin)
        return bounds

    def detail_header(self) -> None:
        v = self.v
        bounds = self.detail_columns()
        bold = TextStyle(v.bold, v.detail_text.size, v.detail_text.leading)
        height = bold.leading + 2 * v.pad
        top = self.y
        if v.header_fill:
            self.page.ops.append(self.fill_op(v.header_fill, bounds[0], top - height,
                                              bounds[-1] - bounds[0], height))
        spans = ((0, 3), (3, 4), (4, 5))
        for text, (a, _b) in zip(DETAIL_HEADERS, spans, strict=True):
            lines = wrap_text(text, 300, bold, v.bold)
            self.page.ops.append(self.text_op(lines, bounds[a] + v.pad, top - v.pad, bold))
        if v.ruled:
            self.box_lines(top, top - height, [bounds[0], bounds[3], bounds[4], bounds[5]])
            self.page.rule(bounds[0], top - height, bounds[-1], top - height, 1.0)
        self.y = top - height

    def footnote_height(self, markers: list[str]) -> float:
        if not markers:
            return 0.0
        return 8.0 + sum(height_of(self.footnote_lines[m]) + 1.0 for m in markers)

    def detail_rows(self) -> None:
        v = self.v
        style = v.detail_text
        note_width = self.v.detail_page[0] - 2 * v.margin
        for note in self.annex.footnotes:
            self.footnote_lines[str(note.number)] = wrap_blocks(
                [Block("p", _superscript(note.marker) + " " + note.text)], note_width,
                v.footnote_text)
        self._detail_page()
        bounds = self.detail_columns()
        bold = TextStyle(v.bold, style.size, style.leading)
        ambition = None
        min_lines = 2
        for row in self.annex.detail:
            if row.ambition and row.ambition != ambition:
                ambition = row.ambition
                lines = wrap_text(ambition, bounds[-1] - bounds[0] - 2 * v.pad, bold, v.bold)
                height = height_of(lines) + 2 * v.pad
                need = height + v.row_gap + (min_lines + 1) * style.leading + 2 * v.pad
                if self.y - need < self.limit():
                    self._detail_page()
                top = self.y - v.row_gap
                if v.group_fill:
                    self.page.ops.append(self.fill_op(v.group_fill, bounds[0], top - height,
                                                      bounds[-1] - bounds[0], height))
                self.page.ops.append(self.text_op(lines, bounds[0] + v.pad, top - v.pad, bold))
                self.box_lines(top, top - height, [bounds[0], bounds[-1]])
                self.y = top - height
            widths = [bounds[i + 1] - bounds[i] - 2 * v.pad for i in range(5)]
            cells = [
                wrap_text(row.number_cell, widths[0], style) if row.number_cell else [],
                wrap_text(row.letters, widths[1], style) if row.letters else [],
                wrap_blocks(row.action, widths[2], style),
                wrap_text(row.initiator, widths[3], style) if row.initiator else [],
                wrap_blocks(row.status, widths[4], style),
            ]
            self._place_row(cells, bounds, min_lines)

    def limit(self, extra: list[str] | None = None) -> float:
        markers = list(self.page.footnotes)
        for marker in extra or []:
            if marker not in markers:
                markers.append(marker)
        return self.v.margin + 10 + self.footnote_height(markers)

    def _detail_page(self) -> None:
        self.new_page("detail")
        self.detail_header()

    def _place_row(self, cells: list[list[Line]], bounds: list[float], min_lines: int) -> None:
        v = self.v
        while True:
            top = self.y - v.row_gap
            fresh = not self.page.footnotes and self._page_is_empty()
            taken = self._fit(cells, top)
            complete = all(k == len(c) for k, c in zip(taken, cells, strict=True))
            orphan = any(c and k < min(min_lines, len(c))
                         for k, c in zip(taken, cells, strict=True))
            if not complete and orphan and not fresh:
                self._detail_page()
                continue
            parts = [c[:k] for k, c in zip(taken, cells, strict=True)]
            rest = [c[k:] for k, c in zip(taken, cells, strict=True)]
            for lines in rest:
                if lines:
                    lines[0] = Line(lines[0].pieces, lines[0].height, 0.0, lines[0].markers)
            height = max(height_of(p) for p in parts) + 2 * v.pad
            bottom = top - height
            for index, lines in enumerate(parts):
                if lines:
                    self.page.ops.append(self.text_op(lines, bounds[index] + v.pad,
                                                      top - v.pad, v.detail_text))
                    for line in lines:
                        for marker in line.markers:
                            if marker not in self.page.footnotes:
                                self.page.footnotes.append(marker)
            self.box_lines(top, bottom, bounds)
            self.y = bottom
            if complete:
                return
            cells = rest
            self._detail_page()

    def _page_is_empty(self) -> bool:
        return self.y >= self.page.size[1] - self.v.margin - 3 * self.v.detail_text.leading

    def _fit(self, cells: list[list[Line]], top: float) -> list[int]:
        extra: list[str] = []
        for _ in range(8):
            available = top - self.limit(extra) - 2 * self.v.pad
            taken = [fit(c, available) for c in cells]
            markers = []
            for k, c in zip(taken, cells, strict=True):
                for line in c[:k]:
                    markers.extend(line.markers)
            wanted = [m for m in dict.fromkeys(markers)]
            if set(wanted) <= set(extra):
                return taken
            extra = sorted(set(extra) | set(wanted))
        return taken

    def footnotes_op(self, page: Page) -> None:
        if not page.footnotes:
            return
        v = self.v
        markers = page.footnotes
        y = v.margin + 10 + self.footnote_height(markers)
        x = v.margin
        if v.ruled:
            page.ops.append(self.line_op(x, y - 3, x + 144, y - 3, 0.5))
        y -= 8.0
        for marker in markers:
            lines = self.footnote_lines[marker]
            page.ops.append(self.text_op(lines, x, y, v.footnote_text))
            y -= height_of(lines) + 1.0

    # -- whole document -------------------------------------------------------------

    def run(self) -> list[Page]:
        self.new_page("matrix")
        self.title_block()
        self.matrix_header()
        self.matrix_rows()
        self.detail_rows()
        for number, page in enumerate(self.pages, 1):
            self.footnotes_op(page)
            self.footer(page, number, len(self.pages))
        return self.pages


def _superscript(digits: str) -> str:
    return digits.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _centre(left: float, right: float, lines: list[Line]) -> float:
    width = max((p.dx + stringWidth(p.text, p.font, p.size)
                 for line in lines for p in line.pieces), default=0.0)
    return left + (right - left - width) / 2


def build(variant: Variant, annex: Annex, truth: dict[str, Cells], out_dir: Path) -> dict:
    """Write the PDF; returns layout facts for the truth file."""
    layout = _Layout(variant, annex, truth)
    pages = layout.run()
    path = out_dir / variant.filename
    canvas = Canvas(str(path), pagesize=pages[0].size, invariant=1, pageCompression=1)
    canvas.setTitle(META_TITLE)
    canvas.setSubject(META_SUBJECT)
    canvas.setAuthor("techniekpact-annex facsimile builder")
    canvas.setCreator(f"facsimile builder ({variant.name})")
    canvas.setKeywords("facsimile, illustratief, illustrative, Techniekpact, Bijlage 2")
    for page in pages:
        canvas.setPageSize(page.size)
        for op in page.ops:
            op(canvas)
        canvas.setStrokeColorRGB(0, 0, 0)
        for (x0, y0, x1, y1), width in sorted(page.segments.items()):
            canvas.setLineWidth(width)
            canvas.line(x0, y0, x1, y1)
        canvas.showPage()
    canvas.save()
    return {
        "pages": [
            {"page": i, "kind": p.kind, "width": p.size[0], "height": p.size[1],
             "matrix_actions": p.actions, "footnotes": p.footnotes}
            for i, p in enumerate(pages, 1)
        ],
    }
