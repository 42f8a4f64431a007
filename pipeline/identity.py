"""A file's version identity: what the document says (normalize.annex_id), unless the
scheduler says otherwise for that file.

Overrides, strongest first:

1. `--version-date FILE=DATE` on the command line (FILE: the input's name or the
   path as given; DATE: YYYY-MM-DD or YYYY-MM);
2. a sidecar file next to the input, `<input>.version.json`:
   `{"version_date": "2014-03"}` (optionally also `"name": "techniekpact"`).

Then the document's own dates, in normalize.annex_id's order.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # normalize imports pandas: not on the way to "nothing to do"
    from normalize.annex_id import VersionIdentity

SIDECAR_SUFFIX = ".version.json"
SIDECAR_MAX_BYTES = 4096  # a sidecar is one or two keys; more is not a sidecar
OVERRIDE_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")


class OverrideError(ValueError):
    """A flag or sidecar that does not say a version date."""


@dataclass(frozen=True)
class Override:
    version_date: str
    name: str | None
    origin: str  # override:flag or override:sidecar


def parse_flag(values: list[str]) -> dict[str, str]:
    """--version-date FILE=DATE, repeated -> {FILE: DATE}; raises OverrideError."""
    found = {}
    for value in values:
        file, sep, when = value.rpartition("=")
        if not sep or not file:
            raise OverrideError(f"--version-date {value!r}: expected FILE=YYYY-MM-DD")
        found[file] = check_date(when, f"--version-date {value!r}")
    return found


def check_date(text: str, where: str) -> str:
    from datetime import date

    if not isinstance(text, str) or not OVERRIDE_DATE.match(text):
        raise OverrideError(f"{where}: version date must be YYYY-MM-DD or YYYY-MM")
    year, month, *day = (int(part) for part in text.split("-"))
    try:
        date(year, month, day[0] if day else 1)
    except ValueError:
        raise OverrideError(f"{where}: {text} is not a date") from None
    return text


def override_for(path: Path, flags: dict[str, str]) -> Override | None:
    """The override of one input; raises OverrideError for a bad sidecar."""
    for key in (str(path), path.name):
        if key in flags:
            return Override(flags[key], None, "override:flag")
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return None
    where = f"sidecar {sidecar.name}"
    try:
        if sidecar.stat().st_size > SIDECAR_MAX_BYTES:
            raise OverrideError(f"{where}: larger than {SIDECAR_MAX_BYTES} bytes")
        document = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        if isinstance(error, OverrideError):
            raise
        raise OverrideError(f"{where}: not readable JSON ({error})") from None
    if not isinstance(document, dict) or "version_date" not in document:
        raise OverrideError(f"{where}: expected {{\"version_date\": \"YYYY-MM-DD\"}}")
    from normalize.annex_id import slug

    name = document.get("name")
    if name is not None and (not isinstance(name, str) or not slug(name)):
        raise OverrideError(f"{where}: name must be a non-empty text")
    return Override(check_date(document["version_date"], where),
                    slug(name) if name else None, "override:sidecar")


def apply_override(identity: VersionIdentity, override: Override | None) -> VersionIdentity:
    if override is None:
        return identity
    return replace(identity, version_date=override.version_date, date_from=override.origin,
                   name=override.name or identity.name)


def relabel(tables, annex_id: str):
    """The same tables under another id (an override or a revision suffix): the id
    is a column of every table, so it is set everywhere at once."""
    tables.annex_id = annex_id
    for frame in tables.tables().values():
        if "annex_id" in frame.columns:
            frame["annex_id"] = annex_id
    return tables
