"""The cell grids of a page's ruled tables, from pdfplumber's own table finder.

`Page.find_tables` is run with explicit `table_settings` (built from PdfSettings,
never pdfplumber's defaults by accident) on the page's ruling alone: lines, thin
shapes (browsers paint borders as thin filled rectangles) and stroked shapes. A
coloured fill is a shaded cell, not a border: left in, a run of timeline fills
would be taken for a table of its own, and a fill merged over several cells would
cut the grid where no rule is.
"""

from __future__ import annotations

from dataclasses import dataclass

from extract.pdf_colour import is_colourful, read_fill
from extract.pdf_paths import box_cover
from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings


@dataclass(frozen=True)
class Grid:
    """One table the finder found: its grid lines, left to right and top down (the
    table's own outer edges included), so column i runs from xs[i] to xs[i + 1]
    and ruled row j from ys[j] to ys[j + 1]. Merged (spanning) cells leave the
    lines of the cells around them in place: the grid is the finest one."""

    bbox: tuple[float, float, float, float]
    xs: tuple[float, ...]
    ys: tuple[float, ...]

    def column_of(self, x: float) -> int | None:
        return _index(self.xs, x)

    def row_of(self, y: float) -> int | None:
        return _index(self.ys, y)

    def contains(self, x: float, y: float) -> bool:
        return self.column_of(x) is not None and self.row_of(y) is not None


def _index(edges: tuple[float, ...], value: float) -> int | None:
    for index, (low, high) in enumerate(zip(edges, edges[1:], strict=False)):
        if low <= value < high:
            return index
    return None


def table_settings(settings: PdfSettings = DEFAULT_SETTINGS) -> dict:
    """pdfplumber's table_settings for ruled tables: cells from drawn edges only."""
    return {
        "vertical_strategy": "lines",
        "horizontal_strategy": "lines",
        "snap_tolerance": settings.ruled_snap_tolerance_pt,
        "join_tolerance": settings.ruled_join_tolerance_pt,
        "edge_min_length": settings.ruled_edge_min_length_pt,
        "intersection_tolerance": settings.ruled_intersection_tolerance_pt,
    }


def ruling_only(page, settings: PdfSettings = DEFAULT_SETTINGS):
    """The pdfplumber page without its coloured fills and without filled curves that
    are no box (a drawn watermark's glyph outlines: pdf_paths.box_cover); text stays:
    it is harmless to the lines strategy and keeps the page whole for the debug
    image."""
    def is_ruling(obj: dict) -> bool:
        if obj.get("object_type") not in ("rect", "curve") or not obj.get("fill"):
            return True
        if obj["object_type"] == "curve" and \
                box_cover(obj, settings) < settings.cell_path_min_cover:
            return False
        return not is_colourful(read_fill(obj.get("non_stroking_color"), settings), settings)

    return page.filter(is_ruling)


def find_grids(page, settings: PdfSettings = DEFAULT_SETTINGS,
               vertical_rules: int = 0, horizontal_rules: int = 0) -> tuple[Grid, ...]:
    """The grids of the page's ruled tables. A page with fewer than two ruling lines
    each way has no cell, and the finder is not run (borderless pages cost nothing)."""
    if vertical_rules < 2 or horizontal_rules < 2:
        return ()
    grids = []
    for table in ruling_only(page, settings).find_tables(table_settings(settings)):
        xs = _merged(sorted({x for cell in table.cells for x in (cell[0], cell[2])}),
                     settings.ruled_edge_merge_pt)
        ys = _merged(sorted({y for cell in table.cells for y in (cell[1], cell[3])}),
                     settings.ruled_edge_merge_pt)
        if len(xs) - 1 >= settings.ruled_min_columns and len(ys) > 1:
            grids.append(Grid(tuple(float(v) for v in table.bbox), tuple(xs), tuple(ys)))
    return tuple(grids)


def _merged(edges: list[float], within: float) -> list[float]:
    merged: list[float] = []
    for edge in edges:
        if merged and edge - merged[-1] < within:
            continue
        merged.append(float(edge))
    return merged
