"""Idle users turn away, and come back online when they act."""

import time
from collections.abc import Iterator

import pytest
from tests.realtime.sockets import event_named, open_socket, send_action, wait_for
from tests.support.client import create_user, login
from tests.support.server import ADMIN_PASSWORD, ServerProcess, make_server


@pytest.fixture
def quick_presence_server() -> Iterator[ServerProcess]:
    """A server whose users turn away after 2 s of inactivity (the default is 5 minutes)."""
    server = make_server("sqlite")
    server.env["VILLAGEPUMP_PRESENCE_AWAY_SECONDS"] = "2"
    server.env["VILLAGEPUMP_PRESENCE_SWEEP_SECONDS"] = "0.5"
    created = server.cli(
        "user", "create", "--username", "sysadmin", "--email", "sysadmin@example.org",
        "--password", ADMIN_PASSWORD, "--system-admin",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    server.start()
    yield server
    server.stop()


def test_idle_user_turns_away_then_online_again(quick_presence_server: ServerProcess) -> None:
    admin = login(quick_presence_server.url, "sysadmin", ADMIN_PASSWORD)
    hamlet = create_user(admin, "hamlet")
    socket = open_socket(hamlet)
    wait_for(socket, event_named("status_change", status="online"))
    started = time.monotonic()
    wait_for(socket, event_named("status_change", status="away"), timeout=10)
    assert time.monotonic() - started >= 1.5  # not before the idle time has passed
    assert admin.ok("GET", f"/users/{hamlet.id}/status")["status"] == "away"

    send_action(socket, 2, "user_update_active_status", {"user_is_active": True, "manual": False})
    wait_for(socket, event_named("status_change", status="online"))
    assert admin.ok("GET", f"/users/{hamlet.id}/status")["status"] == "online"
