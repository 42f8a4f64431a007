"""Status and description text: HTML fragments to plain text that keeps its structure.

Paragraphs become lines; list items become lines that start with "• ". The
footnote markers (superscript digits) stay in the text where they were printed.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from ir import SUPERSCRIPT_DIGITS

_BLOCK_TAGS = {"p", "div", "br", "ul", "ol", "li", "tr", "h1", "h2", "h3", "h4", "table"}
_SPACES = re.compile(r"[ \t\u00a0]+")
_BULLET = re.compile(r"\s*[•▪◦●]\s*")
# Footnote markers belong to the word before them, however the source spaced them.
_SPACE_BEFORE_MARKER = re.compile(rf"\s+(?=[{SUPERSCRIPT_DIGITS}])")


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.ordered: list[int] = []  # item counters of open <ol>s

    def flush(self) -> None:
        text = "".join(self.current)
        self.current = []
        if text.strip():
            self.blocks.append(text)

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in _BLOCK_TAGS:
            return
        self.flush()
        if tag == "ol":
            self.ordered.append(0)
        elif tag == "li":
            if self.ordered:
                self.ordered[-1] += 1
                self.current.append(f"{self.ordered[-1]}. ")
            else:
                self.current.append("• ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.flush()
        if tag == "ol" and self.ordered:
            self.ordered.pop()

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def clean_markup(text: str) -> str:
    """Plain text, one paragraph or list item per line."""
    parser = _Blocks()
    parser.feed(text)
    parser.close()
    parser.flush()
    lines: list[str] = []
    for block in parser.blocks:
        lines.extend(_bullet_lines(unescape(block)))
    return _SPACE_BEFORE_MARKER.sub("", "\n".join(lines))


def _bullet_lines(block: str) -> list[str]:
    """Split inline bullets ("• a • b") into one line per item."""
    parts = _BULLET.split(block)
    lines = []
    for index, part in enumerate(parts):
        part = _SPACES.sub(" ", part).strip()
        if not part:
            continue
        is_item = index > 0 or block.lstrip().startswith(("•", "▪", "◦", "●"))
        lines.append("• " + part if is_item and not part.startswith("• ") else part)
    return lines


def strip_markup(text: str) -> str:
    """One line of plain text, for comparing titles."""
    return _SPACES.sub(" ", clean_markup(text).replace("\n", " ")).strip()
