"""What the PDF readers need of one page: lines of words, filled shapes, ruling lines."""

from __future__ import annotations

from dataclasses import dataclass

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
    boundary is the right end of the widest strip between the labels that no
    body word covers: the gutter just before the next column's text.
    """
    boundaries = []
    for left, right in zip(labels, labels[1:], strict=False):
        between = [x for x in rules if left.x1 - 2 < x < right.x0 + 2]
        if between:
            boundaries.append(max(between))
            continue
        boundaries.append(_gutter(left.x0, right.x0 + 1, body) or (left.x1 + right.x0) / 2)
    return boundaries


def _gutter(start: float, end: float, body: list[Word], step: float = 0.5) -> float | None:
    covered = [(w.x0, w.x1) for w in body if w.x1 > start and w.x0 < end]
    best_length, best_end, run_start = 0.0, None, None
    x = start
    while x <= end:
        free = not any(x0 <= x <= x1 for x0, x1 in covered)
        if free and run_start is None:
            run_start = x
        if (not free or x + step > end) and run_start is not None:
            run_end = x if not free else x + step
            if run_end - run_start > best_length:
                best_length, best_end = run_end - run_start, run_end
            run_start = None
        x += step
    return best_end - step if best_end is not None and best_length >= 1.5 else None


def column_of(x: float, boundaries: list[float]) -> int:
    return sum(1 for b in boundaries if x >= b)
