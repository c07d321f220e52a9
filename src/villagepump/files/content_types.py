"""What a stored file is served as: the type its first bytes show, never the client's claim, and
whether a browser may show it inline or must download it."""

import mimetypes
import re
import unicodedata

_MAGIC: list[tuple[bytes, int, str]] = [
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"II*\x00", 0, "image/tiff"),
    (b"MM\x00*", 0, "image/tiff"),
    (b"\x00\x00\x00\x0cjP  \r\n\x87\n", 0, "image/jp2"),
    (b"%PDF-", 0, "application/pdf"),
    (b"PK\x03\x04", 0, "application/zip"),
]

# A BMP starts with only "BM", as many texts do; the size of the header that follows tells them apart.
_BMP_HEADER_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})

# Types a browser shows but never runs, trusted from the extension when the bytes say nothing.
_SAFE_BY_EXTENSION = {
    "txt": "text/plain",
    "log": "text/plain",
    "md": "text/plain",
    "csv": "text/csv",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "mov": "video/quicktime",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "wav": "audio/wav",
    "m4a": "audio/mp4",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
}

_INLINE_PREFIXES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "video/", "audio/")
_INLINE_TYPES = frozenset({"text/plain", "text/csv"})
# Bidirectional overrides make "evil\u202egpj.exe" read as "evil exe.jpg".
_HIDDEN = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# The major brands of HEIF files that hold HEVC pictures (ISO/IEC 23008-12), as iPhones write them.
_HEIC_BRANDS = frozenset({b"ftypheic", b"ftypheix", b"ftypheim", b"ftypheis", b"ftyphevc", b"ftypmif1"})
MAX_NAME_LENGTH = 255
SNIFF_BYTES = 512


def sniff(head: bytes, extension: str) -> str:
    """The Content-Type to serve a file with, from its first bytes and, for a safe list of types
    that have no magic number, its extension; anything else is application/octet-stream."""
    for magic, offset, content_type in _MAGIC:
        if head[offset : offset + len(magic)] == magic:
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:12] in (b"ftypavif", b"ftypavis"):
        return "image/avif"
    if head[4:12] in _HEIC_BRANDS:
        return "image/heic"
    if head[:2] == b"BM" and len(head) >= 18 and int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES:
        return "image/bmp"
    return _SAFE_BY_EXTENSION.get(extension.lower(), "application/octet-stream")


def inline_allowed(content_type: str) -> bool:
    """Only types no browser can run are shown inline; HTML, SVG, XML, scripts, PDF and anything
    unknown are downloaded."""
    return content_type in _INLINE_TYPES or content_type.startswith(_INLINE_PREFIXES)


def declared_type(extension: str) -> str:
    """The mime_type in a file's info, from its extension, as Mattermost fills it."""
    if not extension:
        return ""
    return mimetypes.types_map.get("." + extension.lower(), "application/octet-stream")


def clean_name(name: str) -> str:
    """The last path component, without control or direction-changing characters; Unicode kept."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch) != "Cc")
    name = _HIDDEN.sub("", name).strip().lstrip(".")
    if not name:
        return "file"
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        keep = MAX_NAME_LENGTH - len(extension) - 1
        name = stem[:keep] + dot + extension if dot and keep > 0 else name[:MAX_NAME_LENGTH]
    return name


def extension_of(name: str) -> str:
    _, dot, extension = name.rpartition(".")
    return extension.lower()[:64] if dot else ""
