"""A receiver that fails gets the delivery again, later each time, until it succeeds or the
attempts run out; then the failure is there for an admin to see."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.jobs.receiver import Receiver, wait_until
from tests.jobs.servers import admin_of, servers
from tests.support.client import API
from tests.support.server import ServerProcess

RETRY_BASE_SECONDS = 0.2  # tests.jobs.servers.QUICK_JOBS
MAX_ATTEMPTS = 3


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    with servers(request.param) as (server,):
        yield server


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.close()


def test_webhook(admin: API, url: str, status: str) -> dict[str, Any]:
    job = admin.ok("POST", "/jobs", {"type": "test_webhook", "data": {"url": url}})

    def ended() -> dict[str, Any] | None:
        current: dict[str, Any] = admin.ok("GET", f"/jobs/{job['id']}")
        return current if current["status"] in ("success", "error") else None

    ended_job: dict[str, Any] = wait_until(ended, what="the delivery to end")
    assert ended_job["status"] == status, ended_job
    return ended_job


test_webhook.__test__ = False  # type: ignore[attr-defined]


def test_a_failing_receiver_is_retried_with_growing_delays_until_it_succeeds(
    server: ServerProcess, receiver: Receiver
) -> None:
    job = test_webhook(admin_of(server), receiver.url("/fail/2"), "success")
    assert job["data"]["attempts"] == "3" and "error" not in job["data"]
    arrivals = [d.arrived for d in receiver.received(job["data"]["delivery_id"])]
    assert len(arrivals) == 3
    # Each wait is at least the backoff (0.2 s, then 0.4 s); the server never retries early.
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)]
    assert gaps[0] >= RETRY_BASE_SECONDS - 0.01 and gaps[1] >= 2 * RETRY_BASE_SECONDS - 0.01, gaps


def test_a_receiver_that_keeps_failing_ends_as_failed_after_the_last_attempt(
    server: ServerProcess, receiver: Receiver
) -> None:
    job = test_webhook(admin_of(server), receiver.url("/fail/99"), "error")
    delivery_id = job["data"]["delivery_id"]
    assert job["data"]["attempts"] == str(MAX_ATTEMPTS) and job["data"]["error"] == "HTTP 500"
    assert len(receiver.received(delivery_id)) == MAX_ATTEMPTS
    listing = server.cli("jobs", "list", "--type", "test_webhook")
    assert listing.returncode == 0, listing.stderr
    failed_section = listing.stdout.split("Failed deliveries")[1]
    [line] = [line for line in failed_section.splitlines() if delivery_id in line]
    assert "http_post" in line and "HTTP 500" in line and f" {MAX_ATTEMPTS} " in line


def test_a_refusal_that_cannot_change_is_not_retried(server: ServerProcess, receiver: Receiver) -> None:
    job = test_webhook(admin_of(server), receiver.url("/status/404"), "error")
    assert job["data"]["attempts"] == "1" and job["data"]["error"] == "HTTP 404"
    assert len(receiver.received(job["data"]["delivery_id"])) == 1


def test_an_unreachable_receiver_is_retried_then_failed(server: ServerProcess) -> None:
    closed = Receiver()
    url = closed.url("/ok")
    closed.close()
    job = test_webhook(admin_of(server), url, "error")
    assert job["data"]["attempts"] == str(MAX_ATTEMPTS) and "ConnectError" in job["data"]["error"]
