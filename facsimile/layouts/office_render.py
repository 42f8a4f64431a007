"""A generated layout as an office document, exported to PDF by LibreOffice.

Writer: a .docx made with python-docx (Word tables: repeated header rows, cell shading,
horizontally merged cells, rows that may split), two sections for the two page
orientations. Calc: an .xlsx made with openpyxl (a Matrix and a Detail sheet, fitted to
the page width, print titles as the repeated header, solid pattern fills, merged cells).
LibreOffice paginates both; footnotes are collected after the detail table.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from facsimile import META_SUBJECT, META_TITLE, NOTICE_EN, NOTICE_NL
from facsimile.content import DETAIL_HEADERS, MATRIX_HEADER_ACTION, MATRIX_HEADER_PARTIES
from facsimile.layouts.model import (
    BACKGROUND_RGB,
    BAND_RGB,
    HEADER_RGB,
    RUNNING_TITLE,
    Document,
    banded,
    fit_matrix,
    initiator_width_pt,
    key_width_pt,
    page_mm,
    party_width_pt,
    pieces,
    title_width_pt,
    typography,
    widest_word_pt,
)
from facsimile.layouts.options import rgb_of

FOOT = "FACSIMILE - tijdlijn illustratief / timeline illustrative"
# the layout's `font` -> the office family (the Liberation fonts stand in for Arial,
# Times New Roman and Arial Narrow, what office documents name)
FAMILIES = {"sans": "Liberation Sans", "serif": "Liberation Serif",
            "condensed": "Liberation Sans Narrow"}
# Writer cell margins (twentieths of a point: left/right, top/bottom) per `spacing`;
# normal keeps Word's default (108, 0) by writing nothing
CELL_MARGINS = {"tight": (28, 0), "loose": (170, 60)}
LINE_SPACING = {"tight": 0.9, "loose": 1.4}  # Writer line spacing, multiples of single
SOFFICE = ("soffice", "libreoffice")


def _hex(rgb: tuple[float, ...]) -> str:
    return "".join(f"{round(v * 255):02X}" for v in rgb)


def convert(source: Path, target: Path) -> None:
    """soffice --headless --convert-to pdf, with a private profile (parallel runs)."""
    binary = next((shutil.which(name) for name in SOFFICE if shutil.which(name)), None)
    if binary is None:
        raise RuntimeError("LibreOffice not found (apt-get install -y libreoffice-writer "
                           "libreoffice-calc)")
    with tempfile.TemporaryDirectory() as tmp:
        command = [binary, f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", tmp, str(source)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)
        made = Path(tmp) / (source.stem + ".pdf")
        if done.returncode != 0 or not made.exists():
            raise RuntimeError(f"soffice failed: {(done.stderr or done.stdout).strip()[-300:]}")
        shutil.move(made, target)


def _order(doc: Document) -> list[tuple[int, int]]:
    return [(y, p) for y in doc.annex.years for p in range(1, doc.periods + 1)]


def _runs(printed, order: list, merged: bool) -> list[tuple[int, int, str | None]]:
    """(first position, span, class) over the timeline cells of one row."""
    out = []
    position = 0
    while position < len(order):
        colour = printed.cells.get(order[position])
        span = 1
        if merged and colour:
            while position + span < len(order) and \
                    printed.cells.get(order[position + span]) == colour:
                span += 1
        out.append((position, span, colour))
        position += span
    return out


# --- Writer -------------------------------------------------------------------------


# How many times a Writer layout is rendered again, each time letting one more clipped
# detail row split (a layout has at most a few rows taller than a page)
MAX_WRITER_RENDERS = 8


def writer_row_texts(doc: Document) -> list[list[str]]:
    """The texts each detail row prints (action lines, initiator, status lines): what
    the PDF must show of it (facsimile/layouts/shown.py)."""
    return [[block.text for paragraph in printed.action for block in paragraph]
            + [printed.row.initiator] + [block.text for block in printed.status]
            for printed in doc.details]


def render_writer(doc: Document, target: Path) -> None:
    """Print `doc` with Writer. With row_split=avoided Writer keeps a detail row taller
    than a page whole and CLIPS the lines below the page's foot (Word would split it):
    the PDF's text then lacks words of that row (shown.clipped_rows), and the layout is
    rendered again with that row allowed to split, as the reportlab path does; one row
    per render, the likeliest first, until every row's words are shown. A row still
    clipped when it may split is an error, never a truth the PDF does not show."""
    from facsimile.layouts.shown import clipped_rows, short_words
    from facsimile.truth import readback

    splitting: set[int] = set()
    rows = writer_row_texts(doc)
    for _ in range(MAX_WRITER_RENDERS):
        _render_writer(doc, target, frozenset(splitting))
        if doc.layout.row_split != "avoided":
            return
        seen = readback(target)
        # the detail table's pages: from the first page with its header on
        kinds = [page["kind"] for page in seen["pages"]]
        first = kinds.index("detail") if "detail" in kinds else 0
        texts = seen["texts"][first:]
        clipped = clipped_rows(rows, texts)
        if not clipped:
            return
        cut = [index for index in clipped if index not in splitting]
        if not cut:  # every short row already splits: not a clipped row
            break
        splitting.add(cut[0])
    short = sorted(short_words(rows, texts))[:8]
    raise RuntimeError(f"{doc.layout.name}: Writer does not show every word of the detail "
                       f"rows (rows let split: {sorted(splitting)}; short: {short})")


def _render_writer(doc: Document, target: Path, splitting: frozenset[int]) -> None:
    """The .docx of `doc` through LibreOffice; the detail rows numbered in `splitting`
    may split over pages whatever row_split says."""
    import datetime

    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    layout = doc.layout
    document = docx.Document()
    props = document.core_properties
    # python-docx allows 255 characters; post.py writes the full subject into the PDF
    props.title, props.subject = META_TITLE, META_SUBJECT[:255]
    props.author = "techniekpact-annex layout generator"
    fixed = datetime.datetime(2000, 1, 1)
    props.created = props.modified = fixed
    props.last_printed = fixed
    kind = typography(layout, 6.5 if doc.periods == 12 else 7, 6.5 if doc.periods == 12 else 7)
    wide = layout.orientation in ("landscape", "mixed")
    margin_pt = CELL_MARGINS.get(layout.spacing, (108, 0))[0] / 20  # twips -> points
    mm_pt = 72 / 25.4
    # Writer prints every text in the Normal style: the whole document takes the size
    # at which the matrix header fits
    kind = fit_matrix(doc, kind, (page_mm(layout, wide)[0] - 24) * mm_pt, 8.0 * mm_pt,
                      (50.0 if wide else 38.0) * mm_pt, (14.0 if wide else 11.0) * mm_pt,
                      margin_pt, year_padding_pt=0.0 if layout.generation >= 2 else None)
    normal = document.styles["Normal"]
    normal.font.name = FAMILIES[layout.font]
    normal.font.size = Pt(kind.body)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    if layout.spacing in LINE_SPACING:
        normal.paragraph_format.line_spacing = LINE_SPACING[layout.spacing]
    if layout.background == "tint":
        # a page background: LibreOffice prints it as one rectangle under each page
        background = OxmlElement("w:background")
        background.set(qn("w:color"), _hex(BACKGROUND_RGB))
        document.element.insert(0, background)
        settings = document.settings.element
        settings.insert(0, OxmlElement("w:displayBackgroundShape"))

    def field(paragraph, instruction: str) -> None:
        simple = OxmlElement("w:fldSimple")
        simple.set(qn("w:instr"), instruction)
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        simple.append(run)
        paragraph._p.append(simple)

    furnished: list = []

    def furniture(section) -> None:
        section.footer.paragraphs[0].text = FOOT
        if furnished:  # a later section shares the first one's header and footer
            return
        furnished.append(section)
        if layout.page_numbers == "pagina_van":
            paragraph = section.footer.add_paragraph("pagina ")
            field(paragraph, "PAGE")
            paragraph.add_run(" van ")
            field(paragraph, "NUMPAGES")
        if layout.running_header == "title" or layout.page_numbers == "slash":
            paragraph = section.header.paragraphs[0]
            if layout.running_header == "title":
                paragraph.add_run(RUNNING_TITLE)
            if layout.page_numbers == "slash":
                paragraph.add_run("\t\t" if layout.running_header == "title" else "")
                field(paragraph, "PAGE")
                paragraph.add_run("/")
                field(paragraph, "NUMPAGES")

    def orient(section, landscape: bool) -> None:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        width, height = page_mm(layout, landscape)
        section.page_width, section.page_height = Mm(width), Mm(height)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Mm(12))
        furniture(section)

    matrix_landscape = layout.orientation in ("landscape", "mixed")
    detail_landscape = layout.orientation == "landscape"
    orient(document.sections[0], matrix_landscape)

    def shade(cell, rgb) -> None:
        props = cell._tc.get_or_add_tcPr()
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), _hex(rgb))
        props.append(shd)

    def shade_rows(rows, rgb) -> None:
        """Shade every cell of `rows` once (a merged cell is one tc)."""
        seen = set()
        for row in rows:
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    shade(cell, rgb)

    def horizontal_rules(table) -> None:
        """Rules between rows only (booktabs): the table's own borders over its style's."""
        if layout.rules != "ruled" or layout.rule_lines != "horizontal":
            return
        element = OxmlElement("w:tblBorders")
        for name in ("top", "left", "bottom", "right", "insideH", "insideV"):
            edge = OxmlElement(f"w:{name}")
            vertical = name in ("left", "right", "insideV")
            edge.set(qn("w:val"), "nil" if vertical else "single")
            if not vertical:
                edge.set(qn("w:sz"), "4")
                edge.set(qn("w:space"), "0")
                edge.set(qn("w:color"), "000000")
            element.append(edge)
        props = table._tbl.tblPr
        after = props.find(qn("w:tblLayout"))
        if after is None:
            after = props.find(qn("w:tblCellMar"))
        if after is None:
            after = props.find(qn("w:tblLook"))
        if after is not None:
            after.addprevious(element)
        else:
            props.append(element)

    def header_row(row) -> None:
        props = row._tr.get_or_add_trPr()
        element = OxmlElement("w:tblHeader")
        element.set(qn("w:val"), "true")
        props.append(element)

    def cant_split(row) -> None:
        props = row._tr.get_or_add_trPr()
        props.append(OxmlElement("w:cantSplit"))

    def write(paragraph, text: str, bold: bool = False) -> None:
        for piece, is_marker in pieces(text, layout.markers):
            run = paragraph.add_run(piece)
            run.bold = bold
            if is_marker and layout.markers == "raised_digits":
                run.font.superscript = True

    def cell_text(cell, text: str, bold: bool = False) -> None:
        write(cell.paragraphs[0], text, bold)

    def no_margins(cell) -> None:
        props = cell._tc.get_or_add_tcPr()
        element = OxmlElement("w:tcMar")
        for name in ("left", "right"):
            margin = OxmlElement(f"w:{name}")
            margin.set(qn("w:w"), "0")
            margin.set(qn("w:type"), "dxa")
            element.append(margin)
        props.append(element)

    def margins(table) -> None:
        if layout.spacing not in CELL_MARGINS:
            return
        side, top = CELL_MARGINS[layout.spacing]
        element = OxmlElement("w:tblCellMar")
        for name, value in (("top", top), ("left", side), ("bottom", top), ("right", side)):
            margin = OxmlElement(f"w:{name}")
            margin.set(qn("w:w"), str(value))
            margin.set(qn("w:type"), "dxa")
            element.append(margin)
        props = table._tbl.tblPr
        look = props.find(qn("w:tblLook"))
        if look is not None:
            look.addprevious(element)
        else:
            props.append(element)

    def widths(table, values_mm) -> None:
        # a fixed layout with the table's own width: else LibreOffice shrinks the columns
        props = table._tbl.tblPr
        for tag in ("w:tblW", "w:tblLayout"):
            for old in props.findall(qn(tag)):
                props.remove(old)
        width_el = OxmlElement("w:tblW")
        width_el.set(qn("w:w"), str(round(sum(values_mm) * 56.6929)))
        width_el.set(qn("w:type"), "dxa")
        layout_el = OxmlElement("w:tblLayout")
        layout_el.set(qn("w:type"), "fixed")
        look = props.find(qn("w:tblLook"))  # the schema's order: tblW .. tblLayout .. tblLook
        for element in (width_el, layout_el):
            if look is not None:
                look.addprevious(element)
            else:
                props.append(element)
        for column, width in zip(table.columns, values_mm, strict=True):
            column.width = Mm(width)  # the grid; merged cells take the sum of theirs
        for row in table.rows:
            for tc in row._tr.tc_lst:
                span = tc.grid_span
                start = tc.grid_offset
                props = tc.get_or_add_tcPr()
                for old in props.findall(qn("w:tcW")):
                    props.remove(old)
                cell_w = OxmlElement("w:tcW")
                cell_w.set(qn("w:w"), str(round(sum(values_mm[start:start + span]) * 56.6929)))
                cell_w.set(qn("w:type"), "dxa")
                props.insert(0, cell_w)

    def legend() -> None:
        table = document.add_table(rows=1, cols=5)
        table.autofit = False
        cell_text(table.rows[0].cells[0], "Legenda:")
        for index, (_, text) in enumerate(doc.legend):
            shade(table.rows[0].cells[1 + 2 * index], rgb_of(layout.colours[index]))
            cell_text(table.rows[0].cells[2 + 2 * index], text)
        sizes = [16, 6, 45, 6, 55]  # generation 1
        if layout.generation >= 2:  # room for the words at any size
            room = [widest_word_pt(["Legenda:"], kind.body, layout.font)] + [
                widest_word_pt([t.replace(" ", "_")], kind.body, layout.font)
                for _, t in doc.legend]
            sizes = [max(16, (room[0] + 2 * margin_pt + 2) / mm_pt), 6,
                     max(45, (room[1] + 2 * margin_pt + 2) / mm_pt), 6,
                     max(55, (room[-1] + 2 * margin_pt + 2) / mm_pt)]
        widths(table, sizes)

    title = document.add_paragraph()
    title.add_run(doc.annex.title).bold = True
    title.runs[0].font.size = Pt(11)
    notice = document.add_paragraph()
    run = notice.add_run(NOTICE_NL + "\n" + NOTICE_EN)
    run.bold = True
    run.font.color.rgb = RGBColor(0xC0, 0, 0)
    if layout.legend_place == "before":
        legend()
        document.add_paragraph()  # else Writer joins the legend and the matrix

    # matrix
    keys = doc.key_columns
    order = _order(doc)
    count = len(order)
    page_w = page_mm(layout, matrix_landscape)[0] - 24
    title_mm = title_width_pt(doc, (50.0 if matrix_landscape else 38.0) * mm_pt, kind.body,
                              margin_pt) / mm_pt
    key_mm = key_width_pt(doc, 8.0 * mm_pt, kind.body, margin_pt) / mm_pt
    party_mm = party_width_pt(doc, (14.0 if matrix_landscape else 11.0) * mm_pt, kind.body,
                              margin_pt, page_w * mm_pt) / mm_pt
    fixed_mm = [key_mm] * keys + [title_mm] + [party_mm] * len(doc.groups)
    step = (page_w - sum(fixed_mm)) / count
    column_mm = fixed_mm + [step] * count
    t0 = len(fixed_mm)
    table = document.add_table(rows=2, cols=len(column_mm))
    table.style = "Table Grid" if layout.rules == "ruled" else None
    table.autofit = False
    top, second = table.rows[0], table.rows[1]
    cell_text(top.cells[0].merge(second.cells[keys]), MATRIX_HEADER_ACTION, True)
    cell_text(top.cells[keys + 1].merge(top.cells[t0 - 1]), MATRIX_HEADER_PARTIES, True)
    cell_text(top.cells[t0].merge(top.cells[-1]), doc.timeline_header, True)
    for index, group in enumerate(doc.groups):
        cell = second.cells[keys + 1 + index]
        cell_text(cell, "\n".join(doc.labels[group]), True)
    for index, label in enumerate(doc.year_labels):
        start = t0 + index * doc.periods
        cell = second.cells[start]
        if doc.periods > 1:
            cell = cell.merge(second.cells[start + doc.periods - 1])
        cell_text(cell, label, True)
        if layout.generation >= 2:  # the year over its periods, no cell margins
            no_margins(cell)
    if layout.matrix_header_repeat:
        header_row(top)
        header_row(second)
    if layout.header_shade == "shaded":
        shade_rows([top, second], HEADER_RGB)
    ambition = None
    merged = layout.fill_paint == "merged_years"
    for number, printed in enumerate(doc.actions):
        action = printed.action
        if action.ambition != ambition:
            ambition = action.ambition
            row = table.add_row()
            cell_text(row.cells[0].merge(row.cells[-1]), ambition, True)
            if layout.row_split == "avoided":
                cant_split(row)
        row = table.add_row()
        if layout.row_split == "avoided":
            cant_split(row)
        cells = [printed.number_cell, printed.letter_cell] if keys == 2 else [printed.key_cell]
        for index, text in enumerate(cells):
            cell_text(row.cells[index], text)
        cell_text(row.cells[keys], printed.title_cell)
        for index, group in enumerate(doc.groups):
            cell_text(row.cells[keys + 1 + index], action.parties[group])
        band = banded(layout, number)
        if band:
            for index in range(t0):
                shade(row.cells[index], BAND_RGB)
        for position, span, colour in _runs(printed, order, merged):
            cell = row.cells[t0 + position]
            if span > 1:
                cell = cell.merge(row.cells[t0 + position + span - 1])
            if colour:
                shade(cell, rgb_of(layout.colours[0 if colour == "looptijd" else 1]))
            elif band:
                shade(cell, BAND_RGB)
    widths(table, column_mm)
    margins(table)
    horizontal_rules(table)

    # a paragraph between two tables, else Writer joins them into one (legend's grid)
    document.add_paragraph()
    if layout.legend_place == "after":
        legend()
    document.add_paragraph(FOOT)

    # detail: its own section (orientation), header row repeated
    section = document.add_section()
    orient(section, detail_landscape)
    dkeys = doc.detail_key_columns
    page_d = page_mm(layout, detail_landscape)[0] - 24
    dfixed = [8.0, 9.0] if dkeys == 2 else [13.0]
    rest = page_d - sum(dfixed)
    initiator_mm = initiator_width_pt(doc, rest * 0.16 * mm_pt, kind.detail,
                                      margin_pt) / mm_pt
    dmm = dfixed + [(rest - initiator_mm) / 2, initiator_mm, (rest - initiator_mm) / 2]
    detail = document.add_table(rows=1, cols=len(dmm))
    detail.style = "Table Grid" if layout.rules == "ruled" else None
    detail.autofit = False
    head = detail.rows[0]
    cell_text(head.cells[0].merge(head.cells[dkeys]), DETAIL_HEADERS[0], True)
    cell_text(head.cells[dkeys + 1], DETAIL_HEADERS[1], True)
    cell_text(head.cells[dkeys + 2], DETAIL_HEADERS[2], True)
    header_row(head)
    if layout.header_shade == "shaded":
        shade_rows([head], HEADER_RGB)
    ambition = None
    for number, printed in enumerate(doc.details):
        data = printed.row
        if data.ambition and data.ambition != ambition:
            ambition = data.ambition
            row = detail.add_row()
            cell_text(row.cells[0].merge(row.cells[-1]), ambition, True)
        row = detail.add_row()
        if banded(layout, number):
            shade_rows([row], BAND_RGB)
        if layout.row_split == "avoided" and number not in splitting:
            cant_split(row)
        cells = [printed.number_cell, printed.letters_cell] if dkeys == 2 else \
            [printed.key_cell]
        for index, text in enumerate(cells):
            cell_text(row.cells[index], text)
        action_cell = row.cells[dkeys]
        for number, paragraph in enumerate(printed.action):
            target_p = action_cell.paragraphs[0] if number == 0 else action_cell.add_paragraph()
            for line, block in enumerate(paragraph):
                if line:
                    target_p.add_run().add_break(WD_BREAK.LINE)
                write(target_p, ("• " if block.kind == "li" else "") + block.text)
        cell_text(row.cells[dkeys + 1], data.initiator)
        status_cell = row.cells[dkeys + 2]
        for number, block in enumerate(printed.status):
            target_p = status_cell.paragraphs[0] if number == 0 else status_cell.add_paragraph()
            write(target_p, ("• " if block.kind == "li" else "") + block.text)
    widths(detail, dmm)
    margins(detail)
    horizontal_rules(detail)
    document.add_paragraph()
    for note in doc.annex.footnotes:
        paragraph = document.add_paragraph()
        write(paragraph, _sup(note.marker) + " " + note.text)
        for run in paragraph.runs:
            run.font.size = Pt(kind.note)
    if layout.legend_place == "end":
        document.add_paragraph()
        legend()
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{layout.name}.docx"
        document.save(source)
        convert(source, target)


def _sup(digits: str) -> str:
    return digits.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


# --- Calc ---------------------------------------------------------------------------


def render_calc(doc: Document, target: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    layout = doc.layout
    book = Workbook()
    book.properties.title, book.properties.subject = META_TITLE, META_SUBJECT
    book.properties.creator = "techniekpact-annex layout generator"
    import datetime

    fixed = datetime.datetime(2000, 1, 1)
    book.properties.created = book.properties.modified = fixed
    kind = typography(layout, 6.5 if doc.periods == 12 else 7, 6.5 if doc.periods == 12 else 7)
    size = kind.body
    family = FAMILIES[layout.font]
    font = Font(name=family, size=size)
    bold = Font(name=family, size=size, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin) if layout.rules == "ruled" \
        else Border()
    if layout.rules == "ruled" and layout.rule_lines == "horizontal":
        border = Border(top=thin, bottom=thin)  # booktabs: no vertical rules
    band_fill = PatternFill("solid", fgColor=_hex(BAND_RGB))
    header_fill = PatternFill("solid", fgColor=_hex(HEADER_RGB))
    fills = {c: PatternFill("solid", fgColor=_hex(rgb_of(n)))
             for c, n in zip(("looptijd", "mijlpaal"), layout.colours, strict=True)}

    def put(sheet, row: int, column: int, text: str, strong: bool = False):
        cell = sheet.cell(row=row, column=column, value=_cell_value(text, layout.markers))
        if str(text).startswith("="):
            cell.data_type = "s"  # text ("= looptijd"), not a formula
        cell.font = bold if strong else font
        cell.alignment = wrap
        cell.border = border
        return cell

    def page(sheet, landscape: bool, title_rows: str | None) -> None:
        sheet.page_setup.orientation = "landscape" if landscape else "portrait"
        sheet.page_setup.paperSize = {"A4": sheet.PAPERSIZE_A4, "A3": sheet.PAPERSIZE_A3,
                                      "Letter": sheet.PAPERSIZE_LETTER}[layout.page_size]
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0
        sheet.print_options.gridLines = False
        sheet.page_margins.left = sheet.page_margins.right = 0.4
        sheet.page_margins.top = sheet.page_margins.bottom = 0.5
        sheet.oddFooter.center.text = FOOT
        # header and footer codes: &P the page, &N the number of pages
        if layout.running_header == "title" or layout.page_numbers == "slash":
            # room for the header above the print titles, which it would overprint
            sheet.page_margins.top = 0.9
            sheet.page_margins.header = 0.3
        if layout.running_header == "title":
            sheet.oddHeader.left.text = RUNNING_TITLE
        if layout.page_numbers == "pagina_van":
            sheet.oddFooter.right.text = "pagina &P van &N"
        elif layout.page_numbers == "slash":
            sheet.oddHeader.right.text = "&P/&N"
        if title_rows:
            sheet.print_title_rows = title_rows

    matrix = book.active
    matrix.title = "Matrix"
    matrix_landscape = layout.orientation in ("landscape", "mixed")
    keys = doc.key_columns
    order = _order(doc)
    count = len(order)
    t0 = keys + 1 + len(doc.groups) + 1  # 1-based column of the first timeline cell
    title_units = title_width_pt(doc, 38.0 * WIDTH_UNIT, size, 2.0) / WIDTH_UNIT
    key_units = key_width_pt(doc, 3.0 * WIDTH_UNIT, size, 2.0) / WIDTH_UNIT
    party_units = party_width_pt(doc, 10.0 * WIDTH_UNIT, size, 2.0,
                                 (38.0 + 50 + 48.0) * WIDTH_UNIT) / WIDTH_UNIT
    widths = [key_units] * keys + [title_units] + [party_units] * len(doc.groups) + \
        [max(1.0, 48.0 / count)] * count
    for index, width in enumerate(widths, 1):
        matrix.column_dimensions[get_column_letter(index)].width = width
    matrix.cell(row=1, column=1, value=doc.annex.title).font = Font(name=family, size=11,
                                                                   bold=True)
    note = matrix.cell(row=2, column=1, value=NOTICE_NL + " " + NOTICE_EN)
    note.font = Font(name=family, size=7, bold=True, color="C00000")
    last = len(widths)
    matrix.merge_cells(start_row=2, start_column=1, end_row=2, end_column=last)
    matrix.row_dimensions[2].height = 20
    note.alignment = wrap

    def legend(sheet, row: int, column: int) -> None:
        put(sheet, row, 1, "Legenda:")
        if layout.generation >= 2 and column > 2:  # the label over the narrow key column(s)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row,
                              end_column=column - 1)
        for index, (colour_class, text) in enumerate(doc.legend):
            sheet.cell(row=row, column=column + 2 * index).fill = fills[colour_class]
            put(sheet, row, column + 1 + 2 * index, text)

    top = 3  # the header's first row; a legend before the matrix takes rows 3-4
    if layout.legend_place == "before":
        legend(matrix, 3, keys + 2)
        top = 5
    put(matrix, top, 1, MATRIX_HEADER_ACTION, True)
    matrix.merge_cells(start_row=top, start_column=1, end_row=top + 1, end_column=keys + 1)
    put(matrix, top, keys + 2, MATRIX_HEADER_PARTIES, True)
    matrix.merge_cells(start_row=top, start_column=keys + 2, end_row=top, end_column=t0 - 1)
    put(matrix, top, t0, doc.timeline_header, True)
    matrix.merge_cells(start_row=top, start_column=t0, end_row=top, end_column=last)
    for index, group in enumerate(doc.groups):
        put(matrix, top + 1, keys + 2 + index, "\n".join(doc.labels[group]), True)
    for index, label in enumerate(doc.year_labels):
        start = t0 + index * doc.periods
        put(matrix, top + 1, start, label, True)
        if doc.periods > 1:
            matrix.merge_cells(start_row=top + 1, start_column=start, end_row=top + 1,
                               end_column=start + doc.periods - 1)
    if layout.header_shade == "shaded":
        for header_row in (top, top + 1):
            for column in range(1, last + 1):
                matrix.cell(row=header_row, column=column).fill = header_fill
    row = top + 2
    ambition = None
    merged_years = layout.fill_paint == "merged_years"
    merged_rows = layout.fill_paint == "merged_rows"
    covered: set[tuple[int, int]] = set()
    for index, printed in enumerate(doc.actions):
        action = printed.action
        if action.ambition != ambition:
            ambition = action.ambition
            put(matrix, row, 1, ambition, True)
            matrix.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
            row += 1
        cells = [printed.number_cell, printed.letter_cell] if keys == 2 else [printed.key_cell]
        for column, text in enumerate(cells, 1):
            put(matrix, row, column, text)
        put(matrix, row, keys + 1, printed.title_cell)
        for column, group in enumerate(doc.groups, keys + 2):
            put(matrix, row, column, action.parties[group])
        band = banded(layout, index)
        if band:
            for column in range(1, t0):
                matrix.cell(row=row, column=column).fill = band_fill
        below = doc.actions[index + 1] if index + 1 < len(doc.actions) else None
        for position, span, colour in _runs(printed, order, merged_years):
            column = t0 + position
            if (row, column) in covered:
                continue
            cell = put(matrix, row, column, "")
            if not colour:
                if band:  # the run's cells: a blank run may span several periods
                    for blank in range(column, column + span):
                        if (row, blank) not in covered:
                            put(matrix, row, blank, "").fill = band_fill
                continue
            cell.fill = fills[colour]
            end_row = row
            if merged_rows and below is not None and below.action.ambition == ambition and \
                    below.cells.get(order[position]) == colour:
                end_row = row + 1
                covered.add((row + 1, column))
            if span > 1 or end_row > row:
                matrix.merge_cells(start_row=row, start_column=column, end_row=end_row,
                                   end_column=column + span - 1)
        row += 1
    row += 1
    if layout.legend_place == "after":
        legend(matrix, row, keys + 2)
    fit_rows(matrix, size, first_row=3, leading=kind.leading / 1.2 * LEADING)
    page(matrix, matrix_landscape, f"{top}:{top + 1}" if layout.matrix_header_repeat else None)

    detail = book.create_sheet("Detail")
    detail_landscape = layout.orientation == "landscape"
    dkeys = doc.detail_key_columns
    initiator_units = initiator_width_pt(doc, 16.0 * WIDTH_UNIT, size, 2.0) / WIDTH_UNIT
    dwidths = ([4.0, 4.0] if dkeys == 2 else [7.0]) + [45.0, initiator_units, 55.0]
    for index, width in enumerate(dwidths, 1):
        detail.column_dimensions[get_column_letter(index)].width = width
    put(detail, 1, 1, DETAIL_HEADERS[0], True)
    if dkeys > 0:
        detail.merge_cells(start_row=1, start_column=1, end_row=1, end_column=dkeys + 1)
    put(detail, 1, dkeys + 2, DETAIL_HEADERS[1], True)
    put(detail, 1, dkeys + 3, DETAIL_HEADERS[2], True)
    if layout.header_shade == "shaded":
        for column in range(1, len(dwidths) + 1):
            detail.cell(row=1, column=column).fill = header_fill
    row = 2
    ambition = None
    for number, printed in enumerate(doc.details):
        data = printed.row
        if data.ambition and data.ambition != ambition:
            ambition = data.ambition
            put(detail, row, 1, ambition, True)
            detail.merge_cells(start_row=row, start_column=1, end_row=row,
                               end_column=len(dwidths))
            row += 1
        cells = [printed.number_cell, printed.letters_cell] if dkeys == 2 else \
            [printed.key_cell]
        # A spreadsheet row is at most one page tall (and Calc clips what does not fit),
        # so a long detail row goes on one sheet row per paragraph, the key and initiator
        # cells left empty on the continuation rows, as people lay out such sheets.
        actions = ["\n".join(("• " if b.kind == "li" else "") + b.text for b in paragraph)
                   if layout.sub_items != "running" else
                   " ".join(("• " if b.kind == "li" else "") + b.text for b in paragraph)
                   for paragraph in printed.action]
        statuses = [("• " if b.kind == "li" else "") + b.text for b in printed.status]
        for part in range(max(len(actions), len(statuses), 1)):
            for column, text in enumerate(cells, 1):
                put(detail, row, column, text if part == 0 else "")
            put(detail, row, dkeys + 1, actions[part] if part < len(actions) else "")
            put(detail, row, dkeys + 2, data.initiator if part == 0 else "")
            put(detail, row, dkeys + 3, statuses[part] if part < len(statuses) else "")
            if banded(layout, number):
                for column in range(1, len(dwidths) + 1):
                    detail.cell(row=row, column=column).fill = band_fill
            row += 1
    row += 1
    for note in doc.annex.footnotes:
        cell = put(detail, row, 1, _sup(note.marker) + " " + note.text)
        cell.border = Border()
        detail.merge_cells(start_row=row, start_column=1, end_row=row, end_column=len(dwidths))
        row += 1
    if layout.legend_place == "end":
        legend(detail, row + 1, dkeys + 2)
    fit_rows(detail, size, leading=kind.leading / 1.2 * LEADING)
    page(detail, detail_landscape, "1:1")
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / f"{layout.name}.xlsx"
        book.save(source)
        convert(source, target)


# Calc keeps the row heights of the file, and openpyxl writes none: LibreOffice then
# clips wrapped text. So each row gets the height its longest cell needs, estimated.
CHAR_SHARE = 0.56  # average glyph width of Liberation Sans, as a share of the font size
WIDTH_UNIT = 5.25  # points per spreadsheet column-width unit
LEADING = 1.25  # line height as a multiple of the font size
HEIGHT_MARGIN = 1.2  # room for the estimate's error; too tall only leaves white space


def row_height(texts_and_widths: list[tuple[str, float]], size: float,
               leading: float = LEADING) -> float:
    lines = 1
    for text, width in texts_and_widths:
        per_line = max(1, int((width * WIDTH_UNIT - 4) / (CHAR_SHARE * size)))
        count = sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))
        lines = max(lines, count)
    return round(lines * size * leading * HEIGHT_MARGIN + 3, 1)


def fit_rows(sheet, size: float, first_row: int = 1, leading: float = LEADING) -> None:
    """Set every row's height from its cells' texts and (merged) column widths."""
    from openpyxl.utils import get_column_letter

    def width(column: int) -> float:
        return sheet.column_dimensions[get_column_letter(column)].width or 8.43

    spans = {}
    for merged in sheet.merged_cells.ranges:
        spans[(merged.min_row, merged.min_col)] = sum(
            width(c) for c in range(merged.min_col, merged.max_col + 1))
    for row in sheet.iter_rows(min_row=first_row):
        cells = [(c.value, spans.get((c.row, c.column), width(c.column)))
                 for c in row if c.value not in (None, "")]
        if cells:
            sheet.row_dimensions[row[0].row].height = row_height(
                [(str(v), w) for v, w in cells], size, leading)


def _cell_value(text: str, style: str) -> str:
    return "".join(piece for piece, _ in pieces(text, style))
