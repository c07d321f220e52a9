"""Matterbridge's calls, replayed in its order and shapes (matterclient as vendored by v1.26.0
and master, and matterhook; see the reference notes on Matterbridge). API mode logs in, pages
users and channels, joins, listens on the WebSocket and posts; webhook mode posts through an
incoming webhook with its echo-guard prop and receives outgoing webhooks as a strict form."""

import json
import urllib.parse
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from tests.api.test_webhooks import incoming_hook, outgoing_hook
from tests.support.client import API, PASSWORD, World
from tests.support.hook_receiver import HookReceiver, allowed_receiver

# What matterhook's gorilla/schema decoder accepts; any other key fails the whole request.
MATTERHOOK_KEYS = {
    "bot_id", "bot_name", "token", "team_id", "team_domain", "channel_id", "channel_name", "timestamp",
    "user_id", "user_name", "post_id", "raw_text", "service_id", "text", "trigger_word", "file_ids",
}  # fmt: skip
# Matterbridge's own id, in the prop it puts on what its webhook posts.
BRIDGE_PROP = "matterbridge_5b6d3c1e-8f5a-4d2b-9c1e-2a7f3b9d4e60"


class Client4:
    """Mattermost's Go Client4 as matterclient drives it: BEARER in upper case, an empty
    If-None-Match on every request, every status of 300 or more an error."""

    def __init__(self, base_url: str, token: str = "") -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10)
        self.token = token

    def call(self, method: str, path: str, body: Any = None) -> httpx.Response:
        headers = {"If-None-Match": ""}
        if self.token:
            headers["Authorization"] = f"BEARER {self.token}"
        content = None if body is None else json.dumps(body)
        response = self.http.request(method, "/api/v4" + path, content=content, headers=headers)
        assert response.status_code < 300, f"{method} {path}: {response.status_code} {response.text}"
        assert response.headers.get("X-Version-Id"), f"{method} {path} without X-Version-Id"
        return response


def page_until_empty(client: Client4, path: str) -> list[dict[str, Any]]:
    """matterclient's paging loop: page 0 twice, then 1, 2, ... until an empty page."""
    found: dict[str, dict[str, Any]] = {}
    pages = [0, 0, *range(1, 50)]
    for page in pages:
        items = client.call("GET", f"{path}&page={page}&per_page=200").json()
        if not items:
            return list(found.values())
        found.update({item["id"]: item for item in items})
    raise AssertionError(f"{path} never returned an empty page")


def start_up(world: World, client: Client4, team_name: str) -> dict[str, Any]:
    """Steps 5 to 8 of matterclient's Login: teams, users, channels, then the joins."""
    me = client.call("GET", "/users/me").json()
    teams = client.call("GET", f"/users/{me['id']}/teams").json()
    team = next(team for team in teams if team["name"] == team_name)
    users = page_until_empty(client, f"/users?in_team={team['id']}")
    assert {world.hamlet.id, me["id"]} <= {user["id"] for user in users}
    for user in users:
        assert all(isinstance(value, str) for value in user["timezone"].values())
        assert isinstance(user["props"], dict)
    client.call("GET", f"/users/{me['id']}/teams/{team['id']}/channels")
    public = page_until_empty(client, f"/teams/{team['id']}/channels?x=1")
    assert "town-square" in {channel["name"] for channel in public}
    # v1.26.0 asks for everything at once: the server clamps per_page rather than refusing it.
    client.call("GET", f"/teams/{team['id']}/channels?page=0&per_page=5000")
    channel = client.call("GET", f"/teams/{team['id']}/channels/name/town-square").json()
    client.call("POST", f"/channels/{channel['id']}/members", {"user_id": me["id"]})
    # Joining again (a reconnect) must work for a member too.
    client.call("POST", f"/channels/{channel['id']}/members", {"user_id": me["id"]})
    return channel  # type: ignore[no-any-return]


def probe_version(base_url: str) -> None:
    """getVersion's GET / and serverAlive's unauthenticated POST /users/logout."""
    home = httpx.get(base_url + "/", follow_redirects=True)
    assert home.status_code < 400 and home.headers.get("X-Version-Id")
    Client4(base_url).call("POST", "/users/logout")


@pytest.fixture
def receiver(admin: API) -> Iterator[HookReceiver]:
    with allowed_receiver(admin) as hook_receiver:
        yield hook_receiver


@pytest.fixture
def bridge_user(world: World) -> Iterator[dict[str, Any]]:
    world.admin.ok(
        "POST",
        f"/teams/{world.team['id']}/members",
        {"team_id": world.team["id"], "user_id": world.cordelia.id},
    )
    yield world.cordelia.user


def zero_post(channel_id: str, message: str, **fields: Any) -> dict[str, Any]:
    """A model.Post as Go marshals it with most fields left at their zero values."""
    return {
        "id": "", "create_at": 0, "update_at": 0, "edit_at": 0, "delete_at": 0, "is_pinned": False,
        "user_id": "", "channel_id": channel_id, "root_id": "", "original_id": "", "message": message,
        "type": "", "props": None, "hashtags": "", "file_ids": None, "pending_post_id": "",
        "has_reactions": False, "participants": None, **fields,
    }  # fmt: skip


def test_api_mode_with_a_password_login(world: World, bridge_user: dict[str, Any]) -> None:
    base_url = world.admin.base_url
    probe_version(base_url)
    client = Client4(base_url)
    login = client.call("POST", "/users/login", {"login_id": bridge_user["username"], "password": PASSWORD})
    client.token = login.headers["Token"]
    channel = start_up(world, client, world.team["name"])

    url = base_url.replace("http://", "ws://") + "/api/v4/websocket"
    with connect(url, open_timeout=10) as ws:
        ws.send(json.dumps({"seq": 1, "action": "authentication_challenge", "data": {"token": client.token}}))
        # hello (and status events) may come before the reply.
        reply = json.loads(ws.recv(timeout=10))
        while reply.get("seq_reply") != 1:
            reply = json.loads(ws.recv(timeout=10))
        assert reply["status"] == "OK"
        ws.send(json.dumps({"seq": 2, "action": "ping"}))
        # Mattermost → bridge: a post arrives with data.post a JSON string of Mattermost's types.
        said = world.hamlet.ok("POST", "/posts", {"channel_id": channel["id"], "message": "to IRC"})
        posted: dict[str, Any] = {}
        pong: dict[str, Any] = {}
        while not posted or not pong:
            message = json.loads(ws.recv(timeout=10))
            if message.get("seq_reply") == 2:
                pong = message
            elif message.get("event") == "posted":
                posted = message
        assert pong["status"] == "OK" and pong["data"]["text"] == "pong"
        assert isinstance(posted["data"]["post"], str) and posted["data"]["team_id"] == world.team["id"]
        post = json.loads(posted["data"]["post"])
        assert (
            post["id"] == said["id"]
            and isinstance(post["create_at"], int)
            and isinstance(post["props"], dict)
        )
        assert post.get("has_reactions", False) is False

    # Bridge → Mattermost: a zero-valued Post, an edit with props null, a reply, a delete.
    relayed = client.call("POST", "/posts", zero_post(channel["id"], "<alice> hi from IRC")).json()
    assert relayed["user_id"] == bridge_user["id"]
    edited = client.call(
        "PUT", f"/posts/{relayed['id']}", zero_post(channel["id"], "<alice> hi (edited)", id=relayed["id"])
    )
    assert edited.json()["message"] == "<alice> hi (edited)"
    parent = client.call("GET", f"/posts/{said['id']}").json()
    client.call(
        "POST",
        "/posts",
        zero_post(channel["id"], "<alice> a reply", root_id=parent["root_id"] or parent["id"]),
    )
    client.call("DELETE", f"/posts/{relayed['id']}")
    client.call("GET", "/system/ping?get_server_status=false&use_rest_semantics=false")

    # Reconnect: log out with the session, then log in again from the start.
    client.call("POST", "/users/logout")
    probe_version(base_url)
    again = client.call("POST", "/users/login", {"login_id": bridge_user["username"], "password": PASSWORD})
    assert again.headers["Token"] != client.token


def test_a_delete_carries_the_words_matterbridge_needs_to_relay_it(world: World) -> None:
    """Matterbridge's gateway drops any message whose text is empty (ignoreTextEmpty), deletes
    included, so post_deleted carries the message as Mattermost's does; with an empty one the
    real Matterbridge v1.26.0 relayed no delete at all."""
    said = world.hamlet.ok("POST", "/posts", {"channel_id": world.town_square["id"], "message": "soon gone"})
    stream = world.othello.websocket()
    try:
        world.hamlet.ok("DELETE", f"/posts/{said['id']}")
        event = stream.expect("post_deleted")
    finally:
        stream.close()
    assert isinstance(event["data"]["post"], str)
    deleted = json.loads(event["data"]["post"])
    assert deleted["id"] == said["id"] and deleted["message"] == "soon gone" and deleted["delete_at"] > 0
    # Nothing for matterclient to download, and nowhere else to read the words.
    assert deleted["file_ids"] == [] and deleted["props"] == {}
    assert world.othello.get(f"/posts/{said['id']}").status_code == 404


def test_api_mode_with_a_personal_access_token_survives_logout(
    world: World, bridge_user: dict[str, Any]
) -> None:
    token = world.admin.ok("POST", f"/users/{bridge_user['id']}/tokens", {"description": "matterbridge"})[
        "token"
    ]
    probe_version(world.admin.base_url)
    client = Client4(world.admin.base_url, token)
    start_up(world, client, world.team["name"])
    # Reconnect logs out with the token first; the token must keep working.
    client.call("POST", "/users/logout")
    assert client.call("GET", "/users/me").json()["id"] == bridge_user["id"]


def test_webhook_mode_posts_with_its_echo_guard_and_receives_mattermosts_form(
    world: World, receiver: HookReceiver
) -> None:
    incoming = incoming_hook(world.iago, world.town_square)
    outgoing_hook(world.iago, world, receiver, channel_id=world.town_square["id"])
    # Matterbridge → Mattermost: matterhook's OMessage, answered with exactly 200.
    message = {
        "channel": "town-square",
        "icon_url": "https://example.org/irc.png",
        "username": "[irc] <alice> ",
        "text": "hello from IRC",
        "props": {BRIDGE_PROP: True},
    }
    response = httpx.post(f"{world.iago.base_url}/hooks/{incoming['id']}", json=message)
    assert response.status_code == 200 and response.text == "ok"
    listing = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/posts")
    relayed = listing["posts"][listing["order"][0]]
    assert relayed["props"][BRIDGE_PROP] is True and relayed["props"]["from_webhook"] == "true"

    # Mattermost → Matterbridge: only a person's post fires the outgoing webhook, as a form
    # matterhook's strict decoder accepts; its empty answer makes no post.
    receiver.answer = {}
    said = world.hamlet.ok("POST", "/posts", {"channel_id": world.town_square["id"], "message": "to IRC"})
    (call,) = receiver.wait_for(1)
    assert call.headers["content-type"] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(call.body.decode(), keep_blank_values=True)
    assert set(form) <= MATTERHOOK_KEYS and form["token"][0]
    assert (
        form["post_id"] == [said["id"]]
        and form["text"] == ["to IRC"]
        and form["channel_name"] == ["town-square"]
    )
    assert form["user_name"] == [world.hamlet.username]
    after = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/posts")
    assert after["order"][0] == said["id"]
