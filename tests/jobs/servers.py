"""Servers for the outbox stories: quick polls, short leases and backoff, a system admin."""

from collections.abc import Iterator
from contextlib import contextmanager

from tests.support.client import API, login
from tests.support.server import ADMIN_PASSWORD, ServerProcess, running_servers

# Short enough that a test sees retries and lapsed claims within seconds.
QUICK_JOBS = {
    "VILLAGEPUMP_JOBS_POLL_SECONDS": "0.1",
    "VILLAGEPUMP_JOBS_LEASE_SECONDS": "2",
    "VILLAGEPUMP_JOBS_HTTP_TIMEOUT_SECONDS": "1.5",
    "VILLAGEPUMP_JOBS_RETRY_BASE_SECONDS": "0.2",
    "VILLAGEPUMP_JOBS_MAX_ATTEMPTS": "3",
}


@contextmanager
def servers(
    kind: str, count: int = 1, manual_clock: bool = False, **env: str
) -> Iterator[list[ServerProcess]]:
    """`count` processes sharing one fresh database, started, with the sysadmin account."""
    with running_servers(kind, count, manual_clock=manual_clock, env={**QUICK_JOBS, **env}) as started:
        yield started


def admin_of(server: ServerProcess) -> API:
    return login(server.url, "sysadmin", ADMIN_PASSWORD)
