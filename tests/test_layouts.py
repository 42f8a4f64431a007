"""The committed generated layouts (samples/layouts/, generation 1, samples/layouts-gen2/,
generation 2, and samples/layouts-gen3/, generation 3): each truth file is what its PDF
prints, and each sample covers every producer and every layout choice of its generation.

Reads the committed PDFs with pdfplumber only: no producer is needed here.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import pdfplumber
import pytest
from pdfminer import pdfinterp

from extract import pdf_indexed, pdf_pattern
from facsimile.layouts import options
from facsimile.layouts.post import expected_fill
from facsimile.truth import READING  # the turn of a page decides its reading direction

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "layouts"
LAYOUTS = sorted(SAMPLE.glob("layout-*.pdf"))
# the sample's rule (samples/layouts/README.md): seeds 0 .. BLOCK-1, one whole block
SEEDS = range(options.BLOCK)
# the generation-2 sample's rule (samples/layouts-gen2/README.md): the next whole block
LAYOUTS_GEN2 = sorted((ROOT / "samples" / "layouts-gen2").glob("layout-*.pdf"))
SEEDS_GEN2 = range(options.BLOCK, 2 * options.BLOCK)
# the generation-3 sample's rule (samples/layouts-gen3/README.md): the block after that
LAYOUTS_GEN3 = sorted((ROOT / "samples" / "layouts-gen3").glob("layout-*.pdf"))
SEEDS_GEN3 = range(2 * options.BLOCK, 3 * options.BLOCK)
BOTH = LAYOUTS + LAYOUTS_GEN2


def _ids(paths):
    return [p.stem.removeprefix("layout-") for p in paths]


@cache
def _truth(path: Path) -> dict:
    return json.loads(path.with_suffix(".truth.json").read_text(encoding="utf-8"))


@cache
def _seen(path: Path) -> dict:
    """Words per page, page boxes and rotation, and every filled shape with its colour,
    as pdfminer reports them untaught (see _as_drawn)."""
    pages = []
    with _as_drawn(), pdfplumber.open(path) as pdf:
        metadata = {k: v for k, v in pdf.metadata.items() if isinstance(v, str)}
        for page in pdf.pages:
            # a generation-3 watermark is not content: its large letters would split
            # the words they fall between
            page = page.filter(lambda o: o.get("object_type") != "char"
                               or o["size"] < WATERMARK_MIN_PT)
            words = [w["text"] for w in page.extract_words(**READING[page.rotation])]
            fills = [(o["object_type"], _colour(o.get("non_stroking_color")))
                     for o in page.rects + page.curves if o.get("fill")]
            pages.append({"words": words, "rotation": page.rotation,
                          "mediabox": [float(v) for v in page.mediabox], "fills": fills})
    return {"metadata": metadata, "pages": pages}


# The reader teaches pdfminer's interpreter, once per process, to report indexed and
# patterned fills as the colours they show (extract/pdf_indexed.py, pdf_pattern.py).
# This test checks what the generator drew (the index, the pattern's name), so it reads
# with the interpreter as pdfminer ships it, whichever test read a PDF before it. Taken
# when this module is collected, before any test has read a PDF.
_UNTAUGHT = (pdfinterp.PDFPageInterpreter.init_resources,
             pdfinterp.PDFPageInterpreter.do_scn)
assert not pdf_indexed._installed and not pdf_pattern._installed


@contextmanager
def _as_drawn():
    interpreter = pdfinterp.PDFPageInterpreter
    taught = interpreter.init_resources, interpreter.do_scn
    interpreter.init_resources, interpreter.do_scn = _UNTAUGHT
    try:
        yield
    finally:
        interpreter.init_resources, interpreter.do_scn = taught


WATERMARK_MIN_PT = 40  # the CONCEPT letters are 0.2 of the page's side; text is < 12 pt


def _colour(value):
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return (round(float(value), 3),)
    if isinstance(value, str) or not all(isinstance(v, (int, float)) for v in value):
        return str(value)
    return tuple(round(float(v), 3) for v in value)


def _hyphen_parts(word: str) -> list[str]:
    parts = word.split("-")
    return [p + "-" for p in parts[:-1]] + parts[-1:] if len(parts) > 1 else [word]


def _printed(text: str, words: set[str], squashed: str) -> list[str]:
    """Words of `text` the PDF does not show (as a word, in hyphen parts, or glued)."""
    missing = []
    for word in text.split():
        if word in words or all(p in words for p in _hyphen_parts(word)):
            continue
        if word in squashed:  # glued to a neighbour (labels, markers)
            continue
        missing.append(word)
    return missing


def test_sample_is_one_whole_block_of_seeds():
    assert [_truth(p)["layout"]["seed"] for p in LAYOUTS] == list(SEEDS)
    assert [_truth(p)["layout"]["seed"] for p in LAYOUTS_GEN2] == list(SEEDS_GEN2)
    assert [_truth(p)["layout"]["seed"] for p in LAYOUTS_GEN3] == list(SEEDS_GEN3)


# the committed sample is generation 1: the choices added later print their LEGACY value
GENERATION_1 = [name for name in options.CHOICES
                if name not in options.LEGACY and name not in options.LEGACY3]


def test_sample_covers_every_producer_and_every_choice():
    seen: dict[str, set] = {name: set() for name in GENERATION_1}
    producers = set()
    for path in LAYOUTS:
        layout = _truth(path)["layout"]
        producers.add(layout["producer"])
        for name in GENERATION_1:
            seen[name].add(json.dumps(layout[name]))
    assert producers == set(options.PRODUCERS)
    for name in GENERATION_1:
        assert seen[name] == {json.dumps(v) for v in options.CHOICES[name]}, name


@pytest.mark.parametrize("path", LAYOUTS, ids=_ids(LAYOUTS))
def test_truth_layout_is_the_generators_draw(path):
    """Nobody edited a sample layout by hand: its choices are what the seed draws."""
    layout = _truth(path)["layout"]
    assert layout.get("generation", 1) == 1
    drawn = options.draw(layout["seed"], generation=1).as_dict()
    assert not set(options.LEGACY) & set(drawn)  # generation 1 truths name none of them
    assert {k: layout[k] for k in drawn} == json.loads(json.dumps(drawn))


LATER = [(path, 2) for path in LAYOUTS_GEN2] + [(path, 3) for path in LAYOUTS_GEN3]


@pytest.mark.parametrize(("path", "generation"), LATER,
                         ids=[f"{p.stem.removeprefix('layout-')}-gen{g}" for p, g in LATER])
def test_later_generation_truth_layout_is_the_generators_draw(path, generation):
    layout = _truth(path)["layout"]
    assert layout["generation"] == generation
    drawn = options.draw(layout["seed"], generation=generation).as_dict()
    assert {k: layout[k] for k in drawn} == json.loads(json.dumps(drawn))


def test_generation_3_sample_covers_every_value_of_every_choice():
    seen: dict[str, set] = {name: set() for name in options.CHOICES}
    for path in LAYOUTS_GEN3:
        layout = _truth(path)["layout"]
        for name in options.CHOICES:
            seen[name].add(json.dumps(layout[name]))
    for name in options.CHOICES:
        assert seen[name] == {json.dumps(v) for v in options.CHOICES[name]}, name


GENERATION_2 = [name for name in options.CHOICES if name not in options.LEGACY3]


def test_generation_2_sample_covers_every_value_of_every_choice():
    seen: dict[str, set] = {name: set() for name in GENERATION_2}
    for path in LAYOUTS_GEN2:
        layout = _truth(path)["layout"]
        assert not set(options.LEGACY3) & set(layout)  # generation 3's came later
        for name in GENERATION_2:
            seen[name].add(json.dumps(layout[name]))
    for name in GENERATION_2:
        assert seen[name] == {json.dumps(v) for v in options.CHOICES[name]}, name


def test_every_aligned_block_of_generation_3_holds_every_value():
    """Any later block of seeds (a sweep's) steps through every value of every choice,
    the generation-2 and -3 ones too, on every producer that can print it."""
    for block in (1, 2, 28, 30):
        seeds = range(block * options.BLOCK, (block + 1) * options.BLOCK)
        assert all(not missing for missing in options.coverage(seeds).values()), block
        for producer in options.PRODUCERS:
            drawn = [options.draw(s) for s in seeds if options.draw(s).producer == producer]
            for name in [*options.LEGACY, *options.LEGACY3]:
                assert {getattr(d, name) for d in drawn} == set(
                    options.allowed(producer, name)), (block, producer, name)


def test_each_generation_draws_the_old_choices_as_the_one_before():
    """The new choices come after the old ones, so a seed's old choices do not move."""
    for seed in range(0, 400, 7):
        first = options.draw(seed, generation=1).as_dict()
        second = options.draw(seed, generation=2).as_dict()
        third = options.draw(seed, generation=3).as_dict()
        assert {k: second[k] for k in first if k != "colours"} == \
            {k: v for k, v in first.items() if k != "colours"}
        assert second["generation"] == 2 and set(options.LEGACY) <= set(second)
        assert not set(options.LEGACY3) & set(second)  # generation 2 truths name none
        assert {k: third[k] for k in second if k != "generation"} == \
            {k: v for k, v in second.items() if k != "generation"}
        assert third["generation"] == 3 and set(options.LEGACY3) <= set(third)
    assert options.GENERATION == 3


def test_no_legend_means_the_annexs_own_colours_or_colour_words():
    """Without swatches a reader has only the header's colour words or the annex's
    convention (vocab/colour_classes.csv): the draw never asks it to guess."""
    from facsimile.layouts.build import annex
    from facsimile.layouts.model import TIMELINE_HEADER, build

    checked = 0
    for seed in range(1000, 1400):
        layout = options.draw(seed)
        if layout.legend_place != "none":
            continue
        doc = build(annex(), layout)
        assert doc.legend == ()
        if layout.header_names_colours:
            assert all(name in doc.timeline_header for name in layout.colours)
        else:
            assert doc.timeline_header == TIMELINE_HEADER
            assert layout.colours[0] in options.CONVENTION[0]
            assert layout.colours[1] in options.CONVENTION[1]
        checked += 1
    assert checked


@pytest.mark.parametrize("path", BOTH, ids=_ids(BOTH))
def test_every_truth_cell_is_printed(path):
    truth, seen = _truth(path), _seen(path)
    words = {w for page in seen["pages"] for w in page["words"]}
    squashed = "".join(w for page in seen["pages"] for w in page["words"])
    problems = []
    for action in truth["actions"]:
        for kind, text in [("title", action["title_cell"]), ("ambition", action["ambition"]),
                           *action["parties"].items()]:
            missing = _printed(text, words, squashed)
            if missing:
                problems.append((action["action_id"], kind, missing))
        assert action["title"] in action["title_cell"]  # the key is never in the truth title
    for row in truth["detail_rows"]:
        for kind in ("initiator", "key_cell", "number_cell", "letters_cell"):
            missing = _printed(row[kind], words, squashed)
            if missing:
                problems.append((row["number"], kind, missing))
        # long texts: every word but markers (printed in the layout's own style)
        for line in row["action_lines"] + row["status_lines"]:
            plain = re.sub("[⁰¹²³⁴⁵⁶⁷⁸⁹]+", " ", line.removeprefix("• "))
            missing = _printed(plain, words, squashed)
            if missing:
                problems.append((row["number"], "text", missing[:3]))
    assert not problems, problems[:10]


@pytest.mark.parametrize("path", BOTH, ids=_ids(BOTH))
def test_notice_pages_and_footnotes(path):
    truth, seen = _truth(path), _seen(path)
    layout = truth["layout"]
    first = "".join(seen["pages"][0]["words"])
    assert "FACSIMILE" in first and "ILLUSTRATIEF" in first and "ILLUSTRATIVE" in first
    assert "FACSIMILE" in seen["metadata"]["Title"]
    assert "ILLUSTRATIVE" in seen["metadata"]["Subject"]
    for page in seen["pages"]:
        assert page["rotation"] == layout["rotate"]
        origin = page["mediabox"][:2]
        assert (origin != [0.0, 0.0]) == (layout["media_origin"] == "offset")
    for note in truth["footnotes"]:
        assert note["page"] is not None, note["marker_printed"]  # printed, in one piece
    # pdfplumber gives a turned page's size as seen: a quarter turn swaps the sides
    turned = layout["rotate"] in (90, 270)
    sizes = {(round(p["width"]), round(p["height"])) for p in truth["pages"]}
    landscape = {(w > h) != turned for w, h in sizes}
    if layout["orientation"] == "mixed":
        assert landscape == {True, False}
    else:
        assert landscape == {layout["orientation"] == "landscape"}


@pytest.mark.parametrize("path", BOTH, ids=_ids(BOTH))
def test_timeline_fills_in_the_layouts_colour_space_and_shape(path):
    truth, seen = _truth(path), _seen(path)
    layout = truth["layout"]
    fills = [f for page in seen["pages"] for f in page["fills"]]
    cells = {"looptijd": 0, "mijlpaal": 0}
    for action in truth["actions"]:
        for cell in action["cells"]:
            cells[cell["class"]] += 1
    shape = "curve" if layout["fill_paint"] in ("curves", "closed_path") else "rect"
    for index, colour_class in enumerate(("looptijd", "mijlpaal")):
        wanted = expected_fill(layout, index)
        found = [kind for kind, colour in fills if _matches(colour, wanted)]
        assert found, (colour_class, wanted, sorted({c for _, c in fills}, key=str)[:8])
        assert set(found) == {shape}
        # one shape per cell plus the legend swatch where the producer paints per cell
        per_cell = layout["fill_paint"] not in ("merged_years", "merged_rows") and \
            layout["producer"] in ("reportlab", "chromium", "weasyprint") and \
            layout["row_split"] == "avoided"
        if per_cell:
            times = 2 if layout["fill_paint"] == "twice" else 1
            assert len(found) == times * (cells[colour_class] + 1)
        else:
            assert len(found) >= 1


def _matches(colour, wanted) -> bool:
    if isinstance(wanted, str) or isinstance(colour, str):
        return isinstance(colour, str) and isinstance(wanted, str) and wanted in colour
    return colour is not None and len(colour) == len(wanted) and all(
        abs(a - b) <= 0.006 for a, b in zip(colour, wanted, strict=True))


NEW_CHOICES = {"legend_place": "page_foot", "legend_words": "upper", "font": "serif",
               "body_size": "9", "page_size": "A3", "spacing": "loose",
               "title_width": "narrow", "running_header": "title",
               "page_numbers": "pagina_van", "background": "tint"}


def test_a_generation_2_layout_prints_its_new_choices(tmp_path):
    """One reportlab layout with every generation-2 choice away from its legacy value:
    the PDF shows each, its truth says so, and a rebuild gives the same bytes."""
    pytest.importorskip("pypdf", reason="the generator's post-processing needs pypdf "
                                        "(pip extra 'layouts')")
    from facsimile.layouts.build import build_one
    from facsimile.layouts.model import BACKGROUND_RGB, RUNNING_TITLE, TIMELINE_HEADER

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, truth = build_one(1000, tmp_path / "a", "reportlab", NEW_CHOICES, generation=2)
    again, _ = build_one(1000, tmp_path / "b", "reportlab", NEW_CHOICES, generation=2)
    assert first.read_bytes() == again.read_bytes()
    layout = truth["layout"]
    assert {k: str(layout[k]) for k in NEW_CHOICES} == NEW_CHOICES
    assert layout["generation"] == 2
    assert [item["text"] for item in truth["legend"]] == ["LOOPTIJD", "MIJLPAAL / GEREED"]
    assert truth["header"]["timeline"] == TIMELINE_HEADER
    with pdfplumber.open(first) as pdf:
        total = len(pdf.pages)
        sizes = {(round(p.width), round(p.height)) for p in pdf.pages}
        assert sizes <= {(1191, 842), (842, 1191)}  # A3, either way round
        texts = [p.extract_text() for p in pdf.pages]
        for number, text in enumerate(texts, 1):
            assert RUNNING_TITLE in text and f"pagina {number} van {total}" in text
        fonts = {c["fontname"].split("+")[-1] for p in pdf.pages[:2] for c in p.chars}
        assert fonts <= {"DejaVuSerif", "DejaVuSerif-Bold"}
        sizes_pt = {round(c["size"], 1) for c in pdf.pages[0].chars
                    if c["text"].strip() and c["size"] < 10.5}
        assert 9.0 in sizes_pt
        tints = [r for r in pdf.pages[0].rects if r.get("fill") and _matches(
            _colour(r["non_stroking_color"]), BACKGROUND_RGB)]
        assert tints and tints[0]["width"] > pdf.pages[0].width / 2
        matrix_pages = [i for i, t in enumerate(texts) if "LOOPTIJD" in t]
        assert len(matrix_pages) == 1  # the legend, once: at the foot of a matrix page
        page = pdf.pages[matrix_pages[0]]
        legend_top = min(w["top"] for w in page.extract_words() if w["text"] == "LOOPTIJD")
        assert legend_top > page.height * 0.8
    # the sample's own checks hold for it too
    test_every_truth_cell_is_printed(first)
    test_notice_pages_and_footnotes(first)
    test_timeline_fills_in_the_layouts_colour_space_and_shape(first)


STYLING = {"banding": "zebra", "header_shade": "shaded", "rules": "ruled",
           "rule_lines": "horizontal", "watermark": "concept", "redistill": "none",
           "rotate": "0", "media_origin": "zero", "fill_paint": "cell", "colour_space": "rgb",
           "row_split": "avoided", "body_size": "auto", "spacing": "normal"}


def test_a_generation_3_layout_prints_its_table_styling(tmp_path):
    """One reportlab layout with zebra rows, a shaded header, horizontal rules only and
    the CONCEPT watermark: the PDF shows each, its truth says which rows are banded (and
    none of them as a timeline class), and a rebuild gives the same bytes."""
    pytest.importorskip("pypdf", reason="the generator's post-processing needs pypdf "
                                        "(pip extra 'layouts')")
    from pypdf import PdfReader

    from facsimile.layouts.build import build_one
    from facsimile.layouts.model import BAND_RGB, HEADER_RGB, WATERMARK_RGB, WATERMARK_TEXT

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, truth = build_one(1001, tmp_path / "a", "reportlab", STYLING, generation=3)
    again, _ = build_one(1001, tmp_path / "b", "reportlab", STYLING, generation=3)
    assert first.read_bytes() == again.read_bytes()
    layout = truth["layout"]
    assert {k: str(layout[k]) for k in STYLING} == STYLING and layout["generation"] == 3
    styling = truth["styling"]
    ids = [a["action_id"] for a in truth["actions"]]
    assert styling["banding"]["matrix_actions"] == ids[1::2]
    assert len(styling["banding"]["detail_rows"]) == len(truth["detail_rows"]) // 2
    assert styling["rules"] == "horizontal" and styling["watermark"]["text"] == WATERMARK_TEXT
    bands = headers = 0
    with pdfplumber.open(first) as pdf:
        for page in pdf.pages:
            fills = [r for r in page.rects if r.get("fill")]
            # a band spans its row: wider than half the page
            bands += sum(1 for r in fills if r["width"] > page.width / 2 and _matches(
                _colour(r["non_stroking_color"]), BAND_RGB))
            headers += sum(1 for r in fills if _matches(_colour(r["non_stroking_color"]),
                                                        HEADER_RGB))
            assert page.lines and all(abs(line["y0"] - line["y1"]) < 0.01
                                      for line in page.lines)  # no vertical rule
            mark = [c for c in page.chars if c["fontname"] == "Helvetica"]
            assert "".join(c["text"] for c in mark) == WATERMARK_TEXT
            # diagonal (pdfminer still calls a 38-degree turn upright), light grey
            assert all(abs(c["matrix"][1]) > 0.1 and _matches(
                _colour(c["non_stroking_color"]), WATERMARK_RGB) for c in mark)
    assert bands == len(styling["banding"]["matrix_actions"]) + len(
        styling["banding"]["detail_rows"])
    assert headers >= 2  # the matrix's and the detail table's
    for page in PdfReader(first).pages:  # drawn before (so behind) the producer's content
        first_ops = page.get_contents().get_data().split(b"Tj", 1)[0]
        assert b"(" + WATERMARK_TEXT.encode() + b")" in first_ops
    # the sample's own checks hold for it too: the banded rows' timeline cells are blank
    test_every_truth_cell_is_printed(first)
    test_notice_pages_and_footnotes(first)
    test_timeline_fills_in_the_layouts_colour_space_and_shape(first)


# a page "prints the same" after a re-distiller when its raster (30 dpi, grey, blurred
# by one pixel) differs from the original's by at most this mean (0-255): hairline
# rules antialiased a pixel over stay under it, a lost fill or text block does not
RASTER_DPI = 30
SAME_PRINT_MEAN = 6.0
REDISTILL_SOURCE = SAMPLE / "layout-0008-writer.pdf"  # RGB cell fills: no pattern aliasing


def _rasters(pdf: Path, out: Path) -> list:
    import subprocess

    from PIL import Image, ImageFilter

    out.mkdir()
    subprocess.run(["pdftoppm", "-r", str(RASTER_DPI), "-gray", str(pdf), str(out / "p")],
                   check=True, capture_output=True)
    return [Image.open(p).filter(ImageFilter.BoxBlur(1)) for p in sorted(out.glob("p-*.pgm"))]


def _mean_difference(a, b) -> float:
    from PIL import ImageChops, ImageStat

    return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]


def _redistill_choices():
    from facsimile.layouts.redistill import COMMANDS

    return list(COMMANDS)


@pytest.mark.parametrize("choice", _redistill_choices())
def test_a_redistiller_keeps_what_is_printed(choice, tmp_path):
    """Each re-distiller rewrites the file (other bytes, its own content streams) but
    every page prints as before, so the layout's truth still holds; the FACSIMILE
    metadata survives; a second run gives the same bytes."""
    import shutil

    from facsimile.layouts import redistill

    pytest.importorskip("pypdf", reason="the re-distiller step needs pypdf (extra 'layouts')")
    if not redistill.available(choice):
        pytest.skip(f"{redistill.PROGRAMS[choice]} is not installed (make producers)")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed (make producers)")
    copies = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    for copy in copies:
        shutil.copyfile(REDISTILL_SOURCE, copy)
        assert redistill.redistill(choice, copy)["name"] == choice
    assert copies[0].read_bytes() == copies[1].read_bytes()
    assert copies[0].read_bytes() != REDISTILL_SOURCE.read_bytes()
    before = _rasters(REDISTILL_SOURCE, tmp_path / "before")
    after = _rasters(copies[0], tmp_path / "after")
    assert len(after) == len(before) == len(_truth(REDISTILL_SOURCE)["pages"])
    for number, (old, new) in enumerate(zip(before, after, strict=True), 1):
        assert new.size == old.size, number
        assert _mean_difference(old, new) <= SAME_PRINT_MEAN, number
    # the measure can fail: two different pages of the original differ by more
    assert _mean_difference(before[0], before[1]) > SAME_PRINT_MEAN
    with pdfplumber.open(copies[0]) as pdf:
        assert "FACSIMILE" in pdf.metadata["Title"]
        assert "ILLUSTRATIVE" in pdf.metadata["Subject"]


def test_every_block_gives_fpdf2_every_value_it_supports():
    """fpdf2 is drawn only when asked (`--producer fpdf2`); its 7 turns of a block (one
    seed per turn) step through every value it can print, as a cycled producer's do."""
    for block in (2, 9):
        seeds = range(block * options.BLOCK, (block + 1) * options.BLOCK, 5)
        drawn = [options.draw(s, "fpdf2") for s in seeds]
        for name in options.CHOICES:
            assert {getattr(d, name) for d in drawn} == set(
                options.allowed("fpdf2", name)), (block, name)
    with pytest.raises(ValueError):
        options.draw(0, "fpdf2", generation=2)


def test_an_fpdf2_layout_prints_its_truth(tmp_path):
    """The pure-Python producer: its PDF shows every truth cell in the layout's fills,
    with the table styling, and a rebuild gives the same bytes."""
    pytest.importorskip("pypdf", reason="the generator's post-processing needs pypdf "
                                        "(pip extra 'layouts')")
    pytest.importorskip("fpdf", reason="fpdf2 is in the pip extra 'layouts'")
    from facsimile.layouts.build import build_one

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, truth = build_one(1002, tmp_path / "a", "fpdf2", STYLING, generation=3)
    again, _ = build_one(1002, tmp_path / "b", "fpdf2", STYLING, generation=3)
    assert first.read_bytes() == again.read_bytes()
    assert truth["producer"]["name"] == "fpdf2" and truth["producer"]["version"]
    test_every_truth_cell_is_printed(first)
    test_notice_pages_and_footnotes(first)
    test_timeline_fills_in_the_layouts_colour_space_and_shape(first)


def test_weasyprint_paints_both_rows_of_a_fill_cut_by_a_page_break(tmp_path):
    """A timeline fill merged over two rows ('merged_rows') whose rows a page break
    parts: WeasyPrint paints a row-spanning cell on its first row's page only, so the
    generator paints those two rows a fill each, and every truth cell is painted.
    (Seed 47 of generation 1 is such a layout: the test says so before it builds.)"""
    weasyprint = pytest.importorskip("weasyprint", reason="WeasyPrint is in the pip "
                                                          "extra 'layouts'")
    pytest.importorskip("pypdf", reason="the generator's post-processing needs pypdf")
    from extract import read_annex
    from facsimile.layouts import html_render, model
    from facsimile.layouts.build import annex, build_one
    from facsimile.score import score

    fixed = {"fill_paint": "merged_rows"}
    layout = options.fix(options.draw(47, "weasyprint", generation=1), fixed)
    doc = model.build(annex(), layout)
    laid_out = weasyprint.HTML(string=html_render.page_html(doc, "weasyprint", mark=True)
                               ).render()
    spans = html_render._spans(doc)
    cut = [i for i in html_render._rows_ending_pages(laid_out)
           if (0, 0) in spans.get(i + 1, {}).values()]
    assert cut  # a merged fill over rows that a page break parts
    pdf, truth = build_one(47, tmp_path, "weasyprint", fixed, generation=1)
    timeline = score(read_annex(pdf), truth).timeline
    assert timeline.equal == timeline.total > 0


def test_no_layout_has_mutool_convert_destroy_its_pattern_fills():
    """mutool convert leaves a tiling pattern's cells unpainted, so a layout with
    pattern fills is cleaned by mutool instead: no draw combines the two, the seeds
    that drew both keep their pattern fills (3055-3059 of a sweep), and the other
    layouts still get mutool convert."""
    drawn = [options.draw(seed) for seed in range(0, 4200)]
    assert not [d.seed for d in drawn if d.redistill == "mutool_convert"
                and d.fill_paint == "pattern"]
    assert any(d.redistill == "mutool_convert" for d in drawn)
    for seed in (3055, 3056, 3057, 3059):
        assert (options.draw(seed).redistill, options.draw(seed).fill_paint) == \
            ("mutool_clean", "pattern")
    # Nor does --set make one: a drawn pattern with mutool convert set is refused.
    with pytest.raises(ValueError, match="destroys fill_paint=pattern"):
        options.fix(options.draw(3055), {"redistill": "mutool_convert"})
    with pytest.raises(ValueError, match="destroys fill_paint=pattern"):
        options.fix(options.draw(3000), {"redistill": "mutool_convert",
                                         "fill_paint": "pattern"})
    assert options.fix(options.draw(3055), {"redistill": "mutool_convert",
                                            "fill_paint": "cell"}).fill_paint == "cell"


def _detail_texts(truth: dict) -> list[list[str]]:
    return [row["action_lines"] + [row["initiator"]] + row["status_lines"]
            for row in truth["detail_rows"]]


# generation-3 layouts whose re-distiller keeps the text's encoding (the others re-encode
# fonts so that pdfminer's text is not the words; the reader's own test reads those)
TEXT_KEPT_GEN3 = [p for p in LAYOUTS_GEN3
                  if _truth(p)["layout"]["redistill"] in ("none", "qpdf", "mutool_clean")]
WORDS_CHECKED = BOTH + TEXT_KEPT_GEN3


@pytest.mark.parametrize("path", WORDS_CHECKED, ids=_ids(WORDS_CHECKED))
def test_every_detail_row_word_is_shown_as_often_as_printed(path):
    """Not only somewhere in the PDF (test_every_truth_cell_is_printed): each word of
    the detail rows as often as the truth prints it, so a clipped line, whose words all
    occur elsewhere too, is still found (facsimile/layouts/shown.py)."""
    from facsimile.layouts.shown import short_words

    pages = [" ".join(page["words"]) for page in _seen(path)["pages"]]
    assert short_words(_detail_texts(_truth(path)), pages) == {}


def test_a_clipped_row_is_the_one_that_lost_its_rarest_words():
    """shown.clipped_rows: a row whose last line the pages do not show is found, first,
    though its lost words ('de', 'wordt') are common ones other rows print too; whole
    rows are none."""
    from facsimile.layouts.shown import clipped_rows, short_words

    rows = [["Het plan wordt in de zomer besproken."],
            ["De menukaart is gereed.", "In augustus wordt de menukaart gepubliceerd."],
            ["SZW", "De regeling wordt in de Staatscourant gepubliceerd."]]
    whole = [" ".join(t for row in rows for t in row)]
    assert clipped_rows(rows, whole) == [] and short_words(rows, whole) == {}
    clipped = [" ".join(rows[0] + ["De menukaart is gereed. In augustus"] + rows[2])]
    assert short_words(rows, clipped) == {"wordt": 1, "de": 1, "menukaart": 1,
                                          "gepubliceerd": 1}
    assert clipped_rows(rows, clipped)[0] == 1
    # digits, markers and punctuation are the producer's own: no word of their own
    assert short_words([["Stand 2013¹ (zie [2])."]], ["Stand 2013 1 zie 2"]) == {}


def test_a_writer_row_taller_than_a_page_splits_rather_than_clips(tmp_path):
    """Writer with row_split=avoided keeps a detail row taller than a page whole and
    clips its last line (seed 8213: landscape Letter, loose spacing, 9 pt; row 21a lost
    "wordt de menukaart gepubliceerd."): the generator renders such a layout again with
    that row allowed to split, so every word of the truth is on a page."""
    import shutil

    pytest.importorskip("docx", reason="the Writer producer needs python-docx (extra 'layouts')")
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice is not installed (make producers)")
    from facsimile.layouts.build import build_one
    from facsimile.layouts.shown import short_words

    pdf, truth = build_one(8213, tmp_path, "writer", {"redistill": "none"}, generation=3)
    layout = truth["layout"]
    assert (layout["row_split"], layout["spacing"], layout["page_size"]) == \
        ("avoided", "loose", "Letter")
    pages = [" ".join(page["words"]) for page in _seen(pdf)["pages"]]
    assert short_words(_detail_texts(truth), pages) == {}
    assert any("menukaart gepubliceerd." in page for page in pages)


def test_an_icc_colour_space_survives_mutool_clean(tmp_path):
    """mutool clean -gggg -s renumbers objects and can leave a page's direct
    [/ICCBased n 0 R] pointing at a font's number (pdfminer then refuses the file:
    "PDF stream object ... does not have attribute 'N'"). The re-distiller step checks
    every ICC colour space and runs the tool again on a copy with them as indirect
    objects: the file opens, its fills are the ICC colours, the pages print the same."""
    import shutil

    pytest.importorskip("pypdf", reason="the re-distiller step needs pypdf (extra 'layouts')")
    from facsimile.layouts import post, redistill

    if not redistill.available("mutool_clean"):
        pytest.skip("mutool is not installed (make producers)")
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed (make producers)")
    layout = _truth(REDISTILL_SOURCE)["layout"]
    assert (layout["colour_space"], layout["fill_paint"]) == ("rgb", "cell")
    colours = [options.rgb_of(layout["colours"][c]) for c in ("looptijd", "mijlpaal")]
    printed = tmp_path / "icc.pdf"
    assert post.post_process(REDISTILL_SOURCE, printed, colours, "icc", "cell", 0, "zero",
                             "icc-test") > 0
    assert redistill.broken_colour_spaces(printed) == []
    cleaned = tmp_path / "cleaned.pdf"
    shutil.copyfile(printed, cleaned)
    redistill.redistill("mutool_clean", cleaned)
    assert redistill.broken_colour_spaces(cleaned) == []
    icc = {**layout, "colour_space": "icc"}
    wanted = {_colour(expected_fill(icc, 0)), _colour(expected_fill(icc, 1))}
    seen = _seen(cleaned)  # pdfminer reads every page
    fills = {colour for page in seen["pages"] for _, colour in page["fills"]}
    assert wanted <= fills
    before = _rasters(printed, tmp_path / "before")
    after = _rasters(cleaned, tmp_path / "after")
    assert len(after) == len(before)
    for number, (old, new) in enumerate(zip(before, after, strict=True), 1):
        assert _mean_difference(old, new) <= SAME_PRINT_MEAN, number
