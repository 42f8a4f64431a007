"""Hostile PDFs, written byte by byte: bombs, loops, nesting, page-count extremes.

Each builder returns the bytes of a small file that is a valid PDF as far as a
reader can tell from its structure, with one hostile property. They are built
here, by the suite, rather than downloaded; bench/fuzz.py reuses them.
"""

from __future__ import annotations

import zlib

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
ZEROS_CHUNK = 16 << 20


def pdf(objects: list[bytes], root: int = 1, xref: bool = True) -> bytes:
    """A PDF of `objects` (object i+1 is objects[i]) with a correct xref table
    (or none: readers then rebuild it by scanning, which is a path of its own)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\n" % (len(objects) + 1, root)
    out += b"startxref\n%d\n%%%%EOF\n" % (start if xref else 0)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", filters: int = 0) -> bytes:
    """A stream object's body; `filters` > 0 means that many FlateDecode layers
    already applied to `data`."""
    names = b" ".join([b"/FlateDecode"] * filters)
    flt = b" /Filter [" + names + b"]" if filters else b""
    return (b"<< /Length %d%s %s >>\nstream\n" % (len(data), flt, extra) + data
            + b"\nendstream")


def one_page(content: bytes, filters: int = 0) -> bytes:
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        stream(content, filters=filters),
        FONT,
    ])


def zeros_flate(size: int) -> bytes:
    """`size` zero bytes, deflated, without holding them in memory."""
    packer = zlib.compressobj(9)
    parts, left = [], size
    chunk = bytes(ZEROS_CHUNK)
    while left > 0:
        parts.append(packer.compress(chunk[:min(left, ZEROS_CHUNK)]))
        left -= ZEROS_CHUNK
    parts.append(packer.flush())
    return b"".join(parts)


def compression_bomb(size: int) -> bytes:
    """A page whose content stream inflates to `size` bytes (two Flate layers)."""
    return one_page(zlib.compress(zeros_flate(size), 9), filters=2)


def object_stream_bomb(size: int) -> bytes:
    """An object stream that inflates to `size` bytes, found by a reader that has
    to rebuild the cross-reference table (there is none)."""
    body = zlib.compress(zeros_flate(size), 9)
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        stream(body, b"/Type /ObjStm /N 1 /First 8", filters=2),
    ], xref=False)


def text_operator_bomb(operators: int) -> bytes:
    """One page drawing `operators` strings: tiny compressed, huge once laid out."""
    content = b"BT /F1 1 Tf 10 10 Td " + b"(WWWWWWWW) Tj " * operators + b"ET"
    return one_page(zlib.compress(content, 9), filters=1)


def deep_nesting(depth: int) -> bytes:
    """A page whose resources hold an array nested `depth` deep."""
    nested = b"[" * depth + b"]" * depth
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Deep " + nested + b" >> >>",
        stream(b"BT ET"),
    ])


def reference_loop() -> bytes:
    """A page tree whose node is its own child, and objects that name each other."""
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox 4 0 R /Contents 5 0 R >>",
        b"5 0 R",
        b"4 0 R",
    ])


def zero_pages() -> bytes:
    return pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"])


def many_pages(count: int) -> bytes:
    """`count` distinct pages (a reader counts a page object listed twice once)
    sharing one tiny content stream: a huge count in a small file."""
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R "
            b"/Resources << /Font << /F1 4 0 R >> >> >>")
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(count))
    return pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, count),
        stream(b"BT /F1 12 Tf 72 800 Td (Pagina) Tj ET"),
        FONT,
        *([page] * count),
    ])
