"""The pure-Python bar chart: a valid PNG whose bars are as long as their values say."""
import struct
import zlib

from chalicelib.pngchart import BAR, bar_chart


def decode(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB rows of an 8-bit RGB PNG written with filter 0 (what bar_chart writes)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, offset = {}, 8
    while offset < len(png):
        length, kind = struct.unpack(">I4s", png[offset:offset + 8])
        data = png[offset + 8:offset + 8 + length]
        assert struct.unpack(">I", png[offset + 8 + length:offset + 12 + length])[0] == zlib.crc32(kind + data)
        chunks[kind] = chunks.get(kind, b"") + data
        offset += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 2)
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + 3 * width
    return width, height, [raw[r * stride + 1:(r + 1) * stride] for r in range(height)]


def bar_length(row: bytes) -> int:
    pixels = [tuple(row[i:i + 3]) for i in range(0, len(row), 3)]
    return sum(1 for p in pixels if p == BAR)


def test_bars_are_proportional_to_their_values():
    width, height, rows = decode(bar_chart([("A", 10, "10"), ("B", 5, "5"), ("C", 0, "0")], width=300, scale=2))

    # Each bar is 14 px high with 6 px gaps: rows 6..19, 26..39, 46..59.
    full, half, empty = bar_length(rows[10]), bar_length(rows[30]), bar_length(rows[50])
    assert (height, empty) == (66, 0)
    assert full > 0 and half in (full // 2, full // 2 + 1)


def test_characters_outside_the_tiny_font_do_not_break_the_chart():
    width, height, rows = decode(bar_chart([("जोधपुर", 1, "1")]))
    assert height == len(rows) and width > 0
