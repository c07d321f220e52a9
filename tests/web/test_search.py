"""Searching messages in a real browser against a real server: the header's search box with its
filter suggestions and recent searches, results in the right-hand panel with the matched words
marked, paging, jumping to a result in its channel, and the recent-mentions button."""

import re
from typing import Any

from playwright.sync_api import Page, expect

from tests.support.client import API, World
from tests.web.conftest import OpenPage, sign_in, sqlite_only


def post(api: API, channel: dict[str, Any], message: str) -> dict[str, Any]:
    created: dict[str, Any] = api.ok("POST", "/posts", {"channel_id": channel["id"], "message": message})
    return created


def search_box(page: Page) -> Any:
    return page.get_by_role("combobox", name="Search messages")


@sqlite_only
def test_a_search_finds_marks_pages_and_jumps_to_a_message(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    wanted = post(world.othello, world.off_topic, "The RAMPARTS of Élsinore are cold tonight")
    for n in range(22):
        post(world.othello, world.town_square, f"lantern number {n}")
    for n in range(60):
        post(world.othello, world.off_topic, f"filler {n}")
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")

    box = search_box(hamlet)
    box.fill("ramparts")
    box.press("Enter")
    results = hamlet.get_by_role("list", name="Results for “ramparts”")
    expect(results.locator(".post-result")).to_have_count(1)
    result = results.locator(".post-result").first
    expect(result).to_contain_text("in Off-Topic")
    expect(result.locator(".post-author")).to_have_text(world.othello.username)
    # The word as the message spells it, marked; the rest of the text is not.
    expect(result.locator("mark.search-hit")).to_have_text(["RAMPARTS"])

    result.get_by_role("button", name="Jump").click()
    expect(hamlet).to_have_url(re.compile(f"/{team}/channels/off-topic$"))
    target = hamlet.locator(f'.post-list article[data-post-id="{wanted["id"]}"]')
    expect(target).to_have_class(re.compile(r"\bhighlighted\b"))
    expect(target).to_be_in_viewport()

    # More results than a page: "Load more" asks for the next page.
    box.fill("lantern")
    box.press("Enter")
    lanterns = hamlet.get_by_role("list", name="Results for “lantern”")
    expect(lanterns.locator(".post-result")).to_have_count(20)
    lanterns.get_by_role("button", name="Load more results").click()
    expect(lanterns.locator(".post-result")).to_have_count(22)
    expect(lanterns.get_by_role("button", name="Load more results")).to_have_count(0)

    # Nothing found says so.
    box.fill("zyzzyva")
    box.press("Enter")
    expect(hamlet.get_by_text("No messages match “zyzzyva”")).to_be_visible()

    # The empty box offers the last searches, newest first; picking one runs it again.
    box.fill("")
    box.blur()
    box.focus()
    recent = hamlet.get_by_role("listbox", name="Recent searches")
    expect(recent.get_by_role("option")).to_have_text(["zyzzyva", "lantern", "ramparts"])
    box.press("ArrowDown")
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "search-option-recent:ramparts")
    box.press("Enter")
    expect(hamlet.get_by_role("list", name="Results for “ramparts”").locator(".post-result")).to_have_count(1)
    assert errors == []


@sqlite_only
def test_filter_suggestions_complete_from_and_in(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    post(world.othello, world.town_square, "A candle in the town")
    post(world.hamlet, world.town_square, "A candle of my own")
    post(world.othello, world.off_topic, "A candle off topic")
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")

    box = search_box(hamlet)
    box.press_sequentially(f"candle from:{world.othello.username[:4]}")
    suggestions = hamlet.get_by_role("listbox", name="Suggestions")
    option = suggestions.get_by_role("option", name=re.compile(f"@{world.othello.username}"))
    expect(option).to_be_visible()
    expect(suggestions.get_by_role("option", name=re.compile(f"@{world.hamlet.username}"))).to_have_count(0)
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", re.compile("^search-option-user:"))
    box.press("Enter")
    expect(box).to_have_value(f"candle from:{world.othello.username} ")

    box.press_sequentially("in:off")
    channel_option = hamlet.get_by_role("listbox", name="Suggestions").get_by_role(
        "option", name=re.compile("Off-Topic")
    )
    expect(channel_option).to_be_visible()
    channel_option.click()
    expect(box).to_have_value(f"candle from:{world.othello.username} in:off-topic ")
    box.press("Enter")
    results = hamlet.get_by_role("list", name=re.compile("^Results for"))
    expect(results.locator(".post-result")).to_have_count(1)
    expect(results).to_contain_text("A candle off topic")

    # Dates: the box says which format the server reads.
    box.fill("candle on:")
    expect(hamlet.get_by_text("Dates as YYYY-MM-DD")).to_be_visible()
    box.press("Escape")
    expect(hamlet.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    assert errors == []


@sqlite_only
def test_recent_mentions_find_the_messages_that_mention_the_user(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    mention = post(world.othello, world.off_topic, f"@{world.hamlet.username} come and see the ghost")
    post(world.othello, world.off_topic, "a message for no one in particular")
    post(world.iago, world.town_square, f"@{world.othello.username} not for hamlet")
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")

    hamlet.get_by_role("button", name="Recent mentions").click()
    mentions = hamlet.get_by_role("list", name="Recent mentions")
    expect(mentions.locator(".post-result")).to_have_count(1)
    result = mentions.locator(".post-result").first
    expect(result).to_have_attribute("data-post-id", mention["id"])
    expect(result).to_contain_text("come and see the ghost")
    expect(result.locator(".mention-me mark.search-hit")).to_have_text(f"@{world.hamlet.username}")
    # The button toggles the panel.
    hamlet.get_by_role("button", name="Recent mentions").click()
    expect(hamlet.get_by_role("list", name="Recent mentions")).to_have_count(0)
    assert errors == []
