"""System admins see and steer background jobs through Mattermost's /jobs; nobody else does."""

from collections.abc import Iterator
from typing import Any

import pytest

from tests.jobs.receiver import Receiver, wait_until
from tests.spec.openapi import require_spec
from tests.spec.shapes import problems
from tests.support.client import API, World, expect_error
from tests.support.server import ServerProcess
from villagepump.ids import new_id

JOB_FIELDS = {
    "id",
    "type",
    "priority",
    "create_at",
    "start_at",
    "last_activity_at",
    "status",
    "progress",
    "data",
}


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.close()


def finished(admin: API, job_id: str, status: str = "success") -> dict[str, Any]:
    def done() -> dict[str, Any] | None:
        job: dict[str, Any] = admin.ok("GET", f"/jobs/{job_id}")
        return job if job["status"] == status else None

    job: dict[str, Any] = wait_until(done, what=f"job {job_id} to reach {status}")
    return job


def assert_job_shape(job: dict[str, Any]) -> None:
    spec = require_spec()
    assert set(job) == JOB_FIELDS
    assert problems(job, spec["components"]["schemas"]["Job"]) == []
    assert all(isinstance(value, str) for value in job["data"].values()), job["data"]


def test_members_and_anonymous_callers_are_refused(world: World, anonymous: API) -> None:
    job = world.admin.ok("POST", "/jobs", {"type": "expire_sessions"})
    calls = [
        ("GET", "/jobs", None),
        ("GET", "/jobs/type/expire_sessions", None),
        ("GET", f"/jobs/{job['id']}", None),
        ("POST", "/jobs", {"type": "expire_sessions"}),
        ("POST", f"/jobs/{job['id']}/cancel", None),
    ]
    for method, path, body in calls:
        expect_error(world.iago.request(method, path, json=body), 403, "api.context.permissions.app_error")
        expect_error(anonymous.request(method, path, json=body), 401, "api.context.session_expired.app_error")


def test_session_expiry_runs_at_start_and_when_an_admin_asks(world: World) -> None:
    admin = world.admin
    # Every server runs the recurring job when it starts, then every jobs_session_expiry_seconds.
    earlier = admin.ok("GET", "/jobs/type/expire_sessions?per_page=200")
    assert earlier and all(job["type"] == "expire_sessions" for job in earlier)
    created = admin.post("/jobs", {"type": "expire_sessions"})
    assert created.status_code == 201, created.text
    job = created.json()
    assert_job_shape(job)
    assert job["status"] in ("pending", "in_progress", "success") and job["create_at"] > 0
    done = finished(admin, job["id"])
    assert_job_shape(done)
    assert done["progress"] == 100 and done["start_at"] >= done["create_at"]
    assert int(done["data"]["deleted"]) >= 0
    newest = admin.ok("GET", "/jobs?job_type=expire_sessions&per_page=1")
    assert [j["id"] for j in newest] == [job["id"]]
    assert job["id"] in {j["id"] for j in admin.ok("GET", "/jobs?status=success&per_page=200")}
    assert all(j["status"] == "success" for j in admin.ok("GET", "/jobs?status=success"))


def test_a_test_webhook_is_delivered_once_with_its_delivery_id(world: World, receiver: Receiver) -> None:
    admin = world.admin
    job = admin.ok("POST", "/jobs", {"type": "test_webhook", "data": {"url": receiver.url("/ok")}})
    assert job["type"] == "test_webhook" and job["data"] == {"url": receiver.url("/ok")}
    done = finished(admin, job["id"])
    assert_job_shape(done)
    delivery_id = done["data"]["delivery_id"]
    assert done["data"]["attempts"] == "1"
    [delivery] = receiver.received(delivery_id)
    assert delivery.body["job_id"] == job["id"] and delivery.body["event"] == "test_webhook"


def test_bad_requests_get_mattermosts_errors(world: World) -> None:
    admin = world.admin
    expect_error(
        admin.post("/jobs", {"type": "ldap_sync"}),
        400,
        "api.job.unable_to_create_job.incorrect_job_type",
    )
    expect_error(admin.post("/jobs", {"data": {}}), 400, "api.context.invalid_param.app_error")
    expect_error(admin.post("/jobs", ["expire_sessions"]), 400, "api.context.invalid_body_param.app_error")
    for url in (
        "ftp://example.org/hook",
        "not a url",
        7,
        "http://",
        "http://[::1",
        "http://example.org:99999/",
    ):
        response = admin.post("/jobs", {"type": "test_webhook", "data": {"url": url}})
        expect_error(response, 400, "api.context.invalid_body_param.app_error")
    expect_error(admin.get("/jobs?job_type=ldap_sync"), 400, "api.context.invalid_url_param.app_error")
    expect_error(admin.get("/jobs?status=finished"), 400, "api.job.status.invalid")
    expect_error(admin.get("/jobs?page=-1"), 400, "api.context.invalid_param.app_error")
    expect_error(admin.get("/jobs/type/ldap_sync"), 400, "api.job.retrieve.nopermissions")
    expect_error(admin.get("/jobs/type/" + "x" * 33), 400, "api.context.invalid_url_param.app_error")
    expect_error(admin.get(f"/jobs/{new_id()}"), 404, "app.job.get.app_error")
    expect_error(admin.get("/jobs/nonsense"), 400, "api.context.invalid_url_param.app_error")
    expect_error(admin.post(f"/jobs/{new_id()}/cancel"), 404, "app.job.get.app_error")
    job = admin.ok("POST", "/jobs", {"type": "expire_sessions"})
    finished(admin, job["id"])
    # Mattermost answers 500 here; a job that already ended is the caller's mistake (400).
    expect_error(admin.post(f"/jobs/{job['id']}/cancel"), 400, "jobs.request_cancellation.status.error")
    assert admin.ok("GET", f"/jobs/{job['id']}")["status"] == "success"


def test_canceling_a_delivery_waiting_to_retry_stops_it(world: World, receiver: Receiver) -> None:
    admin = world.admin
    url = receiver.url("/retry-after/600")
    job = admin.ok("POST", "/jobs", {"type": "test_webhook", "data": {"url": url}})

    def waiting() -> dict[str, Any] | None:
        current: dict[str, Any] = admin.ok("GET", f"/jobs/{job['id']}")
        return current if current["data"].get("attempts") == "1" and current["status"] == "pending" else None

    pending = wait_until(waiting, what="the first attempt to fail")
    assert pending["data"]["error"] == "HTTP 503"
    assert admin.ok("POST", f"/jobs/{job['id']}/cancel") == {"status": "OK"}
    assert admin.ok("GET", f"/jobs/{job['id']}")["status"] == "canceled"
    expect_error(admin.post(f"/jobs/{job['id']}/cancel"), 400, "jobs.request_cancellation.status.error")
    assert len(receiver.received(pending["data"]["delivery_id"])) == 1


def test_canceling_a_delivery_in_flight_lets_the_attempt_finish_but_stops_retries(
    world: World, receiver: Receiver
) -> None:
    admin = world.admin
    job = admin.ok("POST", "/jobs", {"type": "test_webhook", "data": {"url": receiver.url("/hold/500")}})
    try:
        wait_until(lambda: admin.ok("GET", f"/jobs/{job['id']}")["status"] == "in_progress")
        wait_until(receiver.holding, what="the receiver to hold the delivery")
        assert admin.ok("POST", f"/jobs/{job['id']}/cancel") == {"status": "OK"}
        assert admin.ok("GET", f"/jobs/{job['id']}")["status"] == "cancel_requested"
    finally:
        receiver.release()
    canceled = finished(admin, job["id"], "canceled")
    assert canceled["data"]["error"] == "HTTP 500" and canceled["data"]["attempts"] == "1"


def test_admins_queue_and_list_jobs_from_the_shell(server: ServerProcess, world: World) -> None:
    queued = server.cli("jobs", "run", "expire_sessions")
    assert queued.returncode == 0, queued.stderr
    job_id = queued.stdout.split("job ")[1].split(";")[0]
    finished(world.admin, job_id)
    listing = server.cli("jobs", "list", "--type", "expire_sessions", "--status", "success")
    assert listing.returncode == 0, listing.stderr
    [line] = [line for line in listing.stdout.splitlines() if job_id in line]
    assert line.split()[1:3] == ["expire_sessions", "success"] and "deleted=" in line
    assert "Recurring jobs" in listing.stdout and "Outbox" in listing.stdout
    refused = server.cli("jobs", "run", "ldap_sync")
    assert refused.returncode == 1
    assert (
        refused.stderr.strip()
        == "error: Incorrect job type. [api.job.unable_to_create_job.incorrect_job_type]"
    )
