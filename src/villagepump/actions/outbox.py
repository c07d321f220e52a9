"""The outbox's state changes: a worker's claim of due items, and the outcome of each attempt.

An item that carries out an admin job (test_webhook) moves its job along in the same
transaction: claimed → in_progress, delivered → success, waiting to retry → pending, out of
attempts → error; a job whose cancellation was requested stops at the next failure.
"""

import logging
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.actions.transaction import transaction
from villagepump.clock import now_ms_of
from villagepump.jobs.email import redacted
from villagepump.jobs.retry import retry_delay
from villagepump.jobs.types import EMAIL, RELAYED_EVENTS, DeliveryError
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import jobs as job_store
from villagepump.store import outbox as outbox_store

log = logging.getLogger("villagepump.jobs")


async def claim_items(rt: Runtime, kinds: list[str], limit: int, claim_token: str) -> list[Row]:
    now = now_ms_of(rt.clock)
    lease_until = now + int(rt.settings.jobs_lease_seconds * 1000)
    async with transaction(rt) as tx:
        items = await outbox_store.claim_items(tx.conn, kinds, now, lease_until, limit, claim_token)
        for item in items:
            if item["job_id"]:
                await _job_follows(tx.conn, item, ["pending"], "in_progress", now, {})
    return items


async def record_delivered(rt: Runtime, item: Row, claim_token: str) -> None:
    now = now_ms_of(rt.clock)
    async with transaction(rt) as tx:
        if item["kind"] == RELAYED_EVENTS:
            # Published, nothing is left to show or keep (and they may quote posts): gone.
            if not await outbox_store.delete_claimed(tx.conn, item["id"], claim_token):
                _log_lapsed(item)
            return
        settled: dict[str, Any] = {"status": "done", "last_error": "", "update_at": now}
        if item["kind"] == EMAIL:
            settled["payload"] = redacted(item["payload"])
        if not await outbox_store.settle_claimed(tx.conn, item["id"], claim_token, settled):
            _log_lapsed(item)
            return
        if item["job_id"]:
            data = {"delivery_id": item["id"], "attempts": str(item["attempts"])}
            await _job_follows(tx.conn, item, ["in_progress", "cancel_requested"], "success", now, data)


async def record_failed_attempt(rt: Runtime, item: Row, claim_token: str, failure: DeliveryError) -> None:
    now = now_ms_of(rt.clock)
    attempts = item["attempts"]
    error = failure.message[:1000]
    async with transaction(rt) as tx:
        job = await job_store.get_job(tx.conn, item["job_id"]) if item["job_id"] else None
        canceled = job is not None and job["status"] == "cancel_requested"
        if canceled:
            settled: dict[str, Any] = {"status": "canceled", "last_error": error, "update_at": now}
        elif failure.permanent or attempts >= rt.settings.jobs_max_attempts:
            settled = {"status": "failed", "last_error": error, "update_at": now}
        else:
            delay_ms = int(retry_delay(rt.settings, attempts, failure.retry_after) * 1000)
            settled = {
                "status": "pending",
                "available_at": now + delay_ms,
                "last_error": error,
                "update_at": now,
            }
        if not await outbox_store.settle_claimed(tx.conn, item["id"], claim_token, settled):
            _log_lapsed(item)
            return
        if settled["status"] == "failed":
            log.warning(
                "outbox item %s (%s) failed after %d attempts: %s", item["id"], item["kind"], attempts, error
            )
        if job is None:
            return
        data = {"delivery_id": item["id"], "attempts": str(attempts), "error": error}
        to_status = {"canceled": "canceled", "failed": "error", "pending": "pending"}[settled["status"]]
        await _job_follows(tx.conn, item, ["in_progress", "cancel_requested"], to_status, now, data)


async def release_claims(rt: Runtime, claim_tokens: list[str]) -> None:
    """A stopping process hands back what it did not finish, for another to take at once."""
    now = now_ms_of(rt.clock)
    async with transaction(rt) as tx:
        for item in await outbox_store.release_claims(tx.conn, claim_tokens, now):
            if item["job_id"]:
                await _job_follows(tx.conn, item, ["in_progress"], "pending", now, {})


async def _job_follows(
    conn: AsyncConnection, item: Row, from_statuses: list[str], to_status: str, now: int, data: dict[str, str]
) -> None:
    job = await job_store.get_job(conn, item["job_id"])
    if job is None or job["status"] not in from_statuses:
        return
    merged = {**job["data"], **data}
    if to_status == "success":
        merged.pop("error", None)  # an earlier attempt's error no longer describes the job
    values: dict[str, Any] = {"status": to_status, "last_activity_at": now, "data": merged}
    if to_status == "in_progress" and not job["start_at"]:
        values["start_at"] = now
    if to_status == "success":
        values["progress"] = 100
    await job_store.update_job(conn, job["id"], values)


def _log_lapsed(item: Row) -> None:
    # Another process took the item over after this claim's lease ran out; its outcome counts.
    log.warning("outbox item %s: claim lapsed before its attempt finished", item["id"])
