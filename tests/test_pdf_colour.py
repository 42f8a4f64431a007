"""Timeline colours as pdfplumber reports them, in every colour space."""

from __future__ import annotations

import pytest

from extract.pdf_colour import classify, read_fill


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ((1, 1, 0), "looptijd"),  # Word's pure yellow, RGB
        ((1.0, 0.949, 0.8), "looptijd"),  # spreadsheet pale yellow #FFF2CC
        ((1.0, 0.922, 0.612), "looptijd"),  # #FFEB9C
        ((0, 0, 1, 0), "looptijd"),  # CMYK yellow
        ((0, 0.69, 0.31), "mijlpaal"),  # Word green
        ((0.776, 0.878, 0.706), "mijlpaal"),  # pale green #C6E0B4
        ((0.5, 0, 1, 0.2), "mijlpaal"),  # CMYK green
        ((0.2, 0.4, 0.9), "onbekend"),  # blue: a colour, but not a timeline one
        (0.85, None),  # DeviceGray, as a bare float
        ((0.85,), None),
        ((1, 1, 1), None),  # white
        ((0, 0, 0, 1), None),  # CMYK black
        ("P1", "onbekend"),  # a pattern name: no colour to judge
        (((0.5, 0.5, 0.5), "P2"), "onbekend"),  # uncoloured pattern
        (None, "onbekend"),
    ],
)
def test_classify_fill(value, expected):
    assert classify(read_fill(value)) == expected


def test_fill_description_names_the_colour_space():
    assert read_fill((0, 0, 1, 0)).description == "cmyk(0,0,1,0)"
    assert read_fill(0.85).description == "gray(0.85)"
    assert read_fill((1, 1, 0)).description == "rgb(1,1,0)"


def test_legend_swatches_decide_when_present():
    # A document whose legend shows orange for looptijd and teal for mijlpaal.
    legend = {"looptijd": (1.0, 0.5, 0.0), "mijlpaal": (0.0, 0.5, 0.5)}
    assert classify(read_fill((1.0, 0.5, 0.0)), legend) == "looptijd"
    assert classify(read_fill((0.0, 0.5, 0.5)), legend) == "mijlpaal"
    assert classify(read_fill((0.5, 0.0, 1.0)), legend) == "onbekend"  # violet: neither
    assert classify(read_fill((1, 1, 1)), legend) is None  # the paper: not shaded


def test_a_grey_legend_makes_greys_count():
    legend = {"looptijd": (0.8, 0.8, 0.8), "mijlpaal": (0.45, 0.45, 0.45)}
    assert classify(read_fill(0.8), legend) == "looptijd"
    assert classify(read_fill((0.47,)), legend) == "mijlpaal"
    assert classify(read_fill(1.0), legend) is None
    assert classify(read_fill(0.8)) is None  # without a legend grey never counts


def test_an_index_into_an_indexed_colour_space_is_not_taken_for_white():
    assert classify(read_fill((7,))) == "onbekend"


def test_a_shape_spanning_several_years_counts_for_each_period_it_covers():
    from extract.pdf_matrix import _Columns, _covered

    columns = _Columns(groups=[], boundaries=[], party_left=0, timeline_left=100,
                       years=[2013, 2014, 2015, 2016], year_left=[100, 150, 200, 250],
                       year_width=50)
    merged = {"x0": 100.0, "x1": 200.0}  # one shape over 2013 and 2014 (a colspan)
    assert list(_covered(merged, columns, 25.0, 2)) == [
        (2013, 1), (2013, 2), (2014, 1), (2014, 2)]
    second_half = {"x0": 226.0, "x1": 249.0}
    assert list(_covered(second_half, columns, 25.0, 2)) == [(2015, 2)]
