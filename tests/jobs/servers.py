"""Servers for the outbox stories: quick polls, short leases and backoff, a system admin."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from tests.support.client import API, login
from tests.support.server import (
    ADMIN_PASSWORD,
    REQUIRE_SERVICES,
    ServerProcess,
    create_postgres_database,
    drop_postgres_database,
    make_server,
    postgres_available,
)

# Short enough that a test sees retries and lapsed claims within seconds.
QUICK_JOBS = {
    "VILLAGEPUMP_JOBS_POLL_SECONDS": "0.1",
    "VILLAGEPUMP_JOBS_LEASE_SECONDS": "2",
    "VILLAGEPUMP_JOBS_HTTP_TIMEOUT_SECONDS": "1.5",
    "VILLAGEPUMP_JOBS_RETRY_BASE_SECONDS": "0.2",
    "VILLAGEPUMP_JOBS_MAX_ATTEMPTS": "3",
}


def database_for(kind: str) -> str:
    if kind == "sqlite":
        return ""
    if not postgres_available():
        if REQUIRE_SERVICES:
            pytest.fail("PostgreSQL is required in CI but is not reachable")
        pytest.skip("PostgreSQL is not reachable")
    return create_postgres_database()


@contextmanager
def servers(
    kind: str, count: int = 1, manual_clock: bool = False, **env: str
) -> Iterator[list[ServerProcess]]:
    """`count` processes sharing one database (fresh), started, with the sysadmin account."""
    database_url = database_for(kind)
    started = [make_server(kind, database_url=database_url, manual_clock=manual_clock) for _ in range(count)]
    for server in started[1:]:
        server.data_dir = started[0].data_dir
        server.env["VILLAGEPUMP_DATA_DIR"] = str(started[0].data_dir)
    for server in started:
        server.env.update(QUICK_JOBS, **env)
    created = started[0].cli(
        "user", "create", "--username", "sysadmin", "--email", "sysadmin@example.org",
        "--password", ADMIN_PASSWORD, "--system-admin",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    try:
        for server in started:
            server.start()
        yield started
    finally:
        for server in started:
            server.stop()
        if database_url:
            drop_postgres_database(database_url)
    failures = [line for s in started for line in s.log().splitlines() if "unexpected error" in line]
    assert not failures, "a server answered 500:\n" + "\n".join(failures[:20])


def admin_of(server: ServerProcess) -> API:
    return login(server.url, "sysadmin", ADMIN_PASSWORD)
