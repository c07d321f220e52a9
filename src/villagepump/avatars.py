"""Default profile pictures: a solid colour chosen from the user id, until uploads exist."""

import hashlib
import struct
import zlib
from functools import lru_cache

_SIZE = 128
_PALETTE = [
    (0x1E, 0x6F, 0xA8),
    (0x2E, 0x8B, 0x57),
    (0xB0, 0x3A, 0x2E),
    (0x8E, 0x44, 0xAD),
    (0xD3, 0x84, 0x00),
    (0x16, 0xA0, 0x85),
    (0x5D, 0x6D, 0x7E),
    (0xC0, 0x39, 0x2B),
]


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=len(_PALETTE))
def _png(colour: tuple[int, int, int]) -> bytes:
    row = b"\x00" + bytes(colour) * _SIZE
    header = struct.pack(">IIBBBBB", _SIZE, _SIZE, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(row * _SIZE, 9))
        + _chunk(b"IEND", b"")
    )


def default_avatar(user_id: str) -> bytes:
    index = hashlib.sha256(user_id.encode()).digest()[0] % len(_PALETTE)
    return _png(_PALETTE[index])
