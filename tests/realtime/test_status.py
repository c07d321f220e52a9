"""Presence: online while connected, offline after the last socket closes, chosen statuses stick."""

import time
from typing import Any

from tests.realtime.sockets import event_named, open_socket, receive_all, reply_to, send_action, wait_for
from tests.support.client import API, World, create_user
from tests.support.server import ServerProcess

from villagepump.actions.status import OFFLINE_GRACE_SECONDS
from villagepump.config import Settings

SWEEP_EVERY = Settings().presence_sweep_seconds


def _status(api: API, user_id: str) -> dict[str, Any]:
    return api.ok("GET", f"/users/{user_id}/status")  # type: ignore[no-any-return]


def _eventually_status(
    api: API,
    user_id: str,
    expected: str,
    advancing: ServerProcess | None = None,
    step: float = 1,
    timeout: float = 10,
) -> dict[str, Any]:
    """Polls until the user has the status; on a manual-clock server, moving its time on too."""
    deadline = time.monotonic() + timeout
    while True:
        status = _status(api, user_id)
        if status["status"] == expected or time.monotonic() > deadline:
            assert status["status"] == expected, status
            return status
        if advancing is not None:
            advancing.advance(step)
        else:
            time.sleep(0.05)


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


def test_closing_the_last_socket_makes_a_user_offline(
    clocked_server: ServerProcess, clocked_admin: API
) -> None:
    hamlet = create_user(clocked_admin, "hamlet")
    first, second = open_socket(hamlet), open_socket(hamlet)
    wait_for(first, event_named("hello"))
    wait_for(second, event_named("hello"))
    _eventually_status(clocked_admin, hamlet.id, "online")
    first.close()
    clocked_server.advance(OFFLINE_GRACE_SECONDS * 2, step=1)
    assert _status(clocked_admin, hamlet.id)["status"] == "online"
    second.close()
    # Within the grace a page reload would keep the user online: not offline yet.
    clocked_server.advance(OFFLINE_GRACE_SECONDS / 2, step=1)
    assert _status(clocked_admin, hamlet.id)["status"] == "online"
    _eventually_status(clocked_admin, hamlet.id, "offline", advancing=clocked_server)


def test_a_chosen_status_sticks_until_changed(clocked_server: ServerProcess, clocked_admin: API) -> None:
    hamlet = create_user(clocked_admin, "hamlet")
    ws = open_socket(hamlet)
    wait_for(ws, event_named("status_change", status="online"))
    chosen = hamlet.ok("PUT", "/users/me/status", {"user_id": hamlet.id, "status": "dnd"})
    assert chosen["status"] == "dnd" and chosen["manual"] is True
    wait_for(ws, event_named("status_change", status="dnd", user_id=hamlet.id))
    # Activity does not override it, and neither does leaving.
    hamlet.ok("GET", "/users/me")
    send_action(ws, 2, "user_update_active_status", {"user_is_active": True, "manual": False})
    wait_for(ws, reply_to(2))
    ws.close()
    clocked_server.advance(OFFLINE_GRACE_SECONDS * 2, step=1)
    assert _status(clocked_admin, hamlet.id)["status"] == "dnd"
    back = hamlet.ok("PUT", f"/users/{hamlet.id}/status", {"user_id": hamlet.id, "status": "online"})
    assert back["status"] == "online" and back["manual"] is False


def test_do_not_disturb_ends_at_its_end_time(clocked_server: ServerProcess, clocked_admin: API) -> None:
    hamlet = create_user(clocked_admin, "hamlet")
    ws = open_socket(hamlet)
    wait_for(ws, event_named("status_change", status="online"))
    send_action(ws, 2, "ping")
    server_now = wait_for(ws, reply_to(2))[0]["data"]["server_time"] // 1000
    until = server_now + 3600
    chosen = hamlet.ok(
        "PUT", "/users/me/status", {"user_id": hamlet.id, "status": "dnd", "dnd_end_time": until}
    )
    assert chosen["dnd_end_time"] == until
    clocked_server.advance(3600 - 60, alive=[ws])
    assert _status(clocked_admin, hamlet.id)["status"] == "dnd"
    # Active again (or the hour of idling would turn them away as soon as DND ends).
    send_action(ws, 3, "user_update_active_status", {"user_is_active": True, "manual": False})
    wait_for(ws, reply_to(3))
    # The end time passes, and the presence sweep that notices comes within one interval.
    clocked_server.advance(60 + SWEEP_EVERY + 1, alive=[ws])
    assert _status(clocked_admin, hamlet.id)["status"] == "online"
    wait_for(ws, event_named("status_change", status="online", user_id=hamlet.id))
    ws.close()


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
