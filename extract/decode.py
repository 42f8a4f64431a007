"""Bytes to text for text exports: whatever encoding and line ends they arrive in."""

from __future__ import annotations

import codecs

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). Line ends are normalized to "\\n".

    A BOM decides; otherwise UTF-8 when it decodes cleanly; UTF-16 without BOM
    is recognised by its NUL bytes; cp1252 is the last resort because every
    byte string decodes in it (Windows exports of Dutch text use it).
    """
    # A file cut short can end in half a character: replaced, not fatal.
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _lines(data.decode(encoding, errors="replace")), encoding
    if _looks_utf16(data):
        encoding = "utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"
        return _lines(data.decode(encoding, errors="replace")), encoding
    try:
        return _lines(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        return _lines(data.decode("cp1252", errors="replace")), "cp1252"


def _looks_utf16(data: bytes) -> bool:
    sample = data[:200]
    return len(sample) >= 4 and sample.count(b"\x00") >= len(sample) // 3


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
