"""Remote pictures shown through this server: Mattermost's image proxy (GET /api/v4/image?url=).

The web client's Content-Security-Policy lets a page load images from this origin only, and a
reader's browser should never contact a site a message links to: the site would learn who reads
the message, from where and when. So the server fetches the picture instead, with the link
previews' care (fetch.py: public addresses only, the connection pinned, every redirect checked,
size and time limits, no cookies), keeps it only when the bytes are a raster image Pillow
recognises (never SVG or anything else a browser could run), and serves it with the type read
from the bytes, not the one the remote site claimed. Results, failures included, are kept for a
while in a small cache in memory, so a picture shown to a whole channel is fetched once.
"""

import asyncio
import logging
from collections import OrderedDict
from dataclasses import dataclass

from villagepump.config import Settings
from villagepump.previews.fetch import Resolver, fetch
from villagepump.previews.images import image_info
from villagepump.previews.links import cache_key
from villagepump.previews.lookup import policy_for
from villagepump.previews.urls import FetchFailed

log = logging.getLogger("villagepump.previews")

# The media type for each format image_info recognises.
_MEDIA_TYPES = {
    "png": "image/png",
    "gif": "image/gif",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "bmp": "image/bmp",
}


@dataclass(frozen=True)
class ProxiedImage:
    media_type: str
    body: bytes


@dataclass(frozen=True)
class _Entry:
    image: ProxiedImage | None  # None: the fetch failed or the bytes were not a picture
    expires_at: float  # monotonic seconds


class ImageCache:
    """The most recently used pictures, up to `max_bytes` in all; failures take no room."""

    def __init__(self, max_bytes: int = 32 * 1024 * 1024) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._bytes = 0

    def get(self, key: str, now: float) -> _Entry | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry.expires_at <= now:
            self._drop(key)
            return None
        self._entries.move_to_end(key)
        return entry

    def put(self, key: str, image: ProxiedImage | None, expires_at: float) -> None:
        self._drop(key)
        size = len(image.body) if image else 0
        if size > self.max_bytes:
            return
        self._entries[key] = _Entry(image, expires_at)
        self._bytes += size
        while self._bytes > self.max_bytes:
            self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        entry = self._entries.pop(key, None)
        if entry is not None and entry.image is not None:
            self._bytes -= len(entry.image.body)


async def proxied_image(
    url: str,
    settings: Settings,
    cache: ImageCache,
    now: float,
    resolver: Resolver | None = None,
) -> ProxiedImage | None:
    """The picture at `url`, or None when there is none to show: a link that is never fetched,
    an address refused, a failure, something that is not a whole raster image. The caller answers
    all of these the same way, so the proxy cannot be used to tell which addresses exist. `now`
    is the runtime clock's monotonic time."""
    try:
        key = cache_key(url)
    except FetchFailed:
        return None
    cached = cache.get(key, now)
    if cached is not None:
        return cached.image
    image = await _fetch_image(key, settings, resolver)
    keep = settings.link_preview_cache_seconds if image else settings.link_preview_failure_cache_seconds
    cache.put(key, image, now + keep)
    return image


async def _fetch_image(url: str, settings: Settings, resolver: Resolver | None) -> ProxiedImage | None:
    try:
        fetched = await fetch(url, policy_for(settings), resolver)
    except FetchFailed as failure:
        log.debug("no proxied image: %s", failure)
        return None
    except Exception:
        log.warning("unexpected error fetching a proxied image", exc_info=True)
        return None
    if fetched.truncated:
        return None  # over the size limit: a cut-off picture is not served
    info = await asyncio.to_thread(image_info, fetched.body)
    if info is None:
        return None
    return ProxiedImage(_MEDIA_TYPES[info["format"]], fetched.body)
