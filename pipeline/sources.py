"""The manifest of what has been processed: every source file by content hash, and
which version (and revision) it belongs to. It is published inside each snapshot
(sources.json) so it can never disagree with the data beside it.

Nothing is ever replaced silently. A new document that claims a version already
published (the same id from its title and dates) is compared with each of that
version's revisions, on every field both can tell:

- it agrees with one: it is another copy of that revision. A PDF takes the place
  of an agreeing text export (it adds the timeline, the text export lost its
  colours) under the same id, the text export becoming an `alternate` source;
  any other agreeing copy is recorded as an `alternate` of the revision;
- it agrees with none: it is a new revision, published beside the earlier ones
  with a change report against its neighbour.

The revisions of a version are numbered in document order: by their document
date (a PDF's ModDate/CreationDate; those without one after those with one),
then by arrival. The first is the version's id (`techniekpact-2013-07-02`), the
others `-r2`, `-r3` ...; the last is the version's latest. A revision that
arrives with an earlier document date than one published takes its place in
that order, and the later ones move up a number (pipeline.relabel rewrites
their id). Only revisions that no date tells apart are in arrival order.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

PUBLISHED = "published"  # its tables are the version's (revision's) tables
ALTERNATE = "alternate"  # the same content in another or poorer format (a text export of a PDF)
SUPERSEDED = "superseded"  # pipeline 0.2: replaced by a later file; read, never given any more
ROLES = (PUBLISHED, ALTERNATE, SUPERSEDED)
SOURCES_FILE = "sources.json"
FORMAT_VERSION = 2
REVISION_MARK = "-r"  # techniekpact-2013-07-02-r2
TABLES_PREFIX = ".tables-"  # snapshot/.tables-<sha256>: what a run wrote, until assembled


def tables_folder(snapshot: Path, sha256: str) -> Path:
    return snapshot / f"{TABLES_PREFIX}{sha256}"


@dataclass(frozen=True)
class Source:
    sha256: str
    file: str  # the file name it was processed under
    annex_id: str  # the version's id, with its revision suffix from r2 on
    source_format: str  # "text-export" or "pdf"
    has_timeline: bool  # what makes a source richer
    version_date: str | None
    date_from: str  # where the date was read (normalize.annex_id, pipeline.identity)
    role: str = PUBLISHED
    version: str = ""  # the id without a revision suffix; "" in manifests of pipeline 0.2
    revision: int = 1
    decision_date: str | None = None
    status_date: str | None = None
    document_date: str | None = None  # the PDF's own date: orders revisions

    def __post_init__(self) -> None:
        if not self.version:
            object.__setattr__(self, "version", self.annex_id)

    def sort_key(self) -> tuple:
        return (self.annex_id, ROLES.index(self.role), self.file, self.sha256)

    def order_key(self) -> tuple:
        """Document order: by version date (undated last), then the version, then
        the revision (which is in document order, see _renumber)."""
        return (self.version_date is None, self.version_date or "", self.version,
                self.revision)

    def document_key(self) -> tuple:
        """Order among the revisions of one version, before arrival breaks ties."""
        return (self.document_date is None, self.document_date or "")


def revision_id(version: str, revision: int) -> str:
    return version if revision == 1 else f"{version}{REVISION_MARK}{revision}"


@dataclass(frozen=True)
class Placement:
    """Where a new source goes: its role, id and revision, and why."""

    role: str
    annex_id: str
    revision: int
    replaces: Source | None = None  # a poorer source of the same content, now alternate
    same_as: Source | None = None  # the revision it agrees with (alternate)
    disagrees_with: tuple[Source, ...] = ()  # revisions of the version it differs from
    differing: tuple[tuple[str, int], ...] = ()  # (revision id, actions that differ)


class SourceManifest:
    """All processed sources."""

    def __init__(self, sources: list[Source] | None = None) -> None:
        self._sources: list[Source] = list(sources or [])

    @classmethod
    def read(cls, path: Path) -> SourceManifest:
        document = json.loads(path.read_text(encoding="utf-8"))
        known = {f.name for f in fields(Source)}
        return cls([Source(**{k: v for k, v in entry.items() if k in known})
                    for entry in document["sources"]])

    def to_json(self) -> str:
        document = {"format": FORMAT_VERSION,
                    "sources": [asdict(s) for s in sorted(self._sources, key=Source.sort_key)]}
        return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    def __len__(self) -> int:
        return len(self._sources)

    def find(self, sha256: str) -> Source | None:
        return next((s for s in self._sources if s.sha256 == sha256), None)

    def published(self, annex_id: str) -> Source | None:
        return next((s for s in self._sources
                     if s.annex_id == annex_id and s.role == PUBLISHED), None)

    def of_version(self, annex_id: str) -> list[Source]:
        """Every source of one published id (a revision), published first."""
        return sorted((s for s in self._sources if s.annex_id == annex_id), key=Source.sort_key)

    def revisions(self, version: str) -> list[Source]:
        """The published revisions of a version, in document order."""
        return sorted((s for s in self._sources if s.version == version and s.role == PUBLISHED),
                      key=Source.order_key)

    def versions(self) -> list[Source]:
        """The published source of every version and revision, in document order."""
        return sorted((s for s in self._sources if s.role == PUBLISHED), key=Source.order_key)

    def place(self, candidate: Source, agrees: Callable[[Source], bool]) -> Placement:
        """Where `candidate` (with its version id) goes; `agrees(revision)` says
        whether its tables and that revision's agree on every field both can tell."""
        known = next((s for s in self._sources if s.sha256 == candidate.sha256
                      and s.version == candidate.version), None)
        if known is not None:  # the same content again (--force): the same place
            kept = None if known.role == PUBLISHED else self.published(known.annex_id)
            return Placement(PUBLISHED if kept is None else known.role, known.annex_id,
                             known.revision, same_as=kept)
        revisions = self.revisions(candidate.version)
        if not revisions:
            return Placement(PUBLISHED, candidate.version, 1)
        for revision in revisions:
            if agrees(revision):
                if candidate.has_timeline and not revision.has_timeline:
                    return Placement(PUBLISHED, revision.annex_id, revision.revision,
                                     replaces=revision)
                return Placement(ALTERNATE, revision.annex_id, revision.revision,
                                 same_as=revision)
        # After every revision that comes before it in document order or ties with it
        # (arrival breaks the tie: it is the newest).
        number = 1 + sum(1 for r in revisions if r.document_key() <= candidate.document_key())
        return Placement(PUBLISHED, revision_id(candidate.version, number), number,
                         disagrees_with=tuple(revisions))

    def add(self, candidate: Source, placement: Placement) -> dict[str, str]:
        """Record `candidate` where `placement` puts it. Returns the revisions whose
        id changed to make room for it in document order (old id -> new id)."""
        self._sources = [s for s in self._sources if s.sha256 != candidate.sha256]
        renames: dict[str, str] = {}
        if placement.role == PUBLISHED and placement.replaces is None:
            # Make room: the revisions from its number on move up one.
            renames = self._apply({
                s.annex_id: s.revision + 1 for s in self._sources
                if s.version == candidate.version and s.role == PUBLISHED
                and s.revision >= placement.revision}, candidate.version)
        if placement.replaces is not None:
            self._sources.remove(placement.replaces)
            self._sources.append(replace(placement.replaces, role=ALTERNATE))
        self._sources.append(replace(candidate, role=placement.role,
                                     annex_id=placement.annex_id,
                                     revision=placement.revision))
        # A PDF that took a text export's place may bring a document date: sort again.
        revisions = sorted((s for s in self._sources
                            if s.version == candidate.version and s.role == PUBLISHED),
                           key=lambda s: (s.document_key(), s.revision))
        again = self._apply({s.annex_id: number for number, s in enumerate(revisions, 1)
                             if s.revision != number}, candidate.version)
        again.pop(placement.annex_id, None)  # the newcomer moving is not a rename
        for old, new in list(renames.items()):
            renames[old] = again.pop(new, new)
        renames.update(again)
        return {old: new for old, new in renames.items() if old != new}

    def _apply(self, numbers: dict[str, int], version: str) -> dict[str, str]:
        """Give the revisions named in `numbers` their new number and id, with every
        source of them (alternates too), in one pass so that names can swap."""
        renames = {old: revision_id(version, number) for old, number in numbers.items()}
        self._sources = [replace(s, revision=numbers[s.annex_id], annex_id=renames[s.annex_id])
                         if s.version == version and s.annex_id in renames else s
                         for s in self._sources]
        return renames
