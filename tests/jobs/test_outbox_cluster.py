"""Two server processes on one PostgreSQL database share the outbox: every side effect leaves once."""

from typing import Any

from tests.jobs.receiver import Receiver, wait_until
from tests.jobs.servers import admin_of, servers

BATCH = 3
# The receiver answers requests only in groups of twice a process's batch, all held at once:
# that happens only when both processes are delivering at the same time.
GROUP = 2 * BATCH
DELIVERIES = 6 * GROUP


def test_each_delivery_leaves_once_when_two_processes_share_the_work() -> None:
    receiver = Receiver()
    quick_but_patient = {
        "VILLAGEPUMP_JOBS_BATCH_SIZE": str(BATCH),
        "VILLAGEPUMP_JOBS_HTTP_TIMEOUT_SECONDS": "20",
        "VILLAGEPUMP_JOBS_LEASE_SECONDS": "30",
    }
    with servers("postgresql", count=2, **quick_but_patient) as (a, b):
        admins = [admin_of(a), admin_of(b)]
        url = receiver.url(f"/gather/{GROUP}")
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
    assert receiver.gather_timeouts == 0, (
        "a request waited in vain for its group: the processes were not delivering at once"
    )
    counts = receiver.counts(f"/gather/{GROUP}")
    assert set(counts) == delivery_ids
    assert [n for n in counts.values() if n != 1] == [], "a delivery left more than once"
    assert all(job["data"]["attempts"] == "1" for job in done)
