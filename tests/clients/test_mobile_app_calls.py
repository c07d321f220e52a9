"""The official Mattermost mobile app cannot run here, so these stories replay what it sends, in
its order and with its headers (see mattermost-mobile-calls.md §0-§6, §8): adding the server,
logging in, the entry sync that fills the sidebar, opening a channel, the daily actions, the
reliable WebSocket, and the calls it tolerates failing, which must never answer 401."""

import json
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from websockets.sync.client import ClientConnection, connect

from tests.support.client import PASSWORD, World
from tests.support.server import ServerProcess

USER_AGENT = "Mattermost Mobile/2.32.0+799 (Android; 14; Pixel 8)"
DEVICE_ID = "android_rn-v2:abc"
CHANNEL_MEMBER_PERMISSIONS = {
    "create_post",
    "add_reaction",
    "remove_reaction",
    "edit_post",
    "delete_post",
    "use_channel_mentions",
}
TEAM_MEMBER_PERMISSIONS = {"create_public_channel", "create_private_channel", "join_public_channels"}
Query = dict[str, str | int | bool | None]
NO_STORE_PATHS = {"/users/login", "/users/me/sessions"}


def build_query(params: Query) -> str:
    """As the app's buildQueryString: booleans as true/false, None left out, "" sent as `key=`."""
    parts = []
    for key, value in params.items():
        if value is None:
            continue
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        parts.append(f"{key}={text}")
    return "?" + "&".join(parts) if parts else ""


def version_of(header: str) -> tuple[int, ...]:
    return tuple(int(part) for part in header.split(".")[:3])


class MobileApp:
    """The app's REST layer: its headers on every call, the `Token` reply header stored as the
    bearer token, and a cookie jar like the native client's, whose MMCSRF goes back as X-CSRF-Token."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self.http = httpx.Client(base_url=server_url, timeout=30)
        self.token = ""
        self.user: dict[str, Any] = {}

    @property
    def user_id(self) -> str:
        return str(self.user["id"])

    def _headers(self, method: str) -> dict[str, str]:
        headers = {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "X-Requested-With": "XMLHttpRequest",
            "User-Agent": USER_AGENT,
        }
        if self.token:
            headers["Authorization"] = f"BEARER {self.token}"
        csrf = self.http.cookies.get("MMCSRF")
        if method != "GET" and csrf:
            headers["X-CSRF-Token"] = csrf
        return headers

    def call(self, method: str, path: str, body: Any = None, query: Query | None = None) -> httpx.Response:
        content = json.dumps(body) if body is not None else None
        url = "/api/v4" + path + build_query(query or {})
        headers = self._headers(method)
        if path in NO_STORE_PATHS:
            headers["Cache-Control"] = "no-store"
        response = self.http.request(method, url, headers=headers, content=content)
        if response.headers.get("token"):
            self.token = response.headers["token"]
        if response.content:
            # The native client parses every reply, errors included.
            assert response.headers["content-type"].startswith("application/json"), (path, response.headers)
        return response

    def ok(self, method: str, path: str, body: Any = None, query: Query | None = None) -> Any:
        response = self.call(method, path, body, query)
        assert 200 <= response.status_code < 300, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content else None

    def websocket(
        self, connection_id: str = "", sequence_number: int = 0, bearer: bool = True
    ) -> ClientConnection:
        """Opens the socket as the app does; Android sends the bearer header, iOS relies on cookies
        and the authentication_challenge alone."""
        url = self.server_url.replace("http://", "ws://") + "/api/v4/websocket"
        url += build_query({"connection_id": connection_id, "sequence_number": sequence_number})
        address = urlsplit(self.server_url)
        headers = {"Origin": f"{address.scheme}://{address.netloc}", "User-Agent": USER_AGENT}
        if bearer:
            headers["Authorization"] = f"Bearer {self.token}"
        ws = connect(url, additional_headers=headers, open_timeout=10, legacy=True)
        ws.send(json.dumps({"action": "authentication_challenge", "seq": 1, "data": {"token": self.token}}))
        return ws

    def close(self) -> None:
        self.http.close()


class Socket:
    """Reads what the server sends, checking that event seqs are strictly consecutive."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.next_seq = 0
        self.replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.connection_id = ""

    def _read(self, timeout: float) -> None:
        message = json.loads(self.ws.recv(timeout=timeout))
        if "seq_reply" in message:
            self.replies[message["seq_reply"]] = message
            return
        assert message["seq"] == self.next_seq, f"seq gap: expected {self.next_seq}, got {message}"
        self.next_seq += 1
        if message["event"] == "hello":
            self.connection_id = message["data"]["connection_id"]
        self.events.append(message)

    def event(self, name: str, timeout: float = 5, **data: Any) -> dict[str, Any]:
        """The first event with this name whose data holds these values (JSON strings decoded)."""
        deadline = time.monotonic() + timeout
        while True:
            for index, message in enumerate(self.events):
                if message["event"] == name and _holds(message["data"], data):
                    return self.events.pop(index)
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {name} within {timeout}s; have {[m['event'] for m in self.events]}"
            try:
                self._read(remaining)
            except TimeoutError:
                continue

    def reply(self, seq: int, timeout: float = 5) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while seq not in self.replies:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no reply to seq {seq} within {timeout}s"
            try:
                self._read(remaining)
            except TimeoutError:
                continue
        return self.replies.pop(seq)

    def send(self, seq: int, action: str, data: dict[str, Any] | None = None) -> None:
        self.ws.send(
            json.dumps({"action": action, "seq": seq, **({"data": data} if data is not None else {})})
        )


def _holds(data: dict[str, Any], wanted: dict[str, Any]) -> bool:
    for key, value in wanted.items():
        if isinstance(value, dict):
            field = data.get(key)
            found = json.loads(field) if isinstance(field, str) else field
            if not isinstance(found, dict) or any(found.get(k) != v for k, v in value.items()):
                return False
        elif data.get(key) != value:
            return False
    return True


@pytest.fixture
def app(server: ServerProcess) -> Iterator[MobileApp]:
    mobile = MobileApp(server.url)
    yield mobile
    mobile.close()


def log_in(app: MobileApp, login_id: str) -> dict[str, Any]:
    body = {
        "login_id": login_id.lower(),
        "password": PASSWORD,
        "token": "",
        "device_id": DEVICE_ID,
        "voip_device_id": "",
    }
    response = app.call("POST", "/users/login", body)
    assert response.status_code == 200, response.text
    assert response.headers.get("Token"), "without a Token header the app stores no credentials"
    assert app.http.cookies.get("MMCSRF")
    app.user = response.json()
    return app.user


def add_server(app: MobileApp) -> dict[str, str]:
    """§1: HEAD, ping, then config and licence; returns the config."""
    assert app.http.head("/", headers={"User-Agent": USER_AGENT}).status_code < 400
    ping = app.call("GET", "/system/ping", query={"time": int(time.time() * 1000)})
    assert ping.status_code == 200
    config_reply = app.call("GET", "/config/client", query={"format": "old"})
    licence_reply = app.call("GET", "/license/client", query={"format": "old"})
    assert config_reply.status_code == 200 and licence_reply.status_code == 200
    config, licence = config_reply.json(), licence_reply.json()
    for flat in (config, licence):
        assert all(isinstance(value, str) for value in flat.values()), flat
    assert config["DiagnosticId"], "the app refuses a server without a DiagnosticId"
    assert config["EnableSignInWithUsername"] == "true"
    assert version_of(config["Version"]) >= (10, 11, 0)
    assert "IsLicensed" in licence
    header = config_reply.headers["X-Version-Id"]
    assert version_of(header) == version_of(config["Version"]) and version_of(header) >= (9, 11, 0)
    return dict(config)


def first_connect(app: MobileApp) -> None:
    """§3 A and B: device props, then the timezone patch, which must return the updated user."""
    app.ok(
        "PUT",
        "/users/sessions/device",
        {"device_id": DEVICE_ID, "device_notification_disabled": "false", "mobile_version": "2.32.0"},
    )
    timezone = {
        "useAutomaticTimezone": "true",
        "automaticTimezone": "Europe/Copenhagen",
        "manualTimezone": "",
    }
    updated = app.ok("PUT", "/users/me/patch", {"timezone": timezone})
    assert updated["id"] == app.user_id and updated["timezone"] == timezone


def entry_sync(app: MobileApp) -> dict[str, Any]:
    """§3 C steps 1 and 2; returns what the later steps use."""
    app.ok("GET", "/config/client", query={"format": "old"})
    app.ok("GET", "/license/client", query={"format": "old"})
    preferences = app.ok("GET", "/users/me/preferences")
    assert all(set(p) >= {"user_id", "category", "name", "value"} for p in preferences)
    teams = app.ok("GET", "/users/me/teams")
    members = app.ok("GET", "/users/me/teams/members")
    me = app.ok("GET", "/users/me")
    status = app.ok("GET", "/users/me/status")
    assert status["user_id"] == me["id"] and status["status"] in {"online", "away", "dnd", "offline"}
    assert "email" in me and isinstance(me["roles"], str) and "system_user" in me["roles"].split(" ")
    assert me["timezone"]["automaticTimezone"] == "Europe/Copenhagen"
    for key in (
        "id",
        "username",
        "locale",
        "notify_props",
        "props",
        "update_at",
        "delete_at",
        "is_bot",
        "auth_service",
    ):
        assert key in me, key
    for member in members:
        assert type(member["delete_at"]) is int and member["delete_at"] == 0, member
        assert isinstance(member["roles"], str) and "scheme_admin" in member
    assert {team["id"] for team in teams} == {member["team_id"] for member in members}
    return {"me": me, "teams": teams, "team_members": members}


def team_sync(app: MobileApp, team_id: str) -> tuple[list[Any], list[Any], dict[str, Any]]:
    """§3 C step 5: the three sidebar calls for one team."""
    base = f"/users/me/teams/{team_id}/channels"
    channels = app.ok("GET", base, query={"include_deleted": False, "last_delete_at": 0})
    members = app.ok("GET", base + "/members")
    categories = app.ok("GET", base + "/categories")
    return channels, members, categories


def test_adding_the_server_logging_in_and_out(app: MobileApp, world: World) -> None:
    add_server(app)
    user = log_in(app, world.hamlet.username)
    assert user["id"] == world.hamlet.id and "email" in user
    # After login the app fetches config and licence again, now with the bearer token.
    app.ok("GET", "/config/client", query={"format": "old"})
    app.ok("GET", "/license/client", query={"format": "old"})
    first_connect(app)
    sessions = app.ok("GET", "/users/me/sessions")
    assert any(session.get("device_id") == DEVICE_ID for session in sessions), sessions

    wrong = app.call(
        "POST",
        "/users/login",
        {
            "login_id": world.othello.username,
            "password": "nope",
            "token": "",
            "device_id": "",
            "voip_device_id": "",
        },
    )
    assert wrong.status_code == 401
    assert wrong.json()["id"] == "api.user.login.invalid_credentials_email_username"

    assert app.ok("POST", "/users/logout") == {"status": "OK"}
    assert app.call("GET", "/users/me").status_code == 401


def test_entry_sync_fills_the_sidebar_and_grants_the_composer(app: MobileApp, world: World) -> None:
    direct = world.othello.ok("POST", "/channels/direct", [world.othello.id, world.hamlet.id])
    world.othello.ok("POST", "/posts", {"channel_id": direct["id"], "message": "my lord"})
    group = world.iago.ok("POST", "/channels/group", [world.iago.id, world.hamlet.id, world.othello.id])
    second_team = world.admin.ok(
        "POST", "/teams", {"name": f"elsinore-{world.team['name']}", "display_name": "Elsinore", "type": "O"}
    )
    world.admin.ok(
        "POST",
        f"/teams/{second_team['id']}/members",
        {"team_id": second_team["id"], "user_id": world.hamlet.id},
    )

    add_server(app)
    log_in(app, world.hamlet.username)
    first_connect(app)
    synced = entry_sync(app)
    assert {world.team["id"], second_team["id"]} <= {team["id"] for team in synced["teams"]}

    role_names = set(synced["me"]["roles"].split(" "))
    for member in synced["team_members"]:
        role_names |= set(member["roles"].split(" "))
    for team in synced["teams"]:
        channels, members, categories = team_sync(app, team["id"])
        channel_ids = {channel["id"] for channel in channels}
        assert {direct["id"], group["id"]} <= channel_ids, "DMs and GMs belong to every team's lists"
        assert {member["channel_id"] for member in members} == channel_ids
        for channel in channels:
            assert channel["team_id"] in (team["id"], "")
            for key in (
                "total_msg_count",
                "total_msg_count_root",
                "last_post_at",
                "last_root_post_at",
                "delete_at",
            ):
                assert isinstance(channel[key], int), (key, channel)
        for member in members:
            assert isinstance(member["roles"], str) and member["user_id"] == app.user_id
            for key in (
                "msg_count",
                "msg_count_root",
                "mention_count",
                "mention_count_root",
                "last_viewed_at",
            ):
                assert isinstance(member[key], int), (key, member)
            assert member["notify_props"]["mark_unread"] in ("all", "mention")
            role_names |= set(member["roles"].split(" "))
        unread = {m["channel_id"]: m for m in members}[direct["id"]]
        totals = {c["id"]: c for c in channels}[direct["id"]]
        assert totals["total_msg_count"] - unread["msg_count"] == 1, "the unread badge of the DM"
        check_categories(categories, team["id"], channel_ids, {direct["id"], group["id"]})
        assert "town-square" in {channel["name"] for channel in channels}

    roles = app.ok("POST", "/roles/names", sorted(role_names - {""}))
    assert {role["name"] for role in roles} == role_names - {""}
    granted = {permission for role in roles for permission in role["permissions"]}
    assert granted >= CHANNEL_MEMBER_PERMISSIONS | TEAM_MEMBER_PERMISSIONS

    deferred_work(app, world, direct["id"], group["id"], synced["me"]["update_at"])
    threads = app.ok(
        "GET",
        f"/users/{app.user_id}/teams/{world.team['id']}/threads",
        query={
            "extended": True,
            "before": "",
            "after": "",
            "deleted": False,
            "unread": True,
            "since": 0,
            "totalsOnly": False,
            "excludeDirect": False,
            "per_page": 60,
        },
    )
    assert threads["threads"] == [] and "total" in threads


def deferred_work(app: MobileApp, world: World, direct_id: str, group_id: str, since: int) -> None:
    """§3 C steps 8-9: plugin probing, GM titles, users changed since the last sync."""
    for _ in range(3):
        assert app.ok("GET", "/plugins/webapp") == [], "an empty list turns the plugin features off"
    in_direct = app.ok("GET", "/users", query={"in_channel": direct_id, "page": 0, "per_page": 8, "sort": ""})
    assert {user["id"] for user in in_direct} == {app.user_id, world.othello.id}
    titles = app.ok("POST", "/users/group_channels", [group_id])
    others = sorted([world.othello, world.iago], key=lambda api: api.username)
    assert [user["id"] for user in titles[group_id]] == [api.id for api in others]
    changed = app.ok("POST", "/users/ids", [world.othello.id, world.iago.id], query={"since": since})
    assert isinstance(changed, list)
    # The shared test server holds a team per test, so page as the app does until ours shows up.
    seen: set[str] = set()
    for page in range(100):
        joinable = app.ok("GET", "/teams", query={"page": page, "per_page": 60, "include_total_count": False})
        assert all(team["allow_open_invite"] for team in joinable)
        seen |= {team["id"] for team in joinable}
        if world.team["id"] in seen or len(joinable) < 60:
            break
    assert world.team["id"] in seen
    world.othello.ok("PUT", "/users/me/patch", {"nickname": "the Moor"})
    changed = app.ok("POST", "/users/ids", [world.othello.id, world.iago.id], query={"since": since})
    assert [user["nickname"] for user in changed if user["id"] == world.othello.id] == ["the Moor"]


def check_categories(
    categories: dict[str, Any], team_id: str, channel_ids: set[str], direct_ids: set[str]
) -> None:
    """The sidebar shows channels only through categories: each channel in exactly one."""
    assert [category["id"] for category in categories["categories"]] == categories["order"]
    placed: list[str] = []
    for category in categories["categories"]:
        assert category["team_id"] == team_id and category["type"] in (
            "favorites",
            "channels",
            "direct_messages",
            "custom",
        )
        assert category["sorting"] in ("alpha", "manual", "recent", "")
        placed += category["channel_ids"]
        if category["type"] == "direct_messages":
            assert direct_ids <= set(category["channel_ids"])
    assert sorted(placed) == sorted(channel_ids), "every channel sits in exactly one category"


def test_opening_a_channel_posting_and_the_daily_actions(app: MobileApp, world: World) -> None:
    log_in(app, world.hamlet.username)
    channel_id = world.town_square["id"]
    socket = Socket(app.websocket())
    socket.event("hello")
    earlier = world.othello.ok(
        "POST", "/posts", {"channel_id": channel_id, "message": f"@{world.hamlet.username} hello"}
    )
    world.othello.ok(
        "POST", "/posts", {"channel_id": channel_id, "message": "a reply", "root_id": earlier["id"]}
    )
    mentioned = socket.event("posted", post={"id": earlier["id"]})["data"]
    assert app.user_id in json.loads(mentioned["mentions"]), "mentions is a JSON string of user ids"

    crt = {"collapsedThreads": True, "collapsedThreadsExtended": False}
    page = app.ok("GET", f"/channels/{channel_id}/posts", query={"page": 0, "per_page": 60, **crt})
    assert page["order"][0] == earlier["id"] and set(page) >= {
        "order",
        "posts",
        "prev_post_id",
        "next_post_id",
    }
    shown = page["posts"][earlier["id"]]
    assert shown["reply_count"] == 1 and isinstance(shown["metadata"], dict)
    assert app.ok(
        "POST", "/channels/members/me/view", {"channel_id": channel_id, "collapsed_threads_supported": True}
    )
    stats = app.ok("GET", f"/channels/{channel_id}/stats")
    assert {"member_count", "guest_count", "pinnedpost_count", "files_count"} <= set(stats) and stats[
        "member_count"
    ] >= 3
    thread = app.ok(
        "GET",
        f"/posts/{earlier['id']}/thread",
        query={"skipFetchThreads": False, **crt, "direction": "down", "perPage": 60},
    )
    assert len(thread["order"]) == 2 and earlier["id"] in thread["posts"]
    authors = app.ok("POST", "/users/ids", [world.othello.id])
    assert [user["id"] for user in authors] == [world.othello.id]
    named = app.ok("POST", "/users/usernames", [world.othello.username])
    assert [user["id"] for user in named] == [world.othello.id]
    image = app.http.get(
        f"/api/v4/users/{world.othello.id}/image", params={"_": "0"}, headers=app._headers("GET")
    )
    assert image.status_code == 200 and image.headers["content-type"].startswith("image/")

    post = send_post(app, socket, channel_id, "to be, or not to be")
    reply = send_post(app, socket, channel_id, "that is the question", root_id=post["id"])
    since = app.ok("GET", f"/channels/{channel_id}/posts", query={"since": post["create_at"] - 1, **crt})
    assert post["id"] in since["posts"], "with collapsed threads, replies come with their thread"
    flat = {"collapsedThreads": False, "collapsedThreadsExtended": False}
    since = app.ok("GET", f"/channels/{channel_id}/posts", query={"since": post["create_at"] - 1, **flat})
    assert {post["id"], reply["id"]} <= set(since["posts"])

    mark_unread(app, socket, post)
    daily_actions(app, socket, post, reply)
    direct_and_group_messages(app, world)


def send_post(
    app: MobileApp, socket: Socket, channel_id: str, message: str, root_id: str = ""
) -> dict[str, Any]:
    """§5: the app's body; the reply and the `posted` event echo pending_post_id."""
    now = int(time.time() * 1000)
    pending = f"{app.user_id}:{now}"
    body = {
        "user_id": app.user_id,
        "channel_id": channel_id,
        "root_id": root_id,
        "message": message,
        "pending_post_id": pending,
        "id": "",
        "create_at": 0,
        "update_at": now,
        "delete_at": 0,
    }
    created = app.ok("POST", "/posts", body)
    assert created["pending_post_id"] == pending and created["id"] and created["root_id"] == root_id
    heard = json.loads(socket.event("posted", post={"id": created["id"]})["data"]["post"])
    assert heard["id"] == created["id"] and heard["pending_post_id"] == pending
    return dict(created)


def mark_unread(app: MobileApp, socket: Socket, post: dict[str, Any]) -> None:
    """§4 "Mark unread": set_unread, then the channel and the member are fetched again."""
    channel_id = post["channel_id"]
    unread = app.ok(
        "POST", f"/users/{app.user_id}/posts/{post['id']}/set_unread", {"collapsed_threads_supported": True}
    )
    assert unread["channel_id"] == channel_id
    event = socket.event("post_unread")
    assert event["broadcast"]["channel_id"] == channel_id
    for key in ("msg_count", "msg_count_root", "mention_count", "mention_count_root", "last_viewed_at"):
        assert isinstance(event["data"][key], int), key
    channel = app.ok("GET", f"/channels/{channel_id}")
    member = app.ok("GET", f"/channels/{channel_id}/members/{app.user_id}")
    assert channel["total_msg_count"] - member["msg_count"] >= 1, "the badge the sidebar shows"
    app.ok(
        "POST", "/channels/members/me/view", {"channel_id": channel_id, "collapsed_threads_supported": True}
    )
    assert socket.event("channel_viewed")["data"]["channel_id"] == channel_id


def daily_actions(app: MobileApp, socket: Socket, post: dict[str, Any], reply: dict[str, Any]) -> None:
    reaction = app.ok(
        "POST", "/reactions", {"user_id": app.user_id, "post_id": post["id"], "emoji_name": "+1"}
    )
    assert reaction["emoji_name"] == "+1"
    assert json.loads(socket.event("reaction_added")["data"]["reaction"])["post_id"] == post["id"]
    # metadata.reactions is the app's only stored source of reactions, and it replaces a post
    # only when update_at grows, so a reaction must show in the next since= fetch.
    reacted = refetched(app, post)
    assert [r["emoji_name"] for r in reacted["metadata"]["reactions"]] == ["+1"]
    app.ok("DELETE", f"/users/{app.user_id}/posts/{post['id']}/reactions/+1")
    socket.event("reaction_removed")
    assert not refetched(app, reacted)["metadata"].get("reactions")

    edited = app.ok(
        "PUT", f"/posts/{post['id']}/patch", {"id": post["id"], "message": "to be (edited)", "file_ids": []}
    )
    assert edited["message"] == "to be (edited)" and edited["edit_at"] > 0
    assert edited["update_at"] > post["update_at"]
    assert json.loads(socket.event("post_edited")["data"]["post"])["message"] == "to be (edited)"

    assert app.ok("POST", f"/posts/{post['id']}/pin")["status"] == "OK"
    assert refetched(app, edited)["is_pinned"] is True
    assert app.ok("POST", f"/posts/{post['id']}/unpin")["status"] == "OK"

    saved = [{"user_id": app.user_id, "category": "flagged_post", "name": post["id"], "value": "true"}]
    app.ok("PUT", f"/users/{app.user_id}/preferences", saved)
    heard = json.loads(socket.event("preferences_changed")["data"]["preferences"])
    assert [(p["category"], p["name"]) for p in heard] == [("flagged_post", post["id"])]
    assert post["id"] in app.ok("GET", f"/users/{app.user_id}/posts/flagged")["order"]
    app.ok("POST", f"/users/{app.user_id}/preferences/delete", saved)
    assert post["id"] not in app.ok("GET", f"/users/{app.user_id}/posts/flagged")["order"]

    app.ok("DELETE", f"/posts/{reply['id']}")
    assert json.loads(socket.event("post_deleted")["data"]["post"])["id"] == reply["id"]
    since = app.ok(
        "GET",
        f"/channels/{post['channel_id']}/posts",
        query={"since": reply["create_at"], "collapsedThreads": False, "collapsedThreadsExtended": False},
    )
    assert since["posts"].get(reply["id"], {}).get("delete_at", 1) > 0, "a since= reply carries deletions"

    status = {
        "user_id": app.user_id,
        "status": "dnd",
        "manual": True,
        "last_activity_at": int(time.time() * 1000),
    }
    assert app.ok("PUT", f"/users/{app.user_id}/status", status)["status"] == "dnd"
    assert socket.event("status_change", status="dnd")["data"]["user_id"] == app.user_id


def refetched(app: MobileApp, known: dict[str, Any]) -> dict[str, Any]:
    """The post as the app's next since= fetch brings it: it must have a newer update_at."""
    query: Query = {"since": known["update_at"], "collapsedThreads": True, "collapsedThreadsExtended": False}
    page = app.ok("GET", f"/channels/{known['channel_id']}/posts", query=query)
    assert known["id"] in page["posts"], "a change the app would never see"
    post = page["posts"][known["id"]]
    assert post["update_at"] > known["update_at"]
    return dict(post)


def direct_and_group_messages(app: MobileApp, world: World) -> None:
    direct = app.ok("POST", "/channels/direct", [app.user_id, world.othello.id])
    assert direct["type"] == "D" and direct["team_id"] == ""
    assert set(direct["name"].split("__")) == {app.user_id, world.othello.id}
    group = app.ok("POST", "/channels/group", [app.user_id, world.othello.id, world.iago.id])
    assert group["type"] == "G"
    statuses = app.ok("POST", "/users/status/ids", [world.othello.id, world.iago.id])
    assert {status["user_id"] for status in statuses} == {world.othello.id, world.iago.id}
    assert all(status["status"] in {"online", "away", "dnd", "offline"} for status in statuses)
    _, _, categories = team_sync(app, world.team["id"])
    direct_messages = next(c for c in categories["categories"] if c["type"] == "direct_messages")
    assert {direct["id"], group["id"]} <= set(direct_messages["channel_ids"])


@pytest.mark.parametrize("bearer", [True, False], ids=["android", "ios"])
def test_reliable_websocket_numbers_pongs_and_replays(app: MobileApp, world: World, bearer: bool) -> None:
    log_in(app, world.hamlet.username)
    socket = Socket(app.websocket(bearer=bearer))
    hello = socket.event("hello")
    assert hello["seq"] == 0 and hello["data"]["connection_id"]
    socket.reply(1)
    socket.send(2, "ping")
    pong = socket.reply(2)
    assert pong["seq_reply"] == 2 and pong["data"]["text"] == "pong"

    channel_id = world.town_square["id"]
    world.othello.ok("POST", "/posts", {"channel_id": channel_id, "message": "heard live"})
    assert json.loads(socket.event("posted")["data"]["post"])["message"] == "heard live"
    socket.ws.close()

    world.othello.ok("POST", "/posts", {"channel_id": channel_id, "message": "missed one"})
    world.othello.ok("POST", "/posts", {"channel_id": channel_id, "message": "missed two"})
    resumed = Socket(app.websocket(socket.connection_id, socket.next_seq, bearer=bearer))
    resumed.next_seq = socket.next_seq
    missed = [json.loads(resumed.event("posted")["data"]["post"])["message"] for _ in range(2)]
    assert missed == ["missed one", "missed two"]
    resumed.send(2, "ping")
    assert resumed.reply(2)["data"]["text"] == "pong"
    resumed.ws.close()

    # A connection the server no longer knows starts afresh: a new hello at seq 0, then a resync.
    fresh = Socket(app.websocket("unknownconnectionid0000000", 7, bearer=bearer))
    assert fresh.event("hello")["data"]["connection_id"] not in ("", socket.connection_id)
    fresh.ws.close()


TOLERATED: list[tuple[str, str, Any]] = [
    ("GET", "/plugins/webapp", None),
    ("GET", "/agents", None),
    ("GET", "/agents/status", None),
    ("GET", "/system/timezones", None),
    ("POST", "/users/group_channels", []),
    ("POST", "/client_perf", {"version": "0.1.0", "histograms": [], "counters": []}),
    ("GET", "/users/me/sessions", None),
    ("POST", "/logs", {"level": "ERROR", "message": "a crash"}),
    ("GET", "/plugins/playbooks/api/v0/version", None),
    ("GET", "/data_retention/policy", None),
]


def test_tolerated_calls_never_answer_401(app: MobileApp, world: World) -> None:
    """A 401 on any URL but /login logs the app out, so what is missing answers 404 or 501."""
    log_in(app, world.hamlet.username)
    for method, path, body in TOLERATED:
        response = app.call(method, path, body)
        assert 200 <= response.status_code < 300 or response.status_code in (404, 501), (
            f"{method} {path}: {response.status_code} {response.text}"
        )
        if response.status_code >= 400:
            assert set(response.json()) >= {"id", "message", "status_code"}
    assert app.ok("GET", "/plugins/webapp") == []
    assert app.ok("GET", "/users/me").get("id") == world.hamlet.id, "still logged in"
