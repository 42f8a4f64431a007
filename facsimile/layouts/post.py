"""pypdf post-processing of a producer's PDF: what real producers do that ours do not.

- colour spaces: the timeline and legend fills, written by the producer in DeviceRGB,
  are rewritten to DeviceCMYK, DeviceGray, ICCBased, Indexed or a tiling Pattern;
- fill geometry: each such `re f` becomes a rectangle painted twice, a path with curved
  corners (`c`), or a closed polygon with an extra point (`m l l l l h`);
- pages: `/Rotate` 90/180/270 and a media box that does not start at 0,0;
- a watermark (generation 3): a large light "CONCEPT" drawn diagonally before each
  page's own content, so behind the table, its letters inside the table's cells;
- metadata: the FACSIMILE Title/Subject and fixed dates, so a rebuild gives the same bytes.

Only fills whose colour is one of the layout's two timeline colours are touched, so
text, rules and other fills stay as the producer wrote them.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from facsimile import META_SUBJECT, META_TITLE


@dataclass(frozen=True)
class PostSettings:
    # Producers round colours (Chromium to 4 decimals, LibreOffice to 1/255): a fill is
    # the layout's colour when every component is within this distance.
    colour_tolerance: float = 0.004
    # Corner radius of the curved variant, at most this share of the shorter side.
    corner_share: float = 0.25
    corner_radius: float = 1.0  # user-space units (points in most producers)
    media_offset: tuple[float, float] = (37.0, -23.0)  # where the media box starts
    fixed_date: str = "D:20000101000000+00'00'"
    # the watermark's size as a share of the page's shorter side (Helvetica, diagonal)
    watermark_share: float = 0.2


SETTINGS = PostSettings()
# 2000-01-01 00:00:00 as an ICC dateTimeNumber (six big-endian 16-bit numbers)
ICC_DATE = b"".join(v.to_bytes(2, "big") for v in (2000, 1, 1, 0, 0, 0))


def _close(a: tuple[float, ...], b: tuple[float, ...], tolerance: float) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= tolerance for x, y in zip(a, b, strict=True))


def _cmyk(rgb: tuple[float, ...]) -> list[float]:
    k = 1 - max(rgb)
    if k >= 1:
        return [0.0, 0.0, 0.0, 1.0]
    return [round((1 - c - k) / (1 - k), 4) for c in rgb] + [round(k, 4)]


def _icc_profile() -> bytes:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    # LittleCMS stamps the header's creation date (bytes 24-35) from the clock; a fixed
    # one (2000-01-01) so that a rebuild gives the same bytes
    return profile[:24] + ICC_DATE + profile[36:]


def _resources(writer, colours: list[tuple[float, ...]], space: str):
    """The /ColorSpace or /Pattern resource entries a rewritten page needs."""
    from pypdf.generic import (
        ArrayObject,
        ByteStringObject,
        DecodedStreamObject,
        DictionaryObject,
        FloatObject,
        NameObject,
        NumberObject,
    )

    if space == "icc":
        stream = DecodedStreamObject()
        stream.set_data(_icc_profile())
        stream[NameObject("/N")] = NumberObject(3)
        stream[NameObject("/Alternate")] = NameObject("/DeviceRGB")
        ref = writer._add_object(stream)
        return "/ColorSpace", {"/CSicc": ArrayObject([NameObject("/ICCBased"), ref])}
    if space == "indexed":
        table = bytes(round(v * 255) for rgb in colours for v in rgb)
        return "/ColorSpace", {"/CSidx": ArrayObject([
            NameObject("/Indexed"), NameObject("/DeviceRGB"), NumberObject(len(colours) - 1),
            ByteStringObject(table)])}
    if space == "pattern":
        patterns = {}
        for index, rgb in enumerate(colours):
            r, g, b = (f"{v:.4f}" for v in rgb)
            # the colour with darker hatching: a pattern a reader cannot take for a plain fill
            body = (f"{r} {g} {b} rg 0 0 4 4 re f 0 0 0 RG 0.3 w 0 0 m 4 4 l S").encode()
            stream = DecodedStreamObject()
            stream.set_data(body)
            stream.update({
                NameObject("/Type"): NameObject("/Pattern"),
                NameObject("/PatternType"): NumberObject(1),
                NameObject("/PaintType"): NumberObject(1),
                NameObject("/TilingType"): NumberObject(1),
                NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0),
                                                  FloatObject(4), FloatObject(4)]),
                NameObject("/XStep"): FloatObject(4),
                NameObject("/YStep"): FloatObject(4),
                NameObject("/Resources"): DictionaryObject(),
            })
            patterns[f"/P{index}"] = writer._add_object(stream)
        return "/Pattern", patterns
    return None, {}


def _colour_ops(index: int, rgb: tuple[float, ...], space: str) -> list:
    from pypdf.generic import FloatObject, NameObject, NumberObject

    if space == "cmyk":
        return [([FloatObject(v) for v in _cmyk(rgb)], b"k")]
    if space == "gray":
        return [([FloatObject(round(rgb[0], 4))], b"g")]
    if space == "icc":
        return [([NameObject("/CSicc")], b"cs"), ([FloatObject(v) for v in rgb], b"sc")]
    if space == "indexed":
        return [([NameObject("/CSidx")], b"cs"), ([NumberObject(index)], b"sc")]
    if space == "pattern":
        return [([NameObject("/Pattern")], b"cs"), ([NameObject(f"/P{index}")], b"scn")]
    return [([FloatObject(v) for v in rgb], b"rg")]


def _shape(operands, paint: str, settings: PostSettings) -> list:
    """`x y w h re` -> the operations drawing that rectangle in the layout's geometry."""
    from pypdf.generic import FloatObject

    x, y, w, h = (float(v) for v in operands)
    f = FloatObject
    if paint == "curves":
        r = min(settings.corner_radius, settings.corner_share * min(abs(w), abs(h)))
        sx, sy = (1 if w >= 0 else -1), (1 if h >= 0 else -1)
        k = 0.5523 * r  # Bezier control distance of a quarter circle
        x1, y1 = x + w, y + h
        return [
            ([f(x + sx * r), f(y)], b"m"),
            ([f(x1 - sx * r), f(y)], b"l"),
            ([f(x1 - sx * r + sx * k), f(y), f(x1), f(y + sy * r - sy * k), f(x1),
              f(y + sy * r)], b"c"),
            ([f(x1), f(y1 - sy * r)], b"l"),
            ([f(x1), f(y1 - sy * r + sy * k), f(x1 - sx * r + sx * k), f(y1),
              f(x1 - sx * r), f(y1)], b"c"),
            ([f(x + sx * r), f(y1)], b"l"),
            ([f(x + sx * r - sx * k), f(y1), f(x), f(y1 - sy * r + sy * k), f(x),
              f(y1 - sy * r)], b"c"),
            ([f(x), f(y + sy * r)], b"l"),
            ([f(x), f(y + sy * r - sy * k), f(x + sx * r - sx * k), f(y), f(x + sx * r),
              f(y)], b"c"),
            ([], b"h"),
        ]
    if paint == "closed_path":
        return [([f(x), f(y)], b"m"), ([f(x + w / 2), f(y)], b"l"), ([f(x + w), f(y)], b"l"),
                ([f(x + w), f(y + h)], b"l"), ([f(x), f(y + h)], b"l"), ([], b"h")]
    return [(operands, b"re")]


def rewrite_fills(operations: list, colours: list[tuple[float, ...]], space: str, paint: str,
                  settings: PostSettings = SETTINGS) -> tuple[list, int]:
    """The page's operations with the timeline fills rewritten; and how many fills."""
    out = []
    stack: list[int | None] = []
    current: int | None = None  # index of the timeline colour now set for fills, if any
    count = 0
    position = 0
    while position < len(operations):
        operands, operator = operations[position]
        position += 1
        if operator == b"q":
            stack.append(current)
        elif operator == b"Q":
            current = stack.pop() if stack else None
        elif operator in (b"rg", b"g", b"k", b"sc", b"scn", b"cs"):
            current = None
            if operator == b"rg":
                rgb = tuple(float(v) for v in operands)
                current = next((i for i, c in enumerate(colours)
                                if _close(rgb, c, settings.colour_tolerance)), None)
                if current is not None:
                    out.extend(_colour_ops(current, colours[current], space))
                    continue
        elif operator == b"re" and current is not None and position < len(operations) \
                and operations[position][1] in (b"f", b"f*", b"F"):
            fill = operations[position]
            position += 1
            count += 1
            out.extend(_shape(operands, paint, settings))
            out.append(fill)
            if paint == "twice":
                out.extend(_shape(operands, paint, settings))
                out.append(fill)
            continue
        out.append((operands, operator))
    return out, count


def _watermark(writer, page, settings: PostSettings) -> None:
    """Draw the watermark text under everything the producer drew on `page`."""
    import math

    from pypdf.generic import ContentStream, DecodedStreamObject, DictionaryObject, NameObject
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from facsimile.layouts.model import WATERMARK_RGB, WATERMARK_TEXT

    box = page.mediabox
    left, bottom = float(box.left), float(box.bottom)
    width, height = float(box.width), float(box.height)
    size = settings.watermark_share * min(width, height)
    angle = math.atan2(height, width)
    cos, sin = math.cos(angle), math.sin(angle)
    half = stringWidth(WATERMARK_TEXT, "Helvetica", size) / 2
    x = left + width / 2 - half * cos + size * 0.35 * sin
    y = bottom + height / 2 - half * sin - size * 0.35 * cos
    grey = " ".join(f"{v:.4f}" for v in WATERMARK_RGB)
    ops = (f"q {grey} rg BT /FWmark {size:.2f} Tf {cos:.5f} {sin:.5f} {-sin:.5f} {cos:.5f} "
           f"{x:.2f} {y:.2f} Tm ({WATERMARK_TEXT}) Tj ET Q\n").encode()
    mark = DecodedStreamObject()
    mark.set_data(ops)
    content = ContentStream(page.get_contents(), writer)
    content.operations = ContentStream(mark, writer).operations + content.operations
    page.replace_contents(content)
    res = page["/Resources"].get_object()
    fonts = res.get("/Font")
    table = fonts.get_object() if fonts is not None else DictionaryObject()
    table[NameObject("/FWmark")] = writer._add_object(DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"),
        NameObject("/Encoding"): NameObject("/WinAnsiEncoding")}))
    res[NameObject("/Font")] = table


def post_process(source: Path, target: Path, colours: list[tuple[float, ...]], space: str,
                 paint: str, rotate: int, media_origin: str, file_id: str,
                 settings: PostSettings = SETTINGS, watermark: str = "none") -> int:
    """Write `target` from `source`; returns how many timeline/legend fills were rewritten."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import ContentStream, DictionaryObject, NameObject, RectangleObject

    reader = PdfReader(source)
    writer = PdfWriter()
    colour_space = "pattern" if paint == "pattern" else space
    geometry = paint if paint in ("twice", "curves", "closed_path") else "cell"
    resources = None
    total = 0
    for page in reader.pages:
        page = writer.add_page(page)
        if colour_space != "rgb" or geometry != "cell":
            content = ContentStream(page.get_contents(), writer)
            content.operations, count = rewrite_fills(content.operations, colours,
                                                      colour_space, geometry, settings)
            total += count
            page.replace_contents(content)
            if resources is None:
                resources = _resources(writer, colours, colour_space)
            kind, entries = resources
            if kind:
                res = page["/Resources"].get_object()
                entry = res.get(kind)
                table = entry.get_object() if entry is not None else DictionaryObject()
                for name, value in entries.items():
                    table[NameObject(name)] = value
                res[NameObject(kind)] = table
        if watermark != "none":
            _watermark(writer, page, settings)
        if media_origin == "offset":
            dx, dy = settings.media_offset
            box = page.mediabox
            page.add_transformation(Transformation().translate(dx, dy))
            moved = RectangleObject([float(box.left) + dx, float(box.bottom) + dy,
                                     float(box.right) + dx, float(box.top) + dy])
            for name in ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
                if name == "/MediaBox" or name in page:
                    page[NameObject(name)] = moved
        if rotate:
            page.rotate(rotate)
        page.compress_content_streams()
    writer.add_metadata({
        "/Title": META_TITLE, "/Subject": META_SUBJECT,
        "/Keywords": "facsimile, illustratief, illustrative, Techniekpact, Bijlage 2",
        "/CreationDate": settings.fixed_date, "/ModDate": settings.fixed_date,
    })
    _fixed_id(writer, file_id)
    with open(target, "wb") as handle:
        writer.write(handle)
    return total


def _fixed_id(writer, file_id: str) -> None:
    """A file /ID from the layout's name instead of the clock: same layout, same bytes."""
    from pypdf.generic import ArrayObject, ByteStringObject

    digest = zlib.crc32(file_id.encode()).to_bytes(4, "big") * 4
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])


def expected_fill(layout: dict, index: int) -> tuple[float, ...] | str:
    """What pdfplumber reports as the non_stroking_color of timeline fills of class
    `index` (0 looptijd, 1 mijlpaal) after post-processing: components, or the pattern's
    resource name."""
    from facsimile.layouts.options import rgb_of

    colours = layout["colours"]
    rgb = rgb_of(colours["looptijd"] if index == 0 else colours["mijlpaal"])
    if layout["fill_paint"] == "pattern":
        return f"P{index}"
    space = layout["colour_space"]
    if space == "cmyk":
        return tuple(_cmyk(rgb))
    if space == "gray":
        return (round(rgb[0], 4),)
    if space == "indexed":
        return (float(index),)
    return tuple(rgb)
