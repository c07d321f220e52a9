"""The composer and the message actions in a real browser against a real server: people pick
names, channels, emoji and commands from suggestions, react from the picker, pin, save, copy a
permalink and mark a message unread, and a draft follows them to another tab."""

import json
import re
import time
from typing import Any

from playwright.sync_api import Page, expect

from tests.support.client import World
from tests.support.server import ServerProcess
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_chat import message, post, write

UNREAD = re.compile(r"\bunread\b")


def composer(page: Page, where: str = ".channel-view") -> Any:
    return page.locator(f"{where} .composer textarea")


def suggestions(page: Page) -> Any:
    return page.get_by_role("listbox", name="Suggestions")


def open_menu(page: Page, text: str) -> Any:
    """Opens the "More actions" menu of the message with this text and returns the menu."""
    target = message(page, text)
    target.hover()
    target.get_by_role("button", name="More actions").click()
    return page.get_by_role("menu", name="Message actions")


def wait_for(check: Any, timeout: float = 10) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


@sqlite_only
def test_suggestions_for_people_channels_and_commands(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    box = composer(hamlet)
    othello = world.othello.username

    box.press_sequentially(f"Ask @{othello[:4]}")
    expect(box).to_have_attribute("aria-expanded", "true")
    option = suggestions(hamlet).get_by_role("option", name=re.compile(f"@{othello}"))
    expect(option).to_be_visible()
    # The arrows move through the list and Tab picks, as Enter would.
    while option.get_attribute("aria-selected") != "true":
        box.press("ArrowDown")
    box.press("Tab")
    expect(box).to_have_value(f"Ask @{othello} ")
    expect(suggestions(hamlet)).to_have_count(0)

    box.press_sequentially("about ~off")
    expect(suggestions(hamlet).get_by_role("option", name=re.compile("Off-Topic"))).to_be_visible()
    box.press("Enter")
    expect(box).to_have_value(f"Ask @{othello} about ~off-topic ")

    # Escape closes the list, and the next Enter sends instead of picking.
    box.press_sequentially("@her")
    expect(suggestions(hamlet).get_by_role("option", name=re.compile("@here"))).to_be_visible()
    box.press("Escape")
    expect(suggestions(hamlet)).to_have_count(0)
    box.press("Enter")
    sent = message(hamlet, "about ~off-topic")
    expect(sent).to_be_visible()
    posts = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/posts")
    messages = [p["message"] for p in posts["posts"].values()]
    assert f"Ask @{othello} about ~off-topic @her" in messages

    # A slash at the start offers the server's commands.
    box.press_sequentially("/awa")
    expect(suggestions(hamlet).get_by_role("option", name="/away")).to_be_visible()
    box.press("Tab")
    expect(box).to_have_value("/away ")
    box.press("Enter")
    expect(box).to_have_value("")
    assert wait_for(lambda: world.hamlet.ok("GET", "/users/me/status")["status"] == "away")
    assert errors == []


@sqlite_only
def test_emoji_from_suggestions_and_the_full_table(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")
    box = composer(hamlet)

    box.press_sequentially("Party :tad")
    expect(suggestions(hamlet).get_by_role("option", name=re.compile(":tada:"))).to_be_visible()
    box.press("Enter")
    expect(box).to_have_value("Party :tada: ")
    # One letter after the colon is not enough: times and smileys stay text.
    box.press_sequentially("at 10:3")
    expect(suggestions(hamlet)).to_have_count(0)
    box.fill("")
    write(hamlet, "Party :tada: with :avocado: and :+1_dark_skin_tone:")

    party = message(othello, "Party")
    expect(party.get_by_role("img", name="tada")).to_have_text("🎉")
    # Not among the few common ones the first page knows: the full table loads for it.
    expect(party.get_by_role("img", name="avocado", exact=True)).to_have_text("🥑")
    expect(party.get_by_role("img", name="+1_dark_skin_tone")).to_have_text("👍🏿")
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_a_reaction_from_the_picker_reaches_the_author_live(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    post(world.hamlet, world.town_square, "Look at this fine fruit")
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")

    fruit = message(othello, "fine fruit")
    fruit.hover()
    fruit.get_by_role("button", name="Add reaction").click()
    fruit.get_by_role("button", name="More emoji").click()
    picker = othello.get_by_role("dialog", name="Add reaction")
    picker.get_by_role("searchbox", name="Search emoji").fill("avoc")
    picker.get_by_role("button", name=":avocado:").click()
    expect(picker).to_have_count(0)

    seen = message(hamlet, "fine fruit").get_by_role("button", name="avocado: 1 reaction")
    expect(seen).to_contain_text("🥑")
    # Recently used, kept where Mattermost keeps it, so it follows Othello to other devices.
    recent = world.othello.ok("GET", f"/users/me/preferences/recent_emojis/name/{world.othello.id}")
    assert [item["name"] for item in json.loads(recent["value"])] == ["avocado"]

    # The "+" beside the reactions opens the picker too; a chosen skin tone is remembered.
    othello_fruit = message(othello, "fine fruit")
    othello_fruit.get_by_role("button", name="Add another reaction").click()
    expect(
        picker.get_by_role("region", name="Recently used").get_by_role("button", name=":avocado:")
    ).to_be_visible()
    picker.get_by_role("button", name="Skin tone").click()
    picker.get_by_role("radio", name="Medium skin tone").click()
    picker.get_by_role("searchbox", name="Search emoji").fill("thumbsup")
    picker.get_by_role("searchbox", name="Search emoji").press("Enter")
    expect(
        message(hamlet, "fine fruit").get_by_role("button", name="+1_medium_skin_tone: 1 reaction")
    ).to_contain_text("👍🏽")
    tone = world.othello.ok("GET", "/users/me/preferences/emoji/name/emoji_skintone")
    assert tone["value"] == "1F3FD"
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_pin_and_save_show_on_the_post(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    root = post(world.hamlet, world.town_square, "The play is the thing")
    hamlet, hamlet_errors = open_page()
    othello, othello_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")

    open_menu(othello, "The play is the thing").get_by_role("menuitem", name="Pin to channel").click()
    expect(message(hamlet, "The play is the thing").locator(".pinned-marker")).to_have_text("Pinned")
    pinned = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/pinned")
    assert pinned["order"] == [root["id"]]  # the marker came with the server's event

    # The menu works from the keyboard: Enter opens it on its first item, Escape gives the focus back.
    play = message(othello, "The play is the thing")
    play.hover()
    more = play.get_by_role("button", name="More actions")
    more.focus()
    more.press("Enter")
    menu = othello.get_by_role("menu", name="Message actions")
    expect(menu.get_by_role("menuitem", name="Reply")).to_be_focused()
    othello.keyboard.press("End")
    # The last item, on someone else's message: reporting it.
    expect(menu.get_by_role("menuitem").last).to_be_focused()
    expect(menu.get_by_role("menuitem").last).to_have_text("Report message")
    othello.keyboard.press("Escape")
    expect(menu).to_have_count(0)
    expect(more).to_be_focused()

    open_menu(othello, "The play is the thing").get_by_role("menuitem", name="Save", exact=True).click()
    expect(play.locator(".saved-marker")).to_have_text("Saved")
    # Saved is Othello's own: Hamlet's page shows no marker.
    expect(message(hamlet, "The play is the thing").locator(".saved-marker")).to_have_count(0)

    # The marker shows at once; the server has it a moment later.
    def flagged() -> list[str]:
        order: list[str] = world.othello.ok("GET", f"/users/{world.othello.id}/posts/flagged")["order"]
        return order

    assert wait_for(lambda: flagged() == [root["id"]])

    open_menu(othello, "The play is the thing").get_by_role("menuitem", name="Unpin from channel").click()
    expect(message(hamlet, "The play is the thing").locator(".pinned-marker")).to_have_count(0)
    open_menu(othello, "The play is the thing").get_by_role("menuitem", name="Remove from saved").click()
    expect(play.locator(".saved-marker")).to_have_count(0)
    assert wait_for(lambda: flagged() == [])
    assert hamlet_errors == [] and othello_errors == []


@sqlite_only
def test_mark_as_unread_moves_the_line_and_the_sidebar_shows_it(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    post(world.hamlet, world.off_topic, "First of three")
    post(world.hamlet, world.off_topic, "Second of three")
    post(world.hamlet, world.off_topic, "Third of three")
    othello, errors = open_page()
    sign_in(othello, world.othello.username, f"/{team}/channels/off-topic")
    expect(message(othello, "Third of three")).to_be_visible()
    off_topic = othello.locator(".channel-link", has_text="Off-Topic")
    expect(off_topic).not_to_have_class(UNREAD)

    open_menu(othello, "Second of three").get_by_role("menuitem", name="Mark as unread").click()
    expect(othello.locator(".new-messages + article.post")).to_contain_text("Second of three")
    othello.locator(".channel-link", has_text="Town Square").click()
    expect(off_topic).to_have_class(UNREAD)
    member = world.othello.ok("GET", f"/channels/{world.off_topic['id']}/members/me")
    channel = world.othello.ok("GET", f"/channels/{world.off_topic['id']}")
    assert channel["total_msg_count"] - member["msg_count"] == 2

    # Coming back reads it again.
    off_topic.click()
    expect(off_topic).not_to_have_class(UNREAD)
    assert errors == []


@sqlite_only
def test_copy_link_gives_the_permalink(open_page: OpenPage, world: World, server: ServerProcess) -> None:
    team = world.team["name"]
    root = post(world.hamlet, world.town_square, "Remember me")
    othello, errors = open_page()
    othello.context.grant_permissions(["clipboard-read", "clipboard-write"])
    sign_in(othello, world.othello.username, f"/{team}/channels/town-square")

    open_menu(othello, "Remember me").get_by_role("menuitem", name="Copy link").click()
    expect(message(othello, "Remember me").get_by_role("status")).to_have_text("Link copied")
    link = othello.evaluate("navigator.clipboard.readText()")
    assert link == f"{server.url.rstrip('/')}/{team}/pl/{root['id']}"

    othello.goto(link)
    expect(othello.locator(f"article.post.highlighted[data-post-id='{root['id']}']").first).to_be_visible()
    assert errors == []


@sqlite_only
def test_a_draft_follows_the_writer_to_another_tab(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    first, first_errors = open_page()
    sign_in(first, world.hamlet.username, f"/{team}/channels/off-topic")
    composer(first).fill("Words, words, words")
    drafts = wait_for(
        lambda: world.hamlet.ok("GET", f"/users/{world.hamlet.id}/teams/{world.team['id']}/drafts")
    )
    assert [(d["channel_id"], d["message"]) for d in drafts] == [
        (world.off_topic["id"], "Words, words, words")
    ]

    second, second_errors = open_page()
    sign_in(second, world.hamlet.username, f"/{team}/channels/off-topic")
    expect(composer(second)).to_have_value("Words, words, words")
    composer(second).press("Enter")
    expect(message(first, "Words, words, words")).to_be_visible()
    # Sent: the server dropped the draft, and no late save brings it back.
    time.sleep(1.5)
    assert world.hamlet.ok("GET", f"/users/{world.hamlet.id}/teams/{world.team['id']}/drafts") == []
    assert first_errors == [] and second_errors == []


@sqlite_only
def test_a_phone_keeps_actions_out_of_the_text_until_asked(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    post(world.hamlet, world.town_square, "Brevity is the soul of wit")
    phone, errors = open_page(width=360, height=740)
    sign_in(phone, world.othello.username, f"/{team}/channels/town-square")
    wit = message(phone, "Brevity is the soul of wit")
    expect(wit).to_be_visible()
    expect(wit.get_by_role("toolbar", name="Message actions")).to_be_hidden()

    # A long press (the context menu it raises) opens the actions as a sheet.
    wit.locator(".post-text").click(button="right")
    sheet = phone.locator(".post-menu.sheet")
    expect(sheet).to_be_visible()
    sheet.get_by_role("menuitem", name="Save", exact=True).click()
    expect(sheet).to_have_count(0)
    expect(wit.locator(".saved-marker")).to_have_text("Saved")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
