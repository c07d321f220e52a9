"""Moderators' tools in the browser: a moderator removes a message, which everyone then sees as
removed; a read-only channel shows its members a note instead of the composer."""

from playwright.sync_api import expect

from tests.support.client import PASSWORD, World
from tests.web.conftest import OpenPage, sign_in, sqlite_only
from tests.web.test_chat import message, post, write


@sqlite_only
def test_a_moderator_removes_a_message_and_others_see_the_placeholder(
    open_page: OpenPage, world: World
) -> None:
    world.admin.ok("PUT", f"/users/{world.othello.id}/roles", {"roles": "system_user system_moderator"})
    team = world.team["name"]
    hamlet, hamlet_errors = open_page()
    moderator, moderator_errors = open_page()
    sign_in(hamlet, world.hamlet.username, f"/{team}/channels/town-square")
    sign_in(moderator, world.othello.username, f"/{team}/channels/town-square")
    write(hamlet, "something rotten in the state")
    said = message(moderator, "something rotten in the state")
    said.hover()
    said.get_by_role("button", name="More actions").click()
    moderator.get_by_role("menuitem", name="Remove as moderator").click()
    dialog = moderator.get_by_role("dialog", name="Remove message")
    dialog.get_by_role("button", name="Remove").click()
    expect(
        hamlet.locator(".post-removed", has_text="This message was removed by a moderator.")
    ).to_be_visible()
    expect(message(hamlet, "something rotten")).to_have_count(0)
    expect(moderator.locator(".post-removed")).to_be_visible()
    assert hamlet_errors == [] and moderator_errors == []


@sqlite_only
def test_a_read_only_channel_shows_no_composer_to_members(open_page: OpenPage, world: World) -> None:
    channel = world.town_square
    post(world.admin, channel, "An announcement")
    patch = [{"name": "create_post", "roles": {"members": False, "guests": False}}]
    world.admin.ok("PUT", f"/channels/{channel['id']}/moderations/patch", patch)
    page, errors = open_page()
    # Signed in by hand: sign_in waits for a composer, which this channel does not show.
    page.goto(f"/{world.team['name']}/channels/town-square")
    page.fill("#login-id", world.hamlet.username)
    page.fill("#login-password", PASSWORD)
    page.click("button[type=submit]")
    expect(message(page, "An announcement")).to_be_visible()
    expect(page.locator(".channel-view .read-only-notice")).to_have_text(
        "Only admins can post in this channel."
    )
    expect(page.locator(".channel-view .composer textarea")).to_have_count(0)
    # Opened again by an admin: the composer comes back as the server announces the change.
    reopen = [{"name": "create_post", "roles": {"members": True, "guests": True}}]
    world.admin.ok("PUT", f"/channels/{channel['id']}/moderations/patch", reopen)
    expect(page.locator(".channel-view .composer textarea")).to_be_visible()
    assert errors == []
