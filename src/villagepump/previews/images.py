"""The size of a linked image, as Mattermost reports it in post metadata (PostImage): width,
height, format ("png", "gif", "jpeg", ...) and, for animated GIFs, the number of frames."""

import io
import warnings
from typing import Any

from PIL import Image, UnidentifiedImageError

# Formats Mattermost reports (Go's image decoders); others (TIFF, SVG, ...) give no image data.
_FORMATS = {"PNG": "png", "GIF": "gif", "JPEG": "jpeg", "WEBP": "webp", "BMP": "bmp"}
# EXIF orientations that turn the picture a quarter: width and height swap, as Mattermost does.
_QUARTER_TURNS = {5, 6, 7, 8}
_EXIF_ORIENTATION = 0x0112


def image_info(body: bytes) -> dict[str, Any] | None:
    """Reads only the image's headers (and, for a GIF, its frame list); never decodes pixels, so
    a decompression bomb costs no more than its bytes. None for anything not a known image."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(body)) as image:
                kind = _FORMATS.get(image.format or "")
                if kind is None:
                    return None
                width, height = image.size
                if kind == "jpeg" and image.getexif().get(_EXIF_ORIENTATION) in _QUARTER_TURNS:
                    width, height = height, width
                frames = _frames(image) if kind == "gif" else 0
        except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError):
            return None
    return {"width": width, "height": height, "format": kind, "frame_count": frames}


def _frames(image: Image.Image) -> int:
    try:
        return int(getattr(image, "n_frames", 1))
    except (OSError, EOFError, ValueError):
        return 1  # the bytes read stop partway through the frames
