"""Extract stage: read an annex file into the intermediate representation (`ir.RawAnnex`)."""

from __future__ import annotations

from pathlib import Path

from extract.limits import DEFAULT_LIMITS, Limits, check_size
from ir import RawAnnex, StageError

# PDF readers accept the %PDF header anywhere in the first kilobyte (junk before it,
# such as a mail or HTTP header, is common); so does this sniffing.
PDF_HEADER = b"%PDF-"
HEADER_WINDOW = 1024
NUL = b"\x00"


def read_annex(path: Path, limits: Limits = DEFAULT_LIMITS, name: str | None = None) -> RawAnnex:
    """Read one annex file, choosing the reader by the file's content, not its name.
    `name` is how the file is named in the tables and messages (default: its name)."""
    name = name or path.name
    check_size(path, limits, name)
    with open(path, "rb") as handle:
        head = handle.read(HEADER_WINDOW)
    if PDF_HEADER in head:
        from extract.pdf_annex import read_pdf

        return read_pdf(path, limits.max_pages, name)
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")) and head.count(
        b"\x00"
    ) < len(head) // 3:
        raise StageError(name, "extract", "binary file, not a text export",
                         f"byte {head.index(NUL)}")
    from extract.text_export import read_text_export

    return read_text_export(path, name)
