"""Moderators' tools in the browser: a moderator removes a message, which everyone then sees as
removed; removes people from a channel and from the team, after confirming; a read-only channel
shows its members a note instead of the composer."""

from playwright.sync_api import expect

from tests.api.test_posts import private_channel
from tests.support.client import PASSWORD, World, expect_error
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


@sqlite_only
def test_a_moderator_removes_people_from_a_channel_and_the_team_after_confirming(
    open_page: OpenPage, world: World
) -> None:
    world.admin.ok("PUT", f"/users/{world.othello.id}/roles", {"roles": "system_user system_moderator"})
    hamlet, cordelia, iago = world.hamlet, world.cordelia, world.iago
    world.admin.ok(
        "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": cordelia.id}
    )
    channel = private_channel(world, hamlet, world.othello, cordelia, iago)
    page, errors = open_page()
    sign_in(page, world.othello.username, f"/{world.team['name']}/channels/{channel['name']}")
    page.get_by_role("button", name="4 members").click()
    members = page.get_by_role("list", name="Members")
    expect(members.locator(".member")).to_have_count(4)

    # Someone else got there first: the dialog shows the server's own words, and stays.
    page.get_by_role("button", name=f"Remove @{iago.username} from the channel").click()
    dialog = page.get_by_role("dialog", name=f"Remove @{iago.username} from ~Secret")
    expect(dialog).to_contain_text("They stop receiving its messages.")
    world.admin.ok("DELETE", f"/channels/{channel['id']}/members/{iago.id}")
    dialog.get_by_role("button", name="Remove", exact=True).click()
    refusal = expect_error(
        world.admin.delete(f"/channels/{channel['id']}/members/{iago.id}"),
        404,
        "app.channel.get_member.missing.app_error",
    )
    expect(dialog.get_by_role("alert")).to_have_text(refusal["message"])
    dialog.get_by_role("button", name="Cancel").click()
    expect(members.locator(".member")).to_have_count(3)

    page.get_by_role("button", name=f"Remove @{cordelia.username} from the channel").click()
    page.get_by_role("dialog", name=f"Remove @{cordelia.username} from ~Secret").get_by_role(
        "button", name="Remove", exact=True
    ).click()
    expect(members.locator(".member")).to_have_count(2)
    expect_error(
        hamlet.get(f"/channels/{channel['id']}/members/{cordelia.id}"),
        404,
        "app.channel.get_member.missing.app_error",
    )

    # From the profile card: out of the team (and so of its channels).
    members.locator(".member-name", has_text=f"@{hamlet.username}").click()
    card = page.get_by_role("dialog", name=f"Profile of @{hamlet.username}")
    card.get_by_role("button", name="Remove from the team…").click()
    confirm = page.get_by_role("dialog", name=f"Remove @{hamlet.username} from Denmark")
    expect(confirm).to_contain_text("They leave every channel of the team.")
    confirm.get_by_role("button", name="Remove from team").click()
    expect(card.get_by_role("status")).to_have_text(f"@{hamlet.username} was removed from the team Denmark.")
    assert world.admin.ok("GET", f"/teams/{world.team['id']}/members/{hamlet.id}")["delete_at"] > 0
    assert {"user_removed_from_channel", "user_removed_from_team"} <= {
        e["action"] for e in world.admin.ok("GET", f"/audits?per_page=50&user_id={world.othello.id}")
    }
    assert errors == []
