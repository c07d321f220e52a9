"""Link previews in a real browser: the linked page's picture shows under the message, loaded
through the server's image proxy, because the Content-Security-Policy the server sends keeps
the page from loading it from the site itself (and the reader's browser never contacts the site).
The linked site is a recorder on loopback, which this story's own server may reach. A reader
who turns previews off in the display settings sees none."""

from collections.abc import Iterator
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from tests.previews.recorder import Recorder
from tests.support.client import create_user, login, unique
from tests.support.server import ADMIN_PASSWORD, running_servers
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_chat import message
from tests.web.test_settings import open_settings

# Resolves "loaded" or "blocked" for an image the page itself asks for.
LOAD_IMAGE = """url => new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve('loaded');
    image.onerror = () => resolve('blocked');
    image.src = url;
})"""


@pytest.fixture
def linked_site() -> Iterator[Recorder]:
    site = Recorder("127.0.0.1")
    yield site
    site.close()


@sqlite_only
def test_a_link_preview_shows_the_pages_picture_through_the_server(
    open_page: OpenPage, linked_site: Recorder
) -> None:
    # The shared servers run with previews off; this one has them on, and may reach loopback.
    env = {
        "VILLAGEPUMP_ENABLE_LINK_PREVIEWS": "true",
        "VILLAGEPUMP_ALLOWED_UNTRUSTED_INTERNAL_CONNECTIONS": "127.0.0.1",
    }
    with running_servers("sqlite", env=env) as (server,):
        admin = login(server.url, "sysadmin", ADMIN_PASSWORD)
        team = admin.ok(
            "POST", "/teams", {"name": unique("elsinore-"), "display_name": "Elsinore", "type": "O"}
        )
        reader, poster = create_user(admin, "hamlet"), create_user(admin, "othello")
        for user in (reader, poster):
            admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": user.id})
        town_square = reader.ok("GET", f"/teams/{team['id']}/channels/name/town-square")

        page, errors = open_page(base_url=server.url)
        sign_in(page, reader.username, f"/{team['name']}/channels/town-square")
        # The policy the server sends: a picture straight from the site is refused by the browser.
        assert page.evaluate(LOAD_IMAGE, linked_site.url("/image.png")) == "blocked"
        assert any("Content Security Policy" in error for error in errors) and linked_site.paths == []
        errors.clear()

        poster.ok(
            "POST", "/posts", {"channel_id": town_square["id"], "message": f"See {linked_site.url('/page')}"}
        )
        preview = message(page, "See http").locator(".link-preview")
        expect(preview.get_by_role("link", name="Elsinore & its ramparts")).to_be_visible()
        picture = preview.locator("img")
        expect(picture).to_be_visible()
        # Loaded and drawn: its real width, not a broken image's.
        expect(picture).to_have_js_property("naturalWidth", 40)
        source = picture.get_attribute("src") or ""
        assert source.endswith("/api/v4/image?url=" + quote(linked_site.url("/image.png"), safe="")), source
        # All the site saw came from the server, which names itself; nothing from the browser.
        assert sorted(linked_site.paths) == ["/image.png", "/image.png", "/page"]
        assert all(seen.headers["user-agent"].endswith("(link preview)") for seen in linked_site.requests)

        # The reader turns previews off for themselves: gone at once, kept where Mattermost keeps it.
        open_settings(page, "Display")
        page.get_by_label("Off: links show as plain links").check()
        page.keyboard.press("Escape")
        expect(preview).to_have_count(0)
        saved = reader.ok("GET", "/users/me/preferences/display_settings")
        assert {"name": "link_previews", "value": "false"} in [
            {"name": item["name"], "value": item["value"]} for item in saved
        ]
        assert errors == [], errors
