"""What `villagepump jobs list` prints: recent jobs, the recurring schedule, the outbox."""

from datetime import UTC, datetime

from villagepump.jobs.registry import RECURRING
from villagepump.runtime import Runtime
from villagepump.store import jobs as job_store
from villagepump.store import outbox as outbox_store


async def print_jobs(rt: Runtime, job_type: str, status: str, limit: int) -> None:
    async with rt.db.read() as conn:
        jobs = await job_store.list_jobs(conn, [job_type] if job_type else None, status, 0, limit)
        schedules = await job_store.list_schedules(conn)
        counts = await outbox_store.count_by_kind_and_status(conn)
        failed = await outbox_store.list_items(conn, ["failed"], limit)
    print("Jobs (newest first)")
    _table(
        ["id", "type", "status", "created", "started", "last activity", "data"],
        [
            [
                job["id"],
                job["type"],
                job["status"],
                _when(job["create_at"]),
                _when(job["start_at"]),
                _when(job["last_activity_at"]),
                " ".join(f"{key}={value}" for key, value in sorted(job["data"].items())),
            ]
            for job in jobs
        ],
    )
    print("\nRecurring jobs")
    _table(
        ["type", "every", "last run"],
        [
            [name, f"{interval(rt.settings):g}s", _when(schedules.get(name, 0))]
            for name, interval in sorted(RECURRING.items())
        ],
    )
    print("\nOutbox")
    _table(["kind", "status", "items"], [[row["kind"], row["status"], str(row["count"])] for row in counts])
    if failed:
        print("\nFailed deliveries (newest first)")
        _table(
            ["delivery id", "kind", "attempts", "last attempt", "last error"],
            [
                [
                    item["id"],
                    item["kind"],
                    str(item["attempts"]),
                    _when(item["update_at"]),
                    item["last_error"],
                ]
                for item in failed
            ],
        )


def _when(ms: int) -> str:
    if not ms:
        return "-"
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M:%S")


def _table(headers: list[str], rows: list[list[str]]) -> None:
    if not rows:
        print("  (none)")
        return
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    for line in [headers, ["-" * width for width in widths], *rows]:
        print(
            "  "
            + "  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        )
