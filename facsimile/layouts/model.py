"""What a generated layout prints, cell by cell, and the truth that follows from it.

The annex text comes from facsimile.content (the real export); the layout decides how
keys, labels, sub-items and markers are printed. Every renderer prints exactly these
cells, so the truth is what is on the page (a letter glued to the title is in the
printed title cell, never in the truth title).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from facsimile.content import (
    PARTY_GROUPS,
    PARTY_LABELS,
    Annex,
    Block,
    DetailRow,
    MatrixAction,
    split_markers,
)
from facsimile.layouts.options import Layout

CLASSES = ("looptijd", "mijlpaal")
Cells = dict[tuple[int, int], str]  # (year, period) -> class

ABBREVIATED = {"employers": "wg", "employees": "wn", "education": "ow", "regions": "reg",
               "ministries": "rk"}
SPLIT = {"employers": ("werk-", "gevers"), "employees": ("werk-", "nemers"),
         "education": ("onderwijs-", "raden"), "regions": ("regio's",), "ministries": ("rijk",)}
_SUB_ITEM = re.compile(r"(?<=\S)\s+(?=[a-h]\.\s)")  # before 'b. ', 'c. ' inside running text
SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"


# The legend's words per `legend_words` ({} is the colour's name); every form but the
# annex's leaves the colour to the swatch, and the header then says only TIMELINE_HEADER.
LEGEND_WORDS = {
    "annex": ("looptijd ({})", "mijlpaal/gereed ({})"),
    "action": ("Looptijd actie", "Mijlpaal"),
    "equals": ("= looptijd", "= mijlpaal/gereed"),
    "upper": ("LOOPTIJD", "MIJLPAAL / GEREED"),
}
TIMELINE_HEADER = "Tijdpad"
# A short document title for the running header (`running_header`): what producers put
# at the top of every page; it must not read as a table row.
RUNNING_TITLE = "Techniekpact 2013 - Bijlage 2 Actiematrix (FACSIMILE)"
BACKGROUND_RGB = (0.93, 0.93, 0.93)  # the `tint` rectangle: a pale neutral grey
# Generation 3's table styling. The greys are none of the timeline colours (GREYS in
# options.py are 0.8 and 0.45): a banded row's empty timeline cells are grey and blank.
BAND_RGB = (0.94, 0.94, 0.94)  # `zebra`: every second action (and detail) row
HEADER_RGB = (0.85, 0.85, 0.85)  # `shaded`: the header rows of both tables
WATERMARK_TEXT = "CONCEPT"  # `concept`: diagonal, behind each page's content
WATERMARK_RGB = (0.85, 0.85, 0.85)


def banded(layout: Layout, index: int) -> bool:
    """Whether the `index`-th action row (or detail row) of its table is shaded: with
    `zebra` every second one, the first not; group lines never."""
    return layout.banding == "zebra" and index % 2 == 1


@dataclass(frozen=True)
class Typography:
    """Sizes a renderer uses, from the layout's font, body size and spacing."""

    body: float  # matrix cells (points)
    detail: float  # detail table cells
    note: float  # footnotes, legend
    leading: float  # line height as a multiple of the font size
    padding: float  # cell padding as a multiple of the producer's own
    title_share: float  # the title column's width as a share of the producer's own


LEADING = {"normal": 1.2, "tight": 1.0, "loose": 1.5}
PADDING = {"normal": 1.0, "tight": 0.3, "loose": 2.5}
TITLE_SHARE = {"normal": 1.0, "narrow": 0.4}
# page sizes in millimetres, portrait (width, height)
PAGE_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4), "A3": (297.0, 420.0)}


def typography(layout: Layout, auto_body: float, auto_detail: float,
               auto_note: float = 6.5) -> Typography:
    """The producer's own sizes (`auto_*`, generation 1) unless the layout sets a body
    size; then the detail table prints at that size too, notes one point smaller."""
    if layout.body_size == "auto":
        body, detail, note = auto_body, auto_detail, auto_note
    else:
        body = detail = float(layout.body_size)
        note = body - 1
    return Typography(body, detail, note, LEADING[layout.spacing], PADDING[layout.spacing],
                      TITLE_SHARE[layout.title_width])


# Producers that break a line after a hyphen ("mbo-" / "techniekopleidingen"); reportlab
# does not: it cuts a word too wide for its cell anywhere, so there whole words count.
BREAKS_AT_HYPHENS = frozenset({"chromium", "weasyprint", "writer", "calc"})


def widest_word_pt(texts, size: float, font: str, bold: bool = False,
                   hyphens: bool = True) -> float:
    """The widest word of `texts` (with `hyphens`, hyphenated words in their parts) at
    `size` points, in the DejaVu face of `font` (at least as wide as the Liberation
    faces): a column never narrower than this breaks lines between words only."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from facsimile.layouts.rl_render import _fonts

    regular, heavy = _fonts(font)
    parts = {part for text in texts for word in text.split()
             for part in (re.split(r"(?<=-)", word) if hyphens else [word]) if part}
    return max((stringWidth(p, heavy if bold else regular, size) for p in parts), default=0.0)


def title_width_pt(doc: Document, normal_pt: float, size: float, padding_pt: float) -> float:
    """The matrix title column: the producer's own width (generation 1), a share of it
    for `narrow`, never narrower than the widest title word and its padding."""
    layout = doc.layout
    share = TITLE_SHARE[layout.title_width]
    if layout.generation < 2:
        return normal_pt * share
    word = widest_word_pt([a.title_cell for a in doc.actions], size, layout.font,
                          hyphens=layout.producer in BREAKS_AT_HYPHENS)
    return max(normal_pt * share, word + 2 * padding_pt + 1)


def key_width_pt(doc: Document, normal_pt: float, size: float, padding_pt: float) -> float:
    """A matrix key column: the producer's own width (generation 1), else wide enough for
    the widest key it prints ("12a") with its padding."""
    if doc.layout.generation < 2:
        return normal_pt
    keys = [k for a in doc.actions for k in (a.key_cell, a.number_cell, a.letter_cell)]
    word = widest_word_pt(keys, size, doc.layout.font)
    return max(normal_pt, word + 2 * padding_pt + 1)


PARTY_SHARE = 0.09  # a party column takes at most this share of the table for its label


def party_width_pt(doc: Document, normal_pt: float, size: float, padding_pt: float,
                   table_pt: float, labels: bool = True) -> float:
    """A party column: the producer's own width (generation 1), else wide enough for the
    widest word of its cells and (with `labels`) of its header label, in bold, as long
    as that leaves the timeline room (PARTY_SHARE): a long label at a large size then
    breaks, as it would in any producer."""
    if doc.layout.generation < 2:
        return normal_pt
    font = doc.layout.font
    hyphens = doc.layout.producer in BREAKS_AT_HYPHENS
    cells = widest_word_pt([t for a in doc.actions for t in a.action.parties.values()],
                           size, font, hyphens=hyphens) + 2 * padding_pt + 1
    label = widest_word_pt([x for v in doc.labels.values() for x in v], size, font,
                           bold=True) + 2 * padding_pt + 1 if labels else 0.0
    return max(normal_pt, cells, min(label, PARTY_SHARE * table_pt))


def initiator_width_pt(doc: Document, normal_pt: float, size: float,
                       padding_pt: float) -> float:
    """The detail table's initiator column, as party_width_pt: its words and header."""
    if doc.layout.generation < 2:
        return normal_pt
    from facsimile.content import DETAIL_HEADERS

    font = doc.layout.font
    word = max(widest_word_pt([d.row.initiator for d in doc.details], size, font,
                              hyphens=doc.layout.producer in BREAKS_AT_HYPHENS),
               widest_word_pt([DETAIL_HEADERS[1]], size, font, bold=True))
    return max(normal_pt, word + 2 * padding_pt + 1)


MATRIX_SIZE_STEP = 0.5  # points: how a too-large matrix size is brought down
MATRIX_SIZE_FLOOR = 5.0  # points: the smallest matrix size tried


def fit_matrix(doc: Document, kind: Typography, table_pt: float, key_pt: float,
               title_pt: float, party_pt: float, padding_pt: float,
               year_padding_pt: float | None = None) -> Typography:
    """`kind` with the matrix size brought down until the year labels fit over their
    periods beside the key, title and party columns at that size (`*_pt`: the
    producer's own widths), as a producer shrinks a sheet to its page. Generation 1 and
    sizes that fit are left alone."""
    import dataclasses

    if doc.layout.generation < 2:
        return kind
    size = kind.body
    years = len(doc.year_labels)
    year_padding = padding_pt if year_padding_pt is None else year_padding_pt
    while size > MATRIX_SIZE_FLOOR:
        fixed = (doc.key_columns * key_width_pt(doc, key_pt, size, padding_pt)
                 + title_width_pt(doc, title_pt, size, padding_pt)
                 + len(doc.groups) * party_width_pt(doc, party_pt, size, padding_pt, table_pt))
        label = widest_word_pt(doc.year_labels, size, doc.layout.font, bold=True) + \
            2 * year_padding + 2
        if (table_pt - fixed) / years >= label:
            break
        size -= MATRIX_SIZE_STEP
    return dataclasses.replace(kind, body=size)


def page_mm(layout: Layout, landscape: bool) -> tuple[float, float]:
    width, height = PAGE_MM[layout.page_size]
    return (height, width) if landscape else (width, height)


def page_number_text(layout: Layout, number: int, total: int) -> str:
    """The page number as printed (`page_numbers`); '' where the layout prints none."""
    if layout.page_numbers == "pagina_van":
        return f"pagina {number} van {total}"
    if layout.page_numbers == "slash":
        return f"{number}/{total}"
    return ""


@dataclass(frozen=True)
class PrintedAction:
    action: MatrixAction
    number_cell: str  # key columns: the number column ("" when not printed)
    letter_cell: str  # the letter column (columns layout only, else "")
    key_cell: str  # one key column: what it prints ("3", "3a", "b", "")
    title_cell: str  # the title column as printed
    cells: Cells


@dataclass(frozen=True)
class PrintedDetail:
    row: DetailRow
    number_cell: str
    letters_cell: str  # the letters column, or "" when the key is in one cell
    key_cell: str  # one-cell key ("6b-c"), or "" when number and letters have columns
    action: tuple[tuple[Block, ...], ...]  # paragraphs; each a tuple of lines (blocks)
    status: tuple[Block, ...]


@dataclass(frozen=True)
class Document:
    layout: Layout
    annex: Annex
    periods: int
    actions: tuple[PrintedAction, ...]
    details: tuple[PrintedDetail, ...]
    groups: tuple[str, ...]  # party groups in printed column order
    labels: dict[str, tuple[str, ...]]  # group -> printed label lines
    year_labels: tuple[str, ...]
    timeline_header: str
    legend: tuple[tuple[str, str], ...]  # (class, printed text)

    @property
    def key_columns(self) -> int:
        return 2 if self.layout.matrix_keys == "columns" else 1

    @property
    def detail_key_columns(self) -> int:
        return 2 if self.layout.detail_keys.startswith("columns") else 1


def timeline(ids: list[str], years: tuple[int, ...], periods: int, seed: int,
             share_rows: bool) -> dict[str, Cells]:
    """An ILLUSTRATIVE timeline at `periods` cells per year: one run per action, 0-2
    milestone cells in it. With `share_rows`, some rows copy the row above (sub-rows of
    one action often run together), so fills merged over rows occur."""
    rng = random.Random(seed)
    total = len(years) * periods
    out: dict[str, Cells] = {}
    previous: Cells | None = None
    for action_id in ids:
        if share_rows and previous is not None and rng.random() < 0.5:
            out[action_id] = dict(previous)
            continue
        start = rng.randrange(0, max(1, total // 2))
        roll = rng.random()
        end = total - 1 if roll < 0.2 else start if roll < 0.3 else \
            min(total - 1, start + rng.randint(1, max(2, total // 2)))
        cells: Cells = {}
        for index in range(start, end + 1):
            cells[(years[0] + index // periods, index % periods + 1)] = "looptijd"
        run = sorted(cells)
        for key in rng.sample(run, min(len(run), rng.choice([0, 1, 1, 2]))):
            cells[key] = "mijlpaal"
        out[action_id] = dict(sorted(cells.items()))
        previous = out[action_id]
    return out


def _keys(action: MatrixAction, first_of_number: bool, layout: Layout) -> tuple[str, ...]:
    """(number_cell, letter_cell, key_cell, title_cell) as printed."""
    number, letter, title = str(action.number), action.letter, action.title
    show = first_of_number or layout.number_on == "every"
    if not letter:
        return number, "", number, title
    style = layout.matrix_keys
    if style == "columns":
        return (number if show else ""), letter, "", title
    if style == "one_cell":
        key = f"{number}{letter}" if show else letter
        return "", "", key, title
    if style == "glued":
        return "", "", (number if show else ""), f"{letter} {title}"
    # export: the first sub-row glues the letter to the title, later ones print the letter
    if first_of_number:
        return "", "", number, f"{letter} {title}"
    if layout.number_on == "every":
        return "", "", number, f"{letter} {title}"
    return "", "", letter, title


def _detail_key(row: DetailRow, first: bool, layout: Layout) -> tuple[str, str, str]:
    letters = row.letters.split()
    show = first or layout.number_on == "every"
    number = row.number if show else ""
    style = layout.detail_keys
    if style == "columns_space":
        return number, " ".join(letters), ""
    if style == "columns_comma":
        return number, ", ".join(letters), ""
    if not letters:
        return "", "", row.number  # a row without letters always shows its number
    if style == "cell_dash":
        joined = letters[0] if len(letters) == 1 else f"{letters[0]}-{letters[-1]}"
        if len(letters) > 2 and [ord(c) for c in letters] != list(
                range(ord(letters[0]), ord(letters[0]) + len(letters))):
            joined = "/".join(letters)  # a dash means a range: only for consecutive letters
        return "", "", f"{number}{joined}"
    return "", "", (f"{number} " if number else "") + "/".join(letters)


def _sub_items(blocks: tuple[Block, ...], style: str) -> tuple[tuple[Block, ...], ...]:
    """Action blocks -> paragraphs of lines; embedded 'b. ...' items per the layout."""
    out: list[tuple[Block, ...]] = []
    for block in blocks:
        pieces = _SUB_ITEM.split(block.text) if block.kind == "p" else [block.text]
        if style == "running" or len(pieces) == 1:
            out.append((block,))
        elif style == "lines":
            out.append(tuple(Block(block.kind, piece) for piece in pieces))
        else:
            out.extend((Block(block.kind, piece),) for piece in pieces)
    return tuple(out)


def build(annex: Annex, layout: Layout) -> Document:
    periods = layout.periods_per_year
    ids = [action.action_id for action in annex.matrix]
    cells = timeline(ids, annex.years, periods, layout.seed,
                     share_rows=layout.fill_paint == "merged_rows")
    actions = []
    previous_number = None
    for action in annex.matrix:
        first = action.number != previous_number
        previous_number = action.number
        number_cell, letter_cell, key_cell, title_cell = _keys(action, first, layout)
        actions.append(PrintedAction(action, number_cell, letter_cell, key_cell, title_cell,
                                     cells[action.action_id]))
    details = []
    previous = None
    for row in annex.detail:
        number_cell, letters_cell, key_cell = _detail_key(row, row.number != previous, layout)
        previous = row.number
        details.append(PrintedDetail(row, number_cell, letters_cell, key_cell,
                                     _sub_items(row.action, layout.sub_items), row.status))
    groups = tuple(PARTY_GROUPS[i] for i in layout.party_permutation)
    labels = {}
    for group in PARTY_GROUPS:
        if layout.header_labels == "abbreviated":
            labels[group] = (ABBREVIATED[group],)
        elif layout.header_labels == "split":
            labels[group] = SPLIT[group]
        else:
            labels[group] = (PARTY_LABELS[group],)
    years = tuple(f"'{y % 100:02d}" if layout.year_label == "'13" else str(y)
                  for y in annex.years)
    first, second = layout.colours
    header = f"looptijd ({first}) mijlpaal/gereed ({second})" if layout.header_names_colours \
        else TIMELINE_HEADER
    words = LEGEND_WORDS[layout.legend_words]
    legend = () if layout.legend_place == "none" else (
        ("looptijd", words[0].format(first)), ("mijlpaal", words[1].format(second)))
    return Document(layout, annex, periods, tuple(actions), tuple(details), groups, labels,
                    years, header, legend)


def marker_text(digits: str, style: str) -> str:
    """A footnote marker as printed in plain text (raised digits are drawn by the renderer
    as small raised ASCII digits and are given back here as the digits)."""
    if style == "superscript_chars":
        return digits.translate(str.maketrans("0123456789", SUPERSCRIPT))
    if style == "brackets":
        return f"[{digits}]"
    if style == "parens":
        return f"({digits})"
    return digits


def pieces(text: str, style: str) -> list[tuple[str, bool]]:
    """Text -> [(piece, is_marker)] with markers rendered per style (raised: digits)."""
    return [(marker_text(piece, style) if is_marker else piece, is_marker)
            for piece, is_marker in split_markers(text)]


def plain(text: str, style: str) -> str:
    return "".join(piece for piece, _ in pieces(text, style))
