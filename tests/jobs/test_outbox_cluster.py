"""Two server processes on one PostgreSQL database share the outbox: every side effect leaves once."""

from typing import Any

from tests.jobs.receiver import Receiver, wait_until
from tests.jobs.servers import admin_of, servers

DELIVERIES = 40


def test_each_delivery_leaves_once_when_two_processes_share_the_work() -> None:
    receiver = Receiver()
    # Small batches and a receiver that takes a moment keep both processes claiming at once.
    with servers("postgresql", count=2, VILLAGEPUMP_JOBS_BATCH_SIZE="3") as (a, b):
        admins = [admin_of(a), admin_of(b)]
        url = receiver.url("/slow")
        jobs = [
            admins[n % 2].ok("POST", "/jobs", {"type": "test_webhook", "data": {"url": url}})
            for n in range(DELIVERIES)
        ]

        ids = {job["id"] for job in jobs}

        def all_done() -> list[dict[str, Any]] | None:
            listed = admins[0].ok("GET", "/jobs?job_type=test_webhook&per_page=200")
            current = [job for job in listed if job["id"] in ids]
            return (
                current
                if len(current) == DELIVERIES and all(j["status"] == "success" for j in current)
                else None
            )

        done = wait_until(all_done, timeout=60, what="every delivery")
    receiver.close()
    delivery_ids = {job["data"]["delivery_id"] for job in done}
    assert len(delivery_ids) == DELIVERIES
    counts = receiver.counts("/slow")
    assert set(counts) == delivery_ids
    assert [n for n in counts.values() if n != 1] == [], "a delivery left more than once"
    assert all(job["data"]["attempts"] == "1" for job in done)
