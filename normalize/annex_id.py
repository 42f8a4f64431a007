"""Which annex version a document is, from what the document itself says.

A version is named by the annex's own name and its version date:
`techniekpact-2013-07-02` for "Overzicht van de acties uit het Techniekpact zoals
vastgesteld in de LRT van 2 juli 2013", `techniekpact-2014-03` for the same title
with "(stand van zaken maart 2014)". The version date is, in this order of
precedence (the first that is found wins):

1. a status date in the title: a date after a version marker (vocab/version_markers.csv:
   "stand van zaken", "stand per", "peildatum", "versie", "update", "bijgewerkt"),
   a full date or a month and year;
2. a status date on the first page (the lines before the matrix);
3. the decision date: the first full date of the title outside a status clause
   ("LRT van 2 juli 2013"), else the first one on the first page;
4. the PDF metadata: a status or full date in its Title or Subject, then its
   ModDate or CreationDate;
5. a date in the file name (2014-03-01, 20140301).

The status date outranks the decision date because a progress update keeps the
decision's title and adds its own date: it is the newer document. The pipeline
may override the date per file (pipeline.identity), and adds a revision suffix
(`-r2`) when two different documents claim the same version.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import vocab

# How far after a version marker its date may start ("stand van zaken per 1 maart
# 2014", "versie: update van maart 2014"): a few short words, not the next sentence.
STATUS_WINDOW = 24
# The annex's own name is a proper name of a few words ("Techniekpact", "Nationaal
# Techniekpact 2020"); more words means the rule has run into a sentence.
NAME_WORDS = 5
NAME_CHARACTERS = 40
HASH_CHARACTERS = 8  # of an undated version's id: enough to keep two files apart

PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})(\d{2})")
NAME_DATE = re.compile(r"(?<!\d)(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?!\d)")
METADATA_TEXT_KEYS = ("Title", "Subject")
METADATA_DATE_KEYS = ("ModDate", "CreationDate")
# Where the annex names what its actions belong to: "acties uit het Techniekpact".
NAME_AFTER = re.compile(
    r"\b(?:acties|actiepunten|afspraken|maatregelen)\s+(?:uit|van|in)\s+(?:het|de)\s+(.+)",
    re.IGNORECASE)
BIJLAGE = re.compile(r"^\s*bijlage\s+\S+?\s*[:.\-–]\s*", re.IGNORECASE)
# Words that end the name: the clause that follows it.
NAME_END = re.compile(
    r"\s*(?:[(\[,;:–]|\s-\s|\bzoals\b|\bvastgesteld\b|\bd\.d\.|\bper\b|\bvan\s+\d"
    r"|\bin\s+de\b|\bop\s+\d|\b\d{1,2}\s+[a-z]+\s+\d{4}\b)", re.IGNORECASE)


@dataclass(frozen=True)
class FoundDate:
    iso: str  # YYYY-MM-DD, or YYYY-MM for a month and year without a day
    start: int
    end: int


@dataclass(frozen=True)
class VersionIdentity:
    name: str | None  # slug of the annex's own name
    version_date: str | None  # what names and orders the version
    date_from: str  # status:title, status:first-page, decision:title, ... , none
    decision_date: str | None = None
    status_date: str | None = None
    document_date: str | None = None  # the PDF's own ModDate/CreationDate: orders revisions

    def annex_id(self, file_stem: str, sha256: str) -> str:
        """'techniekpact-2013-07-02'; an undated document gets its name (or the file's)
        and its hash, so that it is still one id per document."""
        name = self.name or slug(file_stem) or "annex"
        if self.version_date:
            return f"{name}-{self.version_date}"
        return f"{name}-{sha256[:HASH_CHARACTERS]}"


def _month_pattern() -> str:
    names = sorted(vocab.months_nl(), key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


def _date_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    months = _month_pattern()
    full = re.compile(rf"\b(\d{{1,2}})\s+({months})\.?\s+(\d{{4}})\b", re.IGNORECASE)
    month_year = re.compile(rf"\b({months})\.?\s+(\d{{4}})\b", re.IGNORECASE)
    dmy = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b")
    ymd = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
    return full, month_year, dmy, ymd


def _valid(year: int, month: int, day: int | None) -> str | None:
    try:
        if day is None:
            return date(year, month, 1).isoformat()[:7]
        return date(year, month, day).isoformat()
    except ValueError:  # 31 februari is words, not a date
        return None


def find_dates(text: str) -> list[FoundDate]:
    """Every date in `text`, in order: full dates and, where no day is given, month
    and year ('maart 2014' -> '2014-03')."""
    full, month_year, dmy, ymd = _date_patterns()
    months = vocab.months_nl()
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []  # spans read already, dates or not ('31 februari')

    def add(iso: str | None, match: re.Match) -> None:
        if any(start <= match.start() < end for start, end in taken):
            return
        taken.append((match.start(), match.end()))
        if iso:
            found.append(FoundDate(iso, match.start(), match.end()))

    for m in full.finditer(text):
        add(_valid(int(m[3]), months[m[2].lower()], int(m[1])), m)
    for m in ymd.finditer(text):
        add(_valid(int(m[1]), int(m[2]), int(m[3])), m)
    for m in dmy.finditer(text):
        add(_valid(int(m[3]), int(m[2]), int(m[1])), m)
    for m in month_year.finditer(text):
        add(_valid(int(m[2]), months[m[1].lower()], None), m)
    return sorted(found, key=lambda f: f.start)


def status_date(text: str) -> FoundDate | None:
    """The date a version marker gives ('stand van zaken maart 2014' -> 2014-03)."""
    lowered = text.lower()
    dates = find_dates(text)
    best: FoundDate | None = None
    for marker in vocab.version_markers():
        for m in re.finditer(rf"\b{re.escape(marker)}\b", lowered):
            after = [d for d in dates if m.end() <= d.start <= m.end() + STATUS_WINDOW]
            if after and (best is None or after[0].start < best.start):
                best = after[0]
    return best


def decision_date(text: str) -> str | None:
    """The first full date outside a status clause."""
    status = status_date(text)
    for found in find_dates(text):
        if len(found.iso) == 10 and found != status:
            return found.iso
    return None


def annex_name(title: str | None) -> str | None:
    """Slug of the annex's own name: 'acties uit het Techniekpact zoals ...' ->
    'techniekpact'; else the title after 'Bijlage N:' up to its first clause; a
    title that is neither gives no name."""
    if not title:
        return None
    match = NAME_AFTER.search(title)
    heading = BIJLAGE.match(title)
    if match:
        text = match.group(1)
    elif heading:
        text = title[heading.end():]
    else:  # not an annex heading: no name of its own (the file's name stands in)
        return None
    text = NAME_END.split(text, maxsplit=1)[0]
    words = [w for w in text.split() if not find_dates(w)][:NAME_WORDS]
    return slug(" ".join(words)) or None


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:NAME_CHARACTERS].strip("-")


def identify(title: str | None, preamble: list[str], metadata: dict[str, str],
             file_name: str) -> VersionIdentity:
    """The version this document says it is; see the module's precedence list."""
    title = title or ""
    first_page = "\n".join(line for line in preamble if line.strip() != title.strip())
    in_title = status_date(title)
    on_page = status_date(first_page)
    decided = decision_date(title) or decision_date(first_page)
    document = _metadata_date(metadata)
    common = {"decision_date": decided, "document_date": document}
    name = annex_name(title) or annex_name(metadata.get("Title"))
    if in_title:
        return VersionIdentity(name, in_title.iso, "status:title",
                               status_date=in_title.iso, **common)
    if on_page:
        return VersionIdentity(name, on_page.iso, "status:first-page",
                               status_date=on_page.iso, **common)
    if decision_date(title):
        return VersionIdentity(name, decided, "decision:title", **common)
    if decided:
        return VersionIdentity(name, decided, "decision:first-page", **common)
    for key in METADATA_TEXT_KEYS:
        text = metadata.get(key) or ""
        found = status_date(text)
        iso = found.iso if found else decision_date(text)
        if iso:
            return VersionIdentity(name, iso, f"pdf-metadata:{key}", **common)
    for key in METADATA_DATE_KEYS:
        iso = _iso(PDF_DATE.match(metadata.get(key) or ""))
        if iso:
            return VersionIdentity(name, iso, f"pdf-metadata:{key}", **common)
    iso = _iso(NAME_DATE.search(file_name))
    if iso:
        return VersionIdentity(name, iso, "file-name", **common)
    return VersionIdentity(name, None, "none", **common)


def _metadata_date(metadata: dict[str, str]) -> str | None:
    for key in METADATA_DATE_KEYS:
        iso = _iso(PDF_DATE.match(metadata.get(key) or ""))
        if iso:
            return iso
    return None


def _iso(match: re.Match | None) -> str | None:
    if not match:
        return None
    return _valid(*(int(part) for part in match.groups()))


def annex_id(title: str | None, file_stem: str, sha256: str,
             preamble: list[str] | None = None, metadata: dict[str, str] | None = None,
             file_name: str = "") -> str:
    """The version's id from the document (without a revision suffix)."""
    identity = identify(title, preamble or [], metadata or {}, file_name or file_stem)
    return identity.annex_id(file_stem, sha256)
