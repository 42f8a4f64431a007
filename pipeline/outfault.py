"""Faults of the output folder (read-only, full, over a file-size limit, not ours to
write) as one line: they are not the input's fault, so they get their own exit
status (5) and a reason an operator can act on, never a traceback."""

from __future__ import annotations

import errno
import os

from pipeline.safetext import safe_text

# The errors that mean "this folder cannot take the output", whatever wrote it.
OUTPUT_ERRNOS = frozenset({
    errno.EROFS, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EACCES, errno.EPERM,
    errno.EMLINK, errno.ENAMETOOLONG, errno.ELOOP, errno.EIO, errno.ENOTDIR,
})
# pyarrow reports a failed write as OSError without errno, with the C library's text.
_MESSAGES = tuple(os.strerror(code) for code in OUTPUT_ERRNOS)


class UnsafeOutput(Exception):
    """Something in --out that this pipeline did not make (a planted link): refused
    before anything is touched."""


def is_output_fault(error: BaseException) -> bool:
    if isinstance(error, UnsafeOutput):
        return True
    if not isinstance(error, OSError):
        return False
    return error.errno in OUTPUT_ERRNOS or any(text in str(error) for text in _MESSAGES)


def describe(error: BaseException) -> str:
    """The reason for the one line: what failed and on which path."""
    if isinstance(error, UnsafeOutput):
        return safe_text(str(error))
    if isinstance(error, OSError) and error.strerror:
        where = f" ({error.filename})" if error.filename else ""
        return safe_text(f"cannot write the output: {error.strerror}{where}")
    return safe_text(f"cannot write the output: {error}".replace("\n", " "))
