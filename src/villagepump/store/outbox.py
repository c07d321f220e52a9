"""The outbox: side effects that must leave the server, written in the transaction that causes
them and claimed by worker processes one batch at a time."""

from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import outbox

# Statuses an item can be claimed in: pending once available, in_progress once its lease lapsed.
_CLAIMABLE = ("pending", "in_progress")


async def insert_item(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(outbox).values(**values))


async def insert_item_once(conn: AsyncConnection, values: dict[str, Any]) -> None:
    """Inserts the item unless one with its id exists already."""
    await conn.execute(
        upsert_insert(conn, outbox).values(**values).on_conflict_do_nothing(index_elements=["id"])
    )


async def get_item(conn: AsyncConnection, item_id: str) -> Row | None:
    return (await conn.execute(select(outbox).where(outbox.c.id == item_id))).mappings().first()


async def claim_items(
    conn: AsyncConnection, kinds: list[str], now: int, lease_until: int, limit: int, claim_token: str
) -> list[Row]:
    """Claims up to `limit` due items of these kinds; each claim counts as an attempt.

    On PostgreSQL, SKIP LOCKED passes over rows another process is claiming at this moment, and
    the claim (status, lease) keeps them from it after this short transaction commits.
    """
    query = (
        select(outbox.c.id)
        .where(outbox.c.kind.in_(kinds), outbox.c.status.in_(_CLAIMABLE), outbox.c.available_at <= now)
        .order_by(outbox.c.available_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(await conn.scalars(query))
    if not ids:
        return []
    await conn.execute(
        update(outbox)
        .where(outbox.c.id.in_(ids))
        .values(
            status="in_progress",
            available_at=lease_until,
            attempts=outbox.c.attempts + 1,
            claim_token=claim_token,
            update_at=now,
        )
    )
    # In the order they were queued (the claim gave them one available_at): relayed events are
    # published in the order the shell's commands ran.
    rows = await conn.execute(select(outbox).where(outbox.c.id.in_(ids)).order_by(outbox.c.create_at))
    return list(rows.mappings())


async def settle_claimed(
    conn: AsyncConnection, item_id: str, claim_token: str, values: dict[str, Any]
) -> bool:
    """Records the outcome of an attempt this claim still holds; False if the claim lapsed."""
    result = await conn.execute(
        update(outbox)
        .where(outbox.c.id == item_id, outbox.c.claim_token == claim_token, outbox.c.status == "in_progress")
        .values(**values)
    )
    return bool(result.rowcount)


async def delete_claimed(conn: AsyncConnection, item_id: str, claim_token: str) -> bool:
    """Deletes a delivered item this claim still holds; False if the claim lapsed."""
    result = await conn.execute(
        delete(outbox).where(
            outbox.c.id == item_id, outbox.c.claim_token == claim_token, outbox.c.status == "in_progress"
        )
    )
    return bool(result.rowcount)


async def release_claims(conn: AsyncConnection, claim_tokens: list[str], now: int) -> list[Row]:
    """Hands unfinished items back at once (a process stopping), instead of after their lease;
    returns the items handed back."""
    held = (outbox.c.claim_token.in_(claim_tokens)) & (outbox.c.status == "in_progress")
    released = list((await conn.execute(select(outbox).where(held).with_for_update())).mappings())
    await conn.execute(update(outbox).where(held).values(status="pending", available_at=now, update_at=now))
    return released


async def cancel_job_items(conn: AsyncConnection, job_id: str, now: int) -> int:
    """Cancels a job's items that are waiting; one being delivered right now is left to finish."""
    result = await conn.execute(
        update(outbox)
        .where(outbox.c.job_id == job_id, outbox.c.status == "pending")
        .values(status="canceled", update_at=now)
    )
    return int(result.rowcount)


async def count_by_kind_and_status(conn: AsyncConnection) -> list[Row]:
    query = (
        select(outbox.c.kind, outbox.c.status, func.count().label("count"))
        .group_by(outbox.c.kind, outbox.c.status)
        .order_by(outbox.c.kind, outbox.c.status)
    )
    return list((await conn.execute(query)).mappings())


async def list_items(conn: AsyncConnection, statuses: list[str], limit: int) -> list[Row]:
    query = (
        select(outbox).where(outbox.c.status.in_(statuses)).order_by(outbox.c.update_at.desc()).limit(limit)
    )
    return list((await conn.execute(query)).mappings())


async def delete_settled_before(conn: AsyncConnection, before: int) -> int:
    """Forgets delivered and canceled items last touched before `before`; failed ones stay."""
    result = await conn.execute(
        delete(outbox).where(outbox.c.status.in_(("done", "canceled")), outbox.c.update_at < before)
    )
    return int(result.rowcount)


async def has_due_item(conn: AsyncConnection, kinds: list[str], now: int) -> bool:
    query = (
        select(outbox.c.id)
        .where(outbox.c.kind.in_(kinds), outbox.c.status.in_(_CLAIMABLE), outbox.c.available_at <= now)
        .limit(1)
    )
    return await conn.scalar(query) is not None
