"""Fixtures for the integration tests: a server of their own (short timeouts, a small answer
limit) so that opening loopback to it touches no other test, and a receiver on loopback."""

from collections.abc import Iterator

import pytest

from tests.api.test_link_previews import configure
from tests.integrations.receiver import Receiver
from tests.support.client import API, login
from tests.support.server import ADMIN_PASSWORD, ServerProcess, running_servers

__all__ = ["configure"]

TIMEOUT_SECONDS = 2
MAX_ANSWER_BYTES = 65536


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    env = {
        "VILLAGEPUMP_INTEGRATION_REQUEST_TIMEOUT_SECONDS": str(TIMEOUT_SECONDS),
        "VILLAGEPUMP_INTEGRATION_RESPONSE_MAX_BYTES": str(MAX_ANSWER_BYTES),
    }
    with running_servers(request.param, env=env) as (started,):
        yield started


@pytest.fixture(scope="module")
def admin(server: ServerProcess) -> API:
    return login(server.url, "sysadmin", ADMIN_PASSWORD)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    started = Receiver()
    yield started
    started.close()


@pytest.fixture
def allow_loopback(admin: API) -> Iterator[None]:
    configure(admin, ServiceSettings__AllowedUntrustedInternalConnections="127.0.0.1")
    yield
    configure(admin, ServiceSettings__AllowedUntrustedInternalConnections="")
