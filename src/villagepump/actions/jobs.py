"""Jobs: what an admin creates and cancels, recurring runs, and running a claimed job."""

import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from villagepump import errors
from villagepump.actions.sessions import publish_revoked
from villagepump.actions.transaction import Transaction, transaction
from villagepump.clock import now_ms_of
from villagepump.config import Settings
from villagepump.ids import new_id
from villagepump.jobs.types import DATA_RETENTION, EXPIRE_SESSIONS, HTTP_POST, PURGE_OUTBOX, TEST_WEBHOOK
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import jobs as job_store
from villagepump.store import outbox as outbox_store
from villagepump.store import sessions as session_store
from villagepump.store import tokens as token_store

log = logging.getLogger("villagepump.jobs")

_DAY_MS = 24 * 60 * 60 * 1000

# Runs a claimed job inside the transaction that marks it done; returns what goes in its data.
JobRunner = Callable[[Runtime, Transaction, Row], Awaitable[dict[str, str]]]
# Runs a long claimed job in steps, each committing on its own; between steps it calls the
# function it is given, which renews the claim's lease and answers False when the job must stop
# (its claim lapsed, or a cancel was requested). Returns what goes in the job's data.
StepwiseJobRunner = Callable[[Runtime, Row, Callable[[], Awaitable[bool]]], Awaitable[dict[str, str]]]


def _incorrect_type() -> errors.APIError:
    return errors.bad_request("api.job.unable_to_create_job.incorrect_job_type", "Incorrect job type.")


async def create_job(rt: Runtime, job_type: str, data: dict[str, Any]) -> Row:
    """A job of a known type, pending until a worker takes it (or its outbox item is delivered)."""
    if job_type == TEST_WEBHOOK:
        data = {"url": _webhook_url(data.get("url"))}
    elif job_type in (EXPIRE_SESSIONS, PURGE_OUTBOX, DATA_RETENTION):
        data = {}
    else:
        raise _incorrect_type()
    async with transaction(rt) as tx:
        job_id = await _insert_job(tx, job_type, data)
        if job_type == TEST_WEBHOOK:
            body = {
                "event": TEST_WEBHOOK,
                "job_id": job_id,
                "text": f"A test delivery from {rt.settings.site_name}.",
            }
            await tx.enqueue(HTTP_POST, {"url": data["url"], "body": body}, job_id=job_id)
        job = await job_store.get_job(tx.conn, job_id)
    assert job is not None
    if rt.jobs is not None:
        rt.jobs.wake()
    return job


def _webhook_url(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 2048:
        raise errors.invalid_body("data.url")
    try:
        url = httpx.URL(value)
        urlsplit(value).port  # noqa: B018 - raises for a port out of range
    except (httpx.InvalidURL, ValueError) as error:
        raise errors.invalid_body("data.url") from error
    if url.scheme not in ("http", "https") or not url.host:
        raise errors.invalid_body("data.url")
    return value


async def _insert_job(tx: Transaction, job_type: str, data: dict[str, str]) -> str:
    job_id = new_id()
    await job_store.insert_job(
        tx.conn,
        {
            "id": job_id,
            "type": job_type,
            "priority": 0,
            "create_at": now_ms_of(tx.clock),
            "start_at": 0,
            "last_activity_at": 0,
            "status": "pending",
            "progress": 0,
            "data": data,
            "claim_token": "",
            "lease_until": 0,
        },
    )
    return job_id


async def cancel_job(rt: Runtime, job_id: str) -> None:
    """A pending job is canceled at once; one in progress is asked to stop (cancel_requested)."""
    async with transaction(rt) as tx:
        now = now_ms_of(rt.clock)
        # Items before the job, in the same order as a worker's claim, so the two never deadlock.
        await outbox_store.cancel_job_items(tx.conn, job_id, now)
        if await job_store.change_status(tx.conn, job_id, ["pending"], "canceled", now):
            return
        if await job_store.change_status(tx.conn, job_id, ["in_progress"], "cancel_requested", now):
            return
    if await _job_exists(rt, job_id):
        # Mattermost answers 500 here; a finished job is the caller's mistake, not the server's.
        raise errors.bad_request(
            "jobs.request_cancellation.status.error",
            "Could not request cancellation for job that is not in a cancelable state.",
        )
    raise errors.not_found("job", "app.job.get.app_error")


async def _job_exists(rt: Runtime, job_id: str) -> bool:
    async with rt.db.read() as conn:
        return await job_store.get_job(conn, job_id) is not None


def since_daily_time(hhmm: str, now: int) -> int:
    """Milliseconds (plus one) since the latest HH:MM (UTC) at or before `now`: as a recurring
    job's interval, it makes the job due once its last run is older than that moment."""
    hours, minutes = (int(part) for part in hhmm.split(":"))
    moment = now - now % _DAY_MS + (hours * 60 + minutes) * 60_000
    if moment > now:
        moment -= _DAY_MS
    return now - moment + 1


async def schedule_recurring(
    rt: Runtime,
    intervals: dict[str, Callable[[Settings], float]],
    daily_at: dict[str, Callable[[Settings], str]] | None = None,
) -> list[str]:
    """Creates a run of each recurring job type that is due (`intervals`: every so many seconds;
    `daily_at`: once a day at a time of day); returns the types it created."""
    now = now_ms_of(rt.clock)
    interval_ms = {job_type: int(interval(rt.settings) * 1000) for job_type, interval in intervals.items()}
    for job_type, time_of_day in (daily_at or {}).items():
        interval_ms[job_type] = since_daily_time(time_of_day(rt.settings), now)
    async with rt.db.read() as conn:
        last_runs = await job_store.list_schedules(conn)
    due = [t for t, every in interval_ms.items() if last_runs.get(t, 0) <= now - every]
    if not due:
        return []
    created = []
    async with transaction(rt) as tx:
        for job_type in due:
            if await job_store.claim_schedule(tx.conn, job_type, now, interval_ms[job_type]):
                await _insert_job(tx, job_type, {})
                created.append(job_type)
    return created


async def claim_job(rt: Runtime, types: list[str], claim_token: str) -> Row | None:
    now = now_ms_of(rt.clock)
    lease_until = now + int(rt.settings.jobs_lease_seconds * 1000)
    async with transaction(rt) as tx:
        await job_store.cancel_abandoned(tx.conn, types, now)
        return await job_store.claim_job(tx.conn, types, now, lease_until, claim_token)


class _Unfinished(Exception):
    """The job's claim lapsed or a cancel was requested: its work is rolled back."""


async def run_claimed_job(rt: Runtime, job: Row, claim_token: str, runner: JobRunner) -> None:
    """Runs the job and marks it done in one transaction, so its work happens once, whoever runs it."""
    try:
        async with transaction(rt) as tx:
            data = {**job["data"], **await runner(rt, tx, job)}
            now = now_ms_of(rt.clock)
            if not await job_store.finish_claimed_job(tx.conn, job["id"], claim_token, "success", data, now):
                raise _Unfinished()
    except _Unfinished:
        async with transaction(rt) as tx:
            await job_store.change_status(
                tx.conn, job["id"], ["cancel_requested"], "canceled", now_ms_of(rt.clock)
            )
    except Exception as error:
        log.exception("job %s (%s) failed", job["id"], job["type"])
        async with transaction(rt) as tx:
            data = {**job["data"], "error": f"{type(error).__name__}: {error}"[:1000]}
            now = now_ms_of(rt.clock)
            if not await job_store.finish_claimed_job(tx.conn, job["id"], claim_token, "error", data, now):
                await job_store.change_status(tx.conn, job["id"], ["cancel_requested"], "canceled", now)


async def run_claimed_job_stepwise(
    rt: Runtime, job: Row, claim_token: str, runner: StepwiseJobRunner
) -> None:
    """Runs a long job whose steps commit as they go, then marks it done if its claim holds."""

    async def keep_claim() -> bool:
        now = now_ms_of(rt.clock)
        lease_until = now + int(rt.settings.jobs_lease_seconds * 1000)
        async with transaction(rt) as tx:
            return await job_store.renew_claim(tx.conn, job["id"], claim_token, now, lease_until)

    try:
        data = {**job["data"], **await runner(rt, job, keep_claim)}
        status = "success"
    except Exception as error:
        log.exception("job %s (%s) failed", job["id"], job["type"])
        data = {**job["data"], "error": f"{type(error).__name__}: {error}"[:1000]}
        status = "error"
    async with transaction(rt) as tx:
        now = now_ms_of(rt.clock)
        if not await job_store.finish_claimed_job(tx.conn, job["id"], claim_token, status, data, now):
            await job_store.change_status(tx.conn, job["id"], ["cancel_requested"], "canceled", now)


async def expire_sessions(rt: Runtime, tx: Transaction, job: Row) -> dict[str, str]:
    """Deletes sessions past their expiry; every process forgets them and closes their sockets."""
    removed = await session_store.delete_expired_sessions(tx.conn, now_ms_of(rt.clock))
    by_user: dict[str, list[Row]] = defaultdict(list)
    for row in removed:
        by_user[row["user_id"]].append(row)
    for user_id, rows in by_user.items():
        publish_revoked(tx, user_id, rows)
    # Mailed links past their expiry go with them: they can no longer be used.
    await token_store.delete_expired(tx.conn, now_ms_of(rt.clock))
    return {"deleted": str(len(removed))}


async def purge_outbox(rt: Runtime, tx: Transaction, job: Row) -> dict[str, str]:
    """Forgets delivered outbox items older than jobs_outbox_keep_days; failed ones stay visible."""
    before = now_ms_of(rt.clock) - int(rt.settings.jobs_outbox_keep_days * _DAY_MS)
    return {"deleted": str(await outbox_store.delete_settled_before(tx.conn, before))}
