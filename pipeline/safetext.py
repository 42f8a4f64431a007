"""File names are data: whatever bytes a name holds, it reaches a terminal, a log
line or a JSON file as one line of valid UTF-8.

A POSIX file name is any bytes but NUL and '/'. Python hands undecodable bytes
over as lone surrogates (surrogateescape), which cannot be printed or written
as UTF-8; a newline in a name would split the one error line in two, and an
escape sequence would drive the terminal. Both are shown as backslash escapes,
the way `ls -b` does, so the name stays recognisable and the line stays one.
"""

from __future__ import annotations

import os
import re

# C0, DEL, C1 and the Unicode line and paragraph separators.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def safe_text(text: str) -> str:
    """`text` with undecodable bytes as \\xNN and control characters escaped."""
    if isinstance(text, bytes):
        text = os.fsdecode(text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: the bytes of a non-UTF-8 name
        text = os.fsencode(text).decode("utf-8", "backslashreplace")
    return _UNSAFE.sub(_escape, text)


def _escape(found: re.Match) -> str:
    char = found.group()
    return {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}")


def safe_name(path: os.PathLike | str) -> str:
    """A file's name (last part) as it may appear in tables, manifests and messages."""
    return safe_text(os.path.basename(os.fspath(path)))
