"""Settings, themes, status, presence and typing in a real browser against a real server: what
one person changes, another sees; what is saved survives a reload."""

import io
import json
import re
import time
from collections.abc import Callable
from typing import Any

from PIL import Image
from playwright.sync_api import Page, expect

from tests.support.client import World
from tests.web.conftest import OpenPage, sign_in, sqlite_only


def open_settings(page: Page, tab: str = "Profile") -> None:
    page.locator(".user-menu-button").click()
    page.get_by_role("menuitem", name="Profile and settings").click()
    page.get_by_role("tab", name=tab).click()


def post(world: World, text: str) -> dict[str, Any]:
    created: dict[str, Any] = world.hamlet.ok(
        "POST", "/posts", {"channel_id": world.town_square["id"], "message": text}
    )
    return created


def preference(world: World, name: str, value: str) -> None:
    item = {"user_id": world.othello.id, "category": "display_settings", "name": name, "value": value}
    world.othello.ok("PUT", "/users/me/preferences", [item])


def saved_preferences(
    world: World, category: str, until: Callable[[list[dict[str, str]]], bool]
) -> list[dict[str, str]]:
    """Hamlet's preferences of a category, once they satisfy `until`: the page applies a choice
    at once and saves it in the background."""
    deadline = time.monotonic() + 10
    while True:
        found: list[dict[str, str]] = world.hamlet.ok("GET", f"/users/me/preferences/{category}")
        if until(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.1)


def message(page: Page, text: str) -> Any:
    return page.locator(".post-list article.post", has_text=text)


@sqlite_only
def test_a_new_full_name_shows_at_once_to_someone_who_shows_full_names(
    open_page: OpenPage, world: World
) -> None:
    team = world.team["name"]
    preference(world, "name_format", "full_name")
    post(world, "Something is rotten in the state of Denmark")
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")
    rotten = message(othello, "Something is rotten")
    expect(rotten.locator(".post-author")).to_have_text(world.hamlet.username)

    open_settings(hamlet)
    hamlet.fill("#settings-first_name", "Prince")
    hamlet.fill("#settings-last_name", "Hamlet")
    hamlet.get_by_role("button", name="Save", exact=True).click()
    expect(hamlet.get_by_role("status").filter(has_text="Saved.")).to_be_visible()

    expect(rotten.locator(".post-author")).to_have_text("Prince Hamlet")
    user = world.othello.ok("GET", f"/users/{world.hamlet.id}")
    assert (user["first_name"], user["last_name"]) == ("Prince", "Hamlet")

    # A wrong current password gets a sentence, not an error id; nothing changes.
    hamlet.get_by_role("tab", name="Security").click()
    hamlet.fill("#settings-current-password", "not my password")
    hamlet.fill("#settings-new-password", "a much better password")
    hamlet.fill("#settings-repeat-password", "a much better password")
    hamlet.get_by_role("button", name="Change password").click()
    expect(hamlet.get_by_role("alert")).to_have_text("The current password is not right.")
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_the_dark_theme_is_saved_and_survives_a_reload(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    page, errors = open_page()
    page.emulate_media(color_scheme="light")
    sign_in(page, world.hamlet.username, f"/{team}/channels/town-square")
    html = page.locator("html")
    expect(html).to_have_attribute("data-theme", "light")

    open_settings(page, "Display")
    page.get_by_label("Dark").check()
    expect(html).to_have_attribute("data-theme", "dark")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 25, 28)"
    saved = saved_preferences(world, "theme", lambda found: len(found) > 0)
    assert [item["name"] for item in saved] == [""]
    assert json.loads(saved[0]["value"])["centerChannelBg"] == "#17191c"

    # Without the browser's cached copy: the server's preference brings it back.
    page.evaluate("localStorage.clear()")
    page.reload()
    page.wait_for_selector(".composer textarea")
    expect(html).to_have_attribute("data-theme", "dark")

    # "Follow the system" deletes the preference and follows the colour scheme as it changes.
    open_settings(page, "Display")
    page.get_by_label("Follow the system").check()
    expect(html).to_have_attribute("data-theme", "light")
    page.emulate_media(color_scheme="dark")
    expect(html).to_have_attribute("data-theme", "dark")
    assert saved_preferences(world, "theme", lambda found: found == []) == []

    # Signing out forgets the theme, so the next person at this browser gets the system's.
    page.emulate_media(color_scheme="light")
    page.get_by_label("Dark").check()
    expect(html).to_have_attribute("data-theme", "dark")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_selector("#login-id")
    expect(html).to_have_attribute("data-theme", "light")
    assert errors == []


@sqlite_only
def test_do_not_disturb_changes_the_dot_the_other_person_sees(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    post(world, "Words, words, words")
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")
    dot = message(othello, "Words, words, words").locator(".avatar-presence")
    expect(dot).to_have_attribute("aria-label", "Online")

    hamlet.locator(".user-menu-button").click()
    hamlet.get_by_role("menuitemradio", name="For 30 minutes").click()
    expect(hamlet.locator(".user-menu-button .avatar-presence")).to_have_attribute(
        "aria-label", "Do not disturb"
    )
    status = world.othello.ok("GET", f"/users/{world.hamlet.id}/status")
    assert status["status"] == "dnd" and status["dnd_end_time"] > 0

    # Mattermost tells only the user of their own status change; others ask again when they
    # switch channels (or every half minute).
    othello.locator(".channel-link", has_text="Off-Topic").click()
    othello.locator(".channel-link", has_text="Town Square").click()
    expect(dot).to_have_attribute("aria-label", "Do not disturb")

    hamlet.locator(".user-menu-button").click()
    hamlet.get_by_role("menuitemradio", name="Online").click()
    expect(hamlet.locator(".user-menu-button .avatar-presence")).to_have_attribute("aria-label", "Online")
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_typing_shows_for_the_other_person_and_clears(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")
    indicator = othello.locator(".channel-view .typing-indicator")
    expect(indicator).to_have_text("")

    box = hamlet.locator(".channel-view .composer textarea")
    box.press_sequentially("To sleep, perchance")
    expect(indicator).to_have_text(f"{world.hamlet.username} is typing…")
    # The message arriving ends it at once.
    box.press("Enter")
    expect(message(othello, "To sleep, perchance")).to_be_visible()
    expect(indicator).to_have_text("")

    # Typing that stops without a message lapses after a few seconds. (The server passes on one
    # notice a second per channel, so the next burst starts after that.)
    hamlet.wait_for_timeout(1100)
    box.press_sequentially("to dream")
    expect(indicator).to_have_text(f"{world.hamlet.username} is typing…")
    expect(indicator).to_have_text("", timeout=10_000)
    # The typist never sees themself typing.
    expect(hamlet.locator(".channel-view .typing-indicator")).to_have_text("")
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_the_clock_and_density_follow_the_settings(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    post(world, "The time is out of joint")
    page, errors = open_page()
    sign_in(page, world.hamlet.username, f"/{team}/channels/town-square")
    time = message(page, "The time is out of joint").locator(".post-time")
    expect(time).to_have_text(re.compile(r"^\d{1,2}:\d\d\s?[AP]M$"))

    open_settings(page, "Display")
    page.get_by_label("24-hour (21:41)").check()
    expect(time).to_have_text(re.compile(r"^\d\d:\d\d$"))
    page.get_by_label("Compact").check()
    expect(page.locator("html")).to_have_attribute("data-density", "compact")
    page.keyboard.press("Escape")

    saved = {
        item["name"]: item["value"]
        for item in world.hamlet.ok("GET", "/users/me/preferences/display_settings")
    }
    assert saved["use_military_time"] == "true" and saved["message_display"] == "compact"
    page.reload()
    expect(time).to_have_text(re.compile(r"^\d\d:\d\d$"))
    assert errors == []


@sqlite_only
def test_replies_show_in_the_channel_with_collapsed_threads_off(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    root = post(world, "Who's there?")
    world.hamlet.ok(
        "POST",
        "/posts",
        {"channel_id": world.town_square["id"], "message": "Nay, answer me", "root_id": root["id"]},
    )
    page, errors = open_page()
    sign_in(page, world.othello.username, f"/{team}/channels/town-square")
    expect(message(page, "Who's there?")).to_be_visible()
    expect(message(page, "Nay, answer me")).to_have_count(0)

    open_settings(page, "Display")
    page.get_by_label("Off: replies also show in the channel").check()
    page.keyboard.press("Escape")
    expect(message(page, "Nay, answer me")).to_be_visible()
    expect(message(page, "Nay, answer me").locator(".post-reply-to")).to_have_text(
        f"Replied to {world.hamlet.username}"
    )
    # A live reply lands in the channel too.
    world.hamlet.ok(
        "POST",
        "/posts",
        {
            "channel_id": world.town_square["id"],
            "message": "Stand and unfold yourself",
            "root_id": root["id"],
        },
    )
    expect(message(page, "Stand and unfold yourself")).to_be_visible()
    assert errors == []


@sqlite_only
def test_a_new_profile_picture_is_cropped_uploaded_and_seen_by_others(
    open_page: OpenPage, world: World
) -> None:
    team = world.team["name"]
    post(world, "To be, or not to be")
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")
    shown = message(othello, "To be, or not to be").locator(".avatar").first
    avatar = shown.locator("img")
    before = avatar.get_attribute("src")
    # The generated picture is a plain colour, so initials are drawn on it.
    expect(shown.locator(".avatar-initials")).to_have_count(1)

    open_settings(hamlet)
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (20, 140, 60)).save(buffer, "PNG")
    hamlet.get_by_label("Choose a picture").set_input_files(
        {"name": "me.png", "mimeType": "image/png", "buffer": buffer.getvalue()}
    )
    hamlet.get_by_role("button", name="Save picture").click()
    expect(hamlet.get_by_role("button", name="Remove picture")).to_be_visible()

    # Stored by the server, square and green; the other person's page asks for the new picture.
    user = world.othello.ok("GET", f"/users/{world.hamlet.id}")
    assert user["last_picture_update"] > 0
    picture = Image.open(io.BytesIO(world.othello.get(f"/users/{world.hamlet.id}/image").content))
    assert picture.size == (128, 128)
    red, green, blue = picture.convert("RGB").getpixel((64, 64))
    assert green > 100 and red < 60 and blue < 100
    expect(avatar).not_to_have_attribute("src", before or "")
    expect(avatar).to_have_attribute("src", re.compile(str(user["last_picture_update"])))
    expect(shown.locator(".avatar-initials")).to_have_count(0)
    assert hamlet_errors == [] and othello_errors == []
