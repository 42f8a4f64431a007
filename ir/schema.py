"""The output contract: one explicit Arrow schema per published table.

normalize builds DataFrames with exactly these columns; write casts them to
these schemas, so a column can never silently change type between runs.
"""

from __future__ import annotations

import pyarrow as pa

STR = pa.string()
INT = pa.int32()
FLOAT = pa.float64()
BOOL = pa.bool_()
STR_LIST = pa.list_(pa.string())
INT_LIST = pa.list_(pa.int32())


def _schema(*fields: tuple[str, pa.DataType, bool]) -> pa.Schema:
    return pa.schema([pa.field(name, kind, nullable=nullable) for name, kind, nullable in fields])


ACTIONS = _schema(
    ("annex_id", STR, False),
    ("action_id", STR, False),
    ("action_number", INT, False),
    ("action_letter", STR, True),
    ("ambition_number", INT, True),
    ("ambition_title", STR, True),
    ("title", STR, False),
    ("detail_ref", STR, True),
    ("detail_title", STR, True),
    ("description", STR, True),
    ("employers", STR_LIST, False),
    ("employees", STR_LIST, False),
    ("education", STR_LIST, False),
    ("regions", STR_LIST, False),
    ("ministries", STR_LIST, False),
    ("initiators", STR_LIST, False),
    ("status_text", STR, True),
    ("footnotes", INT_LIST, False),
    ("years_active", INT_LIST, True),
    ("milestone_years", INT_LIST, True),
    ("link_method", STR, False),
    ("link_score", FLOAT, True),
    ("source_file", STR, False),
    ("matrix_location", STR, False),
    ("detail_location", STR, True),
)

ACTION_PARTIES = _schema(
    ("annex_id", STR, False),
    ("action_id", STR, False),
    ("group", STR, False),
    ("code", STR, False),
    ("code_printed", STR, False),
    ("name_nl", STR, True),
    ("known", BOOL, False),
)

ACTION_INITIATORS = _schema(
    ("annex_id", STR, False),
    ("action_id", STR, False),
    ("position", INT, False),
    ("initiator", STR, False),
    ("initiator_printed", STR, False),
    ("known", BOOL, False),
)

FOOTNOTES = _schema(
    ("annex_id", STR, False),
    ("footnote_number", INT, False),
    ("marker_printed", STR, False),
    ("text", STR, False),
    ("referenced_by", STR_LIST, False),
    ("location", STR, False),
)

LINKS = _schema(
    ("annex_id", STR, False),
    ("action_id", STR, True),
    ("detail_ref", STR, True),
    ("detail_item", STR, True),
    ("method", STR, False),
    ("score", FLOAT, True),
    ("confident", BOOL, False),
    ("key_match", STR, True),
    ("displacement", INT, True),
    ("margin", FLOAT, True),
    ("reason", STR, True),
    ("matrix_title", STR, True),
    ("detail_text", STR, True),
    ("matrix_location", STR, True),
    ("detail_location", STR, True),
)

CORRECTIONS = _schema(
    ("annex_id", STR, False),
    ("table", STR, False),
    ("row_ref", STR, False),
    ("field", STR, False),
    ("original", STR, False),
    ("corrected", STR, False),
    ("method", STR, False),
    ("score", FLOAT, True),
    ("location", STR, False),
)

TIMELINE_CELLS = _schema(
    ("annex_id", STR, False),
    ("action_id", STR, False),
    ("year", INT, False),
    ("period", INT, False),
    ("colour_class", STR, False),
    ("colour", STR, False),
    ("page", INT, True),
    ("x0", FLOAT, True),
    ("top", FLOAT, True),
    ("x1", FLOAT, True),
    ("bottom", FLOAT, True),
)

PROVENANCE = _schema(
    ("annex_id", STR, False),
    ("table", STR, False),
    ("row_ref", STR, False),
    ("field", STR, False),
    ("source_file", STR, False),
    ("line", INT, True),
    ("line_end", INT, True),
    ("page", INT, True),
    ("x0", FLOAT, True),
    ("top", FLOAT, True),
    ("x1", FLOAT, True),
    ("bottom", FLOAT, True),
)

SCHEMAS: dict[str, pa.Schema] = {
    "actions": ACTIONS,
    "action_parties": ACTION_PARTIES,
    "action_initiators": ACTION_INITIATORS,
    "footnotes": FOOTNOTES,
    "links": LINKS,
    "corrections": CORRECTIONS,
    "timeline_cells": TIMELINE_CELLS,
    "provenance": PROVENANCE,
}

# Link methods, from most to least direct. "unlinked" (a matrix action without a
# confident detail row) and "unused" (a detail row no action uses) are failures.
LINK_METHODS = ("key+title", "key", "combined", "embedded", "title_only", "unlinked", "unused")
