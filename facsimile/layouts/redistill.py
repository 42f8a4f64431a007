"""Re-distillers: what happens to a real annex PDF after its producer wrote it.

Real annex PDFs are often printed to PDF again, "optimised" or converted for an archive.
Each such program rewrites every content stream: text re-encoded (re-subset fonts,
Type3 fonts from mupdf's convert), fills as other path shapes, colours converted, rects
split or joined, objects in object streams. The page prints the same, so the truth does
not change. `redistill(choice, pdf)` rewrites `pdf` in place with one of them.

Every tool runs with SOURCE_DATE_EPOCH and the options that keep the file ID fixed
(qpdf); what a tool still stamps from the clock or its temporary path (cairo's
CreationDate, Ghostscript's /ID) is overwritten in place with bytes of the same length
(`steady`), so a rebuild gives the same bytes for the same tool versions.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

GS = ["gs", "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=pdfwrite"]

# choice value -> the command line ({src} and {dst} filled in)
COMMANDS: dict[str, list[str]] = {
    # Ghostscript's pdfwrite: re-subsets fonts, rewrites paths, its own Producer
    "gs": [*GS, "-o", "{dst}", "{src}"],
    # the "print shop" setting and every colour converted to CMYK (the legend too)
    "gs_prepress_cmyk": [*GS, "-dPDFSETTINGS=/prepress", "-sColorConversionStrategy=CMYK",
                         "-sProcessColorModel=DeviceCMYK", "-o", "{dst}", "{src}"],
    # poppler through cairo: text re-encoded as cairo subsets, rects as paths
    "pdftocairo": ["pdftocairo", "-pdf", "{src}", "{dst}"],
    # mupdf's cleaner: garbage collected, content streams sanitized (re-written)
    "mutool_clean": ["mutool", "clean", "-gggg", "-s", "-z", "{src}", "{dst}"],
    # mupdf's converter: every page drawn again through its PDF device
    "mutool_convert": ["mutool", "convert", "-F", "pdf", "-o", "{dst}", "{src}"],
    # qpdf: the same page content, objects packed into object streams
    "qpdf": ["qpdf", "--object-streams=generate", "--deterministic-id", "{src}", "{dst}"],
}
# the program each choice needs (the Debian package in the Makefile's producers target)
PROGRAMS = {"gs": "gs", "gs_prepress_cmyk": "gs", "pdftocairo": "pdftocairo",
            "mutool_clean": "mutool", "mutool_convert": "mutool", "qpdf": "qpdf"}


@dataclass(frozen=True)
class RedistillSettings:
    # a fixed date for the tools that stamp one (2000-01-01, as post.py's fixed_date)
    source_date_epoch: str = "946684800"
    timeout_s: float = 300.0  # one file; Ghostscript on a 20-page layout takes seconds


SETTINGS = RedistillSettings()


def available(choice: str) -> bool:
    return choice == "none" or shutil.which(PROGRAMS[choice]) is not None


def _run(choice: str, src: Path, dst: Path, env: dict, settings: RedistillSettings) -> None:
    """Run `choice`'s command from `src` to `dst`, raising if it wrote nothing."""
    command = [part.format(src=src, dst=dst) for part in COMMANDS[choice]]
    done = subprocess.run(command, env=env, capture_output=True, text=True,
                          timeout=settings.timeout_s, check=False)
    # qpdf exits 3 for warnings with a written file; anything else is a failure
    if done.returncode not in (0, 3) or not dst.exists():
        raise RuntimeError(f"{' '.join(command)}: exit {done.returncode}: "
                           f"{done.stderr.strip()[:300]}")


def redistill(choice: str, pdf: Path, settings: RedistillSettings = SETTINGS) -> dict:
    """Rewrite `pdf` in place through `choice`; what ran (for the truth's producer)."""
    if choice == "none":
        return {"name": "none"}
    program = PROGRAMS[choice]
    if shutil.which(program) is None:
        raise RuntimeError(f"redistill={choice} needs {program!r} (make producers)")
    env = {**os.environ, "SOURCE_DATE_EPOCH": settings.source_date_epoch, "TZ": "UTC"}
    with tempfile.TemporaryDirectory() as tmp:
        dst = Path(tmp) / "out.pdf"
        _run(choice, pdf, dst, env, settings)
        broken = broken_colour_spaces(dst)
        if broken:
            # mupdf's clean, renumbering objects (-gg and up) while it sanitizes, can
            # leave a page's direct [/ICCBased n 0 R] pointing at the ICC stream's old
            # number, now a font's object: pdfminer then refuses the whole file. The
            # same colour space as an indirect object is renumbered right, so the tool
            # runs again on such a copy; the page prints the same.
            source = Path(tmp) / "indirect.pdf"
            indirect_icc(pdf, source)
            dst.unlink()
            _run(choice, source, dst, env, settings)
            broken = broken_colour_spaces(dst)
            if broken:
                raise RuntimeError(f"redistill={choice} wrote colour spaces that are not "
                                   f"what they name: {'; '.join(broken[:3])}")
        info = _metadata(pdf)
        pdf.write_bytes(steady(dst.read_bytes(), settings))
    _restore_metadata(pdf, info)
    return {"name": choice, "command": [c for c in COMMANDS[choice]
                                        if c not in ("{src}", "{dst}")]}


def _colour_spaces(resources, seen: set):
    """(name, colour space) of a resources dictionary and of its form XObjects'."""
    resources = resources.get_object() if resources is not None else None
    if not resources or id(resources) in seen:
        return
    seen.add(id(resources))
    spaces = resources.get("/ColorSpace")
    yield from (spaces.get_object().items() if spaces is not None else ())
    forms = resources.get("/XObject")
    for form in (forms.get_object().values() if forms is not None else ()):
        form = form.get_object()
        if form.get("/Subtype") == "/Form":
            yield from _colour_spaces(form.get("/Resources"), seen)


def broken_colour_spaces(pdf: Path) -> list[str]:
    """Where an /ICCBased colour space does not point to an ICC profile stream (one with
    its number of components /N): 'page 3 /CSicc -> 14 0 R (/FontDescriptor)'."""
    from pypdf import PdfReader
    from pypdf.generic import ArrayObject, IndirectObject, StreamObject

    out = []
    seen: set = set()
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        for name, value in _colour_spaces(page.get("/Resources"), seen):
            space = value.get_object()
            if not isinstance(space, ArrayObject) or not space or space[0] != "/ICCBased":
                continue
            target = space[1] if len(space) > 1 else None
            profile = target.get_object() if isinstance(target, IndirectObject) else target
            if isinstance(profile, StreamObject) and "/N" in profile:
                continue
            kind = profile.get("/Type") if hasattr(profile, "get") else type(profile).__name__
            out.append(f"page {number} {name} -> {target!r} ({kind})")
    return out


def indirect_icc(source: Path, target: Path) -> None:
    """`source` written to `target` with every direct [/ICCBased ...] colour space of
    the pages' resources made an indirect object (the drawing unchanged)."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, NameObject

    writer = PdfWriter(clone_from=source)
    for page in writer.pages:
        resources = page.get("/Resources")
        spaces = resources.get_object().get("/ColorSpace") if resources is not None else None
        if spaces is None:
            continue
        spaces = spaces.get_object()
        for name, value in list(spaces.items()):
            if isinstance(value, ArrayObject) and value and value[0] == "/ICCBased":
                spaces[NameObject(name)] = writer._add_object(value)
    with open(target, "wb") as handle:
        writer.write(handle)


def page_rotations(pdf: Path) -> list[int]:
    """The /Rotate values the pages have (each once, sorted)."""
    from pypdf import PdfReader

    return sorted({int(page.get("/Rotate", 0) or 0) % 360 for page in PdfReader(pdf).pages})


KEPT = ("/Title", "/Subject", "/Keywords", "/CreationDate", "/ModDate")


def _metadata(pdf: Path) -> dict[str, str]:
    from pypdf import PdfReader

    info = PdfReader(pdf).metadata or {}
    return {k: str(info[k]) for k in KEPT if k in info}


def _restore_metadata(pdf: Path, info: dict[str, str]) -> None:
    """Put back the FACSIMILE title and subject where a tool dropped them (cairo and
    mupdf's convert write their own Info): an incremental update, which leaves the
    tool's objects and content streams as they are."""
    from pypdf import PdfWriter

    if not info or _metadata(pdf).get("/Title") == info.get("/Title"):
        return
    writer = PdfWriter(pdf, incremental=True)
    writer.add_metadata(info)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out.pdf"
        writer.write(out)
        shutil.copyfile(out, pdf)


_DATE = re.compile(rb"(/(?:CreationDate|ModDate) ?\(D:)(\d{14})")
_ID = re.compile(rb"(/ID ?\[ ?<)([0-9A-Fa-f]+)(> ?<)([0-9A-Fa-f]+)(>)")


def steady(data: bytes, settings: RedistillSettings = SETTINGS) -> bytes:
    """`data` with clock dates and the file ID replaced by fixed bytes of the same length
    (so every xref offset stays right): the dates by the fixed date, the ID by a digest
    of the file with its ID blanked."""
    import datetime

    fixed = datetime.datetime.fromtimestamp(int(settings.source_date_epoch),
                                            datetime.UTC).strftime("%Y%m%d%H%M%S").encode()
    data = _DATE.sub(lambda m: m.group(1) + fixed, data)
    blank = _ID.sub(lambda m: m.group(1) + b"0" * len(m.group(2)) + m.group(3)
                    + b"0" * len(m.group(4)) + m.group(5), data)
    digest = hashlib.sha256(blank).hexdigest().upper().encode()
    return _ID.sub(lambda m: m.group(1) + digest[:len(m.group(2))] + m.group(3)
                   + digest[:len(m.group(4))] + m.group(5), data)
