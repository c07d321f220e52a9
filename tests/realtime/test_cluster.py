"""Two server processes on one PostgreSQL database and one Redis: events cross between them."""

import time
from collections.abc import Iterator
from typing import Any

import pytest
from tests.realtime.sockets import event_named, open_socket, receive, send_action, wait_for
from tests.support.client import API, create_user, login, unique
from tests.support.server import ADMIN_PASSWORD, ServerProcess, running_servers

from villagepump.actions.status import OFFLINE_GRACE_SECONDS


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[ServerProcess, ServerProcess]]:
    with running_servers("postgresql", 2, redis=True, manual_clock=True) as (a, b):
        yield a, b


def test_an_event_caused_on_one_process_reaches_a_socket_on_the_other(
    cluster: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = cluster
    admin = login(a.url, "sysadmin", ADMIN_PASSWORD)
    team = admin.ok("POST", "/teams", {"name": unique("elsinore-"), "display_name": "Elsinore", "type": "O"})
    hamlet_on_a, othello_on_a = create_user(admin, "hamlet"), create_user(admin, "othello")
    for user in (hamlet_on_a, othello_on_a):
        admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": user.id})
    town_square = admin.ok("GET", f"/teams/{team['id']}/channels/name/town-square")
    othello_on_b = API(b.url, othello_on_a.token, othello_on_a.user)

    listener = open_socket(othello_on_b)
    hello = receive(listener)
    assert hello["event"] == "hello" and hello["seq"] == 0
    for n in range(5):
        hamlet_on_a.ok("POST", "/posts", {"channel_id": town_square["id"], "message": f"message {n}"})
    posts: list[dict[str, Any]] = []
    expected_seq = None
    while len(posts) < 5:
        message, _ = wait_for(listener, lambda m: "seq" in m)
        if expected_seq is not None:
            assert message["seq"] == expected_seq
        expected_seq = message["seq"] + 1
        if message["event"] == "posted":
            posts.append(message)
    assert [p["broadcast"]["channel_id"] for p in posts] == [town_square["id"]] * 5
    assert [f'"message {n}"' in p["data"]["post"] for n, p in enumerate(posts)] == [True] * 5

    # Typing on B reaches a listener on A, and a membership change made on A routes on B.
    listener_on_a = open_socket(hamlet_on_a)
    wait_for(listener_on_a, event_named("hello"))
    typist_on_b = open_socket(othello_on_b)
    wait_for(typist_on_b, event_named("hello"))
    send_action(typist_on_b, 2, "user_typing", {"channel_id": town_square["id"], "parent_id": ""})
    wait_for(listener_on_a, event_named("typing", user_id=othello_on_a.id))
    for ws in (listener, listener_on_a, typist_on_b):
        ws.close()


def test_a_user_connected_to_two_processes_stays_online_when_one_socket_closes(
    cluster: tuple[ServerProcess, ServerProcess],
) -> None:
    a, b = cluster
    admin = login(a.url, "sysadmin", ADMIN_PASSWORD)
    iago_on_a = create_user(admin, "iago")
    iago_on_b = API(b.url, iago_on_a.token, iago_on_a.user)
    socket_on_a, socket_on_b = open_socket(iago_on_a), open_socket(iago_on_b)
    for ws in (socket_on_a, socket_on_b):
        wait_for(ws, event_named("hello"))
    assert iago_on_a.ok("GET", f"/users/{iago_on_a.id}/status")["status"] == "online"
    socket_on_a.close()
    # Past the grace after which a process marks a user without sockets (there) offline.
    a.advance(OFFLINE_GRACE_SECONDS * 2, step=1)
    assert iago_on_a.ok("GET", f"/users/{iago_on_a.id}/status")["status"] == "online"
    socket_on_b.close()
    deadline = time.monotonic() + 15
    while iago_on_a.ok("GET", f"/users/{iago_on_a.id}/status")["status"] != "offline":
        assert time.monotonic() < deadline, "the user never went offline after the last socket closed"
        b.advance(1)
