"""Property tests (hypothesis) for the helpers and for the robustness of the stages.

Deterministic: every test runs derandomized, without an example database, so a
run is reproducible and leaves nothing behind. The whole file is sized to stay
under a minute.
"""

from __future__ import annotations

import codecs
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st

import vocab
from extract import read_annex
from extract.decode import decode_text
from extract.markup import parse_fragment
from ir import StageError
from normalize import normalize_annex
from normalize.initiators import peel_initiator, split_initiators
from normalize.parties import parse_party_cell
from normalize.subitems import SubItem, split_subitems

REAL_ANNEX = Path(__file__).resolve().parent.parent / "samples" / "techniekpact-2013-bijlage2.txt"

FAST = settings(derandomize=True, database=None, max_examples=200, deadline=None)
SLOW = settings(derandomize=True, database=None, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

# --- split_subitems ---------------------------------------------------------------

# A lone lower-case letter and a full stop between spaces: what marks a sub-item.
_ITEM_MARK = re.compile(r"(?:^|\s)[a-z]\.(?:\s|$)")
_word = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàèéëïöü0123456789(),;:'-",
            min_size=2, max_size=12),
    st.sampled_from(["o.a.", "m.b.t.", "e/o", "1.", "A.", "€100", "W&T", "(vmbo-mbo)", "2013."]),
)
_phrase = st.lists(_word, min_size=1, max_size=8).map(" ".join)
_gap = st.sampled_from([" ", "  ", "\n", " \n "])


@FAST
@given(
    head=st.one_of(st.just(""), _phrase),
    first=st.sampled_from("ab"),
    texts=st.lists(_phrase, min_size=2, max_size=8),
    gaps=st.lists(_gap, min_size=9, max_size=9),
)
def test_split_subitems_recovers_runs(head, first, texts, gaps):
    assume(not _ITEM_MARK.search(head) and not any(_ITEM_MARK.search(t) for t in texts))
    letters = [chr(ord(first) + i) for i in range(len(texts))]
    text = head
    for i, (letter, item) in enumerate(zip(letters, texts, strict=True)):
        text += (gaps[i] if text else "") + f"{letter}. {item}"
    got_head, items = split_subitems(text)
    assert got_head == head.strip()
    assert items == [SubItem(letter, item) for letter, item in zip(letters, texts, strict=True)]


# --- split_initiators -------------------------------------------------------------

_INITIATORS = vocab.initiators()
_SPELLINGS = [(spelling, entry.name) for entry in _INITIATORS
              for spelling in (entry.name, *entry.aliases)]


@FAST
@given(
    names=st.lists(st.sampled_from(_SPELLINGS), min_size=1, max_size=4),
    separators=st.lists(st.sampled_from(["/", "/ ", ", ", " en "]), min_size=3, max_size=3),
)
def test_split_initiators_recovers_names(names, separators):
    cell = names[0][0]
    for (spelling, _), separator in zip(names[1:], separators, strict=False):
        cell += separator + spelling
    got = split_initiators(cell)
    assert [n.name for n in got] == [canonical for _, canonical in names], cell
    assert all(n.known for n in got)


# --- peel_initiator ------------------------------------------------------------------

# Sentences as status texts start: a capital, not an initiator name; they end with a
# full stop, sometimes followed by a footnote marker.
_subject = st.sampled_from(["Scholen", "De minister", "Het kabinet", "Instellingen", "In 2014",
                            "Vanaf 1 augustus", "De pabo's", "Er", "Hierbij", "Sectoren"])
_rest_words = st.lists(st.sampled_from(["werken", "samen", "aan", "de", "leerlijn", "techniek",
                                        "start", "in", "het", "najaar", "met", "scholen",
                                        "pilot", "2013", "regio's", "W&T"]),
                       min_size=1, max_size=10)
_marker = st.sampled_from(["", "", "¹", "²", "⁷", " ³"])
_sentence = st.builds(lambda s, w, m: f"{s} {' '.join(w)}.{m}", _subject, _rest_words, _marker)
_status = st.builds(
    lambda sentences, paragraphs: (" ".join(f"<p>{x}</p>" for x in sentences) if paragraphs
                                   else " ".join(sentences)),
    st.lists(_sentence, min_size=1, max_size=3), st.booleans())


@FAST
@given(status=_status)
def test_peel_initiator_leaves_a_status_without_initiator_whole(status):
    """An empty initiator cell: nothing in front of the status to peel off."""
    blocks = parse_fragment(status)
    assert peel_initiator(blocks) == ("", blocks)


@FAST
@given(
    names=st.lists(st.sampled_from(_SPELLINGS), min_size=1, max_size=3),
    separators=st.lists(st.sampled_from(["/", "/ ", ", ", " en "]), min_size=2, max_size=2),
    status=_status,
    form=st.sampled_from(["glued", "paragraph"]),
)
def test_peel_initiator_recovers_known_names(names, separators, status, form):
    """'OCW/ EZ Het kabinet ...' and '<p>OCW/ EZ</p> <p>Het kabinet ...': the names come
    off the front, the status stays."""
    printed = names[0][0]
    for (spelling, _), separator in zip(names[1:], separators, strict=False):
        printed += separator + spelling
    text = f"{printed} {status}" if form == "glued" else f"<p>{printed}</p> {status}"
    initiator, rest = peel_initiator(parse_fragment(text))
    assert initiator == printed, text
    assert rest == parse_fragment(status)
    assert [n.name for n in split_initiators(initiator)] == [c for _, c in names]


# --- decode_text ---------------------------------------------------------------------

# Text as exports hold it: any printable character, tabs and newlines; no other
# control characters (a NUL-heavy text is taken for UTF-16, and '\r' is a line end).
_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n"),
    max_size=300,
)


@FAST
@given(text=_text, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom"]),
       crlf=st.booleans())
def test_decode_round_trip(text, encoding, crlf):
    if encoding == "utf-8":
        assume(not text.startswith("\ufeff"))  # indistinguishable from a BOM
    data_text = text.replace("\n", "\r\n") if crlf else text
    if encoding == "utf-16-be-bom":
        data = codecs.BOM_UTF16_BE + data_text.encode("utf-16-be")
    else:
        data = data_text.encode(encoding)
    decoded, _ = decode_text(data)
    assert decoded == text


@FAST
@given(data=st.one_of(
    st.binary(max_size=64),
    st.tuples(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]),
              st.binary(max_size=64)).map(b"".join),
))
@example(data=b"\xff\xfea\x00b")  # UTF-16 with BOM, odd length (a truncated file)
@example(data=b"\xef\xbb\xbfb\xc3")  # UTF-8 BOM, then a character cut in two
def test_decode_never_raises(data):
    """cp1252 is the last resort because every byte string decodes in it: no input,
    however damaged (a truncated UTF-16 file, a BOM before cp1252 bytes), may raise."""
    text, _ = decode_text(data)
    assert isinstance(text, str)


_DUTCH = ["geïnformeerd", "België", "reëel", "café", "coördinatie", "ideeën", "creëren",
          "financiële", "één", "bètavakken", "loopbaanoriëntatie", "geïntegreerd", "zéér",
          "€100", "‘techniek’", "“school”", "–", "de", "het", "techniek", "onderwijs",
          "Actie", "Initiatiefnemer", "2013", "regio's"]
_ACCENTED = [w for w in _DUTCH if re.search("[éëï]", w)]


@FAST
@given(
    words=st.lists(st.sampled_from(_DUTCH), min_size=1, max_size=40),
    accented=st.sampled_from(_ACCENTED),
    separators=st.lists(st.sampled_from([" ", "\t", "\n"]), min_size=40, max_size=40),
    crlf=st.booleans(),
)
def test_decode_cp1252_dutch(words, accented, separators, crlf):
    words = [*words, accented]
    text = "".join(w + s for w, s in zip(words, separators, strict=False))
    data = (text.replace("\n", "\r\n") if crlf else text).encode("cp1252")
    decoded, encoding = decode_text(data)
    assert decoded == text
    assert encoding == "cp1252"


# --- parse_party_cell -------------------------------------------------------------------

_CODES = vocab.party_codes()
_GROUP_OF = {entry.code: entry.group for entry in _CODES}
_GROUPS = sorted({entry.group for entry in _CODES})


def _printed(code: str, style: str) -> str:
    if style == "upper":
        return code.upper()
    if style == "curly":
        return code.replace("'", "’")
    return code


@FAST
@given(
    codes=st.lists(st.tuples(st.sampled_from([e.code for e in _CODES]),
                             st.sampled_from(["plain", "plain", "upper", "curly"])),
                   min_size=1, max_size=6),
    separators=st.lists(st.sampled_from([" ", ", ", ",", " , ", "  "]), min_size=6,
                        max_size=6),
    group=st.sampled_from(_GROUPS),
    pad=st.sampled_from(["", " ", "  "]),
)
def test_party_cell_known_codes_in_order(codes, separators, group, pad):
    cell = pad + _printed(*codes[0])
    for (code, style), separator in zip(codes[1:], separators, strict=False):
        cell += separator + _printed(code, style)
    got = parse_party_cell(cell + pad, group)
    assert [c.code for c in got] == [code for code, _ in codes], cell
    assert all(c.known and c.correction_score is None for c in got), cell


def _doubled_variants() -> list[tuple[str, str]]:
    """(printed, meant): every code with one letter doubled, where the vocabulary
    leaves no doubt which code was meant (one deletion gives exactly one code)."""
    codes = {entry.code for entry in _CODES}
    out = []
    for code in sorted(codes):
        for i in range(len(code)):
            token = code[: i + 1] + code[i] + code[i + 1:]
            deletions = {token[:j] + token[j + 1:] for j in range(len(token))}
            if token not in codes and deletions & codes == {code} and (token, code) not in out:
                out.append((token, code))
    return out


_DOUBLED = _doubled_variants()
_DOUBLED_LONG = [(t, c) for t, c in _DOUBLED if len(c) > 2]
_DOUBLED_SHORT = [(t, c) for t, c in _DOUBLED if len(c) == 2]


@FAST
@given(
    before=st.lists(st.sampled_from([e.code for e in _CODES]), max_size=3),
    doubled=st.sampled_from(_DOUBLED_LONG),
    after=st.lists(st.sampled_from([e.code for e in _CODES]), max_size=3),
    separator=st.sampled_from([" ", ", "]),
)
def test_party_cell_doubled_letter_corrected(before, doubled, after, separator):
    token, meant = doubled
    cell = separator.join([*before, token, *after])
    got = parse_party_cell(cell, _GROUP_OF[meant])
    assert [c.code for c in got] == [*before, meant, *after], cell
    fixed = got[len(before)]
    assert fixed.known and fixed.printed == token and fixed.correction_score is not None


def test_party_cell_doubled_letter_in_two_letter_code():
    """The same for the two-letter codes ('wgg', 'ezz', 'poo'): the vocabulary leaves no
    doubt, but fuzz.ratio of a doubled two-letter code is 80, under the cutoff of 85,
    so the code stays unknown instead of being corrected."""
    wrong = []
    for token, meant in _DOUBLED_SHORT:
        got = parse_party_cell(token, _GROUP_OF[meant])
        if [c.code for c in got] != [meant]:
            wrong.append(f"{token!r} -> {[c.code for c in got]} (known={got[0].known}), "
                         f"expected {meant!r}")
    assert not wrong, "\n".join(wrong)


# --- robustness on edited copies of the real annex ----------------------------------------

REAL_TEXT = REAL_ANNEX.read_text(encoding="utf-8")
REAL_LINES = REAL_TEXT.split("\n")
_INTERESTING = ["", "a", "b c", "12", "3a", "3 a", "Actie", "Initiatiefnemer", "Ambitie 9: x",
                "Regionale uitvoering", "¹", "⁷⁷ Brief", "¹²³", "<p>", "</p>", "<p>OCW</p>",
                "<ul>", "•", "regio's", "wg", "nrtto", "'13", "'99", "Betrokken partijen",
                "pagina 3", "0", "999", "1000", "z", "OCW OCW heeft", "a. b. c.", "\u00a0",
                "Stand van zaken", "werkgevers", "rijk"]
_cell_text = st.one_of(st.sampled_from(_INTERESTING), st.text(max_size=40))
_index = st.integers(min_value=0, max_value=10_000)
_edit = st.one_of(
    st.tuples(st.just("delete line"), _index),
    st.tuples(st.just("duplicate line"), _index),
    st.tuples(st.just("swap lines"), _index, _index),
    st.tuples(st.just("delete tab"), _index, _index),
    st.tuples(st.just("insert tab"), _index, _index),
    st.tuples(st.just("replace cell"), _index, _index, _cell_text),
)


def _apply(lines: list[str], edit: tuple) -> list[str]:
    lines = list(lines)
    kind, at = edit[0], edit[1] % len(lines)
    line = lines[at]
    if kind == "delete line":
        del lines[at]
    elif kind == "duplicate line":
        lines.insert(at, line)
    elif kind == "swap lines":
        other = edit[2] % len(lines)
        lines[at], lines[other] = lines[other], lines[at]
    elif kind == "delete tab":
        tabs = [i for i, ch in enumerate(line) if ch == "\t"]
        if tabs:
            i = tabs[edit[2] % len(tabs)]
            lines[at] = line[:i] + line[i + 1:]
    elif kind == "insert tab":
        i = edit[2] % (len(line) + 1)
        lines[at] = line[:i] + "\t" + line[i:]
    elif kind == "replace cell":
        cells = line.split("\t")
        cells[edit[2] % len(cells)] = edit[3]
        lines[at] = "\t".join(cells)
    if not lines:
        lines = [""]
    return lines


def _run_stages(data: bytes, name: str = "edited.txt") -> None:
    """read + normalize; a StageError is a fine outcome, any other exception is not."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        try:
            tables = normalize_annex(read_annex(path))
        except StageError as error:
            event(f"StageError in {error.stage}")
        else:
            event(f"normalized, {len(tables.actions)} actions")


@settings(SLOW, max_examples=250)
@given(
    edits=st.lists(_edit, min_size=1, max_size=4),
    truncate=st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0)),
)
def test_edited_real_annex_fails_cleanly(edits, truncate):
    """Delete, duplicate or swap lines, delete or insert tabs, replace cells with random
    text, truncate the file: the stages succeed or raise StageError, nothing else."""
    lines = REAL_LINES
    for edit in edits:
        lines = _apply(lines, edit)
    data = "\n".join(lines).encode("utf-8")
    if truncate is not None:
        data = data[: int(len(data) * truncate)]  # may cut a character in two
    _run_stages(data)


@settings(SLOW, max_examples=15)
@given(
    encoding=st.sampled_from(["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"]),
    truncate=st.floats(min_value=0.0, max_value=1.0),
)
@example(encoding="utf-16", truncate=0.5)
def test_truncated_real_annex_in_other_encodings_fails_cleanly(encoding, truncate):
    """The reader accepts UTF-8 with BOM and UTF-16 (extract/decode.py); a truncated
    file in those encodings must still end in a StageError or a result."""
    data = REAL_TEXT.encode(encoding)
    _run_stages(data[: int(len(data) * truncate)])


# --- detail keys (extract/keys.py) ------------------------------------------------------

_letter_runs = st.integers(0, 20).flatmap(
    lambda start: st.integers(1, 4).map(lambda k: tuple(chr(97 + start + i) for i in range(k))))


@FAST
@given(letters=_letter_runs, separator=st.sampled_from([" ", ", ", "/", " en ", " & ", "+",
                                                        ",", " / "]),
       number=st.one_of(st.none(), st.integers(1, 120)), glue=st.sampled_from(["", " "]),
       as_range=st.booleans())
def test_detail_key_in_any_notation_reads_its_number_and_letters(letters, separator, number,
                                                                  glue, as_range):
    """'6b-c', '8 d/e', 'b en c', '1a', 'b, c, d': the same number and letters."""
    from extract.keys import parse_detail_key

    printed = (f"{letters[0]}-{letters[-1]}" if as_range and len(letters) > 1
               else separator.join(letters))
    cell = printed if number is None else f"{number}{glue}{printed}"
    assert parse_detail_key(cell) == (None if number is None else str(number), letters), cell


@FAST
@given(text=st.text(alphabet="abcdefghijklmnopqrstuvwxyz .,-", min_size=2, max_size=30))
def test_detail_key_never_takes_words_for_letters(text):
    """Prose is no key: whatever parse_detail_key accepts consists of single letters."""
    from extract.keys import parse_detail_key

    found = parse_detail_key(text)
    if found is not None:
        assert all(len(letter) == 1 for letter in found[1])
        assert not any(len(word) > 2 and word != "en" for word in
                       text.replace(",", " ").replace("-", " ").replace(".", " ").split())


# --- the linker (normalize/link.py) ---------------------------------------------------

_TITLE_WORDS = ("basisscholen", "gastdocenten", "beeldbank", "hogescholen", "vakmanschap",
                "leerwerkplekken", "techniekcoaches", "examenprogramma", "loopbaan",
                "praktijkleren", "sectorplannen", "innovatiecentrum", "onderwijstrainees",
                "bedrijfsstages", "profielkeuze", "doorstroom")


@FAST
@given(order=st.permutations(range(8)), deleted=st.sets(st.integers(0, 7), max_size=2),
       shift=st.booleans(), renumber=st.booleans())
def test_linker_follows_titles_through_any_order(order, deleted, shift, renumber):
    """Detail rows in any order, some missing, letters shifted or numbers renumbered:
    every action links to its own row or is reported; never a wrong confident link."""
    from normalize.link import MatrixKey, detail_units, link

    keys = [(1, None), (2, "a"), (2, "b"), (3, None), (4, "a"), (4, "b"), (4, "c"), (5, None)]
    matrix = [MatrixKey(n, x, f"{_TITLE_WORDS[2 * i].capitalize()} {_TITLE_WORDS[2 * i + 1]}")
              for i, (n, x) in enumerate(keys)]
    rows, truth = [], {}
    for position, i in enumerate(j for j in order if j not in deleted):
        number, letter = keys[i]
        if shift and letter:
            letter = chr(ord(letter) + 1)
        number += 1 if renumber else 0
        rows.append((number, (letter,) if letter else (),
                     f"Versterken {_TITLE_WORDS[2 * i]} voor {_TITLE_WORDS[2 * i + 1]}", {}))
        truth[i] = position
    found = link(matrix, detail_units(rows))
    for i, result in enumerate(found):
        got = result.unit.detail_index if result.unit else None
        if result.confident:
            assert got == truth.get(i), (i, result)
        else:
            assert result.reason, result
        if i not in deleted:  # the titles are unmistakable: keys cannot mislead it
            assert result.confident and got == truth[i], (i, result)
        else:
            assert got is None, (i, result)


# --- PDF lines: touching lines with raised markers ---------------------------------

@FAST
@given(size=st.floats(6, 12), pitch=st.floats(0.8, 1.3),
       lines=st.lists(st.tuples(st.integers(1, 6),  # words on the line
                                st.one_of(st.none(),  # a marker after word k: k, size, raise
                                          st.tuples(st.integers(0, 5), st.floats(0.55, 0.8),
                                                    st.floats(0.1, 0.5)))),
                      min_size=2, max_size=8))
def test_touching_lines_with_raised_markers_stay_apart(size, pitch, lines):
    """Lines `pitch` font sizes apart (touching or nearly: 0.8-1.3), each with at most
    one small marker raised 0.1-0.5 size after one of its words: every line comes
    back with its own words and its own marker, none chained onto another."""
    from extract.pdf_words import Word, group_lines

    words, home = [], {}
    for index, (count, marker) in enumerate(lines):
        top = index * pitch * size
        x = 10.0
        for k in range(count):
            word = Word(f"w{k}", x, x + 3 * size, top, top + size, size, 1)
            words.append(word)
            home[(word.x0, word.top)] = index
            x = word.x1
            if marker is not None and marker[0] == k:
                small = marker[1] * size
                bottom = top + size - marker[2] * size
                mark = Word("1", x, x + small / 2, bottom - small, bottom, small, 1)
                words.append(mark)
                home[(mark.x0, mark.top)] = index
                x = mark.x1
            x += 0.3 * size
    read = group_lines(words)
    assert len(read) == len(lines)
    for index, line in enumerate(read):
        assert {home[(w.x0, w.top)] for w in line.words} == {index}
