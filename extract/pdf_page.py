"""What the PDF readers need of one page: lines of words, filled shapes, ruling lines."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import median

from extract.pdf_words import Line, Word, group_lines, page_words


@dataclass
class PageContent:
    number: int  # 1-based
    width: float
    height: float
    lines: list[Line]
    fills: list[dict]  # filled rects: x0, x1, top, bottom, non_stroking_color
    vertical_rules: list[float]  # x of drawn vertical lines
    horizontal_rules: list[float]  # y (top) of drawn horizontal lines

    @property
    def words(self) -> list[Word]:
        return [w for line in self.lines for w in line.words]


def read_page(page, number: int) -> PageContent:
    fills, vertical, horizontal = [], [], []
    for rect in page.rects:
        width, height = rect["x1"] - rect["x0"], rect["bottom"] - rect["top"]
        if width <= 1.5 and height > 4:
            vertical.append((rect["x0"] + rect["x1"]) / 2)
        elif height <= 1.5 and width > 4:
            horizontal.append((rect["top"] + rect["bottom"]) / 2)
        elif rect.get("fill"):
            # A shaded cell's edges are not rules: they would split cells.
            fills.append(rect)
        elif rect.get("stroke"):
            vertical += [rect["x0"], rect["x1"]]
            horizontal += [rect["top"], rect["bottom"]]
    for line in page.lines:
        if abs(line["x0"] - line["x1"]) < 1 and line["bottom"] - line["top"] > 4:
            vertical.append(line["x0"])
        elif abs(line["top"] - line["bottom"]) < 1 and line["x1"] - line["x0"] > 4:
            horizontal.append(line["top"])
    return PageContent(number, float(page.width), float(page.height),
                       group_lines(page_words(page, number)), fills,
                       sorted(set(round(x, 1) for x in vertical)),
                       sorted(set(round(y, 1) for y in horizontal)))


def column_boundaries(labels: list[Word], body: list[Word], rules: list[float]) -> list[float]:
    """Left edges of columns 2..n, one between each pair of header labels.

    A drawn rule between two labels wins. Without one (borderless tables) the
    boundary is the right end of the last strip between the labels that no body
    word covers: the gutter just before the next column's text. (The widest strip
    would be wrong: a key sub-column can leave a wider gap inside a column.)
    """
    boundaries = []
    for left, right in zip(labels, labels[1:], strict=False):
        between = [x for x in rules if left.x1 - 2 < x < right.x0 + 2]
        if between:
            boundaries.append(max(between))
            continue
        boundaries.append(_gutter(left.x0, right.x0 + 1, body) or (left.x1 + right.x0) / 2)
    return boundaries


def _gutter(start: float, end: float, body: list[Word], step: float = 0.5,
            min_width: float = 2.0) -> float | None:
    """Right end of the last strip in [start, end] that body text leaves (nearly)
    empty. A few crossings are tolerated: group rows span the whole table."""
    spans = [(w.x0, w.x1, round(w.top)) for w in body if w.x1 > start and w.x0 < end]
    lines = len({top for _, _, top in spans})
    allowed = max(1, int(0.05 * lines))
    last_end, run_start = None, None
    x = start
    while x <= end:
        crossing = len({top for x0, x1, top in spans if x0 <= x <= x1})
        free = crossing <= allowed
        if free and run_start is None:
            run_start = x
        if (not free or x + step > end) and run_start is not None:
            if x - run_start >= min_width:
                last_end = x
            run_start = None
        x += step
    return last_end


def split_page_foot(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Table lines, and the page's foot below them: the run of smaller print at the
    bottom (footnotes, page numbers, running footers)."""
    if not lines:
        return [], []
    body_size = median(line.size for line in lines)
    foot = len(lines)
    while foot > 0 and lines[foot - 1].size < body_size * 0.92:
        foot -= 1
    return lines[:foot], lines[foot:]


def column_of(x: float, boundaries: list[float]) -> int:
    return sum(1 for b in boundaries if x >= b)
