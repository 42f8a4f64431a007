"""Which files a batch processes: files as given, folders by their annex files."""

from __future__ import annotations

from pathlib import Path

ANNEX_SUFFIXES = (".txt", ".tsv", ".pdf")


def expand_inputs(arguments: list[str]) -> tuple[list[Path], list[str]]:
    """(files in a stable order, one error line per argument that is not usable).

    A folder contributes the annex files directly inside it, sorted by name;
    sub-folders are separate inputs so that, say, facsimiles stay apart.
    """
    files: list[Path] = []
    errors: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            found = sorted(p for p in path.iterdir()
                           if p.is_file() and p.suffix.lower() in ANNEX_SUFFIXES
                           and not p.name.startswith("."))
            if not found:
                errors.append(f"{argument}: input: no annex files ({', '.join(ANNEX_SUFFIXES)})"
                              " in this folder")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            errors.append(f"{argument}: input: no such file or folder")
    return files, errors
