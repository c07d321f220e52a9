"""Images: made safe to share and given a thumbnail, a preview and a mini preview, with Pillow.

Runs in a worker thread (`asyncio.to_thread`): decoding a large photo takes long enough to stall
every other request on the event loop.
"""

import asyncio
import io
import warnings
from dataclasses import dataclass
from pathlib import Path

import pillow_heif
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from villagepump.files import content_types

# Mattermost refuses images above its MaxImageResolution (about 33 MP); phones now take 50 MP.
MAX_PIXELS = 50_000_000
THUMBNAIL_SIZE = (120, 100)
PREVIEW_WIDTH = 1920
MINI_PREVIEW_SIZE = (16, 16)
# Formats re-encoded without their metadata; others are stored as they came.
# AVIF (phones save photos in it, EXIF and GPS included) becomes WebP: lossy like it, with alpha.
# HEIF/HEIC (iPhones' photos, EXIF and GPS included; browsers other than Safari cannot show it)
# becomes JPEG, as does JPEG 2000.
_REENCODED = {
    "JPEG": "JPEG",
    "PNG": "PNG",
    "WEBP": "WEBP",
    "TIFF": "PNG",
    "BMP": "PNG",
    "MPO": "JPEG",
    "AVIF": "WEBP",
    "HEIF": "JPEG",
    "JPEG2000": "JPEG",
}
_MIME = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "GIF": "image/gif"}

Image.MAX_IMAGE_PIXELS = MAX_PIXELS
pillow_heif.register_heif_opener()
ImageFile.LOAD_TRUNCATED_IMAGES = False


class ImageTooLarge(Exception):
    def __init__(self, width: int, height: int) -> None:
        super().__init__(f"{width}x{height}")
        self.width, self.height = width, height


class BrokenImage(Exception):
    """The bytes claim to be an image Pillow knows, but do not decode."""


@dataclass(slots=True)
class ProcessedImage:
    width: int
    height: int
    # The cleaned original written to this path, or None to store the upload as it came.
    cleaned: Path | None
    mime_type: str
    thumbnail: bytes
    thumbnail_extension: str
    preview: bytes
    preview_extension: str
    mini_preview: bytes
    # More than one frame: clients show the file itself, so that it moves (has_preview_image).
    animated: bool = False


# A 50 MP photo decodes to about 200 MB; two at a time keeps a small server's memory in bounds.
_DECODING = asyncio.Semaphore(2)


async def process_in_thread(path: Path, cleaned_path: Path) -> ProcessedImage | None:
    async with _DECODING:
        return await asyncio.to_thread(process, path, cleaned_path)


def process(path: Path, cleaned_path: Path) -> ProcessedImage | None:
    """None for anything that is not an image (it is stored as a plain file)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                return _process_open(image, cleaned_path)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLarge(0, 0) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, MemoryError) as error:
        if _claims_image(path):
            # Its first bytes say JPEG, PNG, GIF, WebP, BMP or TIFF, yet it does not decode: it may
            # carry EXIF and GPS that cannot be stripped from what cannot be read, and would be
            # served as that picture type.
            raise BrokenImage(str(error)) from error
        # Pillow took it for a picture on weaker signs than ours (a text starting "BM" or "P1")
        # or could not tell: a plain file.
        return None


def _claims_image(path: Path) -> bool:
    """Whether the first bytes say the file is a picture (content_types.sniff)."""
    with open(path, "rb") as handle:
        head = handle.read(content_types.SNIFF_BYTES)
    return content_types.sniff(head, "").startswith("image/")


def _process_open(image: Image.Image, cleaned_path: Path) -> ProcessedImage | None:
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageTooLarge(width, height)
    image_format = image.format or ""
    if image_format == "GIF":
        return _process_gif(image, width, height)
    if image_format not in _REENCODED:
        return None
    image.load()
    upright = ImageOps.exif_transpose(image) or image
    stripped = _without_metadata(upright)
    target = _REENCODED[image_format]
    _save(stripped, cleaned_path, target)
    return _derived(stripped, cleaned_path, _MIME[target])


def _process_gif(image: Image.Image, width: int, height: int) -> ProcessedImage:
    # Every frame is decoded, so a broken or oversized animation is refused here; the file is then
    # stored as uploaded, which keeps it animated (GIF carries no camera or location metadata).
    frames = getattr(image, "n_frames", 1)
    if width * height * frames > MAX_PIXELS * 4:
        raise ImageTooLarge(width, height)
    for frame in range(frames):
        image.seek(frame)
        image.load()
    image.seek(0)
    first = image.convert("RGBA")
    processed = _derived(first, None, "image/gif")
    processed.animated = frames > 1
    return processed


def _without_metadata(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels (and palette): no EXIF, GPS, XMP, comments or text."""
    if image.mode not in ("1", "L", "LA", "P", "RGB", "RGBA", "CMYK", "I", "F", "I;16"):
        image = image.convert("RGBA")
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    if image.mode == "P":
        palette = image.getpalette()
        if palette is not None:
            clean.putpalette(palette)
        if "transparency" in image.info:
            clean.info["transparency"] = image.info["transparency"]
    return clean


def _save(image: Image.Image, path: Path, image_format: str) -> None:
    if image_format == "JPEG":
        if image.mode not in ("RGB", "L", "CMYK"):
            image = image.convert("RGB")
        image.save(path, "JPEG", quality=92)
    elif image_format == "WEBP":
        image.save(path, "WEBP", quality=90)
    else:
        if image.mode in ("I", "F", "I;16", "CMYK"):
            image = image.convert("RGBA")
        image.save(path, "PNG")


def _derived(image: Image.Image, cleaned: Path | None, mime_type: str) -> ProcessedImage:
    width, height = image.size
    thumbnail, thumbnail_extension = _encode(_fit(image, *THUMBNAIL_SIZE))
    preview_image = image
    if width > PREVIEW_WIDTH:
        preview_image = image.resize((PREVIEW_WIDTH, max(1, height * PREVIEW_WIDTH // width)))
    preview, preview_extension = _encode(preview_image)
    mini = _fit(image, *MINI_PREVIEW_SIZE).convert("RGB")
    buffer = io.BytesIO()
    mini.save(buffer, "JPEG", quality=90)
    return ProcessedImage(
        width=width,
        height=height,
        cleaned=cleaned,
        mime_type=mime_type,
        thumbnail=thumbnail,
        thumbnail_extension=thumbnail_extension,
        preview=preview,
        preview_extension=preview_extension,
        mini_preview=buffer.getvalue(),
    )


def _fit(image: Image.Image, width: int, height: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((width, height))
    return copy


def _encode(image: Image.Image) -> tuple[bytes, str]:
    """PNG when the image has transparency, JPEG otherwise (as Mattermost's previews)."""
    buffer = io.BytesIO()
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        image.convert("RGBA").save(buffer, "PNG")
        return buffer.getvalue(), "png"
    image.convert("RGB").save(buffer, "JPEG", quality=85)
    return buffer.getvalue(), "jpg"
