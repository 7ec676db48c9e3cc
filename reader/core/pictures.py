"""What a picture's bytes are: the raster formats we keep and show, told by their first bytes.

Light (no imports), so the window can use it before its first paint: telling Qt the format of
a picture spares it loading every image-format plugin it has to guess one (~2.5 ms and nine
shared libraries at the sample's first paint).
"""

from __future__ import annotations

MAX_PICTURE_BYTES = 32 * 1024 * 1024  # a bigger "picture" is not one we keep or show

_PICTURE_TYPES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"GIF87a", "image/gif", "gif"),
    (b"GIF89a", "image/gif", "gif"),
)


def picture_type(data: bytes) -> tuple[str, str] | None:
    """(MIME type, extension) of a raster picture we keep, or None for anything else."""
    for magic, mime, ext in _PICTURE_TYPES:
        if data.startswith(magic):
            return mime, ext
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "webp"
    return None
