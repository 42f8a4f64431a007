"""What a worker process does with one document: extract, normalize (and the debug
images). Imported by the forkserver before any fork, so it holds the heavy imports."""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

from extract import read_annex
from extract.limits import Limits
from ir import StageError
from normalize import normalize_annex
from pipeline.worker import ReadResult


def quiet() -> None:
    """The worker's only voice is its answer: library warnings (pdfminer logs
    several for damaged files) must not add lines to the run's stderr."""
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)  # C libraries write to fd 2 directly
    os.close(devnull)


def read_document(path: Path, name: str, limits: Limits, debug_dir: Path | None) -> ReadResult:
    stage = "extract"
    try:
        raw = read_annex(path, limits, name)
        if debug_dir is not None and raw.source_format == "pdf":
            from extract.debug_images import write_debug_images

            write_debug_images(path, raw, debug_dir / Path(name).stem)
        stage = "normalize"
        tables = normalize_annex(raw)
    except StageError as error:
        return ReadResult(stage=error.stage, reason=error.reason, where=error.where)
    except MemoryError:
        return ReadResult(stage=stage, reason=f"needed more memory than the limit of "
                          f"{limits.max_memory_mb:g} MB", where="whole file",
                          details={"limit": "memory"})
    except RecursionError:
        return ReadResult(stage=stage, reason="structure nested too deeply to read",
                          where="whole file")
    except Exception as error:  # a bug must not stop the batch; say where it happened
        return ReadResult(stage=stage, reason=f"internal error {type(error).__name__}: "
                          f"{error}", where="whole file")
    return ReadResult(raw=raw, tables=tables)
