"""When an annex version is from, and so which of two versions is the newer.

The date comes from the document (normalize.annex_id has the order of
precedence: status date, decision date, PDF metadata, file name); a scheduler
can override it per file (pipeline.identity). Versions are ordered by
pipeline.sources.Source.order_key: dated versions by date, undated ones after
them, revisions of one version by their document date, else by arrival.
"""

from __future__ import annotations

from normalize.annex_id import identify


def version_date(title: str | None, metadata: dict[str, str],
                 file_name: str, preamble: list[str] | None = None) -> tuple[str | None, str]:
    """(ISO date or None, where it came from; see normalize.annex_id)."""
    identity = identify(title, preamble or [], metadata, file_name)
    return identity.version_date, identity.date_from


def order_key(annex_id: str, version_date: str | None) -> tuple[bool, str, str]:
    """Sort key of versions given only id and date: dated by date, then undated; ties by id."""
    return (version_date is None, version_date or "", annex_id)
