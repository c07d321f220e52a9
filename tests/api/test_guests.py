"""Guest accounts (role system_guest): what a guest can and cannot do, through the API."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.realtime.sockets import event_named, open_socket, wait_for
from tests.support.client import API, PASSWORD, World, create_user, expect_error, login, unique

FORBIDDEN = "api.context.permissions.app_error"


@pytest.fixture
def guests_enabled(admin: API) -> Iterator[None]:
    admin.ok("PUT", "/config/patch", {"GuestAccountsSettings": {"Enable": True}})
    yield
    admin.ok("PUT", "/config/patch", {"GuestAccountsSettings": {"Enable": False}})


@dataclass
class GuestScene:
    world: World
    guest: API
    # A private channel of the guest's with hamlet; othello is in the team but not in it.
    room: dict[str, Any]
    # A public channel the guest is not in.
    ramparts: dict[str, Any]


@pytest.fixture
def scene(world: World, guests_enabled: None) -> GuestScene:
    """Rosencrantz, demoted to a guest, then added to the team, off-topic and a private room
    with hamlet. Cordelia (in no team) shares nothing with him."""
    admin, team_id = world.admin, world.team["id"]
    guest = create_user(admin, "rosencrantz")
    admin.ok("POST", f"/users/{guest.id}/demote")
    admin.ok("POST", f"/teams/{team_id}/members", {"team_id": team_id, "user_id": guest.id})
    admin.ok("POST", f"/channels/{world.off_topic['id']}/members", {"user_id": guest.id})
    room = world.hamlet.ok(
        "POST",
        "/channels",
        {"team_id": team_id, "name": unique("room-"), "display_name": "Room", "type": "P"},
    )
    world.hamlet.ok("POST", f"/channels/{room['id']}/members", {"user_id": guest.id})
    ramparts = world.iago.ok(
        "POST", "/channels", {"team_id": team_id, "name": unique("ramparts-"), "display_name": "Ramparts"}
    )
    guest = login(guest.base_url, guest.username)
    return GuestScene(world, guest, room, ramparts)


def _cases(s: GuestScene) -> list[tuple[str, str, str, Any, int, str]]:
    """(what, method, path, body, status, error id or "") for the guest."""
    w, team_id, guest_id = s.world, s.world.team["id"], s.guest.id
    town, off_topic, room, ramparts = w.town_square["id"], w.off_topic["id"], s.room["id"], s.ramparts["id"]
    new_channel = {"team_id": team_id, "name": unique("den-"), "display_name": "Den"}
    return [
        # What a guest can do: their own channels, and the people in them.
        ("read a channel they are in", "GET", f"/channels/{off_topic}", None, 200, ""),
        ("post in it", "POST", "/posts", {"channel_id": room, "message": "hello"}, 201, ""),
        ("see someone they share a channel with", "GET", f"/users/{w.othello.id}", None, 200, ""),
        ("message them directly", "POST", "/channels/direct", [guest_id, w.hamlet.id], 201, ""),
        ("switch among their channels", "GET", f"/teams/{team_id}/channels/search_autocomplete?name=r", None, 200, ""),
        ("leave a channel", "DELETE", f"/channels/{off_topic}/members/{guest_id}", None, 200, ""),
        # What a guest cannot: anything outside the channels they were added to.
        ("read the town square (not added to it)", "GET", f"/channels/{town}", None, 403, FORBIDDEN),
        ("read a public channel's posts", "GET", f"/channels/{ramparts}/posts", None, 403, FORBIDDEN),
        ("list public channels", "GET", f"/teams/{team_id}/channels", None, 403, FORBIDDEN),
        ("autocomplete channels", "GET", f"/teams/{team_id}/channels/autocomplete?name=r", None, 403, FORBIDDEN),
        ("search channels", "POST", f"/teams/{team_id}/channels/search", {"term": "ram"}, 403, FORBIDDEN),
        ("list archived channels", "GET", f"/teams/{team_id}/channels/deleted", None, 403, FORBIDDEN),
        ("join a public channel", "POST", f"/channels/{ramparts}/members", {"user_id": guest_id}, 403, FORBIDDEN),
        ("create a channel", "POST", "/channels", new_channel, 403, FORBIDDEN),
        ("create a team", "POST", "/teams", {"name": unique("t-"), "display_name": "T"}, 403, FORBIDDEN),
        ("add someone to their channel", "POST", f"/channels/{room}/members", {"user_id": w.othello.id}, 403, FORBIDDEN),
        ("rename their channel", "PUT", f"/channels/{room}/patch", {"display_name": "Mine"}, 403, FORBIDDEN),
        ("see someone outside their channels", "GET", f"/users/{w.cordelia.id}", None, 403, FORBIDDEN),
        ("by username", "GET", f"/users/username/{w.cordelia.username}", None, 403, FORBIDDEN),
        ("their picture", "GET", f"/users/{w.cordelia.id}/image", None, 403, FORBIDDEN),
        ("message them directly", "POST", "/channels/direct", [guest_id, w.cordelia.id], 403, FORBIDDEN),
        ("in a group", "POST", "/channels/group", [guest_id, w.hamlet.id, w.cordelia.id], 403, FORBIDDEN),
        ("invite someone to the team", "POST", f"/teams/{team_id}/members", {"team_id": team_id, "user_id": w.cordelia.id}, 403, FORBIDDEN),
        ("join a team by its invite link", "POST", f"/teams/members/invite?invite_id={w.team['invite_id']}", None, 403, FORBIDDEN),
    ]  # fmt: skip


def test_what_a_guest_can_and_cannot_do(scene: GuestScene) -> None:
    for what, method, path, body, status, error_id in _cases(scene):
        response = scene.guest.request(method, path, json=body)
        if error_id:
            assert response.status_code == status, (what, response.text)
            expect_error(response, status, error_id)
        else:
            assert response.status_code == status, (what, response.text)


def test_a_guest_sees_only_their_channels_and_people(scene: GuestScene) -> None:
    w, guest, team_id = scene.world, scene.guest, scene.world.team["id"]
    me = guest.ok("GET", "/users/me")
    assert me["roles"] == "system_guest"
    # Added to the team, a guest joins none of its default channels: only those added to.
    mine = {c["id"] for c in guest.ok("GET", f"/users/me/teams/{team_id}/channels") if c["type"] in "OP"}
    assert mine == {w.off_topic["id"], scene.room["id"]}
    assert guest.ok("GET", f"/teams/{team_id}/members/me")["roles"] == "team_guest"
    member = guest.ok("GET", f"/channels/{scene.room['id']}/members/me")
    assert (member["roles"], member["scheme_guest"], member["scheme_user"]) == ("channel_guest", True, False)
    # Lists leave out the people a guest shares no channel with.
    asked = [w.hamlet.id, w.cordelia.id]
    assert [u["id"] for u in guest.ok("POST", "/users/ids", asked)] == [w.hamlet.id]
    assert guest.ok("POST", "/users/search", {"term": w.cordelia.username}) == []
    assert guest.ok("GET", "/teams") == []
    # The invite link is not theirs to see or share.
    assert guest.ok("GET", f"/teams/{team_id}")["invite_id"] == ""
    # Others see them marked as a guest, as Mattermost renders it.
    assert w.hamlet.ok("GET", f"/users/{guest.id}")["roles"] == "system_guest"
    channel_member = w.hamlet.ok("GET", f"/channels/{scene.room['id']}/members/{guest.id}")
    assert channel_member["scheme_guest"] is True
    # A guest cannot be made a channel admin until promoted.
    expect_error(
        w.hamlet.put(f"/channels/{scene.room['id']}/members/{guest.id}/schemeRoles", {"scheme_admin": True, "scheme_user": True}),
        400,
        "api.channel.update_channel_member_roles.guest_and_user.app_error",
    )  # fmt: skip


def test_demote_and_promote(scene: GuestScene) -> None:
    w, guest, team_id = scene.world, scene.guest, scene.world.team["id"]
    expect_error(w.hamlet.post(f"/users/{w.othello.id}/demote"), 403, FORBIDDEN)
    expect_error(
        w.admin.post(f"/users/{guest.id}/demote"),
        501,
        "api.user.demote_user_to_guest.already_guest.app_error",
    )
    expect_error(
        w.admin.post(f"/users/{w.othello.id}/promote"),
        501,
        "api.user.promote_guest_to_user.no_guest.app_error",
    )
    expect_error(w.admin.post("/users/" + "z" * 26 + "/promote"), 404, "app.user.missing_account.const")
    w.admin.ok("POST", f"/users/{guest.id}/promote")
    # The same session, judged by the new roles at once.
    assert guest.ok("GET", "/users/me")["roles"] == "system_user"
    assert guest.ok("GET", f"/teams/{team_id}/members/me")["roles"] == "team_user"
    assert guest.ok("GET", f"/channels/{scene.room['id']}/members/me")["roles"] == "channel_user"
    guest.ok("GET", f"/teams/{team_id}/channels")
    guest.ok("POST", f"/channels/{scene.ramparts['id']}/members", {"user_id": guest.id})
    # And back: a demotion takes effect on the session at once too.
    w.admin.ok("POST", f"/users/{guest.id}/demote")
    expect_error(guest.get(f"/teams/{team_id}/channels"), 403, FORBIDDEN)
    assert guest.ok("GET", f"/channels/{scene.ramparts['id']}/members/me")["roles"] == "channel_guest"


def test_guests_sign_in_only_while_guest_accounts_are_enabled(admin: API, anonymous: API) -> None:
    guest = create_user(admin, "guildenstern")
    admin.ok("POST", f"/users/{guest.id}/demote")
    client = admin.ok("GET", "/config/client?format=old")
    assert client["EnableGuestAccounts"] == "false"
    assert admin.ok("GET", "/license/client?format=old")["GuestAccounts"] == "true"
    expect_error(
        anonymous.post("/users/login", {"login_id": guest.username, "password": PASSWORD}),
        401,
        "api.user.login.guest_accounts.disabled.error",
    )


def test_a_guest_hears_only_of_the_public_channels_they_are_in(scene: GuestScene) -> None:
    """News of a public channel goes to its whole team, but not to the team's guests outside it."""
    w = scene.world
    guest_socket, member_socket = open_socket(scene.guest), open_socket(w.othello)
    try:
        for ws in (guest_socket, member_socket):
            wait_for(ws, event_named("hello"))
        hall = w.iago.ok(
            "POST", "/channels", {"team_id": w.team["id"], "name": unique("hall-"), "display_name": "Hall"}
        )
        w.iago.ok("PUT", f"/channels/{scene.ramparts['id']}/patch", {"header": "Watch at midnight"})
        w.iago.ok("PUT", f"/channels/{w.off_topic['id']}/patch", {"header": "Anything goes"})
        # A team member hears of the new public channel; the guest hears of off-topic, theirs, and
        # (events arrive in order) nothing of the others before it. (A header change is news for
        # the channel's members only, guest or not.)
        wait_for(member_socket, event_named("channel_created", channel_id=hall["id"]))
        _, before = wait_for(guest_socket, event_named("channel_updated", channel_id=w.off_topic["id"]))
        heard = {m["data"].get("channel_id") for m in before if m.get("event", "").startswith("channel_")}
        assert heard.isdisjoint({hall["id"], scene.ramparts["id"]}), before
    finally:
        guest_socket.close()
        member_socket.close()
