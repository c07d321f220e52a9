"""Presence: online while connected, offline after the last socket closes, chosen statuses stick."""

import time
from typing import Any

from tests.realtime.sockets import event_named, open_socket, receive_all, reply_to, send_action, wait_for
from tests.support.client import API, World


def _status(api: API, user_id: str) -> dict[str, Any]:
    return api.ok("GET", f"/users/{user_id}/status")  # type: ignore[no-any-return]


def _eventually_status(api: API, user_id: str, expected: str, timeout: float = 10) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        status = _status(api, user_id)
        if status["status"] == expected or time.monotonic() > deadline:
            assert status["status"] == expected, status
            return status
        time.sleep(0.2)


def test_connecting_makes_a_user_online_and_tells_only_them(world: World) -> None:
    assert _status(world.othello, world.hamlet.id)["status"] == "offline"
    onlooker = open_socket(world.othello)
    wait_for(onlooker, event_named("hello"))
    ws = open_socket(world.hamlet)
    change, _ = wait_for(ws, event_named("status_change", status="online"))
    assert change["data"]["user_id"] == world.hamlet.id
    assert change["broadcast"]["user_id"] == world.hamlet.id
    status = _eventually_status(world.othello, world.hamlet.id, "online")
    assert status == {
        "user_id": world.hamlet.id,
        "status": "online",
        "manual": False,
        "last_activity_at": status["last_activity_at"],
        "dnd_end_time": 0,
    }
    assert status["last_activity_at"] > 0
    hamlets = [
        m
        for m in receive_all(onlooker, 0.5)
        if m.get("event") == "status_change" and m["data"]["user_id"] == world.hamlet.id
    ]
    assert hamlets == []
    ws.close()
    onlooker.close()


def test_closing_the_last_socket_makes_a_user_offline(world: World) -> None:
    first, second = open_socket(world.hamlet), open_socket(world.hamlet)
    wait_for(first, event_named("hello"))
    wait_for(second, event_named("hello"))
    _eventually_status(world.othello, world.hamlet.id, "online")
    first.close()
    time.sleep(6)
    assert _status(world.othello, world.hamlet.id)["status"] == "online"
    second.close()
    _eventually_status(world.othello, world.hamlet.id, "offline", timeout=12)


def test_a_chosen_status_sticks_until_changed(world: World) -> None:
    ws = open_socket(world.hamlet)
    wait_for(ws, event_named("status_change", status="online"))
    chosen = world.hamlet.ok("PUT", "/users/me/status", {"user_id": world.hamlet.id, "status": "dnd"})
    assert chosen["status"] == "dnd" and chosen["manual"] is True
    wait_for(ws, event_named("status_change", status="dnd", user_id=world.hamlet.id))
    # Activity does not override it, and neither does leaving.
    world.hamlet.ok("GET", "/users/me")
    send_action(ws, 2, "user_update_active_status", {"user_is_active": True, "manual": False})
    wait_for(ws, reply_to(2))
    ws.close()
    time.sleep(6.5)
    assert _status(world.othello, world.hamlet.id)["status"] == "dnd"
    back = world.hamlet.ok(
        "PUT", f"/users/{world.hamlet.id}/status", {"user_id": world.hamlet.id, "status": "online"}
    )
    assert back["status"] == "online" and back["manual"] is False


def test_setting_a_status_is_for_oneself_or_a_system_admin(world: World) -> None:
    body = {"user_id": world.othello.id, "status": "away"}
    assert world.hamlet.put(f"/users/{world.othello.id}/status", json=body).status_code == 403
    assert world.admin.ok("PUT", f"/users/{world.othello.id}/status", body)["status"] == "away"
    assert _status(world.hamlet, world.othello.id)["manual"] is True
    mismatched = {"user_id": world.hamlet.id, "status": "away"}
    assert world.othello.put(f"/users/{world.othello.id}/status", json=mismatched).status_code == 400
    for bad in (
        {"status": "busy"},
        {"status": 5},
        {"status": "dnd", "dnd_end_time": "soon"},
        {"status": "dnd", "dnd_end_time": -1},
    ):
        response = world.othello.put("/users/me/status", json={"user_id": world.othello.id, **bad})
        assert response.status_code == 400, (bad, response.text)
    assert world.othello.put("/users/me/status", content=b"[").status_code == 400


def test_statuses_by_ids(world: World) -> None:
    world.othello.ok("PUT", "/users/me/status", {"user_id": world.othello.id, "status": "away"})
    statuses = world.hamlet.ok("POST", "/users/status/ids", [world.othello.id, world.cordelia.id])
    by_user = {s["user_id"]: s for s in statuses}
    assert by_user[world.othello.id]["status"] == "away"
    assert by_user[world.cordelia.id]["status"] == "offline"
    assert world.hamlet.post("/users/status/ids", json=["not-an-id"]).status_code == 400
    assert world.hamlet.post("/users/status/ids", json={"ids": []}).status_code == 400
    assert world.hamlet.post("/users/status/ids", json=[]).status_code == 400
    assert API(world.hamlet.base_url).post("/users/status/ids", json=[world.othello.id]).status_code == 401


def test_status_actions_on_the_socket(world: World) -> None:
    world.othello.ok("PUT", "/users/me/status", {"user_id": world.othello.id, "status": "dnd"})
    ws = open_socket(world.hamlet)
    wait_for(ws, event_named("hello"))
    send_action(ws, 2, "get_statuses_by_ids", {"user_ids": [world.othello.id, world.cordelia.id]})
    reply, _ = wait_for(ws, reply_to(2))
    assert reply["data"] == {world.othello.id: "dnd", world.cordelia.id: "offline"}
    send_action(ws, 3, "get_statuses")
    reply, _ = wait_for(ws, reply_to(3))
    assert reply["data"][world.othello.id] == "dnd"
    send_action(ws, 4, "user_update_active_status", {"user_is_active": False, "manual": True})
    _, before_reply = wait_for(ws, reply_to(4))
    if not [m for m in before_reply if event_named("status_change", status="away")(m)]:
        wait_for(ws, event_named("status_change", status="away"))
    send_action(ws, 5, "presence", {"channel_id": world.town_square["id"]})
    send_action(ws, 6, "posted_notify_ack", {"post_id": "x"})
    assert wait_for(ws, reply_to(6))[0]["status"] == "OK"
    ws.close()
