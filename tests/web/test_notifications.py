"""Notification settings in a real browser: the account's in the settings dialog, a channel's
own from its header menu; what is saved is what the server decides notifications by."""

import json
import time
from collections.abc import Callable
from typing import Any

from playwright.sync_api import expect

from tests.support.client import World, create_user
from tests.support.server import ServerProcess
from tests.web.conftest import OpenPage, sign_in, sqlite_only


def eventually(read: Callable[[], Any], until: Callable[[Any], bool]) -> Any:
    deadline = time.monotonic() + 10
    while True:
        value = read()
        if until(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


@sqlite_only
def test_hamlet_sets_his_notifications_and_mutes_a_channel(open_page: OpenPage, world: World) -> None:
    world.hamlet.ok("PUT", f"/users/{world.hamlet.id}/patch", {"first_name": "Hamlet"})
    page, errors = open_page()
    sign_in(page, world.hamlet.username, f"/{world.team['name']}/channels/town-square")

    page.locator(".user-menu-button").click()
    page.get_by_role("menuitem", name="Profile and settings").click()
    page.get_by_role("tab", name="Notifications").click()
    push = page.get_by_role("group", name="Mobile push notifications")
    push.get_by_label("Every message").check()
    page.get_by_role("group", name="Send mobile pushes").get_by_label("Only when I am offline").check()
    page.get_by_role("group", name="Replies").get_by_label("Replies in threads I started", exact=True).check()
    page.fill("#notify-mention-keys", "ghost,  castle ,")
    page.get_by_label('My first name, "Hamlet", counts as a mention (exact case)').check()
    page.get_by_label("Automatic reply to direct messages (out of office)").check()
    page.fill("#notify-auto-responder", "At Wittenberg until Monday")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    props = world.hamlet.ok("GET", "/users/me")["notify_props"]
    assert (props["push"], props["push_status"], props["comments"]) == ("all", "offline", "root")
    assert (props["mention_keys"], props["first_name"]) == ("ghost,castle", "true")
    assert (props["auto_responder_active"], props["auto_responder_message"]) == (
        "true",
        "At Wittenberg until Monday",
    )
    assert props["desktop"] == "mention" and props["channel"] == "true"
    page.keyboard.press("Escape")

    page.get_by_role("button", name="More actions for Town Square").click()
    page.get_by_role("menuitem", name="Notification preferences").click()
    dialog = page.get_by_role("dialog", name="Notification preferences")
    dialog.get_by_label("Mute this channel").check()
    dialog.get_by_role("group", name="Mobile push notifications").get_by_label("Never").check()
    dialog.get_by_role("group", name="Ignore @channel, @all and @here in this channel").get_by_label(
        "Yes"
    ).check()
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    path = f"/channels/{world.town_square['id']}/members/me"
    member = eventually(lambda: world.hamlet.ok("GET", path), lambda m: m["notify_props"]["push"] == "none")
    channel_props = member["notify_props"]
    assert (channel_props["mark_unread"], channel_props["ignore_channel_mentions"]) == ("mention", "on")
    assert channel_props["desktop"] == "default"
    # The dialog opens again with what was saved.
    page.get_by_role("button", name="More actions for Town Square").click()
    page.get_by_role("menuitem", name="Notification preferences").click()
    expect(dialog.get_by_label("Mute this channel")).to_be_checked()
    expect(
        dialog.get_by_role("group", name="Mobile push notifications").get_by_label("Never")
    ).to_be_checked()
    assert errors == []


@sqlite_only
def test_hamlet_chooses_how_often_he_is_mailed(
    open_page: OpenPage, world: World, server: ServerProcess
) -> None:
    email = {"SendEmailNotifications": True, "EnableEmailBatching": True}
    before = world.admin.ok("GET", "/config")
    world.admin.ok(
        "PUT",
        "/config/patch",
        {"ServiceSettings": {"SiteURL": server.url}, "EmailSettings": email},
    )
    try:
        page, errors = open_page()
        sign_in(page, world.hamlet.username, f"/{world.team['name']}/channels/town-square")
        page.locator(".user-menu-button").click()
        page.get_by_role("menuitem", name="Profile and settings").click()
        page.get_by_role("tab", name="Notifications").click()
        mails = page.get_by_role("group", name="E-mail notifications while I am away")
        # a user who never chose is batched every 15 minutes, as in Mattermost
        expect(mails.get_by_label("At most every 15 minutes")).to_be_checked()
        mails.get_by_label("At most every hour").check()
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
        preferences = world.hamlet.ok("GET", f"/users/{world.hamlet.id}/preferences/notifications")
        assert {p["name"]: p["value"] for p in preferences}.get("email_interval") == "3600"
        assert world.hamlet.ok("GET", "/users/me")["notify_props"]["email"] == "true"

        mails.get_by_label("Never").check()
        page.get_by_role("button", name="Save", exact=True).click()
        eventually(
            lambda: world.hamlet.ok("GET", "/users/me"), lambda me: me["notify_props"]["email"] == "false"
        )
        assert world.hamlet.ok("GET", "/users/me")["notify_props"]["email"] == "false"
        assert errors == []
    finally:
        # Batching needs a site URL, which cannot be cleared again: the server's own stays.
        world.admin.ok(
            "PUT", "/config/patch", {"EmailSettings": {key: before["EmailSettings"][key] for key in email}}
        )


@sqlite_only
def test_notifying_a_whole_channel_of_more_than_five_asks_first(open_page: OpenPage, world: World) -> None:
    for name in ("rosencrantz", "guildenstern", "horatio"):
        extra = create_user(world.admin, name)
        world.admin.ok(
            "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": extra.id}
        )
    page, errors = open_page()
    sign_in(page, world.hamlet.username, f"/{world.team['name']}/channels/town-square")
    box = page.locator(".channel-view .composer textarea")
    box.fill("@channel the players are here")
    box.press("Enter")
    dialog = page.get_by_role("dialog", name="Notify the whole channel?")
    expect(dialog).to_contain_text("With @channel you are about to notify 6 people")
    # cancelling keeps the message in the box, unsent
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(box).to_have_value("@channel the players are here")
    box.press("Enter")
    page.get_by_role("dialog", name="Notify the whole channel?").get_by_role(
        "button", name="Send and notify everyone"
    ).click()
    expect(page.locator(".channel-view").get_by_text("the players are here")).to_be_visible()
    posts = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/posts")["posts"]
    assert [p["message"] for p in posts.values()].count("@channel the players are here") == 1
    # code is not a mention: no question
    box.fill("type `@all` to notify everyone")
    box.press("Enter")
    expect(page.locator(".channel-view").get_by_text("to notify everyone")).to_be_visible()
    expect(dialog).to_be_hidden()
    assert errors == []


@sqlite_only
def test_a_web_push_shows_a_notification_from_the_service_worker(
    open_page: OpenPage, world: World, server: ServerProcess
) -> None:
    """The browser's push service cannot be reached here, so the push is handed to the worker
    the way Chromium's DevTools do (ServiceWorker.deliverPushMessage): what the worker then shows
    is what a user sees with the tab closed."""
    page, errors = open_page()
    page.context.grant_permissions(["notifications"], origin=server.url)
    sign_in(page, world.hamlet.username, f"/{world.team['name']}/channels/town-square")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null", timeout=30_000)
    devtools = page.context.new_cdp_session(page)
    registrations: list[dict[str, Any]] = []
    devtools.on(
        "ServiceWorker.workerRegistrationUpdated", lambda event: registrations.extend(event["registrations"])
    )
    devtools.send("ServiceWorker.enable")
    # Playwright hands over DevTools events only while it is called: wait in the page, not asleep.
    for _ in range(100):
        if registrations:
            break
        page.wait_for_timeout(100)
    registration = registrations[0]
    message = {
        "title": "Town Square",
        "body": "othello: @hamlet the play",
        "url": f"/{world.team['name']}/pl/abc",
        "tag": world.town_square["id"],
    }
    devtools.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": server.url, "registrationId": registration["registrationId"], "data": json.dumps(message)},
    )
    shown = eventually(
        lambda: page.evaluate(
            """() => navigator.serviceWorker.ready
                .then((registration) => registration.getNotifications())
                .then((found) => found.map((n) => ({title: n.title, body: n.body, tag: n.tag})))"""
        ),
        lambda found: bool(found),
    )
    assert shown == [
        {"title": "Town Square", "body": "othello: @hamlet the play", "tag": world.town_square["id"]}
    ]
    assert errors == []
