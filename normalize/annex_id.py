"""A stable id for an annex version, from the date the document states."""

from __future__ import annotations

import re

MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)
DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(MONTHS) + r")\s+(\d{4})\b", re.IGNORECASE)


def document_date(title: str | None) -> str | None:
    """ISO date of the first Dutch date in the title ('2 juli 2013' -> '2013-07-02')."""
    match = DATE.search(title or "")
    if not match:
        return None
    day, month, year = match.groups()
    return f"{year}-{MONTHS.index(month.lower()) + 1:02d}-{int(day):02d}"


def annex_id(title: str | None, file_stem: str, sha256: str) -> str:
    """'techniekpact-2013-07-02' when the document is dated, else name and hash.

    The same file always gets the same id; a text export and a PDF of the same
    annex version share it, because the id comes from the document, not the file.
    """
    date = document_date(title)
    if date:
        return f"techniekpact-{date}"
    slug = re.sub(r"[^a-z0-9]+", "-", file_stem.lower()).strip("-")[:40] or "annex"
    return f"{slug}-{sha256[:8]}"
