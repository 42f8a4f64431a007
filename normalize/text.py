"""Text blocks from the IR to the plain text that is published.

Paragraphs become lines; list items become lines that start with their marker
('• ', '1. '). Footnote markers (superscript digits) stay where they were
printed, attached to the word before them however the source spaced them.
"""

from __future__ import annotations

import re

from ir import SUPERSCRIPT_DIGITS, TextBlock

_SPACES = re.compile(r"\s+")
_SPACE_BEFORE_MARKER = re.compile(rf"\s+(?=[{SUPERSCRIPT_DIGITS}])")


def block_text(blocks: tuple[TextBlock, ...] | list[TextBlock]) -> str:
    """Plain text, one paragraph or list item per line."""
    return _SPACE_BEFORE_MARKER.sub("", "\n".join(block.line() for block in blocks))


def one_line(text: str) -> str:
    """One line of plain text, for titles and comparing."""
    return _SPACE_BEFORE_MARKER.sub("", _SPACES.sub(" ", text)).strip()
