"""Every tolerance of the PDF reader, in one place (as pdfplumber's TableSettings).

Distances that are about text (how far a header may reach, how wide a gutter
must be, when a gap ends a paragraph) are given in *em*: multiples of the page's
body font size (the median size of its characters), so a layout printed at 7 pt
and one printed at 11 pt are read alike. Distances about drawing (how thin a
shape must be to be a rule) are in points, because a 0.5 pt border is a border
at any font size. Ratios have no unit.

The defaults were set on producers' real output (reportlab, Chromium, LibreOffice);
`read_pdf(path, settings=replace(DEFAULT_SETTINGS, ...))` changes one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PdfSettings:
    # --- words and lines (pdf_words) -------------------------------------------
    # The em of a page without any text (nothing on it is measured, but the
    # tolerances need a size).
    fallback_em_pt: float = 10.0
    # pdfplumber's extract_words tolerances: letters closer than this are one word,
    # letters whose tops differ by less than this are one line.
    word_x_tolerance_em: float = 0.2
    word_y_tolerance_em: float = 0.27
    # A column's left edge, seen in the text alone: an x where at least this many
    # words of the page start (within the tolerance, em). A pdfplumber word that a
    # cell ran into the next column's text ('Wetenschap|Werkgevers': tight layouts
    # leave less than word_x_tolerance_em between them) is split where one of its
    # letters starts on such an edge after a gap a space would be (space_gap_em;
    # the edge keeps letter-spaced words whole). Two words suffice: a short last
    # page holds a column's label and one cell. A narrower gap, wider than the
    # page's letter gap by edge_gap_em (of the letter before), splits only at an
    # edge where column_edge_sure_words words start (a label and two rows): a cell
    # set tight leaves only its paddings before the next column's text
    # (reportlab's tight 0.3 pt a side: 0.055 em up to 11 pt), while letters of one
    # word follow each other at the letter gap (kerning only narrows it); Chromium's
    # hyphen leaves 0.036 em inside a word, and the committed samples' edges that
    # such a hyphen happens to start on ('PO|-docenten') hold two words.
    column_edge_min_words: int = 2
    column_edge_sure_words: int = 3
    column_edge_tolerance_em: float = 0.03
    edge_gap_em: float = 0.045
    # A word joins a line when it overlaps the line by this share of its height
    # (a raised footnote marker overlaps partly, and must stay on its line).
    line_overlap: float = 0.3
    # A word is matched against the last few lines only (lines are built top down).
    line_lookback: int = 3
    # A superscript marker: a digit word this much smaller than the line's body
    # print, whose bottom sits this far (em) above the line's baseline.
    superscript_size_ratio: float = 0.85
    superscript_raise_em: float = 0.15
    # Words at least this share of the line's largest size set its baseline.
    baseline_size_ratio: float = 0.9
    # A gap wider than this (em of the smaller word) between two words is a space;
    # so is one between two letters of a word pdfplumber built (its x tolerance is
    # in the body em), beyond the page's letter gap (letter-spaced print): writers
    # that print no space glyphs (pdftocairo) leave 0.18-0.23 em in a narrow font
    # or small print; letters of one word on the committed samples, under 0.08 em.
    space_gap_em: float = 0.12
    # A space glyph printed on a word's line that ends within this (em) of where the
    # word starts is a space before it, however narrow the gap between the words: a
    # glyph of a substituted font set wider than the writer laid it out (Calc's
    # superscript markers from NimbusSansNarrow, 0.27 em for 0.17) overlaps the
    # space after it, leaving 0.11 em of it after mupdf's convert.
    space_glyph_reach_em: float = 0.1
    # A raised footnote marker is part of the word before it unless the gap before
    # it (em of the larger word) is at least this: less than a space of any body font
    # (about 0.25 em in Times, 0.28 em in Helvetica and DejaVu), more than the side
    # bearings writers leave before small print (seen up to 0.13 em).
    marker_gap_em: float = 0.2

    # --- reading direction and marks (pdf_orientation) ---------------------------
    # A glyph runs in a direction when its baseline is within this (deg) of it: an
    # OCR layer over a scan sets words a degree or two off, a watermark or stamp is
    # set at 30-60 degrees, vertical text at 90.
    reading_angle_tolerance_deg: float = 10.0
    # A page is read in the quarter turn that shows at least this share of its
    # characters left to right (its text, weighted by characters; glyphs set
    # diagonally, as watermarks and stamps are, do not count); its view as displayed
    # while that one does.
    reading_direction_min_share: float = 0.5
    # A glyph larger than this many ems of the body print is no table content (a
    # watermark set across the page: 10 em and more); an annex's own title or
    # heading is at most about 2.5 em.
    mark_min_size_em: float = 4.0

    # --- drawn shapes (pdf_page) -----------------------------------------------
    # A shape at most this thick (pt) and at least this long is a ruling line,
    # whatever it was drawn as (a line, a stroked or a filled thin rectangle:
    # browsers paint cell borders as thin filled rects).
    rule_max_thickness_pt: float = 1.5
    rule_min_length_pt: float = 4.0
    # A line segment whose ends differ by less than this (pt) is straight.
    rule_straightness_pt: float = 1.0
    # Rule positions are rounded to this many decimals before de-duplication.
    rule_position_decimals: int = 1
    # A filled shape at least this share of the page's width and of its height is the
    # page's background (a tint, a watermark box), never a cell, whatever its colour.
    background_min_share: float = 0.8
    # A filled curve is a cell's fill (or a rule) only when its outline encloses at
    # least this share of its bounding box (pdf_paths.box_cover): a cell drawn as a
    # closed path fills it (rounded corners: 0.97 and more); the glyph outlines of a
    # drawn watermark (a letter's outline: 0.85 at most, less turned) and a turned
    # rectangle (0.5 at 45 degrees) do not.
    cell_path_min_cover: float = 0.9
    # ... its Bezier segments followed in this many straight pieces each (an ellipse
    # measured so is within 1 % of its true area).
    curve_steps: int = 8

    # --- columns (pdf_page) ----------------------------------------------------
    # A rule counts as the boundary between two header labels when it lies
    # between them, with this much slack (pt) for rules touching a label.
    label_rule_slack_pt: float = 2.0
    # Borderless tables: the gutter before a column is a strip at least this wide
    # (em) that body text leaves empty, scanned in steps of this size (pt) ...
    gutter_min_width_em: float = 0.27
    gutter_step_pt: float = 0.5
    # The scan runs this far (pt) past the next label's left edge.
    gutter_overshoot_pt: float = 1.0
    # ... tolerating this share of the lines crossing it (group lines span the table).
    gutter_crossing_share: float = 0.05
    # A line whose words follow each other from left of the party columns with no gap
    # wider than this (em: a space is 0.25-0.32 em in the body fonts) over where a
    # labelled column starts runs across the table (a group line, the legend): it
    # is left out of the gutter search, however many of a short page's lines do so.
    spanning_gap_em: float = 0.5

    # --- page foot (pdf_page) --------------------------------------------------
    # Lines at the bottom printed smaller than this share of the body size are the
    # page's foot: footnotes, page numbers, running footers.
    foot_size_ratio: float = 0.92
    # A running footer is printed at the foot of many pages, at the table's size and
    # edge as a group line may be: a last line whose text (page numbers aside) ends at
    # least this many pages is one, and is no part of any table.
    running_footer_min_pages: int = 3
    # Trailing lines printed larger by the same ratio are a running footer when they
    # start this far (em) right of the table's left edge.
    footer_indent_em: float = 2.0

    # A line at a page's top or bottom with the same text (digits aside) at the same
    # place on at least this many pages is a running header, footer or page number
    # (pdf_annex.drop_furniture).
    furniture_min_pages: int = 3
    # Places of such lines are the same when they lie within this (em of the smaller
    # body size of the two pages) in both x and y: the same place on every page, up
    # to a producer's rounding and a re-distiller's scaling (a running header 22.87
    # and 23.04 pt from the top on pages of two sizes, 0.03 em apart); a line of the
    # table a row's pitch away (1.1 em and more) is elsewhere.
    furniture_place_em: float = 0.3
    # Words of a page's first or last line whose bottoms lie within this (em) of each
    # other share a baseline; furniture or a running footer grouped with a cell's line
    # that ran into it sits on another (0.5 em off, where Writer let a tall row run
    # over the running footer), and goes alone (pdf_page.without_baselines).
    furniture_baseline_em: float = 0.15

    # --- matrix (pdf_matrix) ---------------------------------------------------
    # How far (em) above or below 'Actie' the party and year labels may sit.
    header_reach_em: float = 6.0
    # A header label split over two lines ('werk-' / 'gevers'): the lower part
    # at most this far (em) below the upper one and aligned with it within this.
    label_stack_em: float = 1.0
    # Labels run together ('onderwijswerknem'): a part counts as a label when it is
    # one, or the first this many letters (or more) of one, cut short by its column.
    label_prefix_min_chars: int = 5
    # A legend swatch sits at most this far (em) left of its word, and the word's
    # middle within this much (em) of the swatch's height.
    swatch_gap_em: float = 1.6
    swatch_level_em: float = 0.4
    # Words of one legend item (and of the items printed after it in one cell) are a
    # space apart; a gap wider than this (em) ends the run of text the item wraps in
    # ('Betrokken partijen' in the cell before it).
    legend_run_gap_em: float = 1.0
    # Year column width (em) when the header prints a single year.
    single_year_width_em: float = 2.7
    # A vertical rule at most this far (em) left of the first party label is the
    # party columns' left edge; without one the edge is this far (em) left of it.
    party_rule_reach_em: float = 3.3
    party_left_pad_em: float = 0.53
    # A key (number or letter) starts left of the title column by at least this
    # much (pt); a letter printed in the title column ('a Toename') is a key only
    # when it is the next letter of its action.
    key_indent_pt: float = 2.0
    # A key cell wrapped under its number ('10' over 'a', in a key column too narrow
    # for '10a') is told from a letter row after a number-only row by line spacing:
    # it applies only where rows sit at least this much (em) further apart than a
    # title's wrapped lines (the cells' padding), and the letter line follows its
    # number at the wrapped lines' spacing, within this much (em).
    row_padding_min_em: float = 0.25
    line_spacing_slack_em: float = 0.1
    # The table ends at a vertical gap of more than this many line spacings ...
    table_end_gap_lines: float = 3.0
    # ... (line spacing in em when a page has a single body line).
    default_line_spacing_em: float = 1.6
    # A row's band reaches this far (em) below its last line when nothing follows.
    row_band_pad_em: float = 0.53
    # A fill belongs to a row when it covers at least this share of the shorter of
    # the two heights (fill, row band): a fill two rows tall covers both rows, a
    # fill that bleeds a point into the next row does not.
    fill_row_overlap: float = 0.5
    # Slack (pt) for a fill's middle under the year columns.
    fill_column_slack_pt: float = 1.0
    # A fill shades a sub-period when it covers more than this share of it (or of
    # the fill, where the fill is the narrower): half, so that a fill's edge a pixel
    # or a border off the grid's shades neither the neighbour nor less than itself.
    fill_period_overlap: float = 0.5
    # Where the timeline's grid starts is told by the year labels: printed centred in
    # their year (within this, em), or set at its left edge after at most this much
    # (em) of a cell's padding.
    label_centre_slack_em: float = 0.15
    label_padding_max_em: float = 1.2
    # Sub-columns a year may be split into (whole, halves, thirds, quarters, two
    # months, months), tried smallest first.
    period_counts: tuple[int, ...] = (1, 2, 3, 4, 6, 12)
    # A fill fits the grid when its width and its start are within this share of
    # a sub-column of the grid's (pixel snapping, borders) ...
    grid_slack_share: float = 0.3
    # ... and a grid fits when this share of the timeline's fills fit it.
    grid_fit_share: float = 0.9
    # Browsers snap a cell's edges to device pixels (a CSS pixel, 1/96 in): where a
    # period is only a pixel or two wide (months on a portrait page), a fill's width
    # misses its whole periods by up to this (pt) whatever the period's width.
    device_pixel_pt: float = 0.75

    # --- ruled tables (pdf_ruled, pdf_strategy) ---------------------------------
    # The cell grid of a ruled table comes from pdfplumber's table finder
    # (Page.find_tables), run on the page's ruling alone (lines, thin or stroked
    # shapes; coloured fills are shading, not borders) with these table_settings:
    # edges closer than this (pt) are one line (a border painted as a thin filled
    # rectangle has two edges ~0.75 pt apart; doubled borders) ...
    ruled_snap_tolerance_pt: float = 3.0
    # ... collinear pieces with a gap up to this (pt) are one edge (a border drawn
    # cell by cell) ...
    ruled_join_tolerance_pt: float = 3.0
    # ... edges shorter than this (pt) are dropped (the short sides of thin rects) ...
    ruled_edge_min_length_pt: float = 3.0
    # ... and edges that pass within this (pt) of each other meet.
    ruled_intersection_tolerance_pt: float = 3.0
    # A grid with fewer columns than this is a box (a legend, a swatch frame), not
    # a table (one ruled row is a table: the last row of the matrix on its page).
    ruled_min_columns: int = 3
    # A grid is the matrix's row grid when at least this share of its ruled rows
    # that hold a row start hold exactly one (rules drawn only between groups make
    # rows of several actions: then rows come from the keys, as without ruling).
    ruled_rows_share: float = 0.8
    # ... and has at least this many ruled rows that hold a row start.
    ruled_min_keyed_rows: int = 1
    # A row broken across ruled pages may set its rest above the next page's grid
    # (the continued cell drawn open at the top): lines no further than this (em)
    # above the grid's first rule and each other, starting left of the timeline.
    # A page number or running header stands further off, or out at the right.
    # The same reach holds below the grid's last rule: the start of a row the page
    # break cut, its cells drawn open at the bottom (or not drawn).
    ruled_carried_gap_em: float = 1.0
    # Cell edges of the finder's grid closer than this (pt) are one grid line.
    ruled_edge_merge_pt: float = 1.0
    # The grid places the timeline's years when, from the last party column to the
    # grid's right edge, every year edge is on a grid line and the year width agrees
    # with the labels' spacing, both within this share of a year.
    ruled_year_fit_share: float = 0.1

    # --- detail table (pdf_detail) ---------------------------------------------
    # Where a page line holds two lines of one cell (chained through a line of the
    # neighbouring cell, whose line pitch differs), lines of different columns are
    # one table line only when they overlap by at least this share of the shorter
    # one: the cells of a row start level (nearly full overlap), lines drifting
    # against each other overlap less than half before they meet the next ones.
    cell_line_level: float = 0.5
    # Header labels of two pages this close (em) in x are at the same place: the
    # table's columns go on, and their gutters are sought in both pages' text.
    detail_label_place_em: float = 0.5
    # A footnote printed after the table starts at its left edge: within this (em)
    # of the first header label's left.
    note_margin_em: float = 1.0
    # The rest of an action number wrapped in its key cell ('1' over '0') starts
    # within this much (em) of the number's own left edge.
    key_wrap_align_em: float = 0.3
    # A letter key sits this far (pt) left of the title column at least.
    letter_indent_pt: float = 1.0
    # A foot line closer than this (line heights) under a footnote continues it.
    footnote_continuation_lines: float = 0.8
    # ... and is printed at its size, within this ratio: a line set right under the
    # last note in other print (a 6 pt notice under 7 pt notes, fpdf2's closing
    # line) is no part of it.
    footnote_continuation_size_ratio: float = 0.92
    # A line left short by more than the next line's first word plus this (em),
    # after a sentence end, was broken by the writer: a new paragraph.
    paragraph_room_em: float = 0.6
    # A vertical gap this much (em) taller than the cell's line spacing is a new
    # paragraph.
    paragraph_gap_em: float = 0.25
    # A line starting this far (pt) left of a list item's text leaves the list.
    list_return_pt: float = 2.0

    # --- colours (pdf_colour) --------------------------------------------------
    # Below this saturation a fill is white or grey, below this value black-ish.
    min_saturation: float = 0.08
    min_value: float = 0.25
    # An ICC conversion to CMYK prints neutral grey with extra cyan (its grey balance:
    # Ghostscript's /prepress CMYK gives RGB 50 % grey as 0.51/0.44/0.44/0.08, 85 % as
    # 0.13/0.11/0.11/0): cyan at most this above magenta and yellow is grey. The palest
    # tint a legend uses (lichtblauw, RGB 0.74/0.84/0.93) differs by 0.2.
    cmyk_grey_balance: float = 0.1
    # --- glyphs (pdf_glyphs) ----------------------------------------------------
    # A page where at least this share of the words hold a glyph the text layer does
    # not name has no readable text (mupdf's convert after Writer: 86 % of page 1);
    # a re-subset font that lost only its accents leaves a few percent.
    unreadable_word_share: float = 0.5
    # Glyphs read from their outlines (pdf_fontmatch): outlines are compared on a grid
    # of this many units per em (embedded and installed fonts may differ in their own
    # units; subsetting keeps points exactly, so on a common grid they are equal).
    glyph_outline_units: int = 1000
    # Check every glyph of an embedded TrueType font against the installed font of its
    # name, not only those the text layer leaves unnamed: a map can be present and
    # wrong (Ghostscript's re-encoded superscripts: '⁴' printed, 't' in the text; a
    # map naming codes as characters after mupdf's convert).
    glyph_check_named: bool = True
    # A fill matches a colourful legend colour when their hues differ by at most
    # this (deg) ...
    legend_hue_tolerance: float = 30.0
    # ... and a legend of greys when their RGB distance (0..1 per channel) is at
    # most this.
    legend_colour_tolerance: float = 0.3


DEFAULT_SETTINGS = PdfSettings()
