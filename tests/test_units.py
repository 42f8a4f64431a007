"""Small parts on their own: decoding, fragments, markup, initiators, parties, sub-items,
footnotes, annex ids, similarity."""

from __future__ import annotations

import pytest

from extract.decode import decode_text
from extract.fragments import join_fragments
from extract.markup import parse_fragment
from ir import BULLET, Provenance, RawFootnote, Span, TextBlock, TextBlocks
from normalize.annex_id import annex_id, document_date
from normalize.footnotes import markers_in, number_footnotes
from normalize.initiators import canonical, peel_initiator, split_initiators
from normalize.parties import parse_party_cell, resolve_code
from normalize.similarity import Corpus, coverage, tokens
from normalize.subitems import split_subitems
from normalize.text import block_text

DUTCH = "Actie\tInitiatiefnemer\nbètavakken, loopbaanoriëntatie, geïnformeerd\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_decode_encodings(encoding):
    text, _ = decode_text(DUTCH.encode(encoding))
    assert text == DUTCH


def test_decode_crlf():
    assert decode_text(DUTCH.replace("\n", "\r\n").encode())[0] == DUTCH


@pytest.mark.parametrize(
    ("before", "after", "joined"),
    [
        ("een sterkere</p>", "<p>positie van het vmbo.</p>",
         "een sterkere positie van het vmbo.</p>"),
        ("De afstudeerrichting</p>", "(beroepsgericht onderwijs)",
         "De afstudeerrichting (beroepsgericht onderwijs)"),
        ("Klaar.</p>", "<p>Nieuw begin.</p>", "Klaar.</p> <p>Nieuw begin.</p>"),
        ("SZW", "<p>Er is geen sprake</p>", "SZW <p>Er is geen sprake</p>"),
        ("bevorderen de ", "<p>samenwerking in</p>", "bevorderen de samenwerking in</p>"),
        ("", "alleen", "alleen"),
    ],
)
def test_join_fragments(before, after, joined):
    assert join_fragments(before, after) == joined


def test_fragment_paragraphs_and_lists_become_blocks():
    html = ('<p>Eerste alinea.</p> <ul style="list-style-type: none"> • een; • twee</ul>'
            "<ol><li>drie</li><li>vier</li></ol>&amp; klaar")
    blocks = parse_fragment(html)
    assert blocks == (
        TextBlock("paragraph", "Eerste alinea."), TextBlock("item", "een;", BULLET),
        TextBlock("item", "twee", BULLET), TextBlock("item", "drie", "1."),
        TextBlock("item", "vier", "2."), TextBlock("paragraph", "& klaar"))
    assert block_text(blocks).split("\n") == [
        "Eerste alinea.", "• een;", "• twee", "1. drie", "2. vier", "& klaar"]
    assert not any("<" in block.text for block in blocks)


def test_block_text_keeps_footnote_markers_on_their_word():
    assert block_text(parse_fragment("<p>afgesproken. ⁷</p>")) == "afgesproken.⁷"


@pytest.mark.parametrize(
    ("status", "initiator", "rest_start"),
    [
        ("OCW OCW heeft de opdracht", "OCW", "OCW heeft"),
        ("<p>OCW</p> <p>De toevoeging", "OCW", "De toevoeging"),
        ("Vereniging Hogescholen/ technische werkgevers Het aantal",
         "Vereniging Hogescholen/ technische werkgevers", "Het aantal"),
        ("OCW, EZ Naar verwachting", "OCW, EZ", "Naar verwachting"),
        ("OCW heeft de opdracht", "", "OCW heeft"),  # a sentence, not a glued initiator
        ("<p>Er komt een extra, nieuwe route naar leraarschap.</p>", "", "Er komt"),
        ("Sociale partners <p>Sociale partners in de techniek", "Sociale partners", "Sociale"),
        ("In voorbereiding", "", "In voorbereiding"),  # a short status alone is the status
    ],
)
def test_peel_initiator(status, initiator, rest_start):
    found, rest = peel_initiator(parse_fragment(status))
    assert found == initiator
    assert block_text(rest).startswith(rest_start)


def test_split_and_canonical_initiators():
    assert [i.name for i in split_initiators("OCW/ PO-raad")] == ["OCW", "PO-raad"]
    assert [i.name for i in split_initiators("OCW, EZ")] == ["OCW", "EZ"]
    assert [i.name for i in split_initiators("OCW en SZW")] == ["OCW", "SZW"]
    assert canonical("PO-Raad").name == "PO-raad"
    unknown = canonical("Nieuwe Partij")
    assert (unknown.name, unknown.known) == ("Nieuwe Partij", False)


def test_party_codes():
    assert [c.code for c in parse_party_cell("ocw, szw ez", "ministries")] == ["ocw", "szw", "ez"]
    corrected = resolve_code("nrtto", "education")
    assert (corrected.code, corrected.known) == ("nrto", True)
    assert corrected.correction_score == pytest.approx(88.9)
    assert resolve_code("regio’s", "regions").code == "regio's"
    unknown = resolve_code("xyz", "education")
    assert (unknown.code, unknown.known, unknown.correction_score) == ("xyz", False, None)
    assert parse_party_cell("", "employers") == []


def test_subitems():
    head, items = split_subitems(
        "Versterken samenwerking. a. invoeren minor b. ontwikkelen stages c. bijscholen")
    assert head == "Versterken samenwerking."
    assert [(i.letter, i.text) for i in items] == [
        ("a", "invoeren minor"), ("b", "ontwikkelen stages"), ("c", "bijscholen")]
    assert split_subitems("Zie o.a. TK-brief d. w. z. niets")[1] == []
    head, items = split_subitems("Basisscholen: b. Opdracht c. Instrumenten")
    assert [i.letter for i in items] == ["b", "c"]


def _footnote(marker: str, line: int) -> RawFootnote:
    where = Provenance("f.txt", line)
    return RawFootnote(Span(marker, where), Span("tekst", where))


def test_footnote_numbering_repairs_doubled_marker():
    notes = number_footnotes(tuple(_footnote(m, i) for i, m in enumerate(["¹", "²", "³³"], 1)))
    assert [(n.number, n.corrected_from) for n in notes] == [(1, None), (2, None), (3, 33)]
    # '¹¹' is footnote 11 when ten footnotes precede it
    run = [_footnote(str(i), i) for i in range(1, 11)] + [_footnote("¹¹", 11)]
    assert number_footnotes(tuple(run))[-1].number == 11


def test_footnote_markers_in_text():
    assert markers_in("tekst.⁷ en ⁷⁷ en ¹²", {7, 12}) == [(7, "⁷", None), (7, "⁷⁷", 77),
                                                        (12, "¹²", None)]


def test_annex_id():
    title = "Bijlage 2: ... vastgesteld in de LRT van 2 juli 2013"
    assert document_date(title) == "2013-07-02"
    assert annex_id(title, "x", "ab" * 32) == "techniekpact-2013-07-02"
    assert annex_id("Bijlage zonder datum", "Mijn Bestand", "ab" * 32) == "mijn-bestand-abababab"


def test_similarity_expands_abbreviations_and_ignores_accents():
    short = tokens("WenT op alle basisscholen")
    long = tokens("Structureel Wetenschap en Technologie onderwijs op alle basisscholen")
    assert "wetenschap" in short and "technologie" in short
    corpus = Corpus.of([long])
    assert coverage(short, long, corpus) == pytest.approx(1.0)
    assert coverage(tokens("Invoeren bètavakken"), tokens("invoeren betavakken"), corpus) == 1.0
    assert coverage(tokens("Gezamenlijke beeldbank"), long, corpus) == 0.0


def test_superscript_without_footnote_is_text_not_a_reference():
    from ir import Provenance, RawDetailRow, Span
    from normalize.details import clean_detail

    where = Provenance("f.txt", 1)
    row = RawDetailRow(None, Span("4", where), None,
                       TextBlocks((TextBlock("paragraph", "Bouwen"),), where), Span("OCW", where),
                       TextBlocks((TextBlock("paragraph", "Er komt 500 m² bij.¹"),), where))
    detail = clean_detail(row, {1})
    assert [ref.number for ref in detail.footnotes] == [1]
    assert detail.stray_markers == ["²"]
    assert "500 m² bij.¹" in detail.status


def test_doubled_letter_codes_are_collapsed_when_unambiguous():
    corrected = resolve_code("wgg", "employers")
    assert (corrected.code, corrected.correction_method) == ("wg", "doubled letter collapsed")
