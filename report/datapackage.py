"""Frictionless data packages (datapackage.json) describing published CSVs.

Written to the Data Package v1 specification with its tabular profiles
(`tabular-data-package`, `tabular-data-resource`): that is what both readers
implement. frictionless-py reads v1 and v2; R's `frictionless` (1.x) requires
the resource profile `tabular-data-resource` and accepts only the v1 field
types, which is why list columns are `array` fields (a JSON array in the cell,
`[]` for an empty list, an empty cell for null) and not v2's `list`.

`resource()` and `package()` describe any set of tables from their Arrow
schemas, so the version folders, history/ and changes/ share one description.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

import vocab
from ir.schema import LINK_METHODS, SCHEMAS
from pipeline.codebook import field_metadata

PACKAGE_PROFILE = "tabular-data-package"
RESOURCE_PROFILE = "tabular-data-resource"
# Field types of Table Schema v1 that R's frictionless reads (R/check_schema.R).
V1_TYPES = ("string", "number", "integer", "boolean", "object", "array", "date", "time",
            "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any")

PRIMARY_KEYS = {
    "actions": ["action_id"],
    "action_parties": ["action_id", "group", "code"],
    "action_initiators": ["action_id", "position"],
    "footnotes": ["footnote_number"],
    "timeline_cells": ["action_id", "year", "period"],
    "provenance": ["table", "row_ref", "field"],
}
# Tables whose action_id must name an action of the same annex.
REFERS_TO_ACTIONS = ("action_parties", "action_initiators", "timeline_cells", "links")


@dataclass(frozen=True)
class TableSpec:
    """What a resource says about one CSV beyond its Arrow schema."""
    name: str
    path: str
    schema: pa.Schema
    describe: Callable[[str], dict[str, str]] = lambda column: {}  # description, title
    primary_key: list[str] = field(default_factory=list)
    foreign_keys: list[dict] = field(default_factory=list)
    enums: dict[str, list[str]] = field(default_factory=dict)
    title: str = ""


def field_descriptor(arrow: pa.Field, meta: dict[str, str], enum: list[str] | None) -> dict:
    kind = arrow.type
    descriptor: dict = {"name": arrow.name}
    if pa.types.is_list(kind):
        descriptor["type"] = "array"
        item = "integer" if pa.types.is_integer(kind.value_type) else "string"
        # v2's arrayItem: frictionless-py checks every item; v1 readers ignore it.
        descriptor["arrayItem"] = {"type": item}
    elif pa.types.is_integer(kind):
        descriptor["type"] = "integer"
    elif pa.types.is_floating(kind):
        descriptor["type"] = "number"
    elif pa.types.is_boolean(kind):
        descriptor.update(type="boolean", trueValues=["true"], falseValues=["false"])
    elif pa.types.is_date(kind):
        descriptor["type"] = "date"
    else:
        descriptor["type"] = "string"
    if meta.get("title"):
        descriptor["title"] = meta["title"]
    if meta.get("description"):
        descriptor["description"] = meta["description"]
    constraints: dict = {}
    if not arrow.nullable:
        constraints["required"] = True  # an empty list is `[]`, so lists can be required
    if enum:
        if pa.types.is_list(kind):
            descriptor["arrayItem"]["constraints"] = {"enum": enum}
        else:
            constraints["enum"] = enum
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def resource(spec: TableSpec) -> dict:
    schema: dict = {
        "fields": [field_descriptor(f, spec.describe(f.name), spec.enums.get(f.name))
                   for f in spec.schema],
        "missingValues": [""],
    }
    if spec.primary_key:
        schema["primaryKey"] = spec.primary_key
    if spec.foreign_keys:
        schema["foreignKeys"] = spec.foreign_keys
    described = {
        "name": spec.name,
        "profile": RESOURCE_PROFILE,
        "path": spec.path,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        # Cells with line breaks are quoted (RFC 4180): Spark needs multiLine=true.
        "dialect": {"delimiter": ",", "quoteChar": "\"", "doubleQuote": True, "header": True},
        "schema": schema,
    }
    if spec.title:
        described["title"] = spec.title
    return described


def licences() -> list[dict[str, str]]:
    """The data's licence: the one documented place is vocab/licences.csv."""
    return [{"name": r["name"], "path": r["path"], "title": r["title"]}
            for r in _vocab_rows("licences.csv") if r["applies_to"] == "data"]


def contributors() -> list[dict[str, str]]:
    return [{k: v for k, v in r.items() if v} for r in _vocab_rows("contributors.csv")]


def _vocab_rows(name: str) -> list[dict[str, str]]:
    with open(vocab.HERE / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def package(name: str, title: str, description: str, version: str, created: str,
            sources: Iterable[dict], resources: Iterable[dict]) -> dict:
    """A whole descriptor. `created` is a date from the data (the version date), not
    the time of the run: the same input gives the same bytes."""
    return {
        "profile": PACKAGE_PROFILE,
        "name": name,
        "title": title,
        "description": description,
        "version": version,
        "created": created,
        "licenses": licences(),
        "contributors": contributors(),
        "sources": list(sources),
        "resources": list(resources),
    }


def _enums() -> dict[tuple[str, str], list[str]]:
    colour_classes = [c.colour_class for c in vocab.colour_classes()] + ["onbekend"]
    return {
        ("action_parties", "code"): sorted(c.code for c in vocab.party_codes()),
        ("action_parties", "group"): [g.group for g in vocab.party_groups()],
        ("links", "method"): list(LINK_METHODS),
        ("timeline_cells", "colour_class"): colour_classes,
    }


def _described(table: str) -> Callable[[str], dict[str, str]]:
    def describe(column: str) -> dict[str, str]:
        meta = field_metadata(table, column)
        return {"title": meta.get("source_header_nl", ""),
                "description": meta.get("description", "")}
    return describe


def version_specs() -> list[TableSpec]:
    """The tables of one annex version, as published in its folder."""
    enums = _enums()
    to_actions = [{"fields": ["action_id"],
                   "reference": {"resource": "actions", "fields": ["action_id"]}}]
    return [
        TableSpec(name=table, path=f"{table}.csv", schema=SCHEMAS[table],
                  describe=_described(table), primary_key=PRIMARY_KEYS.get(table, []),
                  foreign_keys=to_actions if table in REFERS_TO_ACTIONS else [],
                  enums={col: values for (t, col), values in enums.items() if t == table})
        for table in SCHEMAS
    ]


def version_of(manifest: dict) -> str:
    """The annex version the package describes: its date, with `-r2`... for a later
    revision (the pipeline's version is in manifest.json); the annex id where no date
    is known."""
    version = manifest.get("version_date") or manifest["annex_id"]
    revision = manifest.get("revision") or 1
    return f"{version}-r{revision}" if revision > 1 else version


def sources_of(manifest: dict) -> list[dict]:
    """Every file of the version with its sha256 and role; the published one first."""
    listed = manifest.get("sources") or [{"file": manifest["source_file"],
                                          "sha256": manifest["sha256"],
                                          "source_format": manifest["source_format"],
                                          "role": "published"}]
    listed = sorted(listed, key=lambda s: s["file"] != manifest["source_file"])
    return [{"title": (manifest.get("title") or s["file"]) if s["file"] == manifest[
                 "source_file"] else s["file"],
             "path": s["file"], "sha256": s["sha256"], "format": s["source_format"],
             "role": s["role"]} for s in listed]


def datapackage(manifest: dict) -> dict:
    version = version_of(manifest)
    created = (f"{manifest['version_date']}T00:00:00Z" if manifest.get("version_date")
               else None)
    descriptor = package(
        name=manifest["annex_id"],
        title=manifest.get("title") or manifest["annex_id"],
        description=(
            "Actions of the Techniekpact annex (Bijlage 2) as tables, read from "
            f"{manifest['source_file']} ({manifest['source_format']}). "
            "See README.md for every column."),
        version=version,
        created=created or "",
        sources=sources_of(manifest),
        resources=[resource(spec) for spec in version_specs()],
    )
    if not created:
        del descriptor["created"]  # no date in the document: nothing true to say
    return descriptor


def write_datapackage(folder: Path, manifest: dict) -> Path:
    path = folder / "datapackage.json"
    path.unlink(missing_ok=True)  # may be a hard link shared with the published snapshot
    path.write_text(json.dumps(datapackage(manifest), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


# -- history/ and changes/: the tables over all versions --------------------------------


def _arrow_described(arrow: pa.Field) -> dict[str, str]:
    description = (arrow.metadata or {}).get(b"description")
    return {"description": description.decode("utf-8")} if description else {}


def _arrow_spec(name: str, path: str, schema: pa.Schema, **keys) -> TableSpec:
    """A table described by its own Arrow metadata (versions, changes)."""
    described = {f.name: _arrow_described(f) for f in schema}
    return TableSpec(name=name, path=path, schema=schema,
                     describe=lambda column: described.get(column, {}), **keys)


def _history_resource(spec: TableSpec) -> dict:
    """A table of every version: its per-version description, keyed by annex_id too."""
    keys = [{"fields": ["annex_id"], "reference": {"resource": "versions",
                                                    "fields": ["annex_id"]}}]
    if spec.name in REFERS_TO_ACTIONS:
        keys.append({"fields": ["annex_id", "action_id"],
                     "reference": {"resource": "actions", "fields": ["annex_id", "action_id"]}})
    primary = ["annex_id", *spec.primary_key] if spec.primary_key else []
    return resource(TableSpec(name=spec.name, path=spec.path, schema=spec.schema,
                              describe=spec.describe, primary_key=primary,
                              foreign_keys=keys, enums=spec.enums))


def _shared_package(name: str, title: str, description: str, resources: list[dict]) -> dict:
    """history/ and changes/: every version at once, so no single version or date."""
    return {"profile": PACKAGE_PROFILE, "name": name, "title": title,
            "description": description, "licenses": licences(),
            "contributors": contributors(), "resources": resources}


def history_datapackage(versions_schema: pa.Schema, version_ids: list[str]) -> dict:
    """Each table of every version as one multipart resource: its CSV parts
    (csv/<table>/<annex_id>.csv, each with its header) in document order."""
    versions = resource(_arrow_spec("versions", "versions.csv", versions_schema,
                                    primary_key=["annex_id"]))
    tables = []
    for spec in version_specs():
        table = _history_resource(spec)
        table["path"] = [f"csv/{spec.name}/{annex_id}.csv" for annex_id in version_ids]
        tables.append(table)
    return _shared_package(
        "techniekpact-history", "Techniekpact annex: every published version",
        ("The tables of every annex version and revision, one file per version "
         "(csv/<table>/<annex_id>.csv), read one after the other, oldest first, "
         "with annex_id naming the version; versions.csv lists the versions. The same "
         "rows are in the hive-partitioned Parquet folders beside this file. See "
         "README.md."),
        [versions] + tables)


def changes_datapackage(changes_schema: pa.Schema, pairs: list[str]) -> dict:
    """One resource per pair of consecutive versions (changes/<old>__<new>/changes.csv)."""
    enums = {"change": ["added", "removed", "renumbered", "changed"]}
    # Every pair has the same table: described once (a store of hundreds of versions).
    described = resource(_arrow_spec("changes", "changes.csv", changes_schema, enums=enums))
    return _shared_package(
        "techniekpact-changes", "Techniekpact annex: changes between consecutive versions",
        ("One change table per pair of consecutive versions, in document "
         "order; every row is one changed field of one action. See README.md."),
        [{**described, "name": _resource_name(pair), "path": f"{pair}/changes.csv"}
         for pair in pairs])


def _resource_name(pair: str) -> str:
    # Frictionless names: lower-case letters, digits and - _ . only
    return pair.replace("__", ".")


def write_json_descriptor(document: dict, path: Path) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
