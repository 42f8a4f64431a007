"""Facsimile PDFs of the Techniekpact annex (Bijlage 2), for testing a PDF reader.

The real annex exists in this project only as a tab-separated text export
(samples/techniekpact-2013-bijlage2.txt). The published original is a PDF whose
matrix has a yellow/green timeline that the export lost. This package rebuilds
the WHOLE annex as PDFs from the text export plus an ILLUSTRATIVE timeline truth
file (samples/facsimiles/timeline-truth.csv), with several producers and looks,
and writes a truth JSON beside every PDF.

Run it with `python -m facsimile` (or `make samples`). The facsimiles are test
material only: their timeline shading is invented, not the official timeline.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "samples" / "techniekpact-2013-bijlage2.txt"
OUT_DIR = ROOT / "samples" / "facsimiles"
TRUTH_CSV = OUT_DIR / "timeline-truth.csv"

NOTICE_NL = (
    "FACSIMILE, gemaakt uit de tekstexport van Bijlage 2 (samples/techniekpact-2013-bijlage2.txt). "
    "De kleuring van de tijdlijn is ILLUSTRATIEF en niet de officiële tijdlijn."
)
NOTICE_EN = (
    "FACSIMILE built from the text export of Annex 2 (samples/techniekpact-2013-bijlage2.txt). "
    "The timeline shading is ILLUSTRATIVE, not the official timeline."
)
META_TITLE = (
    "FACSIMILE - Bijlage 2 Techniekpact 2013 (uit tekstexport / from text export; "
    "tijdlijn illustratief / timeline illustrative)"
)
META_SUBJECT = NOTICE_NL + " / " + NOTICE_EN
