"""The manifest of what has been processed: every source file by content hash, and
which version it belongs to. It is published inside each snapshot (sources.json)
so it can never disagree with the data beside it.

The rule for two sources of the same version (the same annex id): the richer
one is published, the richer being the one with a timeline (a PDF; the text
export lost the timeline's colours). Between equally rich sources the later
one wins, as a corrected file replaces the one it corrects. A run takes its
inputs in order, so one run over several files ends where separate runs over
each of them, in the same order, would.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from pathlib import Path

PUBLISHED = "published"  # its tables are the version's tables
ALTERNATE = "alternate"  # the same version in a poorer format (a text export of a PDF)
SUPERSEDED = "superseded"  # the same version, replaced by a later file of the same richness
ROLES = (PUBLISHED, ALTERNATE, SUPERSEDED)
SOURCES_FILE = "sources.json"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Source:
    sha256: str
    file: str  # the file name it was processed under
    annex_id: str
    source_format: str  # "text-export" or "pdf"
    has_timeline: bool  # what makes a source richer
    version_date: str | None
    date_from: str  # where the date was read: title, pdf-metadata:<key>, file-name, none
    role: str = PUBLISHED

    def sort_key(self) -> tuple:
        return (self.annex_id, ROLES.index(self.role), self.file, self.sha256)


class SourceManifest:
    """All processed sources; at most one published source per version."""

    def __init__(self, sources: list[Source] | None = None) -> None:
        self._sources: list[Source] = list(sources or [])

    @classmethod
    def read(cls, path: Path) -> SourceManifest:
        document = json.loads(path.read_text(encoding="utf-8"))
        return cls([Source(**entry) for entry in document["sources"]])

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
        return sorted((s for s in self._sources if s.annex_id == annex_id), key=Source.sort_key)

    def versions(self) -> list[Source]:
        """The published source of every version."""
        return [s for s in self._sources if s.role == PUBLISHED]

    def would_publish(self, candidate: Source) -> bool:
        """Does `candidate` replace what its version publishes (or start the version)?"""
        current = self.published(candidate.annex_id)
        return current is None or candidate.has_timeline >= current.has_timeline

    def add(self, candidate: Source) -> Source | None:
        """Record `candidate` by the rule; returns the source it replaced, if any."""
        self._drop(candidate.sha256, candidate.annex_id)
        if not self.would_publish(candidate):
            self._sources.append(replace(candidate, role=ALTERNATE))
            return None
        current = self.published(candidate.annex_id)
        if current is not None:
            self._sources.remove(current)
            demoted = ALTERNATE if current.has_timeline < candidate.has_timeline else SUPERSEDED
            self._sources.append(replace(current, role=demoted))
        self._sources.append(replace(candidate, role=PUBLISHED))
        return current

    def _drop(self, sha256: str, annex_id: str) -> None:
        # The same content again (--force): one entry, under its latest name and role.
        self._sources = [s for s in self._sources
                         if not (s.sha256 == sha256 and s.annex_id == annex_id)]
