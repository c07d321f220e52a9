"""The image proxy on a server with link previews off (the shared test servers): it fetches
nothing for anyone, even from an allow-listed address. Its other stories run on a server with
previews on, in tests/api/test_link_previews.py."""

from collections.abc import Iterator

import pytest

from tests.api.test_link_previews import configure, proxied
from tests.previews.recorder import Recorder
from tests.support.client import World, expect_error


@pytest.fixture
def allowed_site(world: World) -> Iterator[Recorder]:
    site = Recorder("127.0.0.1")
    configure(world.admin, ServiceSettings__AllowedUntrustedInternalConnections="127.0.0.1")
    yield site
    configure(world.admin, ServiceSettings__AllowedUntrustedInternalConnections="")
    site.close()


def test_with_previews_off_the_image_proxy_fetches_nothing(world: World, allowed_site: Recorder) -> None:
    assert world.hamlet.ok("GET", "/config/client?format=old")["EnableLinkPreviews"] == "false"
    expect_error(proxied(world.hamlet, allowed_site.url("/image.png")), 404, "api.image.get.app_error")
    expect_error(world.hamlet.request("GET", "/image"), 404, "api.image.get.app_error")
    assert allowed_site.paths == []
