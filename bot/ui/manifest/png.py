"""A minimal PNG writer and header reader (standard library only: zlib + struct).

Only what the app package needs: 8-bit RGBA, non-interlaced, written with filter type 0 so the
output is byte-for-byte reproducible for a given pixel buffer and zlib level.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
COLOR_TYPE_RGBA = 6


@dataclass(frozen=True)
class PngHeader:
    """The IHDR fields of a PNG file."""

    width: int
    height: int
    bit_depth: int
    color_type: int
    interlace: int


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def encode_rgba(width: int, height: int, rows: Sequence[bytes]) -> bytes:
    """Encode `height` rows of `width` RGBA pixels (4 bytes each) as a PNG file."""
    if len(rows) != height or any(len(row) != width * 4 for row in rows):
        raise ValueError(f"expected {height} rows of {width * 4} bytes")
    header = struct.pack(">IIBBBBB", width, height, 8, COLOR_TYPE_RGBA, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rows)  # filter type 0 (None) on every row
    return (
        PNG_SIGNATURE
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def read_header(data: bytes) -> PngHeader:
    """Parse the IHDR chunk; raise ValueError when `data` is not a PNG file."""
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR":
        raise ValueError("not a PNG file (missing signature or IHDR)")
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    return PngHeader(width, height, depth, color, interlace)
