"""Bytes to text for text exports: whatever encoding and line ends they arrive in."""

from __future__ import annotations

import codecs
import re

from ir import StageError

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


# Control characters have no place in an annex's text: a NUL or an escape in a cell
# is damage (or an attack on whoever opens the CSV), never content. Tab separates
# cells and line ends were normalized above; everything else in C0, DEL and C1 is
# refused (rather than dropped) so that a damaged export is looked at, not published.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def refuse_control_characters(lines: list[str], file: str) -> None:
    for number, line in enumerate(lines, 1):
        found = CONTROL.search(line)
        if found:
            char = found.group()
            raise StageError(file, "extract", f"control character U+{ord(char):04X} "
                             f"({_NAMES.get(char, 'control')}) in the text",
                             f"line {number}, column {found.start() + 1}")


_NAMES = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x0c": "form feed",
          "\x0b": "vertical tab", "\x08": "backspace"}
