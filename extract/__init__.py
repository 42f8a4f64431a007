"""Extract stage: read an annex file into the intermediate representation (`ir.RawAnnex`)."""

from __future__ import annotations

from pathlib import Path

from extract.limits import DEFAULT_LIMITS, Limits, check_size
from ir import RawAnnex, StageError


def read_annex(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawAnnex:
    """Read one annex file, choosing the reader by the file's content, not its name."""
    check_size(path, limits)
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if head.lstrip().startswith(b"%PDF"):
        from extract.pdf_annex import read_pdf

        return read_pdf(path, limits.max_pages)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) and head.count(
        b"\x00"
    ) < len(head) // 3:
        raise StageError(path.name, "extract", "binary file, not a text export", "byte 0")
    from extract.text_export import read_text_export

    return read_text_export(path)
