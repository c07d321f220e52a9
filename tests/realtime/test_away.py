"""Idle users turn away, and come back online when they act."""

from tests.realtime.sockets import event_named, open_socket, send_action, wait_for
from tests.support.client import API, create_user
from tests.support.server import ServerProcess

from villagepump.config import Settings

AWAY_AFTER = Settings().presence_away_seconds
SWEEP_EVERY = Settings().presence_sweep_seconds


def test_idle_user_turns_away_then_online_again(clocked_server: ServerProcess, clocked_admin: API) -> None:
    hamlet = create_user(clocked_admin, "hamlet")
    socket = open_socket(hamlet)
    wait_for(socket, event_named("status_change", status="online"))
    clocked_server.advance(AWAY_AFTER - 1, alive=[socket])
    assert clocked_admin.ok("GET", f"/users/{hamlet.id}/status")["status"] == "online"
    # The sweep that notices comes within one sweep interval.
    clocked_server.advance(SWEEP_EVERY + 1, alive=[socket])
    wait_for(socket, event_named("status_change", status="away"))
    assert clocked_admin.ok("GET", f"/users/{hamlet.id}/status")["status"] == "away"

    send_action(socket, 2, "user_update_active_status", {"user_is_active": True, "manual": False})
    wait_for(socket, event_named("status_change", status="online"))
    assert clocked_admin.ok("GET", f"/users/{hamlet.id}/status")["status"] == "online"
    socket.close()
