"""A minimal PNG decoder (8-bit RGB/RGBA, non-interlaced: what chromium's screenshots are) for pixel checks."""

from __future__ import annotations

import struct
import zlib


def decode(png: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows) with each row as packed RGBA/RGB bytes; raises ValueError on other formats."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, width = 8, b"", 0
    height = depth = ctype = interlace = 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        data = png[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", data)
        elif kind == b"IDAT":
            idat += data
        elif kind == b"IEND":
            break
    if depth != 8 or ctype not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {ctype}, interlace {interlace})")
    bpp = 4 if ctype == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, rows if bpp == 3 else _rgb(rows)


def _rgb(rows: list[bytes]) -> list[bytes]:
    return [bytes(b for i, b in enumerate(r) if i % 4 != 3) for r in rows]


def count_near(png: bytes, colour: str, tolerance: int = 24, *, min_spread: int = 0) -> int:
    """How many pixels are within `tolerance` (per channel) of `colour` (``#rrggbb``); with
    `min_spread`, only those whose channels differ by at least that much (max - min), so that a
    tinted colour is not confused with the neutral greys of antialiased dark text."""
    want = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    _, _, rows = decode(png)
    n = 0
    for row in rows:
        for x in range(0, len(row), 3):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if (
                abs(r - want[0]) <= tolerance
                and abs(g - want[1]) <= tolerance
                and abs(b - want[2]) <= tolerance
                and max(r, g, b) - min(r, g, b) >= min_spread
            ):
                n += 1
    return n
