"""A server on a manual clock, for the tests of what happens after a while."""

from collections.abc import Iterator

import pytest
from tests.support.client import API, login
from tests.support.server import ADMIN_PASSWORD, ServerProcess, serve_with_admin


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def clocked_server(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    """Started with `serve --manual-clock`: its time stands still until a test calls `advance`.
    Tests share it, so each makes its own users and assumes nothing about the time."""
    yield from serve_with_admin(request.param, manual_clock=True)


@pytest.fixture(scope="session")
def clocked_admin(clocked_server: ServerProcess) -> API:
    return login(clocked_server.url, "sysadmin", ADMIN_PASSWORD)
