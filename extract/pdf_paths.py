"""How much of its bounding box a drawn path fills: a cell's fill fills it, a drawn
watermark's glyph outlines, a logo or a shape turned on the page do not.

pdfminer reports a cell painted with moveto/lineto (or any path under a turned
transformation) as a curve, as it does a glyph drawn as outlines. Only the first
is a cell: told by the area its outline encloses against its box.
"""

from __future__ import annotations

from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings


def box_cover(shape: dict, settings: PdfSettings = DEFAULT_SETTINGS) -> float:
    """The share of its bounding box that a path's largest subpath encloses (Bezier
    segments followed in `curve_steps` straight pieces): 1 for a cell painted as a
    closed path, a little less with rounded corners; a glyph's outline, a ring or a
    shape turned on the page encloses far less (an ellipse: 0.79)."""
    subpaths = _subpaths(shape, settings.curve_steps)
    points = [point for subpath in subpaths for point in subpath]
    if not points:
        return 1.0
    xs, ys = [x for x, _ in points], [y for _, y in points]
    box = (max(xs) - min(xs)) * (max(ys) - min(ys))
    if box <= 0:
        return 1.0  # a line has no inside to fall short of; the rule tests judge it
    largest = 0.0
    for sub in subpaths:
        twice = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1)
                    in zip(sub, sub[1:] + sub[:1], strict=True))
        largest = max(largest, abs(twice) / 2)
    return largest / box


def _subpaths(shape: dict, steps: int) -> list[list[tuple[float, float]]]:
    """The points of each subpath of a pdfplumber curve (its `path`: m, l, c, h), each
    cubic Bezier segment followed in `steps` pieces; its `pts` as one subpath when it
    has no path."""
    path = shape.get("path")
    if not path:
        return [[tuple(point) for point in shape.get("pts") or []]]
    subpaths: list[list[tuple[float, float]]] = []
    for operator, *points in path:
        if operator == "m" or not subpaths:
            subpaths.append([])
        current = subpaths[-1]
        if operator == "c" and len(points) == 3 and current:
            (x0, y0), (x1, y1), (x2, y2), (x3, y3) = current[-1], *points
            for step in range(1, steps + 1):
                t = step / steps
                u = 1 - t
                current.append((u**3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t**3 * x3,
                                u**3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t**3 * y3))
        else:
            current += [tuple(point) for point in points]
    return subpaths
