"""A server killed (SIGKILL) in the middle of a batch loses nothing: after a restart every
delivery arrives, and only the ones in flight at the kill arrive twice, with the same delivery id."""

from typing import Any

import pytest

from tests.jobs.receiver import Receiver, wait_until
from tests.jobs.servers import admin_of, servers
from tests.support.client import API

DELIVERIES = 8
ANSWERED_BEFORE_THE_KILL = 3
BATCH = 4


def jobs_by_id(admin: API, ids: set[str]) -> dict[str, dict[str, Any]]:
    listed = admin.ok("GET", "/jobs?job_type=test_webhook&per_page=200")
    return {job["id"]: job for job in listed if job["id"] in ids}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_killed_server_delivers_everything_after_restart(kind: str) -> None:
    receiver = Receiver()
    url = receiver.url(f"/hold-after/{ANSWERED_BEFORE_THE_KILL}")
    with servers(kind, VILLAGEPUMP_JOBS_BATCH_SIZE=str(BATCH)) as (server,):
        admin = admin_of(server)
        ids = {
            admin.ok("POST", "/jobs", {"type": "test_webhook", "data": {"url": url}})["id"]
            for _ in range(DELIVERIES)
        }

        # The first three are answered and recorded; the next batch is held by the receiver.
        def answered_and_held() -> bool:
            jobs = jobs_by_id(admin, ids).values()
            done = [job for job in jobs if job["status"] == "success"]
            return len(done) == ANSWERED_BEFORE_THE_KILL and len(receiver.holding()) == BATCH

        wait_until(answered_and_held, what="three deliveries done and a batch in flight")
        in_flight = receiver.holding()
        assert server.process is not None
        server.process.kill()
        server.process.wait()
        receiver.release()

        server.start()
        admin = admin_of(server)

        def all_done() -> dict[str, dict[str, Any]] | None:
            jobs = jobs_by_id(admin, ids)
            return jobs if all(job["status"] == "success" for job in jobs.values()) else None

        done = wait_until(all_done, what="every delivery after the restart")
    receiver.close()

    delivery_ids = {job["data"]["delivery_id"] for job in done.values()}
    counts = receiver.counts(f"/hold-after/{ANSWERED_BEFORE_THE_KILL}")
    assert len(delivery_ids) == DELIVERIES and set(counts) == delivery_ids, "a delivery was lost"
    repeated = {delivery_id for delivery_id, n in counts.items() if n > 1}
    # A request the receiver held when the process died may have been acted on: it comes again,
    # once, under the same delivery id, so the receiver can tell it is a repeat.
    assert repeated == in_flight
    assert all(counts[delivery_id] == 2 for delivery_id in repeated)
    attempts = {job["data"]["delivery_id"]: job["data"]["attempts"] for job in done.values()}
    assert {d: a for d, a in attempts.items() if a != "1"} == dict.fromkeys(in_flight, "2")


def test_a_stopped_server_hands_back_the_delivery_it_could_not_finish() -> None:
    receiver = Receiver()
    # The receiver holds the request for longer than the server waits when it stops (5 s).
    patient = {"VILLAGEPUMP_JOBS_HTTP_TIMEOUT_SECONDS": "30", "VILLAGEPUMP_JOBS_LEASE_SECONDS": "60"}
    with servers("sqlite", **patient) as (server,):
        admin = admin_of(server)
        job = admin.ok("POST", "/jobs", {"type": "test_webhook", "data": {"url": receiver.url("/hold/200")}})
        wait_until(receiver.holding, what="the receiver to hold the delivery")
        # SIGTERM: the server waits for the delivery up to its HTTP timeout, then hands it back.
        server.stop()
        listing = server.cli("jobs", "list", "--type", "test_webhook")
        assert listing.returncode == 0, listing.stderr
        [job_line] = [line for line in listing.stdout.splitlines() if job["id"] in line]
        assert " pending " in job_line
        outbox = listing.stdout.split("\nOutbox")[1]
        assert [line.split() for line in outbox.splitlines()[3:]] == [["http_post", "pending", "1"]]
        receiver.release()
        server.start()
        admin = admin_of(server)
        # Handed back, it goes at once after the restart (within wait_until's 20 s), not after
        # the 60 s lease.
        wait_until(lambda: admin.ok("GET", f"/jobs/{job['id']}")["status"] == "success", what="the delivery")
        delivered = admin.ok("GET", f"/jobs/{job['id']}")
    receiver.close()
    assert delivered["data"]["attempts"] == "2"
    assert len(receiver.received(delivered["data"]["delivery_id"])) == 2
