"""The Threads view in a real browser: the threads a user follows, their unread replies and
mentions, reading them, marking all read and unfollowing, live as others reply."""

import re
import time
from typing import Any

from playwright.sync_api import Page, expect

from tests.support.client import API, World
from tests.web.conftest import OpenPage, sign_in, sqlite_only

UNREAD = re.compile(r"\bunread\b")


def post(api: API, channel: dict[str, Any], message: str, root_id: str = "") -> dict[str, Any]:
    created: dict[str, Any] = api.ok(
        "POST", "/posts", {"channel_id": channel["id"], "message": message, "root_id": root_id}
    )
    return created


def threads_of(api: API, team_id: str) -> dict[str, Any]:
    found: dict[str, Any] = api.ok("GET", f"/users/me/teams/{team_id}/threads")
    return found


def wait_for_server(api: API, team_id: str, done: Any) -> dict[str, Any]:
    """The server's view of the user's threads, once `done` holds of it (or the last one read)."""
    deadline = time.monotonic() + 10
    found = threads_of(api, team_id)
    while not done(found) and time.monotonic() < deadline:
        time.sleep(0.1)
        found = threads_of(api, team_id)
    return found


def thread_item(page: Page, text: str) -> Any:
    return page.locator(".thread-item", has_text=text)


@sqlite_only
def test_a_reply_to_my_thread_shows_unread_until_i_open_it(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    hamlet, errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/off-topic")
    threads_link = hamlet.locator(".sidebar .threads-link")
    expect(threads_link).to_have_text("Threads")
    expect(threads_link).not_to_have_class(UNREAD)

    root = post(world.hamlet, world.town_square, "Who's there? *Nay*, answer me")
    post(world.othello, world.town_square, f"@{world.hamlet.username} Long live the king!", root["id"])
    # Live, over the socket: the entry turns bold, and the reply's mention is a badge.
    expect(threads_link).to_have_class(UNREAD)
    expect(threads_link.locator(".badge")).to_have_text("1")

    threads_link.click()
    expect(hamlet).to_have_url(re.compile(f"/{team}/threads$"))
    expect(hamlet.locator("#threads-title")).to_have_text("Threads")
    expect(hamlet).to_have_title(re.compile(r"^Threads - "))
    item = thread_item(hamlet, "Who's there?")
    expect(item).to_have_class(UNREAD)
    expect(item.locator(".post-author")).to_have_text(world.hamlet.username)
    expect(item.locator(".thread-channel")).to_have_text("in Town Square")
    # The excerpt is the root's Markdown, rendered.
    expect(item.locator(".thread-excerpt em")).to_have_text("Nay")
    expect(item.locator(".thread-reply-count")).to_have_text("1 reply")
    expect(item.locator(".thread-new-replies")).to_have_text("1 new reply")
    expect(item.locator(".thread-mentions")).to_have_text("1")
    expect(item.locator(".thread-last-reply")).to_contain_text("Last reply")
    expect(item.get_by_role("group", name="Participants").locator("img")).to_have_count(1)
    hamlet.get_by_role("tab", name="Unread").click()
    expect(thread_item(hamlet, "Who's there?")).to_be_visible()

    item.get_by_role("button", name=f"Thread by {world.hamlet.username} in Town Square", exact=True).click()
    panel = hamlet.locator(".thread-panel")
    expect(panel.locator("article.post", has_text="Long live the king!")).to_be_visible()
    expect(threads_link).not_to_have_class(UNREAD)
    expect(threads_link.locator(".badge")).to_have_count(0)
    expect(item).not_to_have_class(UNREAD)
    expect(item.locator(".thread-new-replies")).to_have_count(0)
    # Still listed under Unread while it is open, so the reader does not lose their place.
    expect(item).to_be_visible()

    # The server agrees, so Hamlet's phone would too.
    found = wait_for_server(world.hamlet, world.team["id"], lambda f: f["total_unread_threads"] == 0)
    assert found["total_unread_threads"] == 0 and found["total_unread_mentions"] == 0
    assert [t["id"] for t in found["threads"]] == [root["id"]]

    # A reply arriving while the thread is open is read at once.
    post(world.othello, world.town_square, "Bernardo? He.", root["id"])
    expect(panel.locator("article.post", has_text="Bernardo? He.")).to_be_visible()
    expect(item.locator(".thread-reply-count")).to_have_text("2 replies")
    found = wait_for_server(world.hamlet, world.team["id"], lambda f: f["threads"][0]["unread_replies"] == 0)
    assert found["threads"][0]["unread_replies"] == 0
    expect(threads_link).not_to_have_class(UNREAD)
    assert errors == []


@sqlite_only
def test_mark_all_read_and_unfollow_on_a_phone(open_page: OpenPage, world: World) -> None:
    team, team_id = world.team["name"], world.team["id"]
    first = post(world.othello, world.town_square, "The play's the thing")
    second = post(world.othello, world.off_topic, "Wherein I'll catch the conscience")
    post(world.hamlet, world.town_square, "of the king", first["id"])
    post(world.hamlet, world.off_topic, "indeed", second["id"])

    phone, errors = open_page(width=360, height=740)
    sign_in(phone, world.othello.username, f"/{team}/channels/town-square")
    phone.locator(".channel-view").get_by_role("button", name="Back").click()
    threads_link = phone.locator(".sidebar .threads-link")
    expect(threads_link).to_have_class(UNREAD)
    threads_link.click()
    view = phone.locator(".threads-view")
    expect(view).to_be_visible()
    expect(phone.locator(".sidebar")).to_be_hidden()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    # Newest activity first.
    expect(view.locator(".thread-item .thread-excerpt")).to_have_text(
        ["Wherein I'll catch the conscience", "The play's the thing"]
    )

    view.get_by_role("tab", name="Unread").click()
    expect(view.locator(".thread-item")).to_have_count(2)
    view.get_by_role("button", name="Mark all as read").click()
    expect(view.locator(".threads-empty")).to_have_text("No unread threads. You are all caught up.")
    found = wait_for_server(world.othello, team_id, lambda f: f["total_unread_threads"] == 0)
    assert found["total_unread_threads"] == 0

    view.get_by_role("tab", name="All").click()
    conscience = thread_item(phone, "Wherein I'll catch the conscience")
    conscience.get_by_role("button", name=re.compile("^Unfollow the thread")).click()
    expect(conscience).to_have_count(0)
    found = wait_for_server(world.othello, team_id, lambda f: f["total"] == 1)
    assert [t["id"] for t in found["threads"]] == [first["id"]]

    # Opening one on a phone shows the thread alone; Back returns to the list.
    thread_item(phone, "The play's the thing").get_by_role("button", name=re.compile("^Thread by")).click()
    panel = phone.locator(".thread-panel")
    expect(panel.locator("article.post", has_text="of the king")).to_be_visible()
    expect(view).to_be_hidden()
    panel.get_by_role("button", name="Back").click()
    expect(view).to_be_visible()

    # Unfollowed elsewhere: it leaves the list live, and the list has nothing left to show.
    world.othello.ok("DELETE", f"/users/me/teams/{team_id}/threads/{first['id']}/following")
    expect(view.locator(".threads-empty")).to_contain_text("You are not following any threads yet.")
    assert errors == []


@sqlite_only
def test_someone_with_no_threads_sees_why_the_list_is_empty(open_page: OpenPage, world: World) -> None:
    team = world.team["name"]
    page, errors = open_page()
    sign_in(page, world.othello.username, f"/{team}/channels/town-square")
    page.locator(".sidebar .threads-link").click()
    empty = page.locator(".threads-empty")
    expect(empty).to_contain_text("You are not following any threads yet.")
    expect(empty).to_contain_text("Threads you start, reply to or are mentioned in")
    expect(page.get_by_role("button", name="Mark all as read")).to_be_disabled()

    # Someone mentions Othello in a reply: he follows the thread, and it appears live.
    root = post(world.hamlet, world.town_square, "Speak, speak")
    post(world.hamlet, world.town_square, f"@{world.othello.username} what say you?", root["id"])
    item = thread_item(page, "Speak, speak")
    expect(item).to_have_class(UNREAD)
    expect(page.locator(".sidebar .threads-link .badge")).to_have_text("1")
    assert errors == []
