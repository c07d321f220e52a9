"""Mobile push through the Mattermost push-proxy protocol, against a stand-in proxy that checks
every signature with the key the server publishes: who is notified, what each contents mode
reveals, `clear` on reading elsewhere, a device the proxy reports gone, the id-loaded ack, the
ping's push check, and the out-of-office reply."""

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.api.test_posts import post, private_channel
from tests.jobs.receiver import wait_until
from tests.jobs.servers import admin_of, servers
from tests.notifications.proxy import PushProxy
from tests.support.client import API, World, create_user, expect_error, unique
from tests.support.server import ServerProcess


@pytest.fixture(scope="module")
def proxy() -> Iterator[PushProxy]:
    proxy = PushProxy()
    yield proxy
    proxy.close()
    assert not proxy.unsigned, f"pushes without a valid signature: {proxy.unsigned[:3]}"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, proxy: PushProxy) -> Iterator[ServerProcess]:
    with servers(request.param) as (server,):
        settings = {"SendPushNotifications": True, "PushNotificationServer": proxy.server_url}
        admin_of(server).ok("PUT", "/config/patch", {"EmailSettings": settings})
        client_config = API(server.url).ok("GET", "/config/client?format=old")
        proxy.public_key = client_config["AsymmetricSigningPublicKey"]
        yield server


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> API:
    return admin_of(server)


def register_device(api: API) -> str:
    """The app's PUT /users/sessions/device; returns the token the proxy sees."""
    token = unique("token-")
    api.ok("PUT", "/users/sessions/device", {"device_id": f"android_rn-v2:{token}"})
    return token


def push_for(proxy: PushProxy, post_id: str, token: str, what: str = "the push") -> dict[str, Any]:
    """Waits for the push about a post to a device."""
    pushes: list[dict[str, Any]] = wait_until(
        lambda: proxy.pushes(post_id=post_id, device_id=token), what=what
    )
    return pushes[0]


def set_contents(admin: API, contents: str) -> None:
    admin.ok("PUT", "/config/patch", {"EmailSettings": {"PushNotificationContents": contents}})


@dataclass
class Case:
    name: str
    message: str
    expected: set[str]  # of "othello", "iago"
    othello: dict[str, Any] = field(default_factory=dict)  # user notify_props
    iago: dict[str, Any] = field(default_factory=dict)
    othello_channel: dict[str, str] = field(default_factory=dict)  # channel notify_props
    iago_channel: dict[str, str] = field(default_factory=dict)
    othello_status: tuple[str, int] = ("offline", 0)  # status, dnd_end_time (s)
    iago_status: tuple[str, int] = ("offline", 0)
    poster: str = "hamlet"


IN_AN_HOUR = int(time.time()) + 3600
AN_HOUR_AGO = int(time.time()) - 3600

CASES = [
    Case("@username", "@{othello} come here", {"othello"}),
    Case("mention key", "the Ghost walks", {"othello"}, othello={"mention_keys": "castle,ghost"}),
    Case("first name, exact case", "Moor, a word", {"othello"}, othello={"first_name": "true"}),
    Case("first name, other case", "moor, a word", set(), othello={"first_name": "true"}),
    Case(
        "@here reaches only who is online",
        "@here meeting",
        {"othello"},
        othello={"push_status": "online"},
        iago={"push_status": "online"},
        othello_status=("online", 0),
    ),
    Case(
        "@channel, ignored by the channel",
        "@channel news",
        {"othello"},
        iago_channel={"ignore_channel_mentions": "on"},
    ),
    Case("@channel, ignored by the user", "@channel news", {"iago"}, othello={"channel": "false"}),
    Case("muted channel", "@{othello} @{iago}", {"iago"}, othello_channel={"mark_unread": "mention"}),
    Case("push level none", "@{othello} @{iago}", {"iago"}, othello_channel={"push": "none"}),
    Case("channel level all", "no mention", {"othello"}, othello_channel={"push": "all"}),
    Case("own post", "@{othello} @{iago}", {"iago"}, poster="othello"),
    Case("online with push_status away", "@{othello} @{iago}", {"iago"}, othello_status=("online", 0)),
    Case("do not disturb until later", "@{othello} @{iago}", {"iago"}, othello_status=("dnd", IN_AN_HOUR)),
    Case(
        "do not disturb that has ended",
        "@{othello} @{iago}",
        {"othello", "iago"},
        othello_status=("dnd", AN_HOUR_AGO),
    ),
    Case(
        "away, push only when offline",
        "@{othello} @{iago}",
        {"iago"},
        othello={"push_status": "offline"},
        othello_status=("away", 0),
    ),
]

BASELINE_USER = {
    "push": "mention",
    "push_status": "away",
    "channel": "true",
    "comments": "never",
    "mention_keys": "",
    "first_name": "false",
}
BASELINE_CHANNEL = {"push": "default", "mark_unread": "all", "ignore_channel_mentions": "default"}


def _prepare(
    api: API, channel_id: str, props: dict[str, Any], channel_props: dict[str, str], status: tuple[str, int]
) -> None:
    api.ok("PUT", f"/users/{api.id}/patch", {"notify_props": {**BASELINE_USER, **props}})
    api.ok(
        "PUT",
        f"/channels/{channel_id}/members/{api.id}/notify_props",
        {"channel_id": channel_id, "user_id": api.id, **BASELINE_CHANNEL, **channel_props},
    )
    if status[0] == "dnd":  # from offline, which do-not-disturb returns to when it ends
        api.ok("PUT", f"/users/{api.id}/status", {"user_id": api.id, "status": "offline"})
    api.ok(
        "PUT", f"/users/{api.id}/status", {"user_id": api.id, "status": status[0], "dnd_end_time": status[1]}
    )


def test_who_is_notified(world: World, admin: API, proxy: PushProxy) -> None:
    """Each case posts in town square, where yorick (push for every message) is the control:
    once his push for a post arrives, the post's fan-out is done; a last check over every post
    catches any push that should not have been sent."""
    yorick = create_user(admin, "yorick")
    admin.ok(
        "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": yorick.id}
    )
    channel_id = world.town_square["id"]
    yorick.ok("POST", "/channels/members/me/view", {"channel_id": channel_id})
    yorick.ok("PUT", f"/users/{yorick.id}/patch", {"notify_props": {"push": "all"}})
    admin.ok("PUT", f"/users/{world.othello.id}/patch", {"first_name": "Moor"})
    tokens = {name: register_device(getattr(world, name)) for name in ("othello", "iago")}
    control = register_device(yorick)
    names = {"othello": world.othello.username, "iago": world.iago.username}
    results: dict[str, tuple[str, set[str]]] = {}
    for case in CASES:
        _prepare(world.othello, channel_id, case.othello, case.othello_channel, case.othello_status)
        _prepare(world.iago, channel_id, case.iago, case.iago_channel, case.iago_status)
        poster = getattr(world, case.poster)
        created = post(poster, world.town_square, case.message.format(**names))
        push_for(proxy, created["id"], control, f"the control push ({case.name})")
        for name in case.expected:
            push_for(proxy, created["id"], tokens[name], f"{name}'s push ({case.name})")
        results[case.name] = (created["id"], case.expected)
    for name, (post_id, expected) in results.items():
        got = {who for who, token in tokens.items() if proxy.pushes(post_id=post_id, device_id=token)}
        assert got == expected, name


def test_direct_messages_thread_replies_and_contents_modes(
    world: World, admin: API, proxy: PushProxy
) -> None:
    othello_token = register_device(world.othello)
    iago_token = register_device(world.iago)
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    secret = private_channel(world, world.hamlet, world.iago)
    try:
        seen = {}
        for contents in ("full", "generic", "generic_no_channel", "id_loaded"):
            set_contents(admin, contents)
            direct = post(world.hamlet, dm, f"the plan, {contents}")
            mention = post(world.hamlet, secret, f"@{world.iago.username} the secret, {contents}")
            seen[contents] = (
                push_for(proxy, direct["id"], othello_token),
                push_for(proxy, mention["id"], iago_token),
            )
    finally:
        set_contents(admin, "full")
    (full_dm, full_mention) = seen["full"]
    assert full_dm["message"] == "the plan, full" and full_dm["channel_name"] == world.hamlet.username
    assert full_mention["message"] == f"{world.hamlet.username}: @{world.iago.username} the secret, full"
    assert full_mention["channel_name"] == "Secret" and full_mention["platform"] == "android_rn-v2"
    assert full_mention["type"] == "message" and full_mention["version"] == "v2"
    assert full_mention["server_id"] == admin.ok("GET", "/config/client?format=old")["DiagnosticId"]
    (generic_dm, generic_mention) = seen["generic"]
    assert generic_dm["message"] == "sent you a message."
    assert generic_mention["message"] == f"{world.hamlet.username} mentioned you."
    assert generic_mention["channel_name"] == "Secret"
    (_, no_channel) = seen["generic_no_channel"]
    assert "channel_name" not in no_channel and no_channel["sender_name"] == world.hamlet.username
    (loaded_dm, loaded_mention) = seen["id_loaded"]
    for push in (loaded_dm, loaded_mention):
        assert push["is_id_loaded"] is True and push["message"] == "You've received a new message."
        assert "channel_name" not in push and "sender_name" not in push
    for mode, pushes in seen.items():
        if mode != "full":
            assert not any(
                "secret" in str(p.get("message")) or "plan" in str(p.get("message")) for p in pushes
            )

    # A reply in a followed thread (collapsed threads: iago started it, so he follows it).
    root = post(world.iago, world.town_square, "a thread")
    reply = post(world.hamlet, world.town_square, "a reply", root_id=root["id"])
    [pushed] = wait_until(lambda: proxy.pushes(post_id=reply["id"], device_id=iago_token))
    assert pushed["root_id"] == root["id"] and pushed["message"].endswith(": a reply")


def test_reading_elsewhere_clears_and_a_gone_device_is_dropped(world: World, proxy: PushProxy) -> None:
    token = register_device(world.othello)
    mention = post(world.hamlet, world.town_square, f"@{world.othello.username} look")
    wait_until(lambda: proxy.pushes(post_id=mention["id"], device_id=token))
    world.othello.ok("POST", "/channels/members/me/view", {"channel_id": world.town_square["id"]})
    [clear] = wait_until(
        lambda: proxy.pushes(type="clear", device_id=token, channel_id=world.town_square["id"]),
        what="the clear push",
    )
    assert clear["badge"] == 0
    # Viewing again, with nothing unread, sends no second clear.
    world.othello.ok("POST", "/channels/members/me/view", {"channel_id": world.off_topic["id"]})

    proxy.gone.add(token)
    assert (
        world.othello.ok("GET", f"/system/ping?device_id=android_rn-v2:{token}")["CanReceiveNotifications"]
        == "false"
    )
    gone = post(world.hamlet, world.town_square, f"@{world.othello.username} still there?")
    wait_until(lambda: proxy.pushes(post_id=gone["id"], device_id=token))

    def forgotten() -> bool:
        sessions = world.othello.ok("GET", f"/users/{world.othello.id}/sessions")
        return all(s["device_id"] == "" for s in sessions)

    wait_until(forgotten, what="the device to be forgotten")
    later = post(world.hamlet, world.town_square, f"@{world.othello.username} and now?")
    fresh = register_device(world.iago)
    iago_mention = post(world.hamlet, world.town_square, f"@{world.iago.username} ping")
    wait_until(lambda: proxy.pushes(post_id=iago_mention["id"], device_id=fresh))
    assert not proxy.pushes(post_id=later["id"], device_id=token)
    assert len(proxy.pushes(type="clear", device_id=token)) == 1
    ping = world.iago.ok("GET", f"/system/ping?device_id=android_rn-v2:{fresh}")
    assert ping["CanReceiveNotifications"] == "true"


def test_an_id_loaded_push_is_answered_only_to_its_reader(world: World, admin: API, proxy: PushProxy) -> None:
    token = register_device(world.iago)
    secret = private_channel(world, world.hamlet, world.iago)
    set_contents(admin, "id_loaded")
    try:
        created = post(world.hamlet, secret, f"@{world.iago.username} the password is swordfish")
        [push] = wait_until(lambda: proxy.pushes(post_id=created["id"], device_id=token))
    finally:
        set_contents(admin, "full")
    ack = {
        "id": push["ack_id"],
        "platform": "android",
        "type": "message",
        "post_id": created["id"],
        "is_id_loaded": True,
        "received_at": 1,
    }
    answer = world.iago.ok("POST", "/notifications/ack", ack)
    assert answer["message"] == f"{world.hamlet.username}: @{world.iago.username} the password is swordfish"
    assert answer["channel_name"] == "Secret" and answer["sender_name"] == world.hamlet.username
    for name in ("post_id", "root_id", "team_id", "channel_id", "type", "category", "version", "sender_id"):
        assert name in answer, name
    # Not to anyone else, not even a member who could read it, nor for a post the push was not about.
    expect_error(world.othello.post("/notifications/ack", ack), 403, "api.context.permissions.app_error")
    expect_error(world.hamlet.post("/notifications/ack", ack), 403, "api.context.permissions.app_error")
    other = post(world.hamlet, secret, "another")
    expect_error(
        world.iago.post("/notifications/ack", {**ack, "post_id": other["id"]}),
        403,
        "api.context.permissions.app_error",
    )
    # Nor once the reader has left the channel.
    world.iago.ok("DELETE", f"/channels/{secret['id']}/members/{world.iago.id}")
    expect_error(world.iago.post("/notifications/ack", ack), 403, "api.context.permissions.app_error")
    # A receipt of an ordinary push is just acknowledged; a malformed one is refused.
    assert world.iago.ok("POST", "/notifications/ack", {**ack, "is_id_loaded": False}) == {"status": "OK"}
    expect_error(
        world.iago.post("/notifications/ack", {**ack, "is_id_loaded": "yes"}),
        400,
        "api.push_notifications_ack.message.parse.app_error",
    )


def test_out_of_office_replies_once_a_day(world: World) -> None:
    world.othello.ok(
        "PUT",
        f"/users/{world.othello.id}/patch",
        {"notify_props": {"auto_responder_active": "true", "auto_responder_message": "Away until Monday"}},
    )
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    post(world.hamlet, dm, "are you there?")

    def replies() -> list[dict[str, Any]]:
        listing = world.hamlet.ok("GET", f"/channels/{dm['id']}/posts")
        return [p for p in listing["posts"].values() if p["type"] == "system_auto_responder"]

    [reply] = wait_until(replies, what="the automatic reply")
    assert reply["user_id"] == world.othello.id and reply["message"] == "Away until Monday"
    second = post(world.hamlet, dm, "hello?")
    # Othello's own messages never trigger it; a second message the same day gets no second reply.
    post(world.othello, dm, "typed by hand")
    marker = post(
        world.iago, world.iago.ok("POST", "/channels/direct", [world.iago.id, world.othello.id]), "hi"
    )
    wait_until(
        lambda: any(
            p["type"] == "system_auto_responder"
            for p in world.iago.ok("GET", f"/channels/{marker['channel_id']}/posts")["posts"].values()
        )
    )
    assert len(replies()) == 1 and second["id"]


def test_push_off_means_no_ack_and_no_push_check(server: ServerProcess, world: World, admin: API) -> None:
    admin.ok("PUT", "/config/patch", {"EmailSettings": {"SendPushNotifications": False}})
    try:
        assert (
            world.hamlet.ok("GET", "/system/ping?device_id=android_rn-v2:abc")["CanReceiveNotifications"]
            == "false"
        )
        expect_error(
            world.hamlet.post("/notifications/ack", {"id": "x", "is_id_loaded": True}),
            501,
            "api.push_notification.disabled.app_error",
        )
    finally:
        admin.ok("PUT", "/config/patch", {"EmailSettings": {"SendPushNotifications": True}})
