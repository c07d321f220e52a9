"""Notification mails, against a real SMTP server on loopback: who gets one (mentions and
direct messages while away, never for a turned-off setting or while online), what it says (the
message, its link, the time in the recipient's zone, or only who wrote where), and batching by
`email_interval`: one mail per batch, sent when it is due, leaving out what was read meanwhile.
The server runs on a manual clock so that a batch can be let come due."""

import contextlib
import time
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.test_posts import post, private_channel
from tests.support.client import API, World, create_user, expect_error, login
from tests.support.mail import Mailbox, html_of, mailing_server, running_mailbox, text_of
from tests.support.server import ADMIN_PASSWORD, ServerProcess

BATCH = 900  # email_interval of a user who batches: 15 minutes


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with running_mailbox() as box:
        yield box


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, mailbox: Mailbox) -> Iterator[ServerProcess]:
    with mailing_server(
        request.param, mailbox, manual_clock=True, SendEmailNotifications=True, EnableEmailBatching=True
    ) as started:
        yield started


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> API:
    return login(server.url, "sysadmin", ADMIN_PASSWORD)


@pytest.fixture(autouse=True)
def time_moves_on(world: World, server: ServerProcess) -> None:
    """The clock stands still between advances: the test's posts would otherwise bear the same
    millisecond as the users' joining the channels, which counts as having read them."""
    server.advance(1)


def address(api: API) -> str:
    return f"{api.username}@example.org"


def email_interval(api: API, seconds: int) -> None:
    """Sets the user's choice, and sets them away (by hand, so their own requests later do not
    count as being back online)."""
    preference = {
        "user_id": api.id,
        "category": "notifications",
        "name": "email_interval",
        "value": str(seconds),
    }
    api.ok("PUT", f"/users/{api.id}/preferences", [preference])
    api.ok("PUT", f"/users/{api.id}/status", {"user_id": api.id, "status": "away"})


def immediately(*users: API) -> None:
    for user in users:
        email_interval(user, 30)


def no_mail_to(mailbox: Mailbox, api: API, wait: float = 1.5) -> None:
    """Nothing arrives for a while: long enough for the jobs worker to have sent it."""
    time.sleep(wait)
    assert mailbox.to(address(api)) == []


def let_batches_come_due(server: ServerProcess, mailbox: Mailbox, api: API, seconds: int) -> None:
    """Moves the clock on, then a little more at a time with real waits between, so the jobs
    worker (which polls once per step of a manual clock, a step behind) gets to what is due."""
    server.advance(seconds, step=30)
    for _ in range(4):
        server.advance(5)
        with contextlib.suppress(AssertionError):
            mailbox.wait_for(address(api), timeout=1)


# -- who gets a mail -------------------------------------------------------------------------------


def test_a_mention_while_away_mails_the_message_with_its_link(
    world: World, server: ServerProcess, mailbox: Mailbox
) -> None:
    immediately(world.othello, world.iago)
    # when: hamlet mentions othello in town square; iago is a member but not mentioned
    sent = post(world.hamlet, world.town_square, f"@{world.othello.username} the <b>play</b> starts at eight")
    # then: othello (offline) gets one mail quoting the message, with its permalink
    mail = mailbox.wait_for(address(world.othello))
    assert mail["Subject"].endswith(f"New message from @{world.hamlet.username}")
    text = text_of(mail)
    assert "the <b>play</b> starts at eight" in text
    assert f"{server.url}/{world.team['name']}/pl/{sent['id']}" in text
    assert f"in {world.town_square['display_name']}" in text
    # the HTML part escapes the message rather than rendering it
    assert "the &lt;b&gt;play&lt;/b&gt;" in html_of(mail)
    no_mail_to(mailbox, world.iago, wait=0.5)
    assert len(mailbox.to(address(world.othello))) == 1


def test_a_direct_message_mails_the_receiver_with_a_link_in_their_team(
    world: World, mailbox: Mailbox, server: ServerProcess
) -> None:
    immediately(world.othello)
    direct = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    server.advance(1)
    sent = post(world.hamlet, direct, "a word in private")
    text = text_of(mailbox.wait_for(address(world.othello)))
    assert "a word in private" in text
    assert f"@{world.hamlet.username}, " in text
    assert f"{server.url}/{world.team['name']}/pl/{sent['id']}" in text


def test_no_mail_for_who_turned_it_off_is_online_or_is_not_in_the_channel(
    world: World, admin: API, mailbox: Mailbox, server: ServerProcess
) -> None:
    immediately(world.othello, world.iago, world.cordelia)
    # othello turned e-mail off; iago is online; cordelia is not in the private channel
    props = world.othello.ok("GET", "/users/me")["notify_props"]
    world.othello.ok("PUT", "/users/me/patch", {"notify_props": {**props, "email": "false"}})
    immediately(world.othello)
    world.iago.ok("PUT", f"/users/{world.iago.id}/status", {"user_id": world.iago.id, "status": "online"})
    secret = private_channel(world, world.hamlet, world.othello, world.iago)
    server.advance(1)
    post(
        world.hamlet,
        secret,
        f"@{world.othello.username} @{world.iago.username} @{world.cordelia.username} the plan",
    )
    # a mail that does go (to a control user) shows the fan-out has run
    control = create_user(admin, "control")
    admin.ok(
        "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": control.id}
    )
    immediately(control)
    server.advance(1)
    post(world.hamlet, world.town_square, f"@{control.username} are you there")
    mailbox.wait_for(address(control))
    for someone in (world.othello, world.iago, world.cordelia):
        assert mailbox.to(address(someone)) == [], someone.username


def test_generic_mails_say_who_wrote_where_but_not_what(world: World, admin: API, mailbox: Mailbox) -> None:
    immediately(world.othello)
    admin.ok("PUT", "/config/patch", {"EmailSettings": {"EmailNotificationContentsType": "generic"}})
    try:
        post(world.hamlet, world.town_square, f"@{world.othello.username} the secret ingredient is thyme")
        text = text_of(mailbox.wait_for(address(world.othello)))
    finally:
        admin.ok("PUT", "/config/patch", {"EmailSettings": {"EmailNotificationContentsType": "full"}})
    assert f"@{world.hamlet.username} in {world.town_square['display_name']}" in text
    assert "thyme" not in text


def test_the_time_is_in_the_recipients_time_zone(world: World, mailbox: Mailbox) -> None:
    immediately(world.othello)
    zone = {"useAutomaticTimezone": "false", "manualTimezone": "Asia/Tokyo", "automaticTimezone": ""}
    world.othello.ok("PUT", "/users/me/patch", {"timezone": zone})
    immediately(world.othello)
    post(world.hamlet, world.town_square, f"@{world.othello.username} good morning")
    assert " JST" in text_of(mailbox.wait_for(address(world.othello)))


def test_the_mail_is_in_the_recipients_language(world: World, mailbox: Mailbox) -> None:
    world.othello.ok("PUT", "/users/me/patch", {"locale": "de"})
    immediately(world.othello)
    post(world.hamlet, world.town_square, f"@{world.othello.username} guten Morgen")
    mail = mailbox.wait_for(address(world.othello))
    assert mail["Subject"].endswith(f"Neue Nachricht von @{world.hamlet.username}")
    text = text_of(mail)
    assert text.startswith("Hallo,") and "Nachricht öffnen" in text and "guten Morgen" in text


def test_a_bad_contents_type_is_refused(admin: API) -> None:
    refused = admin.put("/config/patch", {"EmailSettings": {"EmailNotificationContentsType": "everything"}})
    expect_error(refused, 400, "model.config.is_valid.email_notification_contents_type.app_error")


# -- batching ------------------------------------------------------------------------------------


@pytest.fixture
def watcher(world: World, admin: API, server: ServerProcess) -> API:
    """A team member mailed at once: a post that mentions them has been fanned out (its batched
    notifications queued) once their mail is in, so the test can move the clock on safely."""
    watcher = create_user(admin, "watcher")
    admin.ok(
        "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": watcher.id}
    )
    immediately(watcher)
    server.advance(1)
    return watcher


def fanned_out(mailbox: Mailbox, watcher: API, api: API, channel: dict[str, Any], message: str) -> None:
    seen = len(mailbox.to(address(watcher)))
    post(api, channel, f"{message} @{watcher.username}")
    mailbox.wait_for(address(watcher), count=seen + 1)


def test_a_batch_gathers_what_arrives_until_it_is_due_then_goes_as_one_mail(
    world: World, server: ServerProcess, mailbox: Mailbox, watcher: API
) -> None:
    email_interval(world.othello, BATCH)
    group = world.hamlet.ok("POST", "/channels/group", [world.hamlet.id, world.othello.id, watcher.id])
    fanned_out(mailbox, watcher, world.hamlet, world.town_square, f"@{world.othello.username} first")
    server.advance(300, step=30)
    fanned_out(mailbox, watcher, world.hamlet, group, "second, among us")
    server.advance(1)
    fanned_out(mailbox, watcher, world.iago, world.off_topic, f"@{world.othello.username} third")
    # not yet: the batch began 300 s ago
    server.advance(BATCH - 300 - 60, step=30)
    no_mail_to(mailbox, world.othello)
    let_batches_come_due(server, mailbox, world.othello, 90)
    mail = mailbox.wait_for(address(world.othello))
    assert "3 new messages" in mail["Subject"]
    text = text_of(mail)
    assert text.index("first") < text.index("second, among us") < text.index("third")
    # and only one mail, however long the clock goes on
    let_batches_come_due(server, mailbox, world.othello, BATCH + 60)
    assert len(mailbox.to(address(world.othello))) == 1


def test_what_is_read_before_the_batch_is_due_is_left_out(
    world: World, server: ServerProcess, mailbox: Mailbox, watcher: API
) -> None:
    email_interval(world.othello, BATCH)
    fanned_out(mailbox, watcher, world.hamlet, world.town_square, f"@{world.othello.username} read this one")
    server.advance(1)
    fanned_out(mailbox, watcher, world.hamlet, world.off_topic, f"@{world.othello.username} but not this one")
    server.advance(1)
    world.othello.ok("POST", "/channels/members/me/view", {"channel_id": world.town_square["id"]})
    let_batches_come_due(server, mailbox, world.othello, BATCH + 60)
    mail = mailbox.wait_for(address(world.othello))
    text = text_of(mail)
    assert "but not this one" in text
    assert "read this one" not in text
    assert mail["Subject"].endswith(f"New message from @{world.hamlet.username}")


def test_a_batch_read_in_full_sends_nothing(
    world: World, server: ServerProcess, mailbox: Mailbox, watcher: API
) -> None:
    email_interval(world.othello, BATCH)
    fanned_out(mailbox, watcher, world.hamlet, world.town_square, f"@{world.othello.username} seen it")
    server.advance(1)
    world.othello.ok("POST", "/channels/members/me/view", {"channel_id": world.town_square["id"]})
    let_batches_come_due(server, mailbox, world.othello, BATCH + 60)
    assert mailbox.to(address(world.othello)) == []


def test_without_a_choice_a_user_gets_the_fifteen_minute_batch(
    world: World, server: ServerProcess, mailbox: Mailbox, watcher: API
) -> None:
    world.othello.ok(
        "PUT", f"/users/{world.othello.id}/status", {"user_id": world.othello.id, "status": "away"}
    )
    fanned_out(mailbox, watcher, world.hamlet, world.town_square, f"@{world.othello.username} hello")
    server.advance(600, step=30)
    no_mail_to(mailbox, world.othello)
    let_batches_come_due(server, mailbox, world.othello, 330)
    assert "hello" in text_of(mailbox.wait_for(address(world.othello)))
