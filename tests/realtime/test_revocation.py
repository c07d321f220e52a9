"""A session that ends stops working everywhere at once: its sockets close, its token fails."""

import pytest
from tests.realtime.sockets import open_socket, receive, wait_for
from tests.support.client import API, World, login
from tests.support.server import ServerProcess
from websockets.exceptions import ConnectionClosed


def _closes(ws: object) -> None:
    with pytest.raises(ConnectionClosed):
        for _ in range(20):
            receive(ws, timeout=5)  # type: ignore[arg-type]


def test_logout_closes_the_sessions_sockets_but_not_others(world: World, server: ServerProcess) -> None:
    phone = login(server.url, world.hamlet.username)
    phone_socket, laptop_socket = open_socket(phone), open_socket(world.hamlet)
    assert receive(phone_socket)["event"] == "hello" and receive(laptop_socket)["event"] == "hello"
    phone.ok("POST", "/users/logout")
    _closes(phone_socket)
    world.hamlet.ok("PUT", "/users/me/patch", {"nickname": "still here"})
    wait_for(laptop_socket, lambda message: message["event"] == "user_updated")


def test_revoked_access_token_fails_at_once_and_its_socket_closes(world: World) -> None:
    created = world.othello.ok("POST", "/users/me/tokens", {"description": "bridge"})
    bridge = API(world.othello.base_url, token=created["token"], user=world.othello.user)
    assert bridge.ok("GET", "/users/me")["id"] == world.othello.id  # now cached by the server
    socket = open_socket(bridge)
    assert receive(socket)["event"] == "hello"
    world.othello.ok("POST", "/users/tokens/disable", {"token_id": created["id"]})
    assert bridge.get("/users/me").status_code == 401
    _closes(socket)


def test_deactivation_closes_every_socket_of_the_user(world: World) -> None:
    socket = open_socket(world.cordelia)
    assert receive(socket)["event"] == "hello"
    world.admin.ok("DELETE", f"/users/{world.cordelia.id}")
    _closes(socket)
    assert world.cordelia.get("/users/me").status_code == 401


def test_demoted_admin_loses_admin_rights_at_once(world: World, server: ServerProcess) -> None:
    world.admin.ok("PUT", f"/users/{world.iago.id}/roles", {"roles": "system_user system_admin"})
    assert world.iago.get("/users/" + world.othello.id).json()["email"]  # admins see e-mails
    world.admin.ok("PUT", f"/users/{world.iago.id}/roles", {"roles": "system_user"})
    assert world.iago.get("/users/" + world.othello.id).json()["email"] == ""
