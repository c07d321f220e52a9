"""The WebSocket: authentication, hello and seq, actions, who hears which event, and resuming."""

import json
from typing import Any

from tests.realtime.sockets import (
    event_named,
    open_socket,
    receive,
    receive_all,
    reply_to,
    send_action,
    wait_for,
)
from tests.support.client import World, unique
from websockets.sync.client import ClientConnection


def _hello(ws: ClientConnection) -> dict[str, Any]:
    hello = receive(ws)
    assert hello["event"] == "hello", hello
    return hello


def test_hello_comes_first_with_seq_zero_and_seq_counts_up_by_one(world: World) -> None:
    ws = open_socket(world.hamlet)
    hello = _hello(ws)
    assert hello["seq"] == 0
    assert len(hello["data"]["connection_id"]) == 26
    assert hello["data"]["server_version"]
    assert "server_hostname" in hello["data"]
    assert hello["broadcast"]["user_id"] == world.hamlet.id
    for nickname in ("one", "two", "three"):
        world.hamlet.ok("PUT", "/users/me/patch", {"nickname": nickname})
    _, before = wait_for(
        ws, lambda m: m.get("event") == "user_updated" and m["data"]["user"]["nickname"] == "three"
    )
    events = [m for m in before if "seq" in m]
    seqs = [m["seq"] for m in events] + [events[-1]["seq"] + 1 if events else 1]
    assert seqs == list(range(1, len(seqs) + 1))
    ws.close()


def test_authentication_by_bearer_header_cookie_and_query(world: World) -> None:
    for auth in ("header", "cookie", "query"):
        ws = open_socket(world.othello, auth=auth)
        assert _hello(ws)["broadcast"]["user_id"] == world.othello.id
        ws.close()


def test_authentication_challenge_after_open(world: World) -> None:
    ws = open_socket(world.hamlet, auth="none")
    assert receive_all(ws, 0.3) == []
    send_action(ws, 1, "authentication_challenge", {"token": world.hamlet.token})
    hello = receive(ws)
    assert hello["event"] == "hello" and hello["seq"] == 0
    reply, _ = wait_for(ws, reply_to(1))
    assert reply["status"] == "OK"
    # The official clients send the challenge again over an authenticated socket: no second hello.
    send_action(ws, 2, "authentication_challenge", {"token": world.hamlet.token})
    reply, before = wait_for(ws, reply_to(2))
    assert reply["status"] == "OK"
    assert not [m for m in before if m.get("event") == "hello"]
    ws.close()


def test_unauthenticated_socket_hears_nothing_and_bad_tokens_are_refused(world: World) -> None:
    ws = open_socket(world.hamlet, auth="none", headers={"Authorization": "Bearer notarealtoken"})
    send_action(ws, 1, "ping")
    reply = receive(ws)
    assert reply["seq_reply"] == 1 and reply["status"] == "FAIL"
    send_action(ws, 2, "authentication_challenge", {"token": "x" * 26})
    reply = receive(ws)
    assert reply["seq_reply"] == 2 and reply["status"] == "FAIL"
    world.admin.ok("POST", "/users", _new_user_body())
    assert [m for m in receive_all(ws, 0.5) if "event" in m] == []
    ws.close()


def test_cookie_from_another_site_is_not_enough(world: World) -> None:
    ws = open_socket(world.hamlet, auth="cookie", headers={"Origin": "https://evil.example.com"})
    assert receive_all(ws, 0.3) == []
    send_action(ws, 1, "authentication_challenge", {"token": world.hamlet.token})
    assert receive(ws)["event"] == "hello"
    ws.close()


def test_ping_gets_pong(world: World) -> None:
    ws = open_socket(world.hamlet)
    _hello(ws)
    send_action(ws, 7, "ping")
    reply, _ = wait_for(ws, reply_to(7))
    assert reply["status"] == "OK"
    assert reply["data"]["text"] == "pong"
    assert reply["data"]["version"]
    assert isinstance(reply["data"]["server_time"], int)
    assert "seq" not in reply
    ws.close()


def test_unknown_actions_and_malformed_frames_get_errors_not_crashes(world: World) -> None:
    ws = open_socket(world.hamlet)
    _hello(ws)
    send_action(ws, 2, "no_such_action")
    reply, _ = wait_for(ws, reply_to(2))
    assert reply["status"] == "FAIL" and reply["error"]["id"]
    for garbage in (
        "not json",
        "[1,2]",
        '{"seq": "x", "action": 5}',
        '{"seq": 3, "action": "ping", "data": 7}',
        "\x00",
    ):
        ws.send(garbage)
    ws.send(b"\xff\xfe binary")
    send_action(ws, 4, "user_typing", {"channel_id": ["not", "an", "id"]})
    send_action(ws, 5, "get_statuses_by_ids", {"user_ids": "nope"})
    send_action(ws, 6, "ping")
    replies = {}
    for _ in range(40):
        message = receive(ws)
        if "seq_reply" in message:
            replies[message["seq_reply"]] = message
        if 6 in replies:
            break
    assert replies[4]["status"] == "FAIL"
    assert replies[5]["status"] == "FAIL"
    assert replies[6]["data"]["text"] == "pong"
    ws.close()


def test_typing_reaches_other_channel_members_only(world: World) -> None:
    typist, listener, outsider = (open_socket(u) for u in (world.hamlet, world.othello, world.cordelia))
    for ws in (typist, listener, outsider):
        _hello(ws)
    channel_id = world.town_square["id"]
    send_action(typist, 2, "user_typing", {"channel_id": channel_id, "parent_id": ""})
    reply, _ = wait_for(typist, reply_to(2))
    assert reply["status"] == "OK"
    typing, _ = wait_for(listener, event_named("typing", user_id=world.hamlet.id))
    assert typing["broadcast"]["channel_id"] == channel_id
    assert typing["data"]["parent_id"] == ""
    assert not [m for m in receive_all(typist, 0.5) if m.get("event") == "typing"]
    assert not [m for m in receive_all(outsider, 0.1) if m.get("event") == "typing"]
    # Cordelia is not in the channel: she may not announce typing there.
    send_action(outsider, 2, "user_typing", {"channel_id": channel_id, "parent_id": ""})
    reply, _ = wait_for(outsider, reply_to(2))
    assert reply["status"] == "FAIL"
    assert not [m for m in receive_all(listener, 0.5) if m.get("event") == "typing"]
    for ws in (typist, listener, outsider):
        ws.close()


def test_private_channel_events_reach_members_only(world: World) -> None:
    channel = world.iago.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("secret-"), "display_name": "Secret", "type": "P"},
    )
    member, outsider = open_socket(world.hamlet), open_socket(world.othello)
    _hello(member)
    _hello(outsider)
    world.iago.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.hamlet.id})
    # Joining is applied before delivery: the new member hears of their own arrival.
    added, _ = wait_for(member, event_named("user_added", user_id=world.hamlet.id))
    assert added["broadcast"]["channel_id"] == channel["id"]
    world.iago.ok("PUT", f"/channels/{channel['id']}/patch", {"header": "the plan"})
    wait_for(member, event_named("channel_updated"))
    leaked = [
        m for m in receive_all(outsider, 0.7) if m.get("broadcast", {}).get("channel_id") == channel["id"]
    ]
    assert leaked == []
    member.close()
    outsider.close()


def test_team_events_follow_membership(world: World) -> None:
    """Cordelia is not in the team until added; once added she hears the team's events."""
    cordelia = open_socket(world.cordelia)
    _hello(cordelia)
    world.admin.ok(
        "POST",
        f"/teams/{world.team['id']}/members",
        {"team_id": world.team["id"], "user_id": world.cordelia.id},
    )
    wait_for(cordelia, event_named("added_to_team", team_id=world.team["id"]))
    cordelia.close()


def test_new_user_reaches_everyone(world: World) -> None:
    ws = open_socket(world.cordelia)
    _hello(ws)
    created = world.admin.ok("POST", "/users", _new_user_body())
    wait_for(ws, event_named("new_user", user_id=created["id"]))
    ws.close()


def test_resume_replays_missed_events_in_order_with_continuing_seq(world: World) -> None:
    ws = open_socket(world.hamlet)
    hello = _hello(ws)
    connection_id = hello["data"]["connection_id"]
    world.hamlet.ok("PUT", "/users/me/patch", {"nickname": "before"})
    last, _ = wait_for(
        ws, lambda m: m.get("event") == "user_updated" and m["data"]["user"]["nickname"] == "before"
    )
    next_seq = last["seq"] + 1
    ws.close()
    for nickname in ("missed-1", "missed-2", "missed-3"):
        world.hamlet.ok("PUT", "/users/me/patch", {"nickname": nickname})
    resumed = open_socket(world.hamlet, query=f"connection_id={connection_id}&sequence_number={next_seq}")
    replayed, before_it = wait_for(
        resumed, lambda m: m.get("event") == "user_updated" and m["data"]["user"]["nickname"] == "missed-3"
    )
    # Everything from next_seq on arrived, in order, without a hello and without a gap.
    messages = [*before_it, replayed]
    assert [m["seq"] for m in messages] == list(range(next_seq, next_seq + len(messages)))
    assert all(m["event"] != "hello" for m in messages)
    nicknames = [m["data"]["user"]["nickname"] for m in messages if m["event"] == "user_updated"]
    assert nicknames == ["missed-1", "missed-2", "missed-3"]
    # And the stream goes on from there.
    world.hamlet.ok("PUT", "/users/me/patch", {"nickname": "after"})
    after, between = wait_for(resumed, event_named("user_updated"))
    assert after["seq"] == replayed["seq"] + 1 + len(between)
    resumed.close()


def test_unknown_or_stale_connection_id_gets_a_new_hello(world: World) -> None:
    ws = open_socket(world.hamlet)
    old = _hello(ws)["data"]["connection_id"]
    ws.close()
    fresh = open_socket(world.hamlet, query="connection_id=abcdefghijklmnopqrstuvwxyz&sequence_number=5")
    hello = _hello(fresh)
    assert hello["seq"] == 0 and hello["data"]["connection_id"] != "abcdefghijklmnopqrstuvwxyz"
    fresh.close()
    # A sequence number from the future cannot be resumed either.
    future = open_socket(world.hamlet, query=f"connection_id={old}&sequence_number=100000")
    hello = _hello(future)
    assert hello["seq"] == 0 and hello["data"]["connection_id"] != old
    future.close()
    # Nor can another user take over someone's connection id.
    ws = open_socket(world.hamlet)
    hamlets = _hello(ws)["data"]["connection_id"]
    ws.close()
    other = open_socket(world.othello, query=f"connection_id={hamlets}&sequence_number=1")
    hello = _hello(other)
    assert hello["data"]["connection_id"] != hamlets
    other.close()


def _new_user_body() -> dict[str, str]:
    name = unique("horatio")
    return {"username": name, "email": f"{name}@example.org", "password": "password-for-tests"}


def test_frames_are_single_json_objects(world: World) -> None:
    ws = open_socket(world.hamlet)
    raw = ws.recv(timeout=5)
    assert isinstance(raw, str)
    assert json.loads(raw)["event"] == "hello"
    ws.close()


def test_posts_reach_channel_members_as_json_strings(world: World) -> None:
    listener = open_socket(world.othello)
    _hello(listener)
    post = world.hamlet.ok("POST", "/posts", {"channel_id": world.town_square["id"], "message": "to arms"})
    posted, _ = wait_for(listener, event_named("posted"))
    assert posted["broadcast"]["channel_id"] == world.town_square["id"]
    assert isinstance(posted["data"]["post"], str)
    assert json.loads(posted["data"]["post"])["id"] == post["id"]
    listener.close()


def test_a_private_channel_post_never_reaches_a_non_member(world: World) -> None:
    channel = world.iago.ok(
        "POST",
        "/channels",
        {"team_id": world.team["id"], "name": unique("secret-"), "display_name": "Secret", "type": "P"},
    )
    world.iago.ok("POST", f"/channels/{channel['id']}/members", {"user_id": world.hamlet.id})
    member, outsider, admin = open_socket(world.hamlet), open_socket(world.othello), open_socket(world.admin)
    for ws in (member, outsider, admin):
        _hello(ws)
    world.iago.ok("POST", "/posts", {"channel_id": channel["id"], "message": "between us"})
    posted, _ = wait_for(member, event_named("posted"))
    assert json.loads(posted["data"]["post"])["message"] == "between us"
    for ws in (outsider, admin):
        assert [m for m in receive_all(ws, 0.5) if "between us" in json.dumps(m)] == []
    # Once removed, hamlet hears no more of it (he does hear of his own removal).
    world.iago.ok("DELETE", f"/channels/{channel['id']}/members/{world.hamlet.id}", status=200)
    wait_for(member, event_named("user_removed"))
    world.iago.ok("POST", "/posts", {"channel_id": channel["id"], "message": "now he is gone"})
    assert [m for m in receive_all(member, 0.7) if "now he is gone" in json.dumps(m)] == []
    for ws in (member, outsider, admin):
        ws.close()


def test_a_direct_message_reaches_only_its_two_users(world: World) -> None:
    dm = world.hamlet.ok("POST", "/channels/direct", [world.hamlet.id, world.othello.id])
    hamlet, othello, iago = open_socket(world.hamlet), open_socket(world.othello), open_socket(world.iago)
    for ws in (hamlet, othello, iago):
        _hello(ws)
    world.hamlet.ok("POST", "/posts", {"channel_id": dm["id"], "message": "a word in private"})
    for ws in (hamlet, othello):
        wait_for(ws, event_named("posted"))
    assert [m for m in receive_all(iago, 0.5) if m.get("event") == "posted"] == []
    for ws in (hamlet, othello, iago):
        ws.close()


def test_a_direct_channel_opened_after_connecting_is_heard(world: World) -> None:
    hamlet = open_socket(world.hamlet)
    _hello(hamlet)
    dm = world.othello.ok("POST", "/channels/direct", [world.othello.id, world.hamlet.id])
    world.othello.ok("POST", "/posts", {"channel_id": dm["id"], "message": "new conversation"})
    posted, _ = wait_for(hamlet, event_named("posted"))
    assert posted["broadcast"]["channel_id"] == dm["id"]
    hamlet.close()
