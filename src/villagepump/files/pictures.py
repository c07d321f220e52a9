"""Small square pictures and custom emoji, made from uploads with Pillow the way Mattermost makes
them: profile pictures and team icons filled and centre-cropped to 128x128 PNG, emoji fitted into
128x128 with GIF animation kept. Everything is re-encoded from pixels, so no EXIF, GPS or other
metadata survives, and runs in a worker thread (`asyncio.to_thread`).
"""

import asyncio
import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from villagepump.files.images import MAX_PIXELS, BrokenImage, ImageTooLarge

PICTURE_SIZE = 128
EMOJI_SIZE = 128
# Mattermost refuses emoji larger than this before resizing them (MaxEmojiOriginalWidth/Height).
EMOJI_MAX_ORIGINAL = 1028
# Only these decoders ever see an upload: Pillow also opens formats whose loaders run other programs
# (EPS runs Ghostscript) or that no browser shows.
_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF")
# An animation is every frame decoded: bounded like a still image of four times the pixels.
_MAX_ANIMATION_PIXELS = MAX_PIXELS * 4


class NotAnImage(Exception):
    """Pillow does not recognise the bytes as an image in one of the accepted formats (SVG, HTML, ...)."""


class EmojiTooLarge(Exception):
    """Wider or taller than EMOJI_MAX_ORIGINAL."""


@contextmanager
def _opened(path: Path) -> Iterator[Image.Image]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path, formats=_FORMATS) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ImageTooLarge(width, height)
                yield image
    except UnidentifiedImageError as error:
        raise NotAnImage(str(error)) from error
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageTooLarge(0, 0) from error
    except (OSError, SyntaxError, ValueError, EOFError, MemoryError) as error:
        raise BrokenImage(str(error)) from error


def _pixels_only(image: Image.Image) -> Image.Image:
    """A fresh RGBA image with the pixels and nothing else (no EXIF, ICC, XMP, text chunks)."""
    rgba = image.convert("RGBA")
    return Image.frombytes("RGBA", rgba.size, rgba.tobytes())


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def square_picture(path: Path, size: int = PICTURE_SIZE) -> bytes:
    """A profile picture or team icon: the upright image, scaled to fill `size` x `size` and
    cropped around its centre (Mattermost's FillCenter), as PNG. An animation gives its first frame."""
    with _opened(path) as image:
        image.seek(0)
        image.load()
        upright = ImageOps.exif_transpose(image) or image
        filled = ImageOps.fit(_pixels_only(upright), (size, size), Image.Resampling.LANCZOS)
        return _png(filled)


def emoji_picture(path: Path) -> tuple[bytes, str]:
    """A custom emoji's stored bytes and their type: fitted into EMOJI_SIZE x EMOJI_SIZE keeping its
    proportions (never enlarged), PNG for a still image, GIF for an animation (still animated)."""
    with _opened(path) as image:
        width, height = image.size
        if width > EMOJI_MAX_ORIGINAL or height > EMOJI_MAX_ORIGINAL:
            raise EmojiTooLarge(f"{width}x{height}")
        frames = getattr(image, "n_frames", 1)
        if image.format == "GIF" and frames > 1:
            if width * height * frames > _MAX_ANIMATION_PIXELS:
                raise ImageTooLarge(width, height)
            return _animated_emoji(image), "image/gif"
        image.load()
        upright = ImageOps.exif_transpose(image) or image
        still = _pixels_only(upright)
        still.thumbnail((EMOJI_SIZE, EMOJI_SIZE), Image.Resampling.LANCZOS)
        return _png(still), "image/png"


def _animated_emoji(image: Image.Image) -> bytes:
    frames: list[Image.Image] = []
    durations: list[int] = []
    for frame in ImageSequence.Iterator(image):
        # Each frame as it shows on screen, earlier frames and disposal applied.
        still = _pixels_only(frame)
        still.thumbnail((EMOJI_SIZE, EMOJI_SIZE), Image.Resampling.LANCZOS)
        frames.append(still)
        durations.append(int(frame.info.get("duration", image.info.get("duration", 100)) or 100))
    buffer = io.BytesIO()
    frames[0].save(
        buffer,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=durations,
        loop=int(image.info.get("loop", 0)),
        disposal=2,
        optimize=False,
    )
    return buffer.getvalue()


# Profile pictures and emoji are small, but their uploads need not be: two decodes at a time.
_DECODING = asyncio.Semaphore(2)


async def square_picture_in_thread(path: Path) -> bytes:
    async with _DECODING:
        return await asyncio.to_thread(square_picture, path)


async def emoji_picture_in_thread(path: Path) -> tuple[bytes, str]:
    async with _DECODING:
        return await asyncio.to_thread(emoji_picture, path)
