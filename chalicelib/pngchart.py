"""Small horizontal bar charts as PNG bytes, in pure Python (zlib + struct), for inline email images.

A plotting library would add tens of megabytes to the Lambda for a few bars; this draws labelled bars
with a 3×5 pixel font (upper-case ASCII, digits and a little punctuation; anything else shows as '?').
"""
from __future__ import annotations

import struct
import zlib

# Each glyph: five rows of three pixels, '1' = ink.
FONT = {
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111", "3": "111001111001111",
    "4": "101101111001001", "5": "111100111001111", "6": "111100111101111", "7": "111001010010010",
    "8": "111101111101111", "9": "111101111001111", "A": "010101111101101", "B": "110101110101110",
    "C": "011100100100011", "D": "110101101101110", "E": "111100110100111", "F": "111100110100100",
    "G": "011100101101011", "H": "101101111101101", "I": "111010010010111", "J": "001001001101010",
    "K": "101101110101101", "L": "100100100100111", "M": "101111111101101", "N": "110101101101101",
    "O": "010101101101010", "P": "110101110100100", "Q": "010101101110011", "R": "110101110101101",
    "S": "011100010001110", "T": "111010010010010", "U": "101101101101111", "V": "101101101101010",
    "W": "101101111111101", "X": "101101010101101", "Y": "101101010010010", "Z": "111001010100111",
    " ": "000000000000000", "-": "000000111000000", ".": "000000000000010", ":": "000010000010000",
    "%": "101001010100101", "<": "001010100010001", ">": "100010001010100", "=": "000111000111000",
    "/": "001001010100100", "?": "111001010000010", "(": "010100100100010", ")": "010001001001010",
}
BACKGROUND, INK, BAR, GRID = (255, 255, 255), (40, 40, 40), (31, 92, 153), (220, 220, 220)


class Canvas:
    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.pixels = [bytearray(bytes(BACKGROUND) * width) for _ in range(height)]

    def fill(self, x: int, y: int, w: int, h: int, colour: tuple[int, int, int]) -> None:
        for row in range(max(0, y), min(self.height, y + h)):
            left, right = max(0, x), min(self.width, x + w)
            if right > left:
                self.pixels[row][3 * left:3 * right] = bytes(colour) * (right - left)

    def text(self, x: int, y: int, text: str, scale: int) -> None:
        for index, char in enumerate(text.upper()):
            glyph = FONT.get(char, FONT["?"])
            for bit, ink in enumerate(glyph):
                if ink == "1":
                    self.fill(x + (index * 4 + bit % 3) * scale, y + (bit // 3) * scale, scale, scale, INK)

    def png(self) -> bytes:
        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        raw = b"".join(b"\x00" + bytes(row) for row in self.pixels)   # filter type 0 on every row
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)   # 8-bit RGB
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def text_width(text: str, scale: int) -> int:
    return len(text) * 4 * scale


def bar_chart(bars: list[tuple[str, float, str]], width: int = 520, scale: int = 2) -> bytes:
    """bars: (label, value, value text), drawn top to bottom; bar lengths are relative to the largest value."""
    row_height, gap = 7 * scale, 3 * scale
    label_width = max((text_width(label, scale) for label, _, _ in bars), default=0) + 4 * scale
    value_width = max((text_width(text, scale) for _, _, text in bars), default=0) + 4 * scale
    plot_width = max(10, width - label_width - value_width)
    canvas = Canvas(label_width + plot_width + value_width, max(1, len(bars) * (row_height + gap) + gap))
    largest = max((value for _, value, _ in bars), default=0) or 1
    canvas.fill(label_width - 1, 0, 1, canvas.height, GRID)
    for index, (label, value, value_text) in enumerate(bars):
        top = gap + index * (row_height + gap)
        length = round(plot_width * max(0.0, value) / largest)
        canvas.text(0, top + scale, label, scale)
        canvas.fill(label_width, top, length, row_height, BAR)
        canvas.text(label_width + length + 2 * scale, top + scale, value_text, scale)
    return canvas.png()
