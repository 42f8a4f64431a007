"""The layout choices a generated annex PDF draws from, and which producer can print which.

Every choice is one of issue 9's layout facts that real producers vary. `draw(seed)`
picks one value per choice with `random.Random(seed)`, restricted to what the chosen
producer can print (SUPPORT); `Layout.as_dict()` goes into the truth file's `layout`.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

PRODUCERS = ("reportlab", "chromium", "weasyprint", "writer", "calc")
# Producers a seed never draws by itself (the block's cycle stays the five above): ask
# for one with `--producer` (generation 3 and later).
EXTRA_PRODUCERS = ("fpdf2",)

# choice -> every value it can take
CHOICES: dict[str, tuple] = {
    # matrix keys: number and letter in their own columns; in one cell ("3a"); the letter
    # glued to the title ("3 | a Toename"); the export's own (first sub-row glued, later
    # sub-rows letter in the key column)
    "matrix_keys": ("columns", "one_cell", "glued", "export"),
    "number_on": ("every", "first"),  # the action number on every sub-row or the first
    # timeline fills
    "fill_paint": ("cell", "twice", "merged_years", "merged_rows", "curves", "closed_path",
                   "pattern"),
    "colour_space": ("rgb", "cmyk", "gray", "icc", "indexed"),
    "periods_per_year": (1, 2, 4, 12),
    "year_label": ("'13", "2013"),
    # pages
    "orientation": ("portrait", "landscape", "mixed"),
    "rotate": (0, 90, 180, 270),
    "media_origin": ("zero", "offset"),
    "matrix_header_repeat": (True, False),
    "group_last_on_page": (True, False),
    # detail table
    "detail_keys": ("columns_space", "columns_comma", "cell_dash", "cell_slash"),
    "sub_items": ("running", "lines", "paragraphs"),
    "row_split": ("allowed", "avoided"),
    "footnotes": ("page_foot", "next_page", "after_table"),
    "markers": ("superscript_chars", "raised_digits", "brackets", "parens"),
    # matrix header labels
    "header_labels": ("written", "abbreviated", "split", "glued"),
    "party_order": ("annex", "shuffled"),
    "rules": ("ruled", "borderless"),
    # --- generation 2 (the committed sample is generation 1: LEGACY below) ---
    # the legend's swatches: before the matrix, right after it, at the foot of the last
    # matrix page, at the end of the document, or not at all (then only the header's
    # colour words, or the hue convention, tell the classes apart)
    "legend_place": ("before", "after", "page_foot", "end", "none"),
    # the legend's words: the annex's ("looptijd (blauw)"), "Looptijd actie" / "Mijlpaal",
    # "= looptijd", capitals; all but the annex's leave the colour names out of the header
    "legend_words": ("annex", "action", "equals", "upper"),
    "font": ("sans", "serif", "condensed"),  # one family per layout
    "body_size": ("auto", 7, 8, 9, 10),  # auto: the producer's size for the page (gen. 1)
    "page_size": ("A4", "Letter", "A3"),
    "spacing": ("normal", "tight", "loose"),  # cell padding and line spacing
    "title_width": ("normal", "narrow"),  # narrow: titles wrap over 3 or more lines
    "running_header": ("none", "title"),  # the document title at the top of every page
    # page numbers: the producer's own (generation 1), "pagina 3 van 12", "3/12"
    "page_numbers": ("default", "pagina_van", "slash"),
    "background": ("none", "tint"),  # a pale watermark-like rectangle behind each page
    # --- generation 3 (generation 2 is LEGACY3 below) ---
    # a re-distiller run over the producer's PDF (facsimile/layouts/redistill.py):
    # Ghostscript pdfwrite, also /prepress with colours converted to CMYK; poppler's
    # pdftocairo; mupdf's clean (content streams sanitized) and convert; qpdf's object streams
    "redistill": ("none", "gs", "gs_prepress_cmyk", "pdftocairo", "mutool_clean",
                  "mutool_convert", "qpdf"),
    # table styling real documents have: alternating light grey rows (the empty timeline
    # cells of a banded row are grey too, and no timeline class); a shaded header row;
    # horizontal rules only (booktabs: no vertical rules); a light "CONCEPT" text
    # behind each page
    "banding": ("none", "zebra"),
    "header_shade": ("none", "shaded"),
    "rule_lines": ("grid", "horizontal"),  # with rules=ruled; borderless has none
    "watermark": ("none", "concept"),
}

# What `draw` makes unless told otherwise: generation 3, since the project is judged on
# annex PDFs from producers it has never seen, and most real ones went through a
# re-distiller or carry table styling.
GENERATION = 3
# Choices added in generation 2 and the value generation 1 printed. The committed
# sample (seeds 0-34) is generation 1: its truth files have none of these keys, and
# `draw(seed, generation=1)` gives it back exactly.
LEGACY: dict[str, object] = {
    "legend_place": "after", "legend_words": "annex", "font": "sans", "body_size": "auto",
    "page_size": "A4", "spacing": "normal", "title_width": "normal",
    "running_header": "none", "page_numbers": "default", "background": "none",
}

# Choices added in generation 3 and the value generations 1 and 2 printed:
# `draw(seed, generation=2)` gives generation 2 back byte for byte.
LEGACY3: dict[str, object] = {
    "redistill": "none", "banding": "none", "header_shade": "none", "rule_lines": "grid",
    "watermark": "none",
}

_ALL = {name: values for name, values in CHOICES.items()}

# What each producer can print. Missing keys: every value. Reasons in README.
SUPPORT: dict[str, dict[str, tuple]] = {
    "reportlab": {},
    "chromium": {
        "footnotes": ("after_table",),
        "legend_place": ("before", "after", "end", "none"),
        "header_labels": ("written", "abbreviated", "split"),
        "group_last_on_page": (False,),
    },
    "weasyprint": {
        "footnotes": ("after_table",),
        "legend_place": ("before", "after", "end", "none"),
        "header_labels": ("written", "abbreviated", "split"),
        "group_last_on_page": (False,),
    },
    "writer": {
        "footnotes": ("after_table",),
        "legend_place": ("before", "after", "end", "none"),
        "header_labels": ("written", "abbreviated", "split"),
        "fill_paint": ("cell", "twice", "merged_years", "curves", "closed_path", "pattern"),
        "group_last_on_page": (False,),
        "markers": ("superscript_chars", "raised_digits", "brackets", "parens"),
    },
    "calc": {
        "footnotes": ("after_table",),
        "header_labels": ("written", "abbreviated"),
        "fill_paint": ("cell", "twice", "merged_years", "merged_rows", "curves",
                       "closed_path", "pattern"),
        "group_last_on_page": (False,),
        "markers": ("superscript_chars", "brackets", "parens"),
        "sub_items": ("running", "lines"),
        "row_split": ("avoided",),
        "rules": ("ruled", "borderless"),
        "legend_place": ("before", "after", "end", "none"),
        "background": ("none",),
    },
    # fpdf2 moves a row that does not fit to the next page (rows never split), lays out
    # pages itself (no forced page end, no legend at a page's foot, footnotes collected
    # after the table), one rowspan-free fill per cell or run, and prints a marker as a
    # character (no raised digits) and a label as its words (no glued labels)
    "fpdf2": {
        "footnotes": ("after_table",),
        "legend_place": ("before", "after", "end", "none"),
        "header_labels": ("written", "abbreviated", "split"),
        "fill_paint": ("cell", "twice", "merged_years", "curves", "closed_path", "pattern"),
        "group_last_on_page": (False,),
        "markers": ("superscript_chars", "brackets", "parens"),
        "row_split": ("avoided",),
    },
}


@dataclass(frozen=True)
class Layout:
    seed: int
    producer: str
    matrix_keys: str
    number_on: str
    fill_paint: str
    colour_space: str
    periods_per_year: int
    year_label: str
    orientation: str
    rotate: int
    media_origin: str
    matrix_header_repeat: bool
    group_last_on_page: bool
    detail_keys: str
    sub_items: str
    row_split: str
    footnotes: str
    markers: str
    header_labels: str
    party_order: str
    rules: str
    legend_place: str
    legend_words: str
    font: str
    body_size: int | str
    page_size: str
    spacing: str
    title_width: str
    running_header: str
    page_numbers: str
    background: str
    redistill: str
    banding: str
    header_shade: str
    rule_lines: str
    watermark: str
    colours: tuple[str, str]  # names from PALETTE: looptijd, mijlpaal
    party_permutation: tuple[int, ...]
    generation: int = GENERATION

    @property
    def header_names_colours(self) -> bool:
        """Whether the timeline header names the two colours (a legend in words): the
        annex's words do; with no legend and two greys it is the only way to tell them."""
        return self.legend_words == "annex" or (
            self.legend_place == "none" and self.colour_space == "gray")

    def as_dict(self) -> dict:
        out = asdict(self)
        if self.generation < 2:  # generation 1's truth files have none of these keys
            for name in LEGACY:
                del out[name]
            del out["generation"]
        if self.generation < 3:  # nor have generation 2's of generation 3's
            for name in LEGACY3:
                del out[name]
        out["colours"] = {"looptijd": self.colours[0], "mijlpaal": self.colours[1]}
        return out

    @property
    def name(self) -> str:
        return f"layout-{self.seed:04d}-{self.producer}"


# Named colours the legend can print: (Dutch name, RGB 0..1). Two different ones per
# layout; grey levels are used instead when the colour space is DeviceGray.
PALETTE: dict[str, tuple[float, float, float]] = {
    "geel": (1.0, 1.0, 0.0),
    "lichtgeel": (1.0, 0.949, 0.8),
    "groen": (0.0, 0.69, 0.31),
    "lichtgroen": (0.776, 0.878, 0.706),
    "blauw": (0.267, 0.447, 0.769),
    "lichtblauw": (0.741, 0.843, 0.933),
    "oranje": (1.0, 0.6, 0.2),
    "rood": (0.8, 0.2, 0.2),
    "paars": (0.6, 0.4, 0.8),
    "roze": (1.0, 0.6, 0.8),
}
# With no legend at all the annex's own convention is all a reader has (the hue classes
# of vocab/colour_classes.csv): looptijd a yellow, mijlpaal a green.
CONVENTION: tuple[tuple[str, ...], tuple[str, ...]] = (("geel", "lichtgeel"),
                                                      ("groen", "lichtgroen"))
GREYS: dict[str, tuple[float, float, float]] = {
    "lichtgrijs": (0.8, 0.8, 0.8),
    "donkergrijs": (0.45, 0.45, 0.45),
}


def allowed(producer: str, choice: str) -> tuple:
    return SUPPORT[producer].get(choice, _ALL[choice])


BLOCK = 35  # seeds per block: 5 producers x 7 layouts each (no choice has more than 7 values)
TURNS = BLOCK // len(PRODUCERS)


def draw(seed: int, producer: str | None = None, generation: int = GENERATION) -> Layout:
    """The layout of seed `seed`.

    Seeds come in blocks of BLOCK. The producer cycles with the seed (seed % 5); a block
    gives each producer TURNS = 7 layouts. For every choice the block draws its own
    random order of the 7 turns, and turn t takes value number order[t] mod (number of
    values the producer supports): each aligned block, e.g. seeds 0..34, holds every
    producer and every value, and since every choice has its own order, no two choices
    move together (blocks differ in how values combine).

    Generation 1 (the committed sample) prints every LEGACY choice at its LEGACY value,
    generations 1 and 2 every LEGACY3 choice at its LEGACY3 value; the new choices come
    after the old ones in CHOICES, so the old ones draw the same values in every
    generation.
    """
    producer = producer or PRODUCERS[seed % len(PRODUCERS)]
    if producer in EXTRA_PRODUCERS and generation < 3:
        raise ValueError(f"{producer} is a generation-3 producer")
    block, turn = divmod(seed, BLOCK)
    turn //= len(PRODUCERS)
    plan = random.Random(f"layout-block-{block}")
    rng = random.Random(seed * 7919 + 17)
    picked = {}
    for name in CHOICES:
        order = list(range(TURNS))
        plan.shuffle(order)
        values = allowed(producer, name)
        picked[name] = values[order[turn] % len(values)]
        if generation < 2 and name in LEGACY:
            picked[name] = LEGACY[name]
        if generation < 3 and name in LEGACY3:
            picked[name] = LEGACY3[name]
    if picked["redistill"] == "mutool_convert" and picked["fill_paint"] == "pattern":
        # mutool convert destroys tiling-pattern fills (the cells come out unpainted),
        # so the truth's timeline could not be read from the PDF at all: such a seed is
        # cleaned by mutool instead, a re-distiller that keeps the pattern. Set after
        # the draw, so every other choice (and the colours' rng) stays as drawn; no
        # committed sample's seed meets this.
        picked["redistill"] = "mutool_clean"
    if picked["colour_space"] == "gray":
        colours = ("lichtgrijs", "donkergrijs")
    elif picked["legend_place"] == "none" and picked["legend_words"] != "annex":
        colours = (rng.choice(CONVENTION[0]), rng.choice(CONVENTION[1]))
    else:
        first = rng.choice(sorted(PALETTE))
        second = rng.choice([c for c in sorted(PALETTE) if c != first])
        colours = (first, second)
    permutation = list(range(5))
    if picked["party_order"] == "shuffled":
        while permutation == list(range(5)):
            rng.shuffle(permutation)
    return Layout(seed=seed, producer=producer, colours=colours,
                  party_permutation=tuple(permutation), generation=generation, **picked)


def coverage(seeds: range, generation: int = GENERATION) -> dict[str, set]:
    """choice -> the values missing from the layouts of `seeds` (empty sets: all there)."""
    seen: dict[str, set] = {name: set() for name in CHOICES}
    producers = set()
    for seed in seeds:
        layout = draw(seed, generation=generation)
        producers.add(layout.producer)
        for name in CHOICES:
            seen[name].add(getattr(layout, name))
    missing = {name: set(values) - seen[name] for name, values in CHOICES.items()}
    missing["producer"] = set(PRODUCERS) - producers
    return missing


def rgb_of(name: str) -> tuple[float, float, float]:
    return PALETTE.get(name) or GREYS[name]


def fix(layout: Layout, values: dict[str, str]) -> Layout:
    """`layout` with some choices set by name from text ('rotate=0', 'markers=brackets')."""
    import dataclasses

    changes = {}
    for name, text in values.items():
        if name not in CHOICES:
            raise ValueError(f"unknown choice {name!r}; choices: {', '.join(CHOICES)}")
        value = next((v for v in CHOICES[name] if str(v) == text), None)
        if value is None:
            raise ValueError(f"{name} must be one of {CHOICES[name]}")
        if value not in allowed(layout.producer, name):
            raise ValueError(f"{layout.producer} cannot print {name}={text}")
        changes[name] = value
    fixed = dataclasses.replace(layout, **changes)
    if fixed.redistill == "mutool_convert" and fixed.fill_paint == "pattern":
        # As draw() never makes it: mutool convert leaves the pattern's cells unpainted,
        # so the truth's timeline is not what the PDF shows (a dev set made with
        # --set redistill=mutool_convert got such layouts, scored as misread).
        raise ValueError("redistill=mutool_convert destroys fill_paint=pattern: no layout "
                         "combines them (set fill_paint too)")
    return fixed
