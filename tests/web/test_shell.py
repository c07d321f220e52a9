"""The app as an installed program: it opens offline on the channel last read (service worker),
forgets that user's data at sign-out, and mirrors its layout in a right-to-left locale."""

import re

import httpx
from playwright.sync_api import Page, expect

from tests.support.client import World
from tests.support.server import ServerProcess
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from villagepump.api import webapp

API_CACHE = "villagepump-api-v1"
SHELL_CACHE = "villagepump-shell-v1"
SHELL_PATHS = f"""async () => (await (await caches.open({SHELL_CACHE!r})).keys())
    .map((request) => new URL(request.url).pathname)"""


def wait_for_worker(page: Page) -> None:
    """The worker controls the page once it has installed (the app shell cached) and activated."""
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)


@sqlite_only
def test_manifest_and_worker_are_served_to_install_the_app(server: ServerProcess) -> None:
    manifest = httpx.get(server.url + "/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest.headers["content-type"] == "application/manifest+json"
    assert manifest.headers["cache-control"] == "no-cache"
    body = manifest.json()
    assert body["name"] == "Villagepump" and body["start_url"] == "/" and body["display"] == "standalone"
    assert {icon["sizes"] for icon in body["icons"]} >= {"192x192", "512x512"}
    for icon in body["icons"]:
        assert httpx.get(server.url + icon["src"]).status_code == 200

    worker = httpx.get(server.url + "/sw.js")
    assert worker.status_code == 200
    assert worker.headers["content-type"].startswith("text/javascript")
    # Browsers look for a new worker on every visit: never an immutable copy.
    assert worker.headers["cache-control"] == "no-cache"
    page = httpx.get(server.url + "/login")
    policy = page.headers["content-security-policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page.text


@sqlite_only
def test_the_app_opens_offline_on_the_last_channel_and_forgets_it_at_sign_out(
    open_page: OpenPage, world: World
) -> None:
    team = world.team["name"]
    world.hamlet.ok(
        "POST", "/posts", {"channel_id": world.off_topic["id"], "message": "To sleep, perchance to dream"}
    )
    page, _ = open_page()
    page.goto("/login")
    wait_for_worker(page)
    sign_in(page, world.othello.username, f"/{team}/channels/off-topic")
    dream = page.locator(".post-list article.post", has_text="To sleep, perchance to dream")
    expect(dream).to_be_visible()

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#channel-title")).to_have_text("Off-Topic")
    expect(dream).to_be_visible()
    expect(page.locator(".sidebar .channel-link", has_text="Town Square")).to_be_visible()
    assert page.evaluate(f"async () => (await (await caches.open({API_CACHE!r})).keys()).length") > 0

    # Every part of the app was cached when the worker installed, not only the first page's: with
    # the browser's own HTTP cache emptied, a part first opened offline (the switcher) still loads.
    scripts = {f"/assets/{path.name}" for path in (webapp.STATIC_DIR / "assets").glob("*.js")}
    missing = scripts - set(page.evaluate(SHELL_PATHS))
    assert not missing, sorted(missing)[:5]
    page.context.new_cdp_session(page).send("Network.clearBrowserCache")
    page.reload()
    expect(dream).to_be_visible()
    page.keyboard.press("Control+k")
    switcher = page.get_by_role("dialog", name="Switch channels")
    switcher.get_by_label("Find a channel or a person").fill("town")
    expect(switcher.get_by_role("option", name=re.compile("Town Square"))).to_be_visible()
    page.keyboard.press("Escape")

    page.context.set_offline(False)
    page.reload()
    expect(dream).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("#login-id")).to_be_visible()
    page.wait_for_function(f"async () => !(await caches.has({API_CACHE!r}))")

    # Offline again, the next person at this browser finds no one's messages.
    page.context.set_offline(True)
    page.goto(f"/{team}/channels/off-topic")
    expect(page.locator("#login-id")).to_be_visible()
    expect(dream).to_have_count(0)


@sqlite_only
def test_a_right_to_left_locale_mirrors_the_layout(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    world.hamlet.ok(
        "POST", "/posts", {"channel_id": world.town_square["id"], "message": "שלום, mixed with English"}
    )
    page, errors = open_page()
    page.context.add_init_script("localStorage.setItem('villagepump.locale', 'ar-XB')")
    sign_in(page, world.othello.username, f"/{team}/channels/town-square")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar-XB"
    # Every string goes through the pseudo-locale's brackets.
    expect(page.locator(".channel-view .composer textarea")).to_have_attribute(
        "aria-label", re.compile(r"^\[.*\]$")
    )

    sidebar = page.locator(".sidebar").bounding_box()
    main = page.locator(".main-pane").bounding_box()
    assert sidebar and main and sidebar["x"] > main["x"], "the sidebar is not on the right"
    text = page.locator(".post-list article.post", has_text="שלום").locator(".post-text")
    assert text.get_attribute("dir") == "auto"
    assert text.evaluate("element => getComputedStyle(element).direction") == "rtl"
    avatar = page.locator(".post-list article.post", has_text="שלום").locator(".avatar")
    body = page.locator(".post-list article.post", has_text="שלום").locator(".post-body")
    avatar_box, body_box = avatar.bounding_box(), body.bounding_box()
    assert avatar_box and body_box and avatar_box["x"] > body_box["x"], "the avatar is not on the right"
    assert page.evaluate("document.documentElement.scrollWidth") <= 1200
    assert errors == []


@sqlite_only
def test_the_desktop_apps_smallest_window_works(open_page: OpenPage, world: World) -> None:
    """Mattermost's desktop app can shrink its window to 600 x 500 (MINIMUM_WINDOW_WIDTH/HEIGHT)."""
    team = world.team["name"]
    world.hamlet.ok(
        "POST", "/posts", {"channel_id": world.town_square["id"], "message": "Brevity is the soul of wit"}
    )
    page, errors = open_page(width=600, height=500)
    sign_in(page, world.othello.username, f"/{team}/channels/town-square")
    wit = page.locator(".post-list article.post", has_text="Brevity is the soul of wit")
    expect(wit).to_be_in_viewport()
    expect(page.locator(".channel-view .composer textarea")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth") <= 600
    # The message's buttons take a line of their own, not a column beside the text.
    text_box = wit.locator(".post-text").bounding_box()
    assert text_box and text_box["width"] > 400
    page.locator(".channel-view").get_by_role("button", name="Back").click()
    expect(page.locator(".sidebar .channel-link", has_text="Off-Topic")).to_be_in_viewport()
    assert errors == []
