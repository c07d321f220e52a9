"""Moderators' tools: removing posts, warning, muting, removing people and deactivating them, and
read-only channels, through the API."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.api.test_files import upload, upload_response
from tests.api.test_posts import post, private_channel
from tests.api.test_webhooks import incoming_hook, send
from tests.jobs.servers import admin_of, servers
from tests.support.client import API, PASSWORD, World, create_user, expect_error, login
from tests.support.server import ServerProcess

FORBIDDEN = "api.context.permissions.app_error"
PROTECTED = "api.moderation.protected_user.app_error"
MUTED = "api.post.create_post.muted.app_error"
READ_ONLY = "api.post.create_post.read_only.app_error"
BASE = "/villagepump/moderation"


def make_moderator(world: World, api: API) -> API:
    world.admin.ok("PUT", f"/users/{api.id}/roles", {"roles": "system_user system_moderator"})
    return api


def mute(api: API, user: API, **body: Any) -> httpx.Response:
    return api.put(f"{BASE}/users/{user.id}/mute", body or {"for_seconds": 3600})


def remove(api: API, post_id: str) -> httpx.Response:
    return api.post(f"{BASE}/posts/{post_id}/remove")


def warn(api: API, user: API, message: str = "Please keep it civil.") -> httpx.Response:
    return api.post(f"{BASE}/users/{user.id}/warn", {"message": message})


@dataclass
class Cast:
    """The world plus the roles of the matrix: othello (member), rosencrantz (guest), cordelia
    (moderator, in no team), guildenstern (channel admin of town square), iago (team admin)."""

    world: World
    guest: API
    moderator: API
    channel_admin: API


@pytest.fixture
def cast(world: World) -> Iterator[Cast]:
    admin = world.admin
    admin.ok("PUT", "/config/patch", {"GuestAccountsSettings": {"Enable": True}})
    guest, channel_admin = create_user(admin, "rosencrantz"), create_user(admin, "guildenstern")
    admin.ok("POST", f"/users/{guest.id}/demote")
    for user in (guest, channel_admin):
        admin.ok(
            "POST", f"/teams/{world.team['id']}/members", {"team_id": world.team["id"], "user_id": user.id}
        )
    admin.ok("POST", f"/channels/{world.town_square['id']}/members", {"user_id": guest.id})
    admin.ok(
        "PUT",
        f"/channels/{world.town_square['id']}/members/{channel_admin.id}/schemeRoles",
        {"scheme_admin": True, "scheme_user": True},
    )
    try:
        yield Cast(world, guest, make_moderator(world, world.cordelia), channel_admin)
    finally:
        admin.ok("PUT", "/config/patch", {"GuestAccountsSettings": {"Enable": False}})


def _actors(c: Cast) -> dict[str, API]:
    w = c.world
    return {
        "member": w.othello,
        "guest": c.guest,
        "channel admin": c.channel_admin,
        "team admin": w.iago,
        "moderator": c.moderator,
        "system admin": w.admin,
    }


# What each role may do to hamlet (a member) and his post. True: allowed; False: 403.
MATRIX = {
    "member": False,
    "guest": False,
    "channel admin": False,
    "team admin": False,
    "moderator": True,
    "system admin": True,
}


@pytest.mark.parametrize("role", list(MATRIX))
def test_who_may_use_the_moderation_tools(cast: Cast, role: str) -> None:
    w = cast.world
    actor = _actors(cast)[role]
    target = create_user(w.admin, "polonius")
    w.admin.ok("POST", f"/teams/{w.team['id']}/members", {"team_id": w.team["id"], "user_id": target.id})
    said = post(target, w.town_square, "something rotten")
    attempts = {
        "remove post": lambda: remove(actor, said["id"]),
        "warn": lambda: warn(actor, target),
        "mute": lambda: mute(actor, target),
        "unmute": lambda: actor.delete(f"{BASE}/users/{target.id}/mute"),
        "deactivate": lambda: actor.delete(f"/users/{target.id}"),
    }
    for name, attempt in attempts.items():
        response = attempt()
        if MATRIX[role]:
            assert response.status_code == 200, f"{role} {name}: {response.text}"
        else:
            expect_error(response, 403, FORBIDDEN)
    assert w.admin.ok("GET", f"/users/{target.id}")["delete_at"] != 0 or not MATRIX[role]


def test_a_moderator_cannot_act_on_admins_or_moderators_nor_change_roles(cast: Cast) -> None:
    w, moderator = cast.world, cast.moderator
    other = make_moderator(w, create_user(w.admin, "horatio"))
    admin_post = post(w.admin, w.town_square, "from the admin")
    for target in (w.admin, other):
        expect_error(mute(moderator, target), 403, PROTECTED)
        expect_error(warn(moderator, target), 403, PROTECTED)
        expect_error(moderator.delete(f"{BASE}/users/{target.id}/mute"), 403, PROTECTED)
        expect_error(moderator.delete(f"/users/{target.id}"), 403, PROTECTED)
    expect_error(remove(moderator, admin_post["id"]), 403, PROTECTED)
    # No escalation: roles stay the admins' to give, to others and to oneself.
    for user in (moderator, w.hamlet):
        response = moderator.put(f"/users/{user.id}/roles", {"roles": "system_user system_admin"})
        assert response.status_code == 403
    expect_error(moderator.put(f"/users/{w.hamlet.id}/active", {"active": True}), 403, FORBIDDEN)
    assert moderator.ok("GET", "/users/me")["roles"] == "system_user system_moderator"
    # A system admin acts on moderators.
    w.admin.ok("PUT", f"{BASE}/users/{other.id}/mute", {"until": 0})


def test_removed_post_becomes_a_placeholder_its_author_cannot_edit(cast: Cast) -> None:
    w, moderator = cast.world, cast.moderator
    secret = private_channel(w, w.hamlet, w.othello)
    attached = upload(w.hamlet, secret, "insult.txt", b"more insults")
    said = post(w.hamlet, secret, "an insult #rude", file_ids=[attached["id"]])
    w.hamlet.ok("POST", f"/posts/{said['id']}/pin")
    stream = w.othello.websocket()
    try:
        answer = remove(moderator, said["id"])
        assert answer.status_code == 200
        # The moderator, who is not in the channel, learns nothing of the post.
        assert answer.json() == {"status": "OK", "placeholder": True}
        edited = json.loads(stream.expect("post_edited")["data"]["post"])
    finally:
        stream.close()
    assert edited["id"] == said["id"] and "insult" not in edited["message"]
    assert edited["props"] == {"removed_by_moderator": True} and not edited["is_pinned"]
    seen = w.othello.ok("GET", f"/posts/{said['id']}")
    assert seen["message"] == "(message removed by a moderator)" and seen["edit_at"] > 0
    expect_error(
        w.hamlet.put(f"/posts/{said['id']}/patch", {"message": "sorry not sorry"}),
        403,
        "api.post.update_post.removed_by_moderator.app_error",
    )
    found = w.othello.ok("POST", f"/teams/{w.team['id']}/posts/search", {"terms": "insult"})
    assert found["order"] == []
    # Moderators still cannot read the channel.
    assert moderator.get(f"/posts/{said['id']}").status_code == 403
    assert seen["file_ids"] in (None, []) and "files" not in seen.get("metadata", {})
    assert w.othello.get(f"/files/{attached['id']}/info").status_code in (403, 404)
    entries = w.admin.ok("GET", f"/audits?per_page=50&user_id={moderator.id}")
    assert any(e["action"] == "post_removed_by_moderator" and e["target_id"] == said["id"] for e in entries)
    expect_error(remove(moderator, "x" * 26), 404, "app.post.get.app_error")


def test_removal_can_be_a_plain_delete_by_setting(cast: Cast) -> None:
    w = cast.world
    w.admin.ok("PUT", "/config/patch", {"VillagepumpSettings": {"ModeratorRemovalPlaceholder": False}})
    try:
        said = post(w.hamlet, w.town_square, "gone without a trace")
        stream = w.othello.websocket()
        try:
            assert remove(cast.moderator, said["id"]).json()["placeholder"] is False
            deleted = stream.expect("post_deleted")
        finally:
            stream.close()
        assert json.loads(deleted["data"]["post"])["id"] == said["id"]
        assert w.othello.get(f"/posts/{said['id']}").status_code == 404
    finally:
        w.admin.ok("PUT", "/config/patch", {"VillagepumpSettings": {"ModeratorRemovalPlaceholder": True}})


def _direct_posts(user: API) -> list[dict[str, Any]]:
    channels = user.ok("GET", "/users/me/channels")
    direct = [c for c in channels if c["type"] == "D"]
    assert len(direct) == 1
    listing = user.ok("GET", f"/channels/{direct[0]['id']}/posts")
    return [listing["posts"][post_id] for post_id in listing["order"]]


def test_a_warning_comes_from_the_system_bot_signed_by_the_moderators(cast: Cast) -> None:
    w, moderator = cast.world, cast.moderator
    assert warn(moderator, w.hamlet, "Mind your tongue.").status_code == 200
    [warning] = _direct_posts(w.hamlet)
    assert warning["message"] == "Mind your tongue.\n\n— the moderators"
    assert moderator.username not in json.dumps(warning)
    bot = w.hamlet.ok("GET", f"/users/{warning['user_id']}")
    assert bot["is_bot"] and bot["username"].startswith("system-bot")
    # The same bot, in the same conversation, for the next one; named when the setting says so.
    w.admin.ok("PUT", "/config/patch", {"VillagepumpSettings": {"ModeratorWarningShowsName": True}})
    try:
        warn(moderator, w.hamlet, "Last time.")
    finally:
        w.admin.ok("PUT", "/config/patch", {"VillagepumpSettings": {"ModeratorWarningShowsName": False}})
    newest = _direct_posts(w.hamlet)[0]
    assert newest["user_id"] == bot["id"] and f"@{moderator.username}, moderator" in newest["message"]
    expect_error(warn(moderator, w.hamlet, " "), 400, "api.moderation.warn.message.app_error")


def test_a_muted_user_is_stopped_on_every_path(cast: Cast) -> None:
    w, moderator = cast.world, cast.moderator
    earlier = post(w.iago, w.town_square, "before the mute")
    hook = incoming_hook(w.iago, w.town_square)
    stream = w.iago.websocket()
    try:
        muted = mute(moderator, w.iago, for_seconds=86400).json()
        assert muted["muted"] and muted["until"] > 0
        assert stream.expect("mute_changed")["data"]["muted"] is True
    finally:
        stream.close()
    assert w.iago.ok("GET", f"{BASE}/users/me/mute")["until"] == muted["until"]
    body = expect_error(
        w.iago.post("/posts", {"channel_id": w.town_square["id"], "message": "hi"}), 403, MUTED
    )
    assert body["detailed_error"] == str(muted["until"]) and "muted until" in body["message"]
    expect_error(
        w.iago.post("/posts", {"channel_id": w.town_square["id"], "message": "r", "root_id": earlier["id"]}),
        403,
        MUTED,
    )
    expect_error(w.iago.put(f"/posts/{earlier['id']}/patch", {"message": "edited"}), 403, MUTED)
    reaction = {"user_id": w.iago.id, "post_id": earlier["id"], "emoji_name": "smile"}
    expect_error(w.iago.post("/reactions", reaction), 403, MUTED)
    command = {"command": "/me waves", "channel_id": w.town_square["id"], "team_id": w.team["id"]}
    expect_error(w.iago.post("/commands/execute", command), 403, MUTED)
    expect_error(upload_response(w.iago, w.town_square, "a.txt", b"hello"), 403, MUTED)
    hooked = send(w.iago, hook, {"text": "from the hook"})
    assert hooked.status_code == 403 and hooked.json()["id"] == MUTED
    # Others post as before; unmuted, iago posts again.
    post(w.hamlet, w.town_square, "still here")
    assert moderator.ok("DELETE", f"{BASE}/users/{w.iago.id}/mute")["muted"] is False
    post(w.iago, w.town_square, "back again")
    actions = [e["action"] for e in w.admin.ok("GET", f"/audits?per_page=200&user_id={moderator.id}")]
    assert {"user_muted", "user_unmuted"} <= set(actions)


def test_bots_a_muted_user_owns_are_muted_with_them(cast: Cast) -> None:
    w, moderator = cast.world, cast.moderator
    w.admin.ok("PUT", "/config/patch", {"ServiceSettings": {"EnableBotAccountCreation": True}})
    bot = w.admin.ok("POST", "/bots", {"username": f"crier{w.hamlet.id[:6]}", "display_name": "Crier"})
    w.admin.ok("POST", f"/bots/{bot['user_id']}/assign/{w.hamlet.id}")
    w.admin.ok("POST", f"/teams/{w.team['id']}/members", {"team_id": w.team["id"], "user_id": bot["user_id"]})
    w.admin.ok("POST", f"/channels/{w.town_square['id']}/members", {"user_id": bot["user_id"]})
    token = w.admin.ok("POST", f"/users/{bot['user_id']}/tokens", {"description": "crier"})["token"]
    as_bot = API(w.admin.base_url, token)
    post(as_bot, w.town_square, "hear ye")
    mute(moderator, w.hamlet, until=0)
    expect_error(as_bot.post("/posts", {"channel_id": w.town_square["id"], "message": "hear ye"}), 403, MUTED)


def test_websocket_actions_post_nothing(cast: Cast) -> None:
    """No WebSocket action makes a post (typing and statuses only): a muted user's socket still
    works, and nothing reaches the channel through it."""
    w = cast.world
    mute(cast.moderator, w.hamlet)
    stream = w.hamlet.websocket()
    listener = w.othello.websocket()
    try:
        stream.send("user_typing", {"channel_id": w.town_square["id"]})
        listener.expect_none("posted")
    finally:
        stream.close()
        listener.close()


def test_deactivation_by_a_moderator_closes_sockets_and_stops_tokens(cast: Cast) -> None:
    w, moderator = cast.world, cast.moderator
    token = w.othello.ok("POST", f"/users/{w.othello.id}/tokens", {"description": "script"})
    if isinstance(token, dict) and "token" in token:
        as_token = API(w.othello.base_url, token["token"])
        assert as_token.get("/users/me").status_code == 200
    else:
        as_token = None
    stream = w.othello.websocket()
    moderator.ok("DELETE", f"/users/{w.othello.id}")
    with pytest.raises(Exception):  # noqa: B017 - the socket is closed by the server
        for _ in range(20):
            stream.next(timeout=5)
    assert w.othello.get("/users/me").status_code == 401
    if as_token is not None:
        assert as_token.get("/users/me").status_code == 401
    with pytest.raises(AssertionError):
        login(w.othello.base_url, w.othello.username, PASSWORD)
    entries = w.admin.ok("GET", f"/audits?per_page=50&user_id={moderator.id}")
    assert any(e["action"] == "user_deactivated" and e["target_id"] == w.othello.id for e in entries)


def test_a_moderator_removes_people_from_channels_and_teams_they_are_not_in(cast: Cast) -> None:
    w, moderator = cast.world, cast.moderator
    secret = private_channel(w, w.hamlet, w.othello)
    moderator.ok("DELETE", f"/channels/{secret['id']}/members/{w.othello.id}")
    assert w.hamlet.get(f"/channels/{secret['id']}/members/{w.othello.id}").status_code == 404
    moderator.ok("DELETE", f"/teams/{w.team['id']}/members/{w.othello.id}")
    assert w.hamlet.get(f"/teams/{w.team['id']}/members/{w.othello.id}").json().get("delete_at", 1) != 0
    # Not admins: the team admin stays.
    expect_error(moderator.delete(f"/teams/{w.team['id']}/members/{w.admin.id}"), 403, PROTECTED)
    expect_error(moderator.delete(f"/channels/{secret['id']}/members/{w.admin.id}"), 403, PROTECTED)
    # Nor do members of nothing get new powers: othello cannot remove from the private channel.
    expect_error(w.othello.delete(f"/channels/{secret['id']}/members/{w.hamlet.id}"), 403, FORBIDDEN)
    actions = {e["action"] for e in w.admin.ok("GET", f"/audits?per_page=50&user_id={moderator.id}")}
    assert {"user_removed_from_channel", "user_removed_from_team"} <= actions


def _moderations(api: API, channel: dict[str, Any]) -> dict[str, Any]:
    listed = api.ok("GET", f"/channels/{channel['id']}/moderations")
    return {item["name"]: item["roles"] for item in listed}


def test_read_only_channel_admits_only_admins_and_replies_when_allowed(cast: Cast) -> None:
    w = cast.world
    channel = w.town_square
    root = post(w.hamlet, channel, "a question before it was closed")
    assert _moderations(w.othello, channel)["create_post"]["members"] == {"value": True, "enabled": True}
    expect_error(
        w.othello.put(
            f"/channels/{channel['id']}/moderations/patch",
            [{"name": "create_post", "roles": {"members": False}}],
        ),
        403,
        FORBIDDEN,
    )
    patch = [
        {"name": "create_post", "roles": {"members": False, "guests": False}},
        {"name": "reply_to_threads", "roles": {"members": True}},
    ]
    stream = w.othello.websocket()
    try:
        answer = cast.channel_admin.ok("PUT", f"/channels/{channel['id']}/moderations/patch", patch)
        assert stream.expect("channel_scheme_updated")["data"]["channel_id"] == channel["id"]
    finally:
        stream.close()
    roles = {item["name"]: item["roles"] for item in answer}
    assert roles["create_post"]["members"]["value"] is False
    assert roles["reply_to_threads"]["members"] == {"value": True, "enabled": True}
    # What the clients read to hide the composer.
    assert _moderations(w.othello, channel) == roles
    expect_error(w.othello.post("/posts", {"channel_id": channel["id"], "message": "hi"}), 403, READ_ONLY)
    expect_error(cast.guest.post("/posts", {"channel_id": channel["id"], "message": "hi"}), 403, READ_ONLY)
    w.othello.ok("POST", "/posts", {"channel_id": channel["id"], "message": "a reply", "root_id": root["id"]})
    expect_error(
        cast.guest.post("/posts", {"channel_id": channel["id"], "message": "r", "root_id": root["id"]}),
        403,
        READ_ONLY,
    )
    for admin in (cast.channel_admin, w.iago, w.admin):
        post(admin, channel, "announcement")
    # Replies closed too.
    w.admin.ok(
        "PUT",
        f"/channels/{channel['id']}/moderations/patch",
        [{"name": "reply_to_threads", "roles": {"members": False}}],
    )
    expect_error(
        w.othello.post("/posts", {"channel_id": channel["id"], "message": "r", "root_id": root["id"]}),
        403,
        READ_ONLY,
    )
    expect_error(
        w.othello.post(
            "/commands/execute",
            {"command": "/me waves", "channel_id": channel["id"], "team_id": w.team["id"]},
        ),
        403,
        READ_ONLY,
    )
    w.admin.ok(
        "PUT",
        f"/channels/{channel['id']}/moderations/patch",
        [{"name": "create_reactions", "roles": {"members": False}}],
    )
    reaction = {"user_id": w.othello.id, "post_id": root["id"], "emoji_name": "smile"}
    expect_error(w.othello.post("/reactions", reaction), 403, "api.reaction.save.read_only.app_error")
    # Open again.
    reopen = [
        {"name": name, "roles": {"members": True, "guests": True}}
        for name in ("create_post", "create_reactions")
    ]
    w.admin.ok("PUT", f"/channels/{channel['id']}/moderations/patch", reopen)
    post(w.othello, channel, "open again")
    bad = w.admin.put(
        f"/channels/{channel['id']}/moderations/patch", [{"name": "manage_system", "roles": {}}]
    )
    expect_error(bad, 400, "api.channel.patch_channel_moderations.permission.app_error")
    assert w.admin.put(f"/channels/{channel['id']}/moderations/patch", {"x": 1}).status_code == 400


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_mute_ends_by_the_servers_clock(kind: str) -> None:
    with servers(kind, manual_clock=True) as (server,):
        admin = admin_of(server)
        team = admin.ok("POST", "/teams", {"name": "elsinore", "display_name": "Elsinore", "type": "O"})
        hamlet = create_user(admin, "hamlet")
        admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": hamlet.id})
        square = admin.ok("GET", f"/teams/{team['id']}/channels/name/town-square")
        admin.ok("PUT", f"{BASE}/users/{hamlet.id}/mute", {"for_seconds": 3600})
        server.advance(1)
        expect_error(hamlet.post("/posts", {"channel_id": square["id"], "message": "early"}), 403, MUTED)
        server.advance(3000)
        expect_error(
            hamlet.post("/posts", {"channel_id": square["id"], "message": "still early"}), 403, MUTED
        )
        server.advance(601)
        post(hamlet, square, "free to speak")
        assert hamlet.ok("GET", f"{BASE}/users/me/mute") == {"user_id": hamlet.id, "muted": False, "until": 0}


def test_moderating_from_the_shell(cast: Cast, server: ServerProcess) -> None:
    w = cast.world
    muted = server.cli("moderate", "mute", w.hamlet.username, "--for", "24h")
    assert muted.returncode == 0, muted.stderr
    expect_error(w.hamlet.post("/posts", {"channel_id": w.town_square["id"], "message": "x"}), 403, MUTED)
    assert (
        server.cli("moderate", "unmute", w.hamlet.username, "--as", cast.moderator.username).returncode == 0
    )
    post(w.hamlet, w.town_square, "free again")
    warned = server.cli("moderate", "warn", w.hamlet.username, "Be kind.")
    assert warned.returncode == 0, warned.stderr
    assert _direct_posts(w.hamlet)[0]["message"] == "Be kind.\n\n— the moderators"
    # --as checks that user's rights: a member may not, nor may anyone mute an admin that way.
    assert server.cli("moderate", "mute", w.hamlet.username, "--as", w.othello.username).returncode != 0
    refused = server.cli("moderate", "mute", "sysadmin", "--as", cast.moderator.username)
    assert refused.returncode != 0 and "error:" in refused.stderr
    assert server.cli("moderate", "mute", w.hamlet.username, "--for", "soon").returncode != 0


# -- read-only channels in Mattermost's apps -------------------------------------------------------


def _my_channel_roles(api: API, channel: dict[str, Any]) -> str:
    """The member's `roles` as each route the mobile app reads its memberships from gives them
    (first sync, a team's channels, one channel); they must agree."""
    by_team = api.ok("GET", f"/users/me/teams/{channel['team_id']}/channels/members")
    seen = {next(m["roles"] for m in by_team if m["channel_id"] == channel["id"])}
    page = 0
    # The shared sysadmin is in every test's team: its memberships run to many pages.
    while listed := api.ok("GET", f"/users/me/channel_members?page={page}&per_page=200"):
        seen |= {m["roles"] for m in listed if m["channel_id"] == channel["id"]}
        page += 1
    seen.add(api.ok("GET", f"/channels/{channel['id']}/members/me")["roles"])
    assert len(seen) == 1, seen
    return seen.pop()


def _app_permissions(api: API, channel: dict[str, Any]) -> set[str]:
    """What the official mobile app lets the user do in the channel: every permission of the
    roles named by the user, their team membership and their channel membership, fetched by
    name (mattermost-mobile app/queries/servers/role.ts observePermissionForChannel). Its
    composer shows only with create_post (app/components/post_draft/index.ts), reactions only
    with add_reaction."""
    names = (
        api.ok("GET", "/users/me")["roles"].split()
        + api.ok("GET", f"/teams/{channel['team_id']}/members/me")["roles"].split()
        + _my_channel_roles(api, channel).split()
    )
    return {p for role in api.ok("POST", "/roles/names", names) for p in role["permissions"]}


def test_the_apps_see_a_read_only_channel_in_the_roles_of_its_members(cast: Cast) -> None:
    w = cast.world
    channel = w.town_square
    people = {"member": w.othello, "guest": cast.guest, "channel admin": cast.channel_admin}
    people |= {"team admin": w.iago, "system admin": w.admin}
    assert all("create_post" in _app_permissions(api, channel) for api in people.values())
    assert _my_channel_roles(w.othello, channel) == "channel_user"

    stream = w.othello.websocket()
    try:
        w.admin.ok(
            "PUT",
            f"/channels/{channel['id']}/moderations/patch",
            [{"name": "create_post", "roles": {"members": False, "guests": False}}],
        )
        # The app takes the new roles from this event (app/actions/websocket/channel.ts).
        member = json.loads(stream.expect("channel_member_updated")["data"]["channelMember"])
    finally:
        stream.close()
    assert (member["channel_id"], member["roles"]) == (channel["id"], "channel_user_no_posts")
    assert _my_channel_roles(w.othello, channel) == "channel_user_no_posts"
    assert _my_channel_roles(cast.guest, channel) == "channel_guest_no_posts"
    assert _my_channel_roles(cast.channel_admin, channel) == "channel_user_no_posts channel_admin"
    may_post = {who: "create_post" in _app_permissions(api, channel) for who, api in people.items()}
    # Exactly those the server lets post there (moderation/posting.py).
    assert may_post == {
        "member": False,
        "guest": False,
        "channel admin": True,
        "team admin": True,
        "system admin": True,
    }
    assert "add_reaction" in _app_permissions(w.othello, channel)
    role = w.othello.ok("GET", "/roles/name/channel_user_no_posts")
    assert "create_post" not in role["permissions"] and "read_channel" in role["permissions"]
    assert role["built_in"] is False and role["scheme_managed"] is True
    assert w.othello.ok("GET", f"/roles/{role['id']}")["name"] == "channel_user_no_posts"
    # The members' and channel's own state is unchanged: what the server checks stays the same.
    assert member["scheme_user"] is True and member["scheme_admin"] is False
    # Other channels keep the plain roles (othello made this one, so he is its admin).
    other = w.othello.ok(
        "POST",
        "/channels",
        {"team_id": w.team["id"], "name": "elsewhere", "display_name": "Elsewhere", "type": "O"},
    )
    assert _my_channel_roles(w.othello, other) == "channel_user channel_admin"

    w.admin.ok(
        "PUT",
        f"/channels/{channel['id']}/moderations/patch",
        [{"name": "create_reactions", "roles": {"members": False}}],
    )
    assert _my_channel_roles(w.othello, channel) == "channel_user_no_posts_no_reactions"
    assert not {"create_post", "add_reaction"} & _app_permissions(w.othello, channel)
    assert _my_channel_roles(cast.guest, channel) == "channel_guest_no_posts"
    # Members who may reply in threads keep create_post: the app knows no permission for
    # replies alone, and would hide the thread's composer too.
    w.admin.ok(
        "PUT",
        f"/channels/{channel['id']}/moderations/patch",
        [{"name": "reply_to_threads", "roles": {"members": True}}],
    )
    assert _my_channel_roles(w.othello, channel) == "channel_user_no_reactions"

    # A client that sends back the roles it read is understood.
    cast.channel_admin.ok(
        "PUT",
        f"/channels/{channel['id']}/members/{w.othello.id}/roles",
        {"roles": "channel_user_no_reactions channel_admin"},
    )
    assert _my_channel_roles(w.othello, channel) == "channel_user_no_reactions channel_admin"
    cast.channel_admin.ok(
        "PUT",
        f"/channels/{channel['id']}/members/{w.othello.id}/schemeRoles",
        {"scheme_admin": False, "scheme_user": True},
    )

    stream = w.othello.websocket()
    try:
        reopen = [
            {"name": name, "roles": {"members": True, "guests": True}}
            for name in ("create_post", "create_reactions")
        ]
        w.admin.ok("PUT", f"/channels/{channel['id']}/moderations/patch", reopen)
        member = json.loads(stream.expect("channel_member_updated")["data"]["channelMember"])
    finally:
        stream.close()
    assert member["roles"] == "channel_user"
    assert _my_channel_roles(cast.guest, channel) == "channel_guest"
    assert all("create_post" in _app_permissions(api, channel) for api in people.values())
