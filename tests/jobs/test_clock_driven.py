"""The jobs service keeps the runtime's time: with a manual clock, a month passes in a moment.

These run the server's runtime in the test process (no HTTP server), so the test can own its
clock; the deliveries still go over real HTTP to a receiver in the test process.
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.jobs.receiver import Receiver
from tests.support.server import database_for, drop_postgres_database
from villagepump.actions import jobs as job_actions
from villagepump.actions import sessions as session_actions
from villagepump.actions import users as user_actions
from villagepump.app import make_runtime, start_runtime, stop_runtime
from villagepump.clock import ManualClock
from villagepump.config import Settings
from villagepump.jobs.types import TEST_WEBHOOK
from villagepump.runtime import Runtime
from villagepump.store import jobs as job_store
from villagepump.store import outbox as outbox_store
from villagepump.store import sessions as session_store

DAY = 24 * 60 * 60.0
POLL_SECONDS = 1.0  # the default jobs_poll_seconds


@asynccontextmanager
async def running(
    database_url: str, data_dir: Path, **settings: Any
) -> AsyncIterator[tuple[Runtime, ManualClock]]:
    rt = make_runtime(
        Settings(
            data_dir=data_dir,
            database_url=database_url,
            argon2_time_cost=1,
            argon2_memory_kib=1024,
            **settings,
        )
    )
    clock = ManualClock()
    rt.clock = clock
    await start_runtime(rt)
    try:
        yield rt, clock
    finally:
        await stop_runtime(rt)


async def eventually(check: Callable[[], Awaitable[Any]], clock: ManualClock, what: str) -> Any:
    """Waits (in real time, for queries and HTTP) until `check` passes, moving the clock on by
    a poll interval each time round, as time would: a worker that was busy when the test moved
    the clock finds its next poll due instead of sleeping forever."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 20
    while not (value := await check()):
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.02)
        await clock.advance(POLL_SECONDS)
    return value


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_expired_sessions_are_deleted_on_schedule(kind: str, tmp_path: Path) -> None:
    async def story() -> None:
        async with running(database_url, tmp_path, session_days=30, jobs_session_expiry_seconds=3600) as (
            rt,
            clock,
        ):
            await user_actions.create_user(
                rt, username="yorick", email="yorick@example.org", password="alas-poor-1"
            )
            login = await session_actions.login(
                rt, "yorick", "alas-poor-1", device_id="", address="127.0.0.1"
            )

            async def session() -> Any:
                async with rt.db.read() as conn:
                    return await session_store.get_session(conn, login.session_id)

            async def runs() -> list[Any]:
                async with rt.db.read() as conn:
                    jobs = await job_store.list_jobs(conn, ["expire_sessions"], "success", 0, 100)
                return jobs

            # One run at start, then one an hour later that leaves the live session alone.
            await eventually(lambda: _count_is(runs, 1), clock, "the run at start")
            await clock.advance(3600)
            newest = (await eventually(lambda: _count_is(runs, 2), clock, "the hourly run"))[0]
            assert newest["data"] == {"deleted": "0"} and await session() is not None
            # Thirty days on, the session has expired; the next run deletes it.
            await clock.advance(30 * DAY)
            newest = (await eventually(lambda: _count_is(runs, 3), clock, "the run after expiry"))[0]
            assert newest["data"] == {"deleted": "1"} and await session() is None

    database_url = database_for(kind)
    try:
        asyncio.run(story())
    finally:
        if database_url:
            drop_postgres_database(database_url)


async def _count_is(runs: Callable[[], Awaitable[list[Any]]], count: int) -> list[Any] | None:
    found = await runs()
    return found if len(found) == count else None


def test_retries_wait_for_the_backoff_on_the_runtime_clock(tmp_path: Path) -> None:
    receiver = Receiver()

    async def story() -> None:
        async with running(
            "", tmp_path, jobs_retry_base_seconds=10, jobs_retry_max_seconds=15, jobs_max_attempts=4
        ) as (rt, clock):
            job = await job_actions.create_job(rt, TEST_WEBHOOK, {"url": receiver.url("/fail/3")})

            async def item() -> Any:
                async with rt.db.read() as conn:
                    [row] = await outbox_store.list_items(
                        conn, ["pending", "in_progress", "done", "failed"], 10
                    )
                return row

            async def waiting_after(attempts: int) -> Any:
                row = await item()
                return row if row["attempts"] == attempts and row["status"] == "pending" else None

            # 10 s after the first failure, 15 s (the cap, not 20 s) after the second and third.
            for attempts, wait in [(1, 10.0), (2, 15.0), (3, 15.0)]:
                row = await eventually(lambda a=attempts: waiting_after(a), clock, f"failure {attempts}")
                assert row["available_at"] - row["update_at"] == int(wait * 1000)
                await clock.advance(row["available_at"] / 1000 - clock.time() - POLL_SECONDS)
                assert (await item())["attempts"] == attempts, "retried before its backoff ended"
            row = await eventually(lambda: _status_is(item, "done"), clock, "the fourth attempt")
            assert row["attempts"] == 4 and len(receiver.received(row["id"])) == 4
            async with rt.db.read() as conn:
                finished = await job_store.get_job(conn, job["id"])
            assert finished is not None and finished["status"] == "success"

    try:
        asyncio.run(story())
    finally:
        receiver.close()


async def _status_is(item: Callable[[], Awaitable[Any]], status: str) -> Any:
    row = await item()
    return row if row["status"] == status else None
