"""The text-export reader on the real 2013 annex: hand-checked rows."""

from __future__ import annotations

import hashlib

SHA256 = "dd452dfb03e550a579c65d4ed92032a9a4f20edd70d8ade35abcf787bcb2a014"


def _matrix(raw, action_id):
    for row in raw.matrix_rows:
        if row.number.text + (row.letter.text if row.letter else "") == action_id:
            return row
    raise KeyError(action_id)


def _detail(raw, number, letters=None):
    for row in raw.detail_rows:
        if row.number.text == number and (row.letters.text if row.letters else None) == letters:
            return row
    raise KeyError((number, letters))


def test_sample_is_the_published_file_unchanged(real_annex_path):
    assert hashlib.sha256(real_annex_path.read_bytes()).hexdigest() == SHA256


def test_counts_and_header(raw_annex):
    assert len(raw_annex.matrix_rows) == 47
    assert len(raw_annex.detail_rows) == 39
    assert len(raw_annex.footnotes) == 7
    assert raw_annex.timeline_years == tuple(range(2013, 2021))
    assert raw_annex.title.text.startswith("Bijlage 2: Overzicht van de acties")
    assert raw_annex.source_format == "text-export"


def test_matrix_keys_carry_over_and_glued_letters(raw_annex):
    row = _matrix(raw_annex, "1a")
    assert row.title.text == "Opdracht SLO ontwikkeling leerlijn WenT"
    assert row.title.where.line == 9
    glued = _matrix(raw_annex, "3a")
    assert glued.title.text == "Toename havo en vwo profielkeuze"
    assert _matrix(raw_annex, "21b").parties["education"].text == "mbo ho nrtto"
    assert _matrix(raw_annex, "19").parties["ministries"].text == "ocw, szw ez"


def test_matrix_ambition_groups(raw_annex):
    groups = [row.ambition.text for row in raw_annex.matrix_rows]
    assert groups[0] == "Ambitie 1: Jong geleerd, oud gedaan"
    assert _matrix(raw_annex, "8a").ambition.text.startswith("Ambitie 2:")
    assert _matrix(raw_annex, "22").ambition.text.startswith("Ambitie 4:")
    assert _matrix(raw_annex, "23").ambition.text == "Regionale uitvoering"


def test_text_export_has_no_timeline(raw_annex):
    assert all(row.timeline is None for row in raw_annex.matrix_rows)


def test_status_continued_across_page_break_is_healed(raw_annex):
    row = _detail(raw_annex, "5", "b")
    assert "een sterkere positie van het vmbo" in row.status.plain()
    assert (row.status.where.line, row.status.where.line_end) == (72, 75)


def test_status_starting_on_next_line(raw_annex):
    for number, first_words in (("22", "Er is geen sprake"), ("23", "In het Techniekpact")):
        row = _detail(raw_annex, number)
        assert row.action_text.plain().startswith(("Verruimen", "Implementeren"))
        assert first_words in row.status.plain()
        assert row.status.where.line_end == row.status.where.line + 1


def test_action_column_bullet_list_across_page_break(raw_annex):
    row = _detail(raw_annex, "21", "b")
    assert row.action_text.plain().startswith("Opstellen sectorplan(nen) techniek;")
    assert "Sociale partners bevorderen de samenwerking in de servicepunten" \
        in row.action_text.plain()
    assert "Leven-lang-leren-agenda" in row.action_text.plain()
    assert row.status.plain().startswith("Sociale partners")  # initiator, peeled in normalize
    assert "Aandachtspunt" in row.status.plain()


def test_combined_letters_and_title_continuation(raw_annex):
    row = _detail(raw_annex, "8", "d e")
    assert row.action_text.plain().endswith("opleiden van 1500 onderwijstrainees")
    assert "Onderwijs Traineeship" in row.status.plain()
    combined = _detail(raw_annex, "6", "b c")
    assert combined.action_text.plain().startswith("Ontwikkelen (experimenten)")


def test_initiator_cells(raw_annex):
    assert _detail(raw_annex, "9").initiator.text == "OCW/ PO-raad"
    assert _detail(raw_annex, "20", "b").initiator.text == "topsectoren"
    assert _detail(raw_annex, "21", "a").initiator.text == "SZW"
    assert not _detail(raw_annex, "10").initiator  # row 10 names no initiator
    assert _detail(raw_annex, "1", "a").status.plain().startswith("OCW OCW heeft")


def test_footnotes_kept_apart_from_rows(raw_annex):
    markers = [note.marker.text for note in raw_annex.footnotes]
    assert markers == ["¹", "²", "³", "⁴", "⁵", "⁶", "⁷⁷"]
    assert raw_annex.footnotes[0].text.text.startswith("Advies verkenningcommissie")
    assert raw_annex.footnotes[-1].text.text == "Brief TK 19 juni 2013"
    assert all("Advies verkenningcommissie" not in row.status.plain()
               for row in raw_annex.detail_rows)
    assert _detail(raw_annex, "14").status.plain().endswith("opleidingen. ⁴")


def test_detail_cells_are_text_blocks_without_markup(raw_annex):
    """The IR carries paragraphs and list items, never the export's HTML."""
    blocks = [b for row in raw_annex.detail_rows
              for b in row.action_text.blocks + row.status.blocks]
    assert not [b.text for b in blocks if "<" in b.text or "</" in b.text]
    items = [b for b in _detail(raw_annex, "21", "b").action_text.blocks if b.kind == "item"]
    assert any("Leven-lang-leren-agenda" in b.text for b in items)
    assert all(b.marker for b in blocks if b.kind == "item")
