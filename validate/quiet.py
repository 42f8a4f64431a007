"""Keep GX quiet: no log lines or warnings on the console while it runs.

GX-free, so the lazy import of GX itself can happen inside it.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def quiet() -> Iterator[None]:
    """Swallow GX log records and all warnings for the duration, then restore.

    GX logs through the "great_expectations" logger tree; with no handler
    configured, Python's last-resort handler would print its warnings to stderr.
    A NullHandler with propagation off swallows them. Progress bars are a
    separate matter: they are switched off in the context config (run.py).
    """
    gx_logger = logging.getLogger("great_expectations")
    saved_handlers, saved_propagate = gx_logger.handlers[:], gx_logger.propagate
    gx_logger.handlers = [logging.NullHandler()]
    gx_logger.propagate = False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        gx_logger.handlers = saved_handlers
        gx_logger.propagate = saved_propagate
