"""The image proxy's picture cache and its fetch, against a recorder on loopback (the API's side is
in tests/api/test_link_previews.py)."""

import asyncio
from collections.abc import Iterator

import pytest

from tests.previews.recorder import Recorder, png
from villagepump.config import Settings
from villagepump.previews.image_proxy import ImageCache, ProxiedImage, proxied_image


def picture(size: int) -> ProxiedImage:
    return ProxiedImage("image/png", b"x" * size)


def test_the_cache_keeps_the_most_recently_used_pictures_within_its_bytes() -> None:
    cache = ImageCache(max_bytes=100)
    cache.put("a", picture(40), expires_at=10)
    cache.put("b", picture(40), expires_at=10)
    assert cache.get("a", now=1) is not None  # a is now the most recently used
    cache.put("c", picture(40), expires_at=10)
    assert cache.get("b", now=1) is None
    assert cache.get("a", now=1) is not None and cache.get("c", now=1) is not None
    # Failures take no room; an entry past its time is gone; one too big is not kept at all.
    cache.put("failed", None, expires_at=5)
    entry = cache.get("failed", now=1)
    assert entry is not None and entry.image is None
    assert cache.get("failed", now=5) is None
    cache.put("huge", picture(101), expires_at=10)
    assert cache.get("huge", now=1) is None
    assert cache.get("a", now=1) is not None


@pytest.fixture
def site() -> Iterator[Recorder]:
    started = Recorder("127.0.0.1")
    yield started
    started.close()


def test_a_picture_is_fetched_once_and_a_failure_is_remembered_for_less_time(site: Recorder) -> None:
    settings = Settings(
        allowed_untrusted_internal_connections="127.0.0.1",
        link_preview_cache_seconds=100,
        link_preview_failure_cache_seconds=10,
    )
    cache = ImageCache()

    async def ask(path: str, now: float) -> ProxiedImage | None:
        return await proxied_image(site.url(path), settings, cache, now)

    async def story() -> None:
        assert await ask("/image.png", 0) == ProxiedImage("image/png", png())
        assert await ask("/image.png", 99) == ProxiedImage("image/png", png())
        assert await ask("/page", 0) is None
        assert await ask("/page", 9) is None
        assert site.paths == ["/image.png", "/page"]
        assert await ask("/page", 10) is None
        assert await ask("/image.png", 100) is not None
        assert site.paths == ["/image.png", "/page", "/page", "/image.png"]
        # Refused without the allow-list, and never asked.
        assert await proxied_image(site.url("/anim.gif"), Settings(), cache, 0) is None
        assert "/anim.gif" not in site.paths

    asyncio.run(story())
