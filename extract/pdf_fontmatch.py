"""Glyphs the text layer does not name (or names wrongly), read from their outlines.

A re-distiller can drop or garble a font's ToUnicode map (Ghostscript re-subsetting a
TrueType font with its own codes; mupdf's convert writing a map that names codes, not
characters; Ghostscript re-encoding superscript footnote markers as letters). The
embedded font program still holds every glyph's outline, and subsetting keeps outlines
as they are (same contours, same points, same advance): the font installed on the
machine that has that outline says which character it is, through its cmap (or, for
a ligature such as 'fi', through its GSUB ligature table). A CFF (FontFile3) or
Type 1 (FontFile) program is read by its glyph names only ('foursuperior': mupdf's
convert writes a font it substituted for missing superscripts as a Type 1 program,
also as the CIDFontType0 of a Type0 font, its codes named as themselves, '\x01').

`install()` teaches pdfminer, once per process, to read a TrueType font's glyphs so:
a glyph whose map names no character, or a character whose installed glyph is not the
embedded one, is the character whose installed outline it has. A glyph the map names
and that no installed font can check keeps the map's character; one it does not name
and that no installed font has stays unnamed, and `why_unnamed` says why (pdf_glyphs
refuses it). Several characters with one outline (hyphen and soft hyphen) are chosen
between by the characters the annex text uses (vocab/text_repertoire.csv) and the
families of lookalikes (vocab/glyph_alike.csv); still several: unnamed, and refused.

Cost: a font's program is parsed only when pdfminer first draws one of its glyphs;
each glyph is checked once per font (against the installed font of the same name:
one outline each); the installed fonts are indexed once per process, and searched
glyph by glyph only for glyphs that the same-named font does not have.
"""

from __future__ import annotations

import io
import logging
import os
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import vocab
from extract.pdf_settings import DEFAULT_SETTINGS, PdfSettings

# Where fontconfig looks for fonts on Debian (fc-list lists the same files); walked
# instead of calling fc-list, which CI may lack.
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", "~/.local/share/fonts", "~/.fonts")
FONT_SUFFIXES = (".ttf", ".otf")

Signature = tuple  # (advance, contour ends, on-curve flags, points), in outline units

_installed = False
# fontTools warns about what subsetters leave behind (hmtx longer than the glyphs,
# odd timestamps) on every parse: nothing the reader acts on.
logging.getLogger("fontTools").setLevel(logging.ERROR)
# Why a glyph stays unnamed, by the text pdfminer gives it ('(cid:3)', '\x01'), for
# the document being read: reset by forget() before each document.
_why: dict[str, str] = {}


def forget() -> None:
    """Start a new document: drop what was said about the last one's glyphs."""
    _why.clear()


def why_unnamed(text: str) -> str | None:
    """Why the glyph printed as `text` could not be read from its outline, if known."""
    return _why.get(text)


def is_unnamed(text: str) -> bool:
    """Whether a font's map leaves a glyph unnamed: no text, or a control character,
    tab and line feed included (a glyph is never printed as one; mupdf's convert
    maps codes 9, 10, 13 to themselves like any other)."""
    return not text or text.startswith("(cid:") or any(
        unicodedata.category(c) == "Cc" for c in text)


# --- installed fonts ----------------------------------------------------------------


@dataclass
class InstalledFont:
    """One installed TrueType (glyf) font, read lazily: metrics and cmap at first use,
    each glyph's outline when its metrics match a glyph looked for."""

    path: str
    postscript_name: str
    family: str = ""  # the part of postscript_name before its style ('DejaVuSerif')
    _font: object = None
    _by_advance: dict[int, list[str]] | None = None
    _strings: dict[str, set[str]] | None = None
    _by_string: dict[str, list[str]] | None = None
    _signatures: dict[str, Signature] = field(default_factory=dict)

    def font(self):
        if self._font is None:
            from fontTools.ttLib import TTFont

            self._font = TTFont(self.path, lazy=True)
        return self._font

    def _index(self, units: int) -> None:
        if self._by_advance is not None:
            return
        font = self.font()
        scale = units / font["head"].unitsPerEm
        self._by_advance = {}
        for name, (advance, _) in font["hmtx"].metrics.items():
            self._by_advance.setdefault(round(advance * scale), []).append(name)
        self._strings = {}
        for code, name in (font.getBestCmap() or {}).items():
            self._strings.setdefault(name, set()).add(chr(code))
        for components, ligature in _ligatures(font):
            letters = [next(iter(sorted(self._strings.get(c, ()))), None) for c in components]
            if all(letters):
                self._strings.setdefault(ligature, set()).add("".join(letters))
        self._by_string = {}
        for name, strings in self._strings.items():
            for text in strings:
                self._by_string.setdefault(text, []).append(name)

    def signature(self, name: str, units: int) -> Signature | None:
        if name not in self._signatures:
            self._signatures[name] = outline_signature(self.font(), name, units)
        return self._signatures[name]

    def strings_with(self, wanted: Signature, units: int) -> set[str]:
        """Every string (a character, or a ligature's letters) of a glyph with the
        outline `wanted` (its first entry, the advance, is the prefilter: read from
        the metrics table, no outline needed)."""
        self._index(units)
        found: set[str] = set()
        for name in self._by_advance.get(wanted[0], ()):
            if name in self._strings and self.signature(name, units) == wanted:
                found |= self._strings[name]
        return found

    def draws(self, text: str, wanted: Signature, units: int) -> bool | None:
        """Whether this font draws `text` with the outline `wanted`; None if it has no
        glyph for `text`."""
        self._index(units)
        names = self._by_string.get(text)
        if not names:
            return None
        return any(self.signature(name, units) == wanted for name in names)


def _ligatures(font) -> Iterator[tuple[list[str], str]]:
    """(component glyph names, ligature glyph name) of the font's GSUB ligatures."""
    if "GSUB" not in font:
        return
    table = font["GSUB"].table
    for lookup in table.LookupList.Lookup if table.LookupList else ():
        for sub in lookup.SubTable:
            if lookup.LookupType == 7:  # extension: the real subtable inside
                sub = sub.ExtSubTable
            for first, ligatures in (getattr(sub, "ligatures", None) or {}).items():
                for ligature in ligatures:
                    yield [first, *ligature.Component], ligature.LigGlyph


@cache
def installed_fonts() -> tuple[InstalledFont, ...]:
    """The machine's TrueType fonts with outlines (glyf), once per process."""
    from fontTools.ttLib import TTFont

    found = []
    for root in FONT_DIRS:
        for path in sorted(Path(os.path.expanduser(root)).rglob("*")):
            if path.suffix.lower() not in FONT_SUFFIXES:
                continue
            try:
                font = TTFont(str(path), lazy=True)
                if "glyf" not in font:
                    continue  # CFF outlines: not compared (yet)
                name = font["name"].getDebugName(6) or path.stem
            except Exception:  # an unreadable font file is no candidate
                continue
            found.append(InstalledFont(str(path), name, name.split("-")[0]))
    return tuple(found)


def _candidates(basefont: str) -> list[InstalledFont]:
    """Installed fonts in the order to search: the one of the embedded font's name
    first, then its family, then the rest."""
    name = _plain(_untagged(basefont))
    fonts = installed_fonts()
    return sorted(fonts, key=lambda f: (_plain(f.postscript_name) != name,
                                        not name.startswith(_plain(f.family)) or not f.family))


def same_name(basefont: str, installed: InstalledFont) -> bool:
    """Whether an embedded font is the installed one by name. Producers spell the
    name their own way: WeasyPrint writes 'DejaVu-Serif' for DejaVuSerif."""
    return _plain(_untagged(basefont)) == _plain(installed.postscript_name)


def _plain(name: str) -> str:
    return "".join(c for c in name.lower() if c.isalnum())


def _untagged(basefont: str) -> str:
    """'AAAAAA+DejaVuSans-Bold' -> 'DejaVuSans-Bold' (a subset's tag is six capitals)."""
    tag, plus, rest = basefont.partition("+")
    return rest if plus and len(tag) == 6 and tag.isupper() else basefont


# --- embedded fonts -----------------------------------------------------------------


def outline_signature(font, name: str, units: int) -> Signature | None:
    """A glyph's outline, independent of subsetting: advance (the prefilter), contour
    ends, on-curve flags and points (components resolved), all scaled to `units` per
    em. Not the left side bearing of the metrics table: a subsetter may write its own
    for a composite glyph (reportlab: the first component's, 173 for 'ï' whose
    outline starts at -10), where the points themselves are kept."""
    try:
        glyf = font["glyf"]
        if name not in glyf:
            return None
        coordinates, ends, flags = glyf[name].getCoordinates(glyf)
        advance = font["hmtx"][name][0]
    except Exception:  # a damaged glyph: no outline to compare
        return None
    scale = units / font["head"].unitsPerEm
    points = tuple((round(x * scale), round(y * scale)) for x, y in coordinates)
    return (round(advance * scale), tuple(ends),
            tuple(f & 1 for f in flags), points)


@dataclass
class EmbeddedFont:
    """A font program of the PDF (TrueType; or CFF, read by its glyph names only:
    `font` None), and how its codes reach its glyphs."""

    basefont: str
    font: object
    code_to_glyph: object  # callable: code -> glyph name or None
    units: int
    kind: str = "CFF"  # of a program read by names only (`font` None)
    checked: dict[int, str | None] = field(default_factory=dict)

    def read(self, code: int, mapped: str | None, printed: str) -> str | None:
        """The character of the glyph `code`: `mapped` (the text layer's) where an
        installed font confirms it or none can check it, the outline's character
        where they differ or the text layer names none; None: unnamed."""
        if code in self.checked:
            return self.checked[code]
        self.checked[code] = result = self._read(code, mapped, printed)
        return result

    def _read(self, code: int, mapped: str | None, printed: str) -> str | None:
        name = self.code_to_glyph(code)
        if mapped is None and name and glyph_name_char(name):
            # A glyph the map leaves unnamed whose font still names it ('edieresis'):
            # the name says which character before any outline is compared.
            return glyph_name_char(name)
        if self.font is None:  # a font program with names and no outlines compared
            if mapped is None:
                _why[printed] = (f"glyph {code} of font {self.basefont}: its font "
                                 "program does not name it, and its outline is not "
                                 f"compared ({self.kind})")
            return mapped
        wanted = outline_signature(self.font, name, self.units) if name else None
        if wanted is None:
            if mapped is None:
                _why[printed] = (
                    f"glyph {code} of font {self.basefont}: the font program has no "
                    "outline for it")
            return mapped
        fonts = _candidates(self.basefont)
        if mapped is not None and fonts and same_name(self.basefont, fonts[0]):
            if fonts[0].draws(mapped, wanted, self.units):
                return mapped  # confirmed
            # The font the glyph came from draws the map's text otherwise, or has no
            # glyph for it (Ghostscript's ToUnicode naming 'fi' U+6600 U+6900, '昀椀'):
            # the outline decides, where an installed font has it.
        elif mapped is not None:
            return mapped  # no installed font of its name: the map is not checked
        for installed in fonts:
            strings = installed.strings_with(wanted, self.units)
            if strings:
                chosen = choose(strings, mapped)
                if chosen is None and mapped is None:
                    _why[printed] = (
                        f"glyph {code} of font {self.basefont}: its outline is that of "
                        f"several characters ({', '.join(sorted(map(repr, strings)))}) "
                        f"in {installed.postscript_name}")
                return chosen if chosen is not None else mapped
        if mapped is None:
            _why[printed] = (
                f"glyph {code} of font {self.basefont}: no installed font has its outline")
        return mapped


def glyph_name_char(name: str) -> str | None:
    """The character a glyph name says (Adobe glyph list: 'edieresis' -> 'ë',
    'uni00EB', 'f_i' -> 'fi'); None for names that say none ('glyph00001', 'g12',
    'uniF001' in the private use area, where Ghostscript numbers a symbolic font's
    glyphs)."""
    from fontTools import agl

    text = agl.toUnicode(name)
    if not text or any(0xE000 <= ord(c) <= 0xF8FF or unicodedata.category(c) == "Cc"
                       for c in text):
        return None
    return unicodedata.normalize("NFKC", text) if len(text) == 1 and \
        "\ufb00" <= text <= "\ufb06" else text


def choose(strings: set[str], mapped: str | None = None) -> str | None:
    """The one string among those drawn with one outline: the text layer's own if it
    is one of them, else the one the annex text's repertoire allows, or the family's
    character when they are lookalikes; None if still several."""
    if mapped in strings:
        return mapped
    if len(strings) == 1:
        return next(iter(strings))
    repertoire = vocab.text_repertoire()
    usable = {s for s in strings if all(c in repertoire for c in s)}
    if len(usable) == 1:
        return next(iter(usable))
    alike = vocab.glyph_alike()
    families = {alike.get(s) for s in (usable or strings)}
    if len(families) == 1 and None not in families:
        return families.pop()
    return None


def embedded_font(spec: dict, basefont: str, settings: PdfSettings) -> EmbeddedFont | None:
    """The font program of a font dictionary with its code-to-glyph map: TrueType
    (simple, or the CIDFontType2 of a Type0 font), read by its outlines; CFF
    (FontFile3) and Type 1 (FontFile), read by their glyph names. None for any other
    font."""
    from fontTools.ttLib import TTFont
    from pdfminer.pdftypes import resolve1

    descriptor = resolve1(spec.get("FontDescriptor")) or {}
    if not isinstance(descriptor, dict):
        return None
    if descriptor.get("FontFile3") is not None:
        return _cff_font(spec, resolve1(descriptor["FontFile3"]), basefont, settings)
    if descriptor.get("FontFile") is not None:
        return _type1_font(spec, resolve1(descriptor["FontFile"]), basefont, settings)
    program = resolve1(descriptor.get("FontFile2"))
    if program is None:
        return None
    try:
        font = TTFont(io.BytesIO(program.get_data()), lazy=True)
        order = font.getGlyphOrder()
        if "glyf" not in font:
            return None
    except Exception:  # a damaged program: pdfminer's own reading stays
        return None
    subtype = getattr(resolve1(spec.get("Subtype")), "name", "")
    if subtype == "CIDFontType2":
        gid_map = resolve1(spec.get("CIDToGIDMap"))
        data = gid_map.get_data() if hasattr(gid_map, "get_data") else None

        def code_to_glyph(code: int) -> str | None:
            gid = code if data is None else int.from_bytes(data[2 * code:2 * code + 2], "big")
            return order[gid] if 0 < gid < len(order) else None
    else:
        tables = {(t.platformID, t.platEncID): t.cmap for t in font["cmap"].tables} \
            if "cmap" in font else {}

        def code_to_glyph(code: int) -> str | None:
            # A symbolic TrueType font maps its codes at 0xF000 + code (3,0), or as
            # they are (1,0): how a PDF's simple font reaches its glyphs (PDF 9.6.6.4).
            for key, offset in (((3, 0), 0xF000), ((3, 0), 0), ((1, 0), 0)):
                name = tables.get(key, {}).get(code + offset)
                if name is not None:
                    return name
            return None
    return EmbeddedFont(basefont, font, code_to_glyph, settings.glyph_outline_units)


# --- pdfminer hook ------------------------------------------------------------------


def install(settings: PdfSettings = DEFAULT_SETTINGS) -> None:
    """Wrap every TrueType font pdfminer makes so its glyphs are read as above."""
    global _installed
    if _installed:
        return
    from pdfminer.pdffont import PDFCIDFont, PDFType1Font, PDFUnicodeNotDefined
    from pdfminer.pdfinterp import PDFResourceManager

    original = PDFResourceManager.get_font

    def get_font(self, objid, spec):
        font = original(self, objid, spec)
        if not isinstance(font, PDFCIDFont | PDFType1Font) or "_fontmatch" in vars(font):
            return font
        inner = spec
        if "DescendantFonts" in spec:
            from pdfminer.pdftypes import resolve1

            inner = resolve1(resolve1(spec["DescendantFonts"])[0])
        basefont = str(getattr(font, "basefont", None) or getattr(font, "fontname", ""))
        font._fontmatch = None  # made at the first glyph: most fonts are never looked at
        font._fontmatch_spec = (inner, basefont)
        own = font.to_unichr

        def to_unichr(cid: int) -> str:
            try:
                mapped = own(cid)
            except PDFUnicodeNotDefined:
                mapped = None
            if mapped is not None and not is_unnamed(mapped) and not settings.glyph_check_named:
                return mapped
            if font._fontmatch is None:
                font._fontmatch = embedded_font(*font._fontmatch_spec, settings) or False
            matcher = font._fontmatch
            # A glyph left unnamed is printed as the map left it (what why_unnamed
            # knows it by), except as white space: a tab or line feed would pass for a
            # gap between words, and the glyph would be lost instead of refused.
            blank = mapped is None or mapped in ("\t", "\n", "\r")
            printed = f"(cid:{cid})" if blank else mapped
            named = None if mapped is None or is_unnamed(mapped) else mapped
            text = matcher.read(cid, named, printed) if matcher else None
            if text is not None:
                return text
            if blank:
                raise PDFUnicodeNotDefined(None, cid)
            return mapped

        font.to_unichr = to_unichr
        return font

    PDFResourceManager.get_font = get_font
    _installed = True


def _differences(spec: dict, names: dict[int, str]) -> dict[int, str]:
    """`names` (code -> glyph name, the program's own encoding) with a simple font's
    /Differences applied over it (PDF 9.6.6.1)."""
    from pdfminer.pdftypes import resolve1

    names = dict(names)
    encoding = resolve1(spec.get("Encoding"))
    differences = resolve1(encoding.get("Differences")) if isinstance(encoding, dict) else None
    code = 0
    for item in differences or ():
        if isinstance(item, int):
            code = item
        else:
            names[code] = getattr(item, "name", str(item))
            code += 1
    return names


def _type1_font(spec: dict, program, basefont: str,
                settings: PdfSettings) -> EmbeddedFont | None:
    """A Type 1 program (FontFile), read by its glyph names. pdfminer reads a simple
    Type 1 font's own encoding, but not when a ToUnicode map names its codes as
    themselves (mupdf's convert: '\x01' for 'foursuperior'), and not at all for the
    CIDFontType0 of a Type0 font holding a Type 1 program (mupdf's convert writes
    one for a font it substituted: NimbusSansNarrow for superscripts Liberation Sans
    Narrow lacks). Code to glyph: the simple font's /Differences over the program's
    /Encoding; a CID (Identity: the code) by the program's /Encoding, which must
    agree with its glyph order (how a viewer finds a non-CID-keyed program's glyph
    by its CID) where that names one too; where they differ, unnamed (refused)."""
    from fontTools.misc import psLib
    from pdfminer.pdftypes import resolve1

    try:
        font = psLib.suckfont(program.get_data())
        own = font.get("Encoding")
        order = list(font["CharStrings"].keys())
    except Exception:  # a damaged program: pdfminer's own reading stays
        return None
    names = {code: name for code, name in enumerate(own if isinstance(own, list) else ())
             if name != ".notdef"}
    subtype = getattr(resolve1(spec.get("Subtype")), "name", "")
    if subtype != "CIDFontType0":
        names = _differences(spec, names)
        return EmbeddedFont(basefont, None, lambda c: names.get(c) if names.get(c) !=
                            ".notdef" else None, settings.glyph_outline_units, kind="Type 1")
    if ".notdef" in order:  # glyph 0 of a Type 1 program is its .notdef
        order.remove(".notdef")
        order.insert(0, ".notdef")

    def code_to_glyph(code: int) -> str | None:
        by_order = order[code] if 0 < code < len(order) else None
        by_encoding = names.get(code)
        if by_order and by_encoding and by_order != by_encoding:
            return None
        return by_encoding or by_order

    return EmbeddedFont(basefont, None, code_to_glyph, settings.glyph_outline_units,
                        kind="Type 1")


def _cff_font(spec: dict, program, basefont: str, settings: PdfSettings) -> EmbeddedFont | None:
    """A simple font's CFF program (FontFile3 /Type1C), read by its glyph names: the
    PDF's /Differences, else the program's own encoding (pdfminer reads neither
    from the program, and falls back to StandardEncoding). CID-keyed CFF names its
    glyphs by number: nothing to read (None)."""
    from fontTools.cffLib import CFFFontSet

    try:
        fonts = CFFFontSet()
        fonts.decompile(io.BytesIO(program.get_data()), None)
        top = fonts[fonts.fontNames[0]]
        if hasattr(top, "ROS"):
            return None
        own = top.Encoding if isinstance(top.Encoding, list) else []
    except Exception:  # a damaged program: pdfminer's own reading stays
        return None
    names = _differences(spec, dict(enumerate(own)))
    return EmbeddedFont(basefont, None, lambda c: names.get(c) if names.get(c) != ".notdef"
                        else None, settings.glyph_outline_units)
