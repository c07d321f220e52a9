"""Jobs (Mattermost's /jobs records), their claims by worker processes, and recurring schedules."""

from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import job_schedules, jobs


async def insert_job(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(jobs).values(**values))


async def get_job(conn: AsyncConnection, job_id: str) -> Row | None:
    return (await conn.execute(select(jobs).where(jobs.c.id == job_id))).mappings().first()


async def list_jobs(
    conn: AsyncConnection, types: list[str] | None, status: str, offset: int, limit: int
) -> list[Row]:
    """Newest first, as Mattermost lists them."""
    query = select(jobs)
    if types is not None:
        query = query.where(jobs.c.type.in_(types))
    if status:
        query = query.where(jobs.c.status == status)
    query = query.order_by(jobs.c.create_at.desc(), jobs.c.id.desc()).offset(offset).limit(limit)
    return list((await conn.execute(query)).mappings())


async def claim_job(
    conn: AsyncConnection, types: list[str], now: int, lease_until: int, claim_token: str
) -> Row | None:
    """Takes the oldest pending job of these types, or one whose claim lapsed (its process died).

    On PostgreSQL, SKIP LOCKED lets another process claim the next job instead of waiting for
    this transaction; SQLite has one writer at a time, so the question does not arise there.
    """
    claimable = or_(
        jobs.c.status == "pending",
        and_(jobs.c.status == "in_progress", jobs.c.lease_until <= now),
    )
    query = (
        select(jobs.c.id)
        .where(jobs.c.type.in_(types), claimable)
        .order_by(jobs.c.create_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    job_id = await conn.scalar(query)
    if job_id is None:
        return None
    await conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id)
        .values(
            status="in_progress",
            start_at=func.coalesce(func.nullif(jobs.c.start_at, 0), now),
            last_activity_at=now,
            claim_token=claim_token,
            lease_until=lease_until,
        )
    )
    return await get_job(conn, job_id)


async def renew_claim(
    conn: AsyncConnection, job_id: str, claim_token: str, now: int, lease_until: int
) -> bool:
    """Extends a long job's lease between its steps; False if the claim lapsed or a cancel was
    requested, and the job should stop."""
    result = await conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.claim_token == claim_token, jobs.c.status == "in_progress")
        .values(last_activity_at=now, lease_until=lease_until)
    )
    return bool(result.rowcount)


async def finish_claimed_job(
    conn: AsyncConnection, job_id: str, claim_token: str, status: str, data: dict[str, str], now: int
) -> bool:
    """Ends a job this claim still holds; False if the claim lapsed or a cancel was requested."""
    result = await conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.claim_token == claim_token, jobs.c.status == "in_progress")
        .values(status=status, data=data, last_activity_at=now, progress=100 if status == "success" else 0)
    )
    return bool(result.rowcount)


async def change_status(
    conn: AsyncConnection, job_id: str, from_statuses: list[str], to_status: str, now: int
) -> bool:
    """Moves a job from one of `from_statuses` to `to_status`; False if it was in none of them."""
    result = await conn.execute(
        update(jobs)
        .where(jobs.c.id == job_id, jobs.c.status.in_(from_statuses))
        .values(status=to_status, last_activity_at=now)
    )
    return bool(result.rowcount)


async def update_job(conn: AsyncConnection, job_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(jobs).where(jobs.c.id == job_id).values(**values))


async def claim_schedule(conn: AsyncConnection, job_type: str, now: int, interval_ms: int) -> bool:
    """True for the one caller that finds the recurring job due and records this run.

    The update's condition is checked again after a concurrent update commits (PostgreSQL
    re-reads the row), so two processes never both see the same run as due.
    """
    add = upsert_insert(conn, job_schedules).values(type=job_type, last_run_at=0)
    await conn.execute(add.on_conflict_do_nothing(index_elements=["type"]))
    result = await conn.execute(
        update(job_schedules)
        .where(job_schedules.c.type == job_type, job_schedules.c.last_run_at <= now - interval_ms)
        .values(last_run_at=now)
    )
    return bool(result.rowcount)


async def list_schedules(conn: AsyncConnection) -> dict[str, int]:
    rows = await conn.execute(select(job_schedules.c.type, job_schedules.c.last_run_at))
    return {job_type: last_run_at for job_type, last_run_at in rows}


async def cancel_abandoned(conn: AsyncConnection, types: list[str], now: int) -> None:
    """A job of these types asked to stop, whose process died before stopping it, is canceled."""
    await conn.execute(
        update(jobs)
        .where(jobs.c.type.in_(types), jobs.c.status == "cancel_requested", jobs.c.lease_until <= now)
        .values(status="canceled", last_activity_at=now)
    )


async def has_claimable_job(conn: AsyncConnection, types: list[str], now: int) -> bool:
    claimable = or_(
        jobs.c.status == "pending",
        and_(jobs.c.status.in_(("in_progress", "cancel_requested")), jobs.c.lease_until <= now),
    )
    query = select(jobs.c.id).where(jobs.c.type.in_(types), claimable).limit(1)
    return await conn.scalar(query) is not None
