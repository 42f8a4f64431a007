"""The timeline's legend: which colour stands for which class, as the document prints it.

A legend is a coloured swatch printed just left of a legend word ('looptijd',
'mijlpaal', vocab/colour_classes.csv), in any words and case ('Looptijd actie',
'LOOPTIJD', '= looptijd': signs between the swatch and the word belong to the
item), found on any page of the document: above the matrix, right under it, at
the foot of its last page or at the end of the document. Else colour names printed
right after the legend words ('looptijd (rood)', vocab/colour_names.csv), as the
annex's own timeline header does. Without either, the hue classes of
vocab/colour_classes.csv decide (extract/pdf_colour.classify with no legend).
"""

from __future__ import annotations

import vocab
from extract.pdf_colour import PAPER, read_fill
from extract.pdf_page import PageContent
from extract.pdf_words import Line, Word

Legend = dict[str, tuple[float, float, float]]  # colour class -> RGB, as the legend gives it


def document_legend(pages: list[PageContent]) -> Legend:
    """The legend of the whole document: the first page whose swatches give every
    class its colour; else the first page whose colour names do (names that are
    the classes' own, geel and groen, add nothing to the hue classes); else none."""
    classes = vocab.colour_classes()
    named_legend: Legend = {}
    for page in pages:
        swatches, named = page_legend(page)
        if len(swatches) == len(classes):
            return swatches
        if not named_legend and len(named) == len(classes) and not all(
                named[e.colour_class] in e.colour_words for e in classes):
            names = vocab.colour_names()
            named_legend = {colour_class: names[name] for colour_class, name in named.items()}
    return named_legend


def page_legend(page: PageContent) -> tuple[Legend, dict[str, str]]:
    """(class -> swatch colour, class -> colour name) as printed on one page."""
    swatches: Legend = {}
    named: dict[str, str] = {}
    names = vocab.colour_names()
    for entry in vocab.colour_classes():
        for line in page.lines:
            for index, word in enumerate(line.words):
                if not any(k in word.text.lower() for k in entry.legend_words):
                    continue
                colour = _swatch_before(page, line, index)
                if colour is not None:
                    swatches[entry.colour_class] = colour
                name = _colour_name_after(page, line, index, names)
                if name is not None and entry.colour_class not in named:
                    named[entry.colour_class] = name
    return swatches, named


def _colour_name_after(page: PageContent, line: Line, index: int, names) -> str | None:
    """The colour name printed right after the legend word at `index`: the next word
    on its line, or, where the item's word ends its run of text (the words of its
    cell: 'looptijd (paars) mijlpaal/gereed' over '(oranje)'), the first word of the
    line under that run: the text wrapped in its cell."""
    after = line.words[index + 1:index + 2]
    if after and _colour_name(after[0].text) in names:
        return _colour_name(after[0].text)
    settings, em = page.settings, page.em
    reach, run_gap = settings.label_stack_em * em, settings.legend_run_gap_em * em
    if after and after[0].x0 - line.words[index].x1 <= run_gap:
        return None  # the item's text goes on in its cell with another word
    start = index
    while start > 0 and line.words[start].x0 - line.words[start - 1].x1 <= run_gap:
        start -= 1
    left, right = line.words[start].x0 - reach, line.words[index].x1
    # The next line of the cell: below this one (tight spacing may set its top a
    # little above this line's bottom), at most a label's stacking distance away.
    under = [w for ln in page.lines if ln.top > line.top and ln.top - line.bottom <= reach
             for w in ln.words if left <= w.x0 <= right]
    if not under:
        return None
    name = _colour_name(min(under, key=lambda w: (w.top, w.x0)).text)
    return name if name in names else None


def _colour_name(text: str) -> str:
    return text.strip("():,;.").lower()


def _swatch_before(page: PageContent, line: Line, index: int) -> tuple[float, float, float] | None:
    """The colour of a filled shape printed just left of the legend item that the
    word at `index` opens (signs such as '=' or ':' in front of the word are part of
    the item), at the word's height; the last such shape painted wins."""
    settings, em = page.settings, page.em
    start = _item_start(line.words, index)
    word = line.words[index]
    gap, slack = settings.swatch_gap_em * em, settings.swatch_level_em * em
    middle = (word.top + word.bottom) / 2
    found = None
    for rect in page.fills:
        fill = read_fill(rect.get("non_stroking_color"), settings)
        beside = any(0 <= w.x0 - rect["x1"] <= gap for w in (start, word))
        level = rect["top"] - slack <= middle <= rect["bottom"] + slack
        if beside and level and fill.rgb is not None and fill.rgb != PAPER:
            found = fill.rgb
    return found


def _item_start(words: list[Word], index: int) -> Word:
    """The first word of the legend item that words[index] names: signs without a
    letter or digit before it ('=', '–', ':') belong to the item, as printed."""
    while index > 0 and not any(c.isalnum() for c in words[index - 1].text):
        index -= 1
    return words[index]
