"""One generated layout: choices -> printed document -> producer -> post-processing -> truth."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from facsimile import SOURCE
from facsimile.content import Annex, load_annex
from facsimile.layouts import model, options, post, redistill
from facsimile.layouts.truth import document, write_compact
from facsimile.truth import readback


@cache
def annex() -> Annex:
    return load_annex(SOURCE)


def _render(doc: model.Document, target: Path) -> dict:
    producer = doc.layout.producer
    if producer == "chromium":
        from facsimile.layouts.html_render import render_chromium

        render_chromium(doc, target)
        return {"name": "chromium"}
    if producer == "weasyprint":
        import weasyprint

        from facsimile.layouts.html_render import render_weasyprint

        render_weasyprint(doc, target)
        return {"name": "weasyprint", "version": weasyprint.__version__}
    if producer == "reportlab":
        import reportlab

        from facsimile.layouts.rl_render import render

        render(doc, target)
        return {"name": "reportlab", "version": reportlab.Version}
    if producer == "writer":
        from facsimile.layouts.office_render import render_writer

        render_writer(doc, target)
        return {"name": "libreoffice-writer"}
    if producer == "calc":
        from facsimile.layouts.office_render import render_calc

        render_calc(doc, target)
        return {"name": "libreoffice-calc"}
    if producer == "fpdf2":
        import fpdf

        from facsimile.layouts.fpdf_render import render_fpdf

        render_fpdf(doc, target)
        return {"name": "fpdf2", "version": fpdf.__version__}
    raise ValueError(producer)


def build_one(seed: int, out: Path, producer: str | None = None,
              fixed: dict[str, str] | None = None,
              generation: int = options.GENERATION) -> tuple[Path, dict]:
    layout = options.fix(options.draw(seed, producer, generation), fixed or {})
    doc = model.build(annex(), layout)
    target = out / f"{layout.name}.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.pdf"
        about = _render(doc, raw)
        colours = [options.rgb_of(name) for name in layout.colours]
        fills = post.post_process(raw, target, colours, layout.colour_space, layout.fill_paint,
                                  layout.rotate, layout.media_origin, layout.name,
                                  watermark=layout.watermark)
    if layout.generation >= 3:  # last, as in life: the finished PDF printed to PDF again
        about["redistill"] = redistill.redistill(layout.redistill, target)
        # some re-distillers draw a turned page turned, with no /Rotate left (mupdf's
        # convert): the truth says what the file now has
        about["redistill"]["page_rotate"] = redistill.page_rotations(target)
    seen = readback(target)
    about["pdf_producer"] = seen["metadata"].get("Producer")
    about["pdf_creator"] = seen["metadata"].get("Creator")
    truth = document(doc, target, about, seen, fills)
    write_compact(target.with_suffix(".truth.json"), truth)
    return target, truth
