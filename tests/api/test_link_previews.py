"""Link previews through the API: a posted link is fetched in the background, its preview lands
in the post's metadata and reaches clients as post_edited; POST /opengraph; and a server that
has not allow-listed loopback never reaches the loopback recorder, however the link is spelled.

These tests run their own servers, with previews on (the shared test servers have them off, so
that no other test makes a server reach out); every link points at a recorder on loopback.
"""

import json
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.test_posts import post, private_channel
from tests.previews.recorder import Recorder, gif, png
from tests.support.client import API, World, expect_error, login
from tests.support.server import ADMIN_PASSWORD, ServerProcess, running_servers


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    env = {
        "VILLAGEPUMP_LINK_PREVIEW_MAX_HTML_BYTES": "65536",
        "VILLAGEPUMP_LINK_PREVIEW_MAX_IMAGE_BYTES": "65536",
    }
    # Previews on, as by default, and not locked: a test turns them off through the config API.
    with running_servers(request.param, env=env, unset=("VILLAGEPUMP_ENABLE_LINK_PREVIEWS",)) as (started,):
        yield started


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> API:
    return login(server.url, "sysadmin", ADMIN_PASSWORD)


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    started = Recorder("127.0.0.1")
    yield started
    started.close()


def configure(admin: API, **service: Any) -> None:
    sections: dict[str, dict[str, Any]] = {}
    for path, value in service.items():
        section, key = path.split("__")
        sections.setdefault(section, {})[key] = value
    admin.ok("PUT", "/config/patch", sections)


@pytest.fixture
def allow_loopback(admin: API) -> Iterator[None]:
    configure(admin, ServiceSettings__AllowedUntrustedInternalConnections="127.0.0.1")
    yield
    configure(
        admin,
        ServiceSettings__AllowedUntrustedInternalConnections="",
        ExperimentalSettings__LinkMetadataTimeoutMilliseconds=5000,
    )


def previews_waiting(server: ServerProcess) -> bool:
    """Whether link_preview outbox items are waiting or under way (villagepump jobs list)."""
    listing = server.cli("jobs", "list")
    assert listing.returncode == 0, listing.stderr
    return re.search(r"^\s*link_preview\s+(pending|in_progress)\s", listing.stdout, re.MULTILINE) is not None


def wait_for_previews(server: ServerProcess, within: float = 60) -> None:
    """Until every link preview queued so far has been carried out."""
    deadline = time.monotonic() + within
    while previews_waiting(server):
        assert time.monotonic() < deadline, "link previews are still waiting"
        time.sleep(0.2)


def edited_post(stream: Any, post_id: str, within: float = 20) -> dict[str, Any]:
    deadline = time.monotonic() + within
    while True:
        event = stream.expect("post_edited", timeout=max(deadline - time.monotonic(), 0.1))
        edited: dict[str, Any] = json.loads(event["data"]["post"])
        if edited["id"] == post_id:
            return edited


def test_a_posted_link_is_previewed_in_the_background_and_clients_hear_of_it(
    world: World, recorder: Recorder, allow_loopback: None
) -> None:
    link = recorder.url("/page")
    stream = world.othello.websocket()
    try:
        created = post(world.hamlet, world.town_square, f"Have you read {link} yet?")
        # The post did not wait for the page: it has no preview yet.
        assert "embeds" not in created["metadata"]
        edited = edited_post(stream, created["id"])
    finally:
        stream.close()
    embed = edited["metadata"]["embeds"]
    assert [(e["type"], e["url"]) for e in embed] == [("opengraph", link)]
    og = embed[0]["data"]
    assert og["title"] == "Elsinore & its ramparts" and og["site_name"] == "Elsinore"
    assert og["description"] == "Something is rotten \u2014 in the state of Denmark"
    image_url = recorder.url("/image.png")
    assert og["images"][0]["url"] == image_url
    assert edited["metadata"]["images"] == {
        image_url: {"width": 40, "height": 30, "format": "png", "frame_count": 0}
    }
    assert edited["update_at"] > created["update_at"] and edited["edit_at"] == 0
    fetched = world.hamlet.ok("GET", f"/posts/{created['id']}")
    assert fetched["metadata"]["embeds"] == embed
    since = world.hamlet.ok(
        "GET", f"/channels/{world.town_square['id']}/posts?since={created['update_at'] + 1}"
    )
    assert since["posts"][created["id"]]["metadata"]["embeds"] == embed
    assert sorted(recorder.paths) == ["/image.png", "/page"]
    assert all(seen.headers["user-agent"].endswith("(link preview)") for seen in recorder.requests)

    # The same link again comes from the cache, at once and without asking the site.
    again = post(world.othello, world.town_square, link)
    assert again["metadata"]["embeds"] == embed
    assert sorted(recorder.paths) == ["/image.png", "/page"]


def test_an_image_link_gets_its_size_and_an_edit_is_previewed_too(
    world: World, recorder: Recorder, allow_loopback: None
) -> None:
    created = post(world.hamlet, world.town_square, "no link yet")
    stream = world.hamlet.websocket()
    try:
        gif = recorder.url("/anim.gif")
        world.hamlet.ok("PUT", f"/posts/{created['id']}/patch", {"message": f"look: {gif}"})
        edited = edited_post(stream, created["id"])
        while "embeds" not in edited["metadata"]:  # the edit's own post_edited comes first
            edited = edited_post(stream, created["id"])
    finally:
        stream.close()
    assert edited["metadata"]["embeds"] == [{"type": "image", "url": gif}]
    assert edited["metadata"]["images"] == {
        gif: {"width": 16, "height": 8, "format": "gif", "frame_count": 3}
    }


def test_redirects_are_followed_and_pages_without_opengraph_get_a_link_embed(
    world: World, recorder: Recorder, allow_loopback: None, server: ServerProcess
) -> None:
    chained = post(world.hamlet, world.town_square, recorder.url("/redirect/3"))
    other = post(world.hamlet, world.town_square, recorder.url("/json"))
    wait_for_previews(server)
    found = world.hamlet.ok("GET", f"/posts/{chained['id']}")["metadata"]["embeds"][0]
    assert found["type"] == "opengraph" and found["data"]["title"] == "Elsinore & its ramparts"
    # og:url is the link as posted, not where the redirects led.
    assert found["url"] == found["data"]["url"] == recorder.url("/redirect/3")
    assert world.hamlet.ok("GET", f"/posts/{other['id']}")["metadata"]["embeds"] == [
        {"type": "link", "url": recorder.url("/json")}
    ]
    assert recorder.paths.count("/redirect/1") == 1


def test_a_huge_page_is_cut_short_and_a_slow_one_gives_up(
    world: World, recorder: Recorder, allow_loopback: None, admin: API
) -> None:
    huge = world.hamlet.ok("POST", "/opengraph", {"url": recorder.url("/huge")})
    # The server reads 64 KB of it (VILLAGEPUMP_LINK_PREVIEW_MAX_HTML_BYTES): the og:type near the
    # top is found, the title two megabytes down is not.
    assert huge["type"] == "article" and huge["title"] == ""
    configure(admin, ExperimentalSettings__LinkMetadataTimeoutMilliseconds=1000)
    started = time.monotonic()
    assert world.hamlet.ok("POST", "/opengraph", {"url": recorder.url("/slow")}) == {"url": ""}
    assert time.monotonic() - started < 10


def test_opengraph_answers_the_data_of_a_url_and_caches_it(
    world: World, recorder: Recorder, allow_loopback: None
) -> None:
    link = recorder.url("/plain")
    first = world.othello.ok("POST", "/opengraph", {"url": link})
    assert first["title"] == "Just a title" and first["url"] == "" and first["images"] is None
    assert world.cordelia.ok("POST", "/opengraph", {"url": link}) == first  # any logged-in user
    assert recorder.paths == ["/plain"]
    assert world.othello.ok("POST", "/opengraph", {"url": recorder.url("/image.png")}) == {"url": ""}


def test_opengraph_refuses_bad_requests(world: World, anonymous: API) -> None:
    assert anonymous.post("/opengraph", {"url": "https://example.org"}).status_code == 401
    for body in ({}, {"url": ""}, {"url": 5}, {"url": None}):
        expect_error(world.hamlet.post("/opengraph", body), 400, "api.context.invalid_param.app_error")
    for url in ("not a url", "ftp://127.0.0.1/", "file:///etc/passwd", "http://" + "a" * 3000 + ".org/"):
        assert world.hamlet.ok("POST", "/opengraph", {"url": url}) == {"url": ""}


LOOPBACK_HOSTS = ["127.0.0.1", "127.5.6.7", "2130706433", "0x7f000001", "0177.0.0.1", "127.1",
                  "[::ffff:127.0.0.1]", "localhost", "0.0.0.0"]  # fmt: skip


def test_without_the_allow_list_no_spelling_of_loopback_is_ever_fetched(
    world: World, recorder: Recorder, server: ServerProcess
) -> None:
    posts = [post(world.hamlet, world.town_square, recorder.url("/page", host=h)) for h in LOOPBACK_HOSTS]
    wait_for_previews(server)
    for host in [*LOOPBACK_HOSTS, "[::1]"]:
        assert world.hamlet.ok("POST", "/opengraph", {"url": recorder.url("/page", host=host)}) == {"url": ""}
    for created in posts:
        assert "embeds" not in world.hamlet.ok("GET", f"/posts/{created['id']}")["metadata"]
    assert recorder.paths == []


def test_restricted_domains_and_disabled_previews_fetch_nothing(
    world: World, recorder: Recorder, allow_loopback: None, admin: API, server: ServerProcess
) -> None:
    configure(admin, ServiceSettings__RestrictLinkPreviews="127.0.0.1")
    try:
        config = world.hamlet.ok("GET", "/config/client?format=old")
        assert config["EnableLinkPreviews"] == "true" and config["RestrictLinkPreviews"] == "127.0.0.1"
        created = post(world.hamlet, world.town_square, recorder.url("/page"))
    finally:
        configure(admin, ServiceSettings__RestrictLinkPreviews="")
    # Nothing was queued for it: once another post's preview is done, only that one was fetched.
    post(world.hamlet, world.town_square, recorder.url("/plain"))
    wait_for_previews(server)
    assert recorder.paths == ["/plain"]
    assert "embeds" not in world.hamlet.ok("GET", f"/posts/{created['id']}")["metadata"]


def test_turning_previews_off_hides_those_already_fetched(
    world: World, recorder: Recorder, allow_loopback: None, admin: API, server: ServerProcess
) -> None:
    created = post(world.hamlet, world.town_square, recorder.url("/page"))
    wait_for_previews(server)
    path = f"/posts/{created['id']}"
    assert world.hamlet.ok("GET", path)["metadata"]["embeds"][0]["type"] == "opengraph"
    channel_posts = f"/channels/{world.town_square['id']}/posts"
    configure(admin, ServiceSettings__EnableLinkPreviews=False)
    try:
        assert world.hamlet.ok("GET", "/config/client?format=old")["EnableLinkPreviews"] == "false"
        # As Mattermost: the setting decides when posts are served, not only when links are fetched.
        assert "embeds" not in world.hamlet.ok("GET", path)["metadata"]
        assert "embeds" not in world.hamlet.ok("GET", channel_posts)["posts"][created["id"]]["metadata"]
        assert "images" not in world.hamlet.ok("GET", path)["metadata"]
    finally:
        configure(admin, ServiceSettings__EnableLinkPreviews=True)
    assert world.hamlet.ok("GET", path)["metadata"]["embeds"][0]["type"] == "opengraph"


def test_previews_of_private_channels_stay_in_them(
    world: World, recorder: Recorder, allow_loopback: None
) -> None:
    secret = private_channel(world, world.hamlet)
    outsider = world.othello.websocket()
    insider = world.hamlet.websocket()
    try:
        created = post(world.hamlet, secret, recorder.url("/page"))
        assert edited_post(insider, created["id"])["metadata"]["embeds"][0]["type"] == "opengraph"
        outsider.expect_none("post_edited", within=1)
    finally:
        insider.close()
        outsider.close()
    assert world.othello.get(f"/posts/{created['id']}").status_code == 403


def test_results_are_cached_and_failures_for_less_time(
    world: World, recorder: Recorder, allow_loopback: None, admin: API
) -> None:
    failing, fine = recorder.url("/status/500"), recorder.url("/plain")
    configure(admin, VillagepumpSettings__LinkPreviewFailureCacheSeconds=1)
    try:
        for _ in range(2):
            assert world.hamlet.ok("POST", "/opengraph", {"url": failing}) == {"url": ""}
            assert world.hamlet.ok("POST", "/opengraph", {"url": fine})["title"] == "Just a title"
        assert recorder.paths == ["/status/500", "/plain"]
        time.sleep(1.5)
        world.hamlet.ok("POST", "/opengraph", {"url": failing})
        world.hamlet.ok("POST", "/opengraph", {"url": fine})
        assert recorder.paths == ["/status/500", "/plain", "/status/500"]
    finally:
        configure(admin, VillagepumpSettings__LinkPreviewFailureCacheSeconds=600)


def proxied(api: API, url: str) -> Any:
    return api.request("GET", "/image", params={"url": url})


def test_the_image_proxy_serves_a_previews_picture_from_this_server(
    world: World, recorder: Recorder, allow_loopback: None
) -> None:
    # The web client's Content-Security-Policy loads images from its own origin only; a
    # preview's picture comes through GET /image, as with Mattermost's image proxy.
    answer = proxied(world.othello, recorder.url("/image.png"))
    assert answer.status_code == 200, answer.text
    assert answer.content == png()
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["content-security-policy"] == "default-src 'none'; sandbox"
    assert answer.headers["cache-control"].startswith("private")
    assert "set-cookie" not in answer.headers  # the site's cookie stays with the server, unkept
    # The type comes from the bytes, not from what the site claims.
    disguised = proxied(world.othello, recorder.url("/disguised"))
    assert disguised.status_code == 200 and disguised.headers["content-type"] == "image/png"
    animated = proxied(world.hamlet, recorder.url("/anim.gif"))
    assert animated.content == gif() and animated.headers["content-type"] == "image/gif"
    # Asked again, by anyone, it comes from the cache.
    assert proxied(world.hamlet, recorder.url("/image.png")).content == png()
    assert sorted(recorder.paths) == ["/anim.gif", "/disguised", "/image.png"]
    seen = recorder.requests[0].headers
    assert "cookie" not in seen and seen["user-agent"].endswith("(link preview)")


def test_the_image_proxy_serves_nothing_but_whole_raster_pictures(
    world: World, recorder: Recorder, allow_loopback: None
) -> None:
    for path in ("/drawing.svg", "/page", "/json", "/big.png", "/status/404", "/status/500"):
        expect_error(proxied(world.hamlet, recorder.url(path)), 404, "api.image.get.app_error")
    for url in ("ftp://127.0.0.1/x.png", "file:///etc/passwd", "javascript:alert(1)", "/api/v4/users/me"):
        expect_error(proxied(world.hamlet, url), 404, "api.image.get.app_error")
    expect_error(world.hamlet.request("GET", "/image"), 400, "api.context.invalid_param.app_error")
    assert "/drawing.svg" in recorder.paths and "/big.png" in recorder.paths


def test_the_image_proxy_is_for_signed_in_users_and_never_reaches_loopback_unless_allowed(
    world: World, recorder: Recorder, anonymous: API, admin: API
) -> None:
    expect_error(proxied(anonymous, recorder.url("/image.png")), 401, "api.context.session_expired.app_error")
    for host in [*LOOPBACK_HOSTS, "[::1]"]:
        expect_error(
            proxied(world.hamlet, recorder.url("/image.png", host=host)), 404, "api.image.get.app_error"
        )
    # An allowed address that redirects elsewhere on loopback is refused at the redirect:
    # localhost is also [::1], which the allow-list does not name.
    configure(admin, ServiceSettings__AllowedUntrustedInternalConnections="127.0.0.1")
    try:
        redirect = recorder.url("/to?u=" + recorder.url("/image.png", host="localhost"))
        expect_error(proxied(world.hamlet, redirect), 404, "api.image.get.app_error")
    finally:
        configure(admin, ServiceSettings__AllowedUntrustedInternalConnections="")
    assert recorder.paths == [redirect.removeprefix(recorder.url(""))]
