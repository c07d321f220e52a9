"""What a link shows: fetched safely, then read as a page's OpenGraph data or an image's size."""

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from villagepump import __version__
from villagepump.config import Settings
from villagepump.previews.addresses import AllowList
from villagepump.previews.fetch import Fetched, Policy, Resolver, fetch
from villagepump.previews.images import image_info
from villagepump.previews.opengraph import decode_html, parse_opengraph
from villagepump.previews.urls import FetchFailed

log = logging.getLogger("villagepump.previews")

_IMAGE_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"RIFF", b"BM")


@dataclass(frozen=True)
class Preview:
    """One link's outcome, as the cache stores it (store/link_previews.py)."""

    kind: str  # opengraph, image, none or failed
    data: dict[str, Any] = field(default_factory=dict)
    error: str = ""


def policy_for(settings: Settings) -> Policy:
    return Policy(
        allowed=AllowList.parse(settings.allowed_untrusted_internal_connections),
        # Honest about who asks, so a site can tell a chat server's preview from a person.
        user_agent=f"Villagepump/{__version__} (link preview)",
        timeout_seconds=settings.link_preview_timeout_ms / 1000,
        max_html_bytes=settings.link_preview_max_html_bytes,
        max_image_bytes=settings.link_preview_max_image_bytes,
        accept_language=settings.default_server_locale or "en",
    )


async def look_up(link: str, policy: Policy, resolver: Resolver | None = None) -> Preview:
    """Never raises for anything the remote side does: a refusal or failure is a Preview too."""
    try:
        fetched = await fetch(link, policy, resolver)
    except FetchFailed as failure:
        log.debug("no preview for a link: %s", failure)
        return Preview("failed", error=str(failure)[:1000])
    except Exception as error:
        # Something the remote side sent that the HTTP layer did not expect: a failed preview,
        # not a retried outbox item, and a trace for the server's maintainers.
        log.warning("unexpected error fetching a link preview", exc_info=True)
        return Preview("failed", error=f"{type(error).__name__}"[:1000])
    kind = _kind(fetched)
    if kind == "image":
        info = await asyncio.to_thread(image_info, fetched.body)
        return Preview("image", {"image": info}) if info else Preview("none")
    if kind == "html":
        html = decode_html(fetched.body, fetched.charset)
        og = await asyncio.to_thread(parse_opengraph, html, fetched.url, link)
        if og is None:
            return Preview("none")
        return Preview("opengraph", {"opengraph": og, "images": await _og_image_sizes(og, policy, resolver)})
    return Preview("none")  # neither a page nor an image: nothing is parsed


def _kind(fetched: Fetched) -> str:
    media_type = fetched.content_type
    if not media_type:
        head = fetched.body[:512].lstrip().lower()
        if head.startswith(_IMAGE_MAGIC) or head.startswith(b"\xff\xd8"):
            return "image"
        if head.startswith((b"<!doctype html", b"<html", b"<head", b"<meta")):
            return "html"
        return ""
    if media_type == "image/svg+xml":
        return ""  # never measured or shown inline (Mattermost MM-67372): SVG can carry script
    if media_type.startswith("image/"):
        return "image"
    if media_type in ("text/html", "application/xhtml+xml"):
        return "html"
    return ""


async def _og_image_sizes(og: dict[str, Any], policy: Policy, resolver: Resolver | None) -> dict[str, Any]:
    """The size of the page's first image, fetched with the same care: clients lay the preview
    out before the image arrives."""
    for image in og.get("images") or []:
        url = image.get("secure_url") or image.get("url")
        if not url:
            continue
        try:
            fetched = await fetch(url, policy, resolver)
        except FetchFailed as failure:
            log.debug("no size for a preview image: %s", failure)
            return {}
        info = await asyncio.to_thread(image_info, fetched.body) if _kind(fetched) == "image" else None
        return {url: info} if info else {}
    return {}
