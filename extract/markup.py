"""The export's HTML fragments (status and description cells) parsed into text blocks.

Paragraphs become paragraph blocks; list items become item blocks with their
marker (the IR's bullet for `<ul>`, '1.' ... for `<ol>`). Bullets typed inline
('• a • b', as the export writes a list without `<li>`) are items too. The IR
carries these blocks, never markup.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

from ir import BULLET, TextBlock

_BLOCK_TAGS = {"p", "div", "br", "ul", "ol", "li", "tr", "h1", "h2", "h3", "h4", "table"}
_SPACES = re.compile(r"[ \t\u00a0]+")
BULLET_GLYPHS = ("•", "▪", "◦", "●")
_INLINE_BULLET = re.compile(r"\s*[" + "".join(BULLET_GLYPHS) + r"]\s*")


class _Blocks(HTMLParser):
    """Collects (marker, text) per block; marker None for a paragraph."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[tuple[str | None, str]] = []
        self.current: list[str] = []
        self.marker: str | None = None
        self.ordered: list[int] = []  # item counters of open <ol>s
        self.lettered: list[bool] = []  # whether each open <ol> counts in letters

    def flush(self) -> None:
        text = "".join(self.current)
        if text.strip():
            self.blocks.append((self.marker, text))
        self.current = []
        self.marker = None

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag not in _BLOCK_TAGS:
            return
        self.flush()
        if tag == "ol":
            # <ol type="a"> numbers its items a., b., c. (sub-items of an action);
            # start="3" begins at the third.
            options = dict(attrs)
            start = options.get("start") or "1"
            self.ordered.append(int(start) - 1 if start.isdigit() else 0)
            self.lettered.append(options.get("type") == "a")
        elif tag == "li":
            if self.ordered:
                self.ordered[-1] += 1
                count = self.ordered[-1]
                self.marker = f"{chr(ord('a') + count - 1)}." if self.lettered[-1] \
                    and count <= 26 else f"{count}."
            else:
                self.marker = BULLET

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.flush()
        if tag == "ol" and self.ordered:
            self.ordered.pop()
            self.lettered.pop()

    def handle_data(self, data: str) -> None:
        self.current.append(data)


def parse_fragment(markup: str) -> tuple[TextBlock, ...]:
    """Blocks of one cell's HTML fragment (plain text without tags is one paragraph)."""
    parser = _Blocks()
    parser.feed(markup)
    parser.close()
    parser.flush()
    blocks: list[TextBlock] = []
    for marker, text in parser.blocks:
        blocks.extend(_inline_bullets(marker, unescape(text)))
    return tuple(blocks)


def _inline_bullets(marker: str | None, text: str) -> list[TextBlock]:
    """Split inline bullets ('• a • b') into one item each; the text before the
    first bullet keeps the block's own kind and marker."""
    out: list[TextBlock] = []
    for index, part in enumerate(_INLINE_BULLET.split(text)):
        part = _SPACES.sub(" ", part).strip()
        if not part:
            continue
        if index > 0:
            out.append(TextBlock("item", part, BULLET))
        elif marker is not None:
            out.append(TextBlock("item", part, marker))
        else:
            out.append(TextBlock("paragraph", part))
    return out


def plain_block(kind: str, text: str, marker: str | None = None) -> TextBlock:
    """A block from text that needs no parsing (a PDF cell's lines): spaces collapsed."""
    return TextBlock(kind, _SPACES.sub(" ", text).strip(), marker)
