"""`--debug-images`: each PDF page as a PNG with what was read drawn over it.

People check a table by looking at it: matrix rows and party cells, the timeline
cells in their class colour, detail rows and footnotes, all from the provenance
the reader recorded, so the picture shows exactly what the pipeline took. Under
them, pdfplumber's own table finder picture (`debug_tablefinder`: the ruling
edges it used, their intersections, the cells of each table) with the settings
the ruled strategy reads with, so a grid that was missed or misread shows too.
Each page is drawn as the reader read it (extract.pdf_orientation.upright).
"""

from __future__ import annotations

from pathlib import Path

from ir import Provenance, RawAnnex

STYLE = {  # stroke colour, fill (RGBA) per kind of box
    "matrix": ((31, 119, 180), None),
    "party": ((148, 103, 189), None),
    "looptijd": ((214, 160, 0), (255, 221, 0, 90)),
    "mijlpaal": ((0, 128, 0), (0, 176, 80, 90)),
    "onbekend": ((214, 39, 40), (214, 39, 40, 90)),
    "detail": ((255, 127, 14), None),
    "footnote": ((127, 127, 127), None),
}


def _boxes(raw: RawAnnex) -> dict[int, list[tuple[str, tuple[float, float, float, float]]]]:
    pages: dict[int, list] = {}

    def add(kind: str, where: Provenance) -> None:
        if where.page is not None and where.bbox is not None:
            pages.setdefault(where.page, []).append((kind, where.bbox))

    for row in raw.matrix_rows:
        add("matrix", row.title.where)
        for cell in row.parties.values():
            add("party", cell.where)
        for cell in row.timeline or ():
            add(cell.colour_class, cell.where)
    for row in raw.detail_rows:
        add("detail", row.action_text.where)
    for note in raw.footnotes:
        add("footnote", note.text.where)
    return pages


def _picture(page, read, resolution: int):
    """The page's picture in the coordinates the reader read it in. pdfium renders a
    page as displayed, with its /Rotate; a page read in another view (drawn upright,
    then turned for viewing, or drawn turned: extract.pdf_orientation.upright) is
    turned to match."""
    from pdfplumber.display import PageImage

    rotation = (page.rotation - read.rotation) % 360
    shown = page.to_image(resolution=resolution).original
    # /Rotate turns clockwise for display; PIL's rotate turns counter-clockwise.
    return PageImage(read, original=shown.rotate(rotation, expand=True) if rotation else shown,
                     resolution=resolution)


def write_debug_images(pdf_path: Path, raw: RawAnnex, folder: Path,
                       resolution: int = 100) -> list[Path]:
    import pdfplumber

    from extract.pdf_grid import ruling_only, table_settings
    from extract.pdf_orientation import upright

    folder.mkdir(parents=True, exist_ok=True)
    boxes = _boxes(raw)
    written = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            read = upright(page)
            image = _picture(page, read, resolution)
            image.debug_tablefinder(ruling_only(read).debug_tablefinder(table_settings()))
            for kind, box in boxes.get(number, []):
                stroke, fill = STYLE.get(kind, STYLE["onbekend"])
                image.draw_rect(box, stroke=stroke, fill=fill or (0, 0, 0, 0), stroke_width=1)
            path = folder / f"{pdf_path.stem}-page-{number:03d}.png"
            image.save(path)
            written.append(path)
    return written
