"""Line breaking for the reportlab facsimiles, with raised footnote markers.

Our own small layout (not platypus) so that a table row can be split at any
line, and so the builder knows which footnote markers land on which page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.pdfbase.pdfmetrics import stringWidth

from facsimile.content import Block, split_markers

MARKER_SCALE = 0.62  # superscript size relative to the text
MARKER_RISE = 0.38  # baseline shift relative to the text size
BULLET = "•"


@dataclass(frozen=True)
class TextStyle:
    font: str
    size: float
    leading: float
    bullet_indent: float = 9.0
    paragraph_gap: float = 2.5
    item_gap: float = 0.8


@dataclass
class Piece:
    text: str
    dx: float
    font: str
    size: float
    rise: float = 0.0


@dataclass
class Line:
    pieces: list[Piece]
    height: float
    gap_before: float = 0.0
    markers: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return self.gap_before + self.height


@dataclass
class _Word:
    parts: list[tuple[str, bool]]
    width: float


@dataclass
class _Builder:
    style: TextStyle
    font: str
    pieces: list[Piece] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)
    text: str = ""
    start: float = 0.0
    x: float = 0.0

    def flush(self) -> None:
        if self.text:
            self.pieces.append(Piece(self.text, self.start, self.font, self.style.size))
        self.text = ""

    def add(self, word: _Word, leading_space: bool) -> None:
        space = stringWidth(" ", self.font, self.style.size)
        for index, (piece, is_marker) in enumerate(word.parts):
            if is_marker:
                self.flush()
                if leading_space and index == 0:
                    self.x += space
                size = self.style.size * MARKER_SCALE
                self.pieces.append(Piece(piece, self.x, self.font, size,
                                         self.style.size * MARKER_RISE))
                self.markers.append(piece)
                self.x += stringWidth(piece, self.font, size)
                self.start = self.x
                continue
            if not self.text:
                self.start = self.x
                if leading_space and index == 0:
                    # a real space character, so text extraction splits the words
                    self.x += space
                    self.text = " " + piece
                else:
                    self.text = piece
            else:
                self.text += (" " if leading_space and index == 0 else "") + piece
                if leading_space and index == 0:
                    self.x += space
            self.x += stringWidth(piece, self.font, self.style.size)


def _words(text: str, font: str, style: TextStyle) -> list[_Word]:
    words = []
    for token in text.split():
        parts = split_markers(token)
        width = sum(
            stringWidth(p, font, style.size * (MARKER_SCALE if m else 1)) for p, m in parts
        )
        words.append(_Word(parts, width))
    return words


def wrap_text(text: str, width: float, style: TextStyle, font: str | None = None,
              indent: float = 0.0, bullet: bool = False) -> list[Line]:
    """Left-aligned lines of at most `width` points."""
    font = font or style.font
    lines: list[Line] = []
    current: list[_Word] = []
    used = 0.0
    space = stringWidth(" ", font, style.size)
    for word in _words(text, font, style):
        extra = word.width + (space if current else 0)
        if current and used + extra > width - indent:
            lines.append(_line(current, font, style, indent, bullet and not lines))
            current, used = [word], word.width
        else:
            current.append(word)
            used += extra
    if current or not lines:
        lines.append(_line(current, font, style, indent, bullet and not lines))
    return lines


def _line(words: list[_Word], font: str, style: TextStyle, indent: float,
          bullet: bool) -> Line:
    builder = _Builder(style, font, x=indent, start=indent)
    for index, word in enumerate(words):
        builder.add(word, leading_space=index > 0)
    builder.flush()
    pieces = builder.pieces
    if bullet:
        pieces.insert(0, Piece(BULLET, indent - style.bullet_indent, font, style.size))
    return Line(pieces, style.leading, 0.0, tuple(builder.markers))


def wrap_blocks(blocks: tuple[Block, ...] | list[Block], width: float, style: TextStyle,
                font: str | None = None) -> list[Line]:
    """Paragraphs and bullet items -> lines, with gaps between blocks."""
    lines: list[Line] = []
    for index, block in enumerate(blocks):
        if block.kind == "li":
            part = wrap_text(block.text, width, style, font, style.bullet_indent, bullet=True)
            gap = style.item_gap
        else:
            part = wrap_text(block.text, width, style, font)
            gap = style.paragraph_gap
        if index > 0 and part:
            part[0].gap_before = gap
        lines.extend(part)
    return lines


def height_of(lines: list[Line]) -> float:
    return sum(line.total for line in lines)


def fit(lines: list[Line], available: float) -> int:
    """How many lines from the start fit in `available` points."""
    used = 0.0
    for index, line in enumerate(lines):
        used += line.gap_before if index else 0.0
        used += line.height
        if used > available + 0.01:
            return index
    return len(lines)


def draw_lines(canvas, lines: list[Line], x: float, top: float, style: TextStyle) -> float:
    """Draw lines with their first line's top at `top`; returns the y below the last."""
    y = top
    for index, line in enumerate(lines):
        if index:
            y -= line.gap_before
        baseline = y - style.size * 0.86
        for piece in line.pieces:
            canvas.setFont(piece.font, piece.size)
            canvas.drawString(x + piece.dx, baseline + piece.rise, piece.text)
        y -= line.height
    return y
