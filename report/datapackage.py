"""A Frictionless data package (datapackage.json) describing the published CSVs.

Types, required fields, the vocabularies as enums, primary and foreign keys: other
tools (frictionless, R's frictionless, Open Data portals) load the CSVs with the
right types from it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

import vocab
from ir.schema import LINK_METHODS, SCHEMAS
from pipeline.codebook import field_metadata

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


def _enums() -> dict[tuple[str, str], list[str]]:
    colour_classes = [c.colour_class for c in vocab.colour_classes()] + ["onbekend"]
    return {
        ("action_parties", "code"): sorted(c.code for c in vocab.party_codes()),
        ("action_parties", "group"): [g.group for g in vocab.party_groups()],
        ("links", "method"): list(LINK_METHODS),
        ("timeline_cells", "colour_class"): colour_classes,
    }


def _field(table: str, field: pa.Field, enums: dict) -> dict:
    kind = field.type
    descriptor: dict = {"name": field.name}
    if pa.types.is_list(kind):
        item = "integer" if pa.types.is_integer(kind.value_type) else "string"
        descriptor.update(type="list", delimiter=";", itemType=item)
    elif pa.types.is_integer(kind):
        descriptor["type"] = "integer"
    elif pa.types.is_floating(kind):
        descriptor["type"] = "number"
    elif pa.types.is_boolean(kind):
        descriptor.update(type="boolean", trueValues=["true"], falseValues=["false"])
    else:
        descriptor["type"] = "string"
    meta = field_metadata(table, field.name)
    if meta.get("source_header_nl"):
        descriptor["title"] = meta["source_header_nl"]
    if meta.get("description"):
        descriptor["description"] = meta["description"]
    constraints = {}
    if not field.nullable and not pa.types.is_list(kind):
        constraints["required"] = True
    if (table, field.name) in enums:
        constraints["enum"] = enums[(table, field.name)]
    if constraints:
        descriptor["constraints"] = constraints
    return descriptor


def _schema(table: str, enums: dict) -> dict:
    schema: dict = {
        "fields": [_field(table, f, enums) for f in SCHEMAS[table]],
        "missingValues": [""],
    }
    if table in PRIMARY_KEYS:
        schema["primaryKey"] = PRIMARY_KEYS[table]
    if table in REFERS_TO_ACTIONS:
        schema["foreignKeys"] = [{"fields": ["action_id"],
                                  "reference": {"resource": "actions", "fields": ["action_id"]}}]
    return schema


def datapackage(manifest: dict) -> dict:
    enums = _enums()
    return {
        "name": manifest["annex_id"],
        "title": manifest.get("title") or manifest["annex_id"],
        "description": (
            "Actions of the Techniekpact annex (Bijlage 2) as tables, read from "
            f"{manifest['source_file']} ({manifest['source_format']}, sha256 "
            f"{manifest['sha256']}). See README.md for every column."
        ),
        "version": manifest.get("pipeline_version", ""),
        "resources": [
            {
                "name": table,
                "path": f"{table}.csv",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(table, enums),
            }
            for table in SCHEMAS
        ],
    }


def write_datapackage(folder: Path, manifest: dict) -> Path:
    path = folder / "datapackage.json"
    path.write_text(json.dumps(datapackage(manifest), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


# -- history/ and changes/: the tables over all versions --------------------------------


def _arrow_field(field: pa.Field) -> dict:
    """A field described by its own Arrow metadata (versions, changes)."""
    descriptor = _field("", field, {})
    description = (field.metadata or {}).get(b"description")
    if description:
        descriptor["description"] = description.decode("utf-8")
    return descriptor


def _history_schema(table: str, enums: dict) -> dict:
    """A table of every version: its per-version schema, keyed by annex_id as well."""
    schema = _schema(table, enums)
    if table in PRIMARY_KEYS:
        schema["primaryKey"] = ["annex_id", *PRIMARY_KEYS[table]]
    keys = [{"fields": ["annex_id"], "reference": {"resource": "versions",
                                                    "fields": ["annex_id"]}}]
    if table in REFERS_TO_ACTIONS:
        keys.append({"fields": ["annex_id", "action_id"],
                     "reference": {"resource": "actions", "fields": ["annex_id", "action_id"]}})
    schema["foreignKeys"] = keys
    return schema


def _resource(name: str, path: str, schema: dict) -> dict:
    return {"name": name, "path": path, "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "schema": schema}


def history_datapackage(versions_schema: pa.Schema) -> dict:
    enums = _enums()
    versions = {"fields": [_arrow_field(f) for f in versions_schema], "missingValues": [""],
                "primaryKey": ["annex_id"]}
    return {
        "name": "techniekpact-history",
        "title": "Techniekpact annex: every published version",
        "description": ("The tables of every annex version and revision, one after the "
                        "other, oldest first, with annex_id naming the version; "
                        "versions.csv lists the versions. The same rows are in the hive-"
                        "partitioned Parquet folders beside this file. See README.md."),
        "resources": [_resource("versions", "versions.csv", versions)] + [
            _resource(table, f"{table}.csv", _history_schema(table, enums))
            for table in SCHEMAS],
    }


def changes_datapackage(changes_schema: pa.Schema, pairs: list[str]) -> dict:
    """One resource per pair of consecutive versions (changes/<old>__<new>/changes.csv)."""
    schema = {"fields": [_arrow_field(f) for f in changes_schema], "missingValues": [""]}
    for field in schema["fields"]:
        if field["name"] == "change":
            field.setdefault("constraints", {})["enum"] = [
                "added", "removed", "renumbered", "changed"]
    return {
        "name": "techniekpact-changes",
        "title": "Techniekpact annex: changes between consecutive versions",
        "description": ("One change table per pair of consecutive versions, in document "
                        "order; every row is one changed field of one action. See README.md."),
        "resources": [_resource(_resource_name(pair), f"{pair}/changes.csv", schema)
                      for pair in pairs],
    }


def _resource_name(pair: str) -> str:
    # Frictionless names: lower-case letters, digits and - _ . only
    return pair.replace("__", ".")


def write_json_descriptor(document: dict, path: Path) -> None:
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
