"""Draws the app's PNG icons (web/public/icon-192.png, icon-512.png) from the favicon's shapes:
a green rounded square with a white T, as favicon.svg draws on its 32-unit grid. No image
library: the PNG is written with zlib. Run from the repository root:
    python web/scripts/make_icons.py
"""

import struct
import zlib
from pathlib import Path

GREEN = (0x1E, 0x6B, 0x52, 0xFF)
WHITE = (0xFF, 0xFF, 0xFF, 0xFF)
CLEAR = (0, 0, 0, 0)
# The favicon's T: M9 8h14v4h-5v12h-4V12H9z
T_BAR = (9, 8, 23, 12)
T_STEM = (14, 12, 18, 24)
RADIUS = 7
SAMPLES = 4  # per axis, for smooth edges


def _inside(box: tuple[int, int, int, int], u: float, v: float) -> bool:
    return box[0] <= u < box[2] and box[1] <= v < box[3]


def _in_rounded_square(u: float, v: float) -> bool:
    cu = min(max(u, RADIUS), 32 - RADIUS)
    cv = min(max(v, RADIUS), 32 - RADIUS)
    return (u - cu) ** 2 + (v - cv) ** 2 <= RADIUS**2


def _pixel(x: int, y: int, size: int) -> tuple[int, ...]:
    total = [0.0, 0.0, 0.0, 0.0]
    for sy in range(SAMPLES):
        for sx in range(SAMPLES):
            u = (x + (sx + 0.5) / SAMPLES) * 32 / size
            v = (y + (sy + 0.5) / SAMPLES) * 32 / size
            if not _in_rounded_square(u, v):
                colour = CLEAR
            elif _inside(T_BAR, u, v) or _inside(T_STEM, u, v):
                colour = WHITE
            else:
                colour = GREEN
            for i in range(4):
                total[i] += colour[i]
    n = SAMPLES * SAMPLES
    alpha = total[3] / n
    if alpha == 0:
        return CLEAR
    # Colour channels weighted by coverage, so the edge does not darken.
    return tuple(round(total[i] / n * 255 / alpha) for i in range(3)) + (round(alpha),)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(size: int) -> bytes:
    rows = bytearray()
    for y in range(size):
        rows.append(0)
        for x in range(size):
            rows.extend(_pixel(x, y, size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )


if __name__ == "__main__":
    public = Path(__file__).resolve().parent.parent / "public"
    for size in (192, 512):
        (public / f"icon-{size}.png").write_bytes(png(size))
        print(f"wrote {public / f'icon-{size}.png'}")
