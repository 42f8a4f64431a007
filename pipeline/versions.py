"""When an annex version is from, and so which of two versions is the newer.

The date comes from the document where it says: the date in its title (the
same date that names the version, `normalize.annex_id`), else a date in the
PDF's own metadata, else a date in the file name. An undated version sorts
after every dated one, by id, so the order is still total and stable.
"""

from __future__ import annotations

import re
from datetime import date

from normalize.annex_id import document_date

# PDF metadata dates look like D:20130702120000+02'00'
PDF_DATE = re.compile(r"^D:(\d{4})(\d{2})(\d{2})")
NAME_DATE = re.compile(r"(?<!\d)(\d{4})[-_]?(\d{2})[-_]?(\d{2})(?!\d)")
METADATA_TEXT_KEYS = ("Title", "Subject")
METADATA_DATE_KEYS = ("CreationDate", "ModDate")


def version_date(title: str | None, metadata: dict[str, str],
                 file_name: str) -> tuple[str | None, str]:
    """(ISO date or None, where it came from: title, pdf-metadata:<key>, file-name, none)."""
    found = document_date(title)
    if found:
        return found, "title"
    for key in METADATA_TEXT_KEYS:
        found = document_date(metadata.get(key))
        if found:
            return found, f"pdf-metadata:{key}"
    for key in METADATA_DATE_KEYS:
        found = _iso(PDF_DATE.match(metadata.get(key) or ""))
        if found:
            return found, f"pdf-metadata:{key}"
    found = _iso(NAME_DATE.search(file_name))
    if found:
        return found, "file-name"
    return None, "none"


def _iso(match: re.Match | None) -> str | None:
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:  # 2013-13-45 is digits, not a date
        return None


def order_key(annex_id: str, version_date: str | None) -> tuple[bool, str, str]:
    """Sort key: dated versions by date, then undated ones; ties by id."""
    return (version_date is None, version_date or "", annex_id)
