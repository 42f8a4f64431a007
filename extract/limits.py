"""Limits that keep one hostile or broken file from hanging or flooding a batch.

The limits are enforced by pipeline.worker (time, memory, output size: the
worker process is killed or refused from outside) and here (file size, pages:
checked before the work starts)."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from pathlib import Path

from ir import StageError


@dataclass(frozen=True)
class Limits:
    # The 2013 annex is 38 KB as text, a few hundred KB as PDF.
    max_file_mb: float = 50.0
    # The annex has 9 pages; 300 leaves room for a much longer one.
    max_pages: int = 300
    # Per document, reading (extract + normalize); the real annex takes ~3 s as PDF.
    max_seconds: float = 120.0
    # Address space of the worker reading one document: the interpreter with the
    # readers imported maps ~400 MB, the 9-page annex PDF peaks at ~120 MB resident,
    # and a 300-page one not much more, because pages are released one at a time.
    max_memory_mb: float = 2048.0
    # The tables a worker hands back (pickled): the real annex's are ~1 MB.
    max_output_mb: float = 64.0


@dataclass(frozen=True)
class LimitBounds:
    """What a limit may be set to on the command line: above these a "limit" is
    no limit at all (or a typo), at or below zero it would switch the limit off."""

    max_file_mb: float = 10_000.0  # 10 GB
    max_pages: int = 100_000
    max_seconds: float = 24 * 3600.0  # a scheduled run is hourly
    max_memory_mb: float = 1_048_576.0  # 1 TB
    max_output_mb: float = 10_000.0
    # Below this the interpreter cannot even start the reader.
    min_memory_mb: float = 256.0


DEFAULT_LIMITS = Limits()
LIMIT_BOUNDS = LimitBounds()


def check_limit(name: str, value: float) -> float:
    """`value` as the limit `name`, or ValueError saying why it is not one."""
    upper = getattr(LIMIT_BOUNDS, name)
    lower = LIMIT_BOUNDS.min_memory_mb if name == "max_memory_mb" else 0
    if not math.isfinite(value) or value <= lower or value > upper:
        low = f"more than {lower:g}" if lower else "more than 0"
        raise ValueError(f"must be a number {low} and at most {upper:g}, not {value:g}")
    return value


def checked(limits: Limits) -> Limits:
    for item in fields(limits):
        check_limit(item.name, getattr(limits, item.name))
    return limits


def check_size(path: Path, limits: Limits, name: str | None = None) -> None:
    size_mb = path.stat().st_size / 1_000_000
    if size_mb > limits.max_file_mb:
        raise StageError(name or path.name, "extract", f"file is {size_mb:.1f} MB, over the "
                         f"limit of {limits.max_file_mb:g} MB", "whole file")
