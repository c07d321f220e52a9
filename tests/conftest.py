"""Fixtures: one real server per database for the whole run, and a fresh World per test."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.client import API, World, create_user, login, unique
from tests.support.server import (
    ADMIN_PASSWORD,
    REQUIRE_SERVICES,
    ServerProcess,
    create_postgres_database,
    drop_postgres_database,
    make_server,
    postgres_available,
)


def _start(kind: str) -> Iterator[ServerProcess]:
    database_url = ""
    if kind == "postgresql":
        if not postgres_available():
            if REQUIRE_SERVICES:
                pytest.fail("PostgreSQL is required in CI but is not reachable")
            pytest.skip("PostgreSQL is not reachable")
        database_url = create_postgres_database()
    server = make_server(kind, database_url=database_url)
    created = server.cli(
        "user",
        "create",
        "--username",
        "sysadmin",
        "--email",
        "sysadmin@example.org",
        "--password",
        ADMIN_PASSWORD,
        "--system-admin",
    )
    assert created.returncode == 0, created.stderr
    server.start()
    try:
        yield server
    finally:
        server.stop()
        if database_url:
            drop_postgres_database(database_url)
    # A 500 anywhere in the run fails it, even where a test did not look at the status.
    failures = [line for line in server.log().splitlines() if "unexpected error" in line]
    assert not failures, "the server answered 500:\n" + "\n".join(failures[:20])


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    """The server under test; every test that uses it runs once per database."""
    yield from _start(request.param)


@pytest.fixture(scope="session")
def admin(server: ServerProcess) -> API:
    return login(server.url, "sysadmin", ADMIN_PASSWORD)


@pytest.fixture
def anonymous(server: ServerProcess) -> API:
    return API(server.url)


@pytest.fixture
def world(server: ServerProcess, admin: API) -> World:
    team = admin.ok("POST", "/teams", {"name": unique("denmark-"), "display_name": "Denmark", "type": "O"})
    users: dict[str, API] = {
        name: create_user(admin, name) for name in ("hamlet", "othello", "iago", "cordelia")
    }
    for name in ("hamlet", "othello", "iago"):
        admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": users[name].id})
    admin.ok(
        "PUT",
        f"/teams/{team['id']}/members/{users['iago'].id}/schemeRoles",
        {"scheme_admin": True, "scheme_user": True},
    )
    channels: dict[str, Any] = {
        name: admin.ok("GET", f"/teams/{team['id']}/channels/name/{name}")
        for name in ("town-square", "off-topic")
    }
    return World(
        admin=admin, team=team, town_square=channels["town-square"], off_topic=channels["off-topic"], **users
    )
