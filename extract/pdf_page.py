"""What the PDF readers need of one page: lines of words, filled shapes, ruling lines."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from extract.pdf_colour import is_colourful, read_fill
from extract.pdf_grid import Grid, find_grids
from extract.pdf_paths import box_cover
from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings
from extract.pdf_words import Line, Word, body_size, group_lines, page_words


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]
    fills: list[dict]  # filled shapes: x0, x1, top, bottom, non_stroking_color (FILL_KEYS)
    vertical_rules: list[float]  # x of drawn vertical lines
    horizontal_rules: list[float]  # y (top) of drawn horizontal lines
    em: float = DEFAULT_SETTINGS.fallback_em_pt  # body font size: the unit of text distances
    settings: PdfSettings = DEFAULT_SETTINGS
    grids: tuple[Grid, ...] = ()  # ruled tables, from pdfplumber's table finder (pdf_grid)

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]


def read_page(page, number: int, settings: PdfSettings = DEFAULT_SETTINGS) -> PageContent:
    """Lines, fills and rules of one pdfplumber page.

    Fills come from rectangles and from closed paths (pdfminer reports a cell
    painted with moveto/lineto, or a rectangle on a rotated page, as a curve);
    any thin shape, filled or stroked, is a rule (browsers paint borders as thin
    filled rectangles), so a shaded cell's own edges never split cells. A shape
    nearly as large as the page is its background, neither. A filled curve that does
    not fill its bounding box (glyph outlines of a drawn watermark, a logo, a stamp:
    `box_cover`) is no cell and no rule.
    """
    fills, vertical, horizontal = [], [], []
    cuts = []  # vertical rules as (x, top, bottom): no word runs across one
    thin, long = settings.rule_max_thickness_pt, settings.rule_min_length_pt
    background = settings.background_min_share
    cover = settings.cell_path_min_cover
    for shape in list(page.rects) + [c for c in page.curves
                                     if c.get("fill") and box_cover(c, settings) >= cover]:
        width, height = shape["x1"] - shape["x0"], shape["bottom"] - shape["top"]
        if shape.get("fill") and width >= background * float(page.width) \
                and height >= background * float(page.height):
            continue  # the page's background: no cell
        if shape.get("fill") and is_colourful(
                read_fill(shape.get("non_stroking_color"), settings), settings):
            # A coloured shape is a shaded cell however narrow (a month column on a
            # portrait page); borders are printed in black or grey.
            fills.append(_fill(shape))
        elif width <= thin and height > long:
            vertical.append((shape["x0"] + shape["x1"]) / 2)
            cuts.append((vertical[-1], shape["top"], shape["bottom"]))
        elif height <= thin and width > long:
            horizontal.append((shape["top"] + shape["bottom"]) / 2)
        elif shape.get("fill") and min(width, height) <= thin:
            # A short piece of a border (one sub-column's side, where a timeline of
            # months is drawn cell by cell; a row's side in tight rows), printed in
            # black or grey: too short for a rule, and no cell, whose fill is as
            # tall as its row and as wide as its period.
            continue
        elif shape.get("fill"):
            fills.append(_fill(shape))
        elif shape.get("stroke"):
            vertical += [shape["x0"], shape["x1"]]
            horizontal += [shape["top"], shape["bottom"]]
            cuts += [(x, shape["top"], shape["bottom"]) for x in (shape["x0"], shape["x1"])]
    straight = settings.rule_straightness_pt
    for line in page.lines:
        if abs(line["x0"] - line["x1"]) < straight and line["bottom"] - line["top"] > long:
            vertical.append(line["x0"])
            cuts.append((line["x0"], line["top"], line["bottom"]))
        elif abs(line["top"] - line["bottom"]) < straight and line["x1"] - line["x0"] > long:
            horizontal.append(line["top"])
    em = body_size(page, settings)
    digits = settings.rule_position_decimals
    vertical = sorted(set(round(x, digits) for x in vertical))
    horizontal = sorted(set(round(y, digits) for y in horizontal))
    return PageContent(number, float(page.width), float(page.height),
                       group_lines(page_words(page, number, settings, em, cuts), settings), fills,
                       vertical, horizontal, em, settings,
                       find_grids(page, settings, len(vertical), len(horizontal)))


# What the readers use of a filled shape. pdfplumber's own dict has some thirty entries
# (its points, path, stroke and graphics state): kept for every page of a long annex,
# they were most of the memory that grew with the page count.
FILL_KEYS = ("x0", "x1", "top", "bottom", "fill", "non_stroking_color")


def _fill(shape: dict) -> dict:
    return {key: shape.get(key) for key in FILL_KEYS}


def release_page(page) -> None:
    """Drop what pdfplumber and pdfminer keep of a page once it has been read: the
    page's objects (`close`) and its decoded content streams, which pdfminer keeps
    on the page and in the document's object cache until the file closes. A stream
    another page shares stays with that page (its own reference), or is parsed
    again from the file if that page only names it."""
    page.close()
    page_obj = page.page_obj
    document = getattr(page.pdf, "doc", None)
    cache = getattr(document, "_cached_objs", None)
    for stream in page_obj.contents:
        objid = getattr(stream, "objid", None)
        if isinstance(cache, dict) and objid is not None:
            cache.pop(objid, None)
    page_obj.contents = []


def column_boundaries(labels: list[Word], body: list[Word], page: PageContent) -> list[float]:
    """Left edges of columns 2..n, one between each pair of header labels.

    A drawn rule between two labels wins. Without one (borderless tables) the
    boundary is the right end of the last strip between the labels that no body
    word covers: the gutter just before the next column's text. (The widest strip
    would be wrong: a key sub-column can leave a wider gap inside a column.)
    """
    settings = page.settings
    slack = settings.label_rule_slack_pt
    body = _within_columns(labels, body, page)
    boundaries = []
    for left, right in zip(labels, labels[1:], strict=False):
        between = [x for x in page.vertical_rules if left.x1 - slack < x < right.x0 + slack]
        if between:
            boundaries.append(max(between))
            continue
        end = right.x0 + settings.gutter_overshoot_pt
        # No gutter as wide as a space: cells filled to their edge (plain text that
        # ran into the next cell's padding) leave a strip narrower than one just
        # before the next column's text; the last such strip is the edge, where a
        # point halfway between short labels ('ow', 'reg') would cut a cell's words.
        gutter = _gutter(left.x0, end, body, page) or \
            _gutter(left.x0, end, body, page, min_width=0.0)
        boundaries.append(gutter or (left.x1 + right.x0) / 2)
    return boundaries


def _within_columns(labels: list[Word], body: list[Word], page: PageContent) -> list[Word]:
    """`body` without the lines whose text runs on from left of the party columns,
    word after word, over where a labelled column starts (over a label's left edge,
    by more than `column_edge_tolerance_em`): group lines and a legend span the table,
    while a row's cells stand apart and each ends before the next column's text.
    Such lines, more than a share of a short page's lines, would close the gutters
    they cross."""
    settings, em = page.settings, page.em
    reach = settings.column_edge_tolerance_em * em
    run_gap = settings.spanning_gap_em * em
    starts = [label.x0 for label in labels]
    lines: dict[tuple, list[Word]] = {}
    for word in body:
        lines.setdefault((word.page, round(word.top)), []).append(word)
    across = set()
    for key, words in lines.items():
        words.sort(key=lambda w: w.x0)
        if words[0].x0 >= starts[0] - reach:
            continue  # starts in the party columns: cells
        for before, word in zip(words, words[1:], strict=False):
            if word.x0 - before.x1 > run_gap:
                break
            if any(word.x0 + reach < x < word.x1 - reach for x in starts):
                across.add(key)
                break
    return [w for w in body if (w.page, round(w.top)) not in across]


def _gutter(start: float, end: float, body: list[Word], page: PageContent,
            min_width: float | None = None) -> float | None:
    """Right end of the last strip in [start, end] that body text leaves (nearly)
    empty. A few crossings are tolerated: group rows span the whole table. A strip
    from `start` up to text lies before the left column's text (its cells start a
    little right of its label), not between the columns: no gutter."""
    settings = page.settings
    step = settings.gutter_step_pt
    if min_width is None:
        min_width = settings.gutter_min_width_em * page.em
    # A line is known by its page and top: body text may come from several pages.
    spans = [(w.x0, w.x1, (w.page, round(w.top))) for w in body if w.x1 > start and w.x0 < end]
    lines = len({top for _, _, top in spans})
    allowed = max(1, int(settings.gutter_crossing_share * lines))
    last_end, run_start = None, None
    x = start
    while x <= end:
        crossing = len({top for x0, x1, top in spans if x0 <= x <= x1})
        free = crossing <= allowed
        if free and run_start is None:
            run_start = x
        if (not free or x + step > end) and run_start is not None:
            leading = run_start == start and not free
            if x - run_start >= min_width and not leading:
                last_end = x
            run_start = None
        x += step
    return last_end


def drop_running_footers(pages: list[PageContent], settings: PdfSettings) -> None:
    """Take off the page's last lines that are a running footer: text that (digits,
    i.e. page numbers, aside) ends at least `running_footer_min_pages` pages. Size
    and position cannot tell such a footer from a group line ending the page;
    repetition over the pages can."""
    ends = Counter(_footer_key(page.lines[-1]) for page in pages if page.lines)
    running = {key for key, count in ends.items()
               if count >= settings.running_footer_min_pages}
    for page in pages:
        while page.lines and _footer_key(page.lines[-1]) in running:
            page.lines = page.lines[:-1]
        if page.lines and running:
            # A cell run down into the footer, grouped with it as one line.
            last = without_baselines(page.lines[-1], lambda part: _footer_key(part) in running,
                                     settings.furniture_baseline_em * page.em)
            page.lines = page.lines[:-1] + ([last] if last.words else [])


def without_baselines(line: Line, drop, slack: float) -> Line:
    """`line` without the words of each of its baselines (bottoms within `slack` pt of
    each other) that `drop` says to take off as a line of their own: a page's running
    footer (or header) and a cell's line run into it (a row too tall for its page),
    set on baselines apart but overlapping enough to be grouped as one line. Words of
    one baseline never part (a row's key and title print on one)."""
    groups: list[list[Word]] = []
    for word in sorted(line.words, key=lambda w: w.bottom):
        if groups and word.bottom - groups[-1][-1].bottom <= slack:
            groups[-1].append(word)
        else:
            groups.append([word])
    if len(groups) < 2:
        return line
    gone = [group for group in groups
            if drop(Line(sorted(group, key=lambda w: w.x0), line.page))]
    if not gone:
        return line
    dropped = {id(word) for group in gone for word in group}
    return Line([word for word in line.words if id(word) not in dropped], line.page)


def _footer_key(line: Line) -> str:
    return " ".join(re.sub(r"\d+", "#", line.text).lower().split())


def split_page_foot(lines: list[Line], settings: PdfSettings) -> tuple[list[Line], list[Line]]:
    """Table lines, and the page's foot below them: the run of smaller print at the
    bottom (footnotes, page numbers, running footers)."""
    if not lines:
        return [], []
    body = median(line.size for line in lines)
    left = min(line.x0 for line in lines)
    foot = len(lines)
    while foot > 0:
        line = lines[foot - 1]
        # Measured without its references: a cell's last line of one word and its
        # marker is no smaller print than the rest of the cell.
        # A line of references only ('¹' wrapped alone) is a cell's: no footnote,
        # page number or footer is printed so.
        smaller = line.print_size < body * settings.foot_size_ratio \
            and not line.references_only
        # A larger line away from the table's left edge is a running footer; one at
        # the edge may be a group line that ended the page, and stays.
        larger = line.size * settings.foot_size_ratio > body and \
            line.x0 > left + settings.footer_indent_em * body
        if not (smaller or larger):
            break
        foot -= 1
    return lines[:foot], lines[foot:]


def column_of(x: float, boundaries: list[float]) -> int:
    return sum(1 for b in boundaries if x >= b)
