"""Outbox benchmark: N test_webhook jobs created one after another by a system admin, each an
HTTP POST delivered through the outbox to a receiver in this process. Reports deliveries/s and
the latency from sending POST /jobs to the receiver seeing the delivery.

    .venv/bin/python bench/outbox.py --db sqlite --deliveries 500
    .venv/bin/python bench/outbox.py --db postgresql --deliveries 500 --processes 2

With --processes 2 (PostgreSQL only), two server processes share the database and the jobs are
created on each in turn; the receiver also counts any delivery that arrives twice.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.jobs.receiver import Receiver, wait_until  # noqa: E402
from tests.support.client import login  # noqa: E402
from tests.support.server import (  # noqa: E402
    ADMIN_PASSWORD,
    create_postgres_database,
    drop_postgres_database,
    make_server,
)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--deliveries", type=int, default=500)
    parser.add_argument("--processes", type=int, default=1)
    args = parser.parse_args()
    database_url = create_postgres_database() if args.db == "postgresql" else ""
    servers = [make_server(args.db, database_url=database_url) for _ in range(args.processes)]
    for server in servers[1:]:
        server.env["VILLAGEPUMP_DATA_DIR"] = str(servers[0].data_dir)
    servers[0].cli(
        "user", "create", "--username", "sysadmin", "--email", "sysadmin@example.org",
        "--password", ADMIN_PASSWORD, "--system-admin",
    )  # fmt: skip
    receiver = Receiver()
    try:
        for server in servers:
            server.start()
        admins = [login(server.url, "sysadmin", ADMIN_PASSWORD) for server in servers]
        created: dict[str, float] = {}
        started = time.monotonic()
        for n in range(args.deliveries):
            sent = time.monotonic()
            job = admins[n % len(admins)].ok(
                "POST", "/jobs", {"type": "test_webhook", "data": {"url": receiver.url("/ok")}}
            )
            created[job["id"]] = sent
        wait_until(lambda: len(receiver.counts("/ok")) >= args.deliveries, timeout=600, what="deliveries")
        elapsed = time.monotonic() - started
        arrivals = {d.body["job_id"]: d.arrived for d in reversed(receiver.deliveries)}
        latencies = sorted((arrivals[job_id] - at) * 1000 for job_id, at in created.items())
        repeats = sum(n - 1 for n in receiver.counts("/ok").values())
        p99 = latencies[int(len(latencies) * 0.99) - 1]
        print(
            f"db={args.db} processes={args.processes} deliveries={args.deliveries} "
            f"per_s={args.deliveries / elapsed:.0f} p50_ms={statistics.median(latencies):.1f} "
            f"p99_ms={p99:.1f} max_ms={latencies[-1]:.1f} repeats={repeats}"
        )
    finally:
        receiver.close()
        for server in servers:
            server.stop()
        if database_url:
            drop_postgres_database(database_url)


if __name__ == "__main__":
    main()
