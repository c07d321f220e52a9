"""Fixtures: one real server per database for the whole run, and a fresh World per test."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.client import API, World, create_user, login, unique
from tests.support.s3 import S3Server, running_s3
from tests.support.server import ADMIN_PASSWORD, ServerProcess, serve_with_admin


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    """The server under test; every test that uses it runs once per database."""
    yield from serve_with_admin(request.param)


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


@pytest.fixture(scope="session")
def s3() -> Iterator[S3Server]:
    """A running S3-compatible server (SeaweedFS) for the amazons3 driver; each user makes its
    own bucket with `s3.new_bucket()`."""
    with running_s3() as server:
        yield server
