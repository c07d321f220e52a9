"""The audit log: appended to by moderation/audit.py, read by admins, and shortened only by age
(the address expiry blanks ip_address; the retention policy deletes whole entries)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import audits


@dataclass(frozen=True)
class AuditFilter:
    user_id: str = ""
    action: str = ""
    # Milliseconds, inclusive; 0 for no bound.
    since: int = 0
    until: int = 0


async def insert_audit(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(audits).values(**values))


def _select(which: AuditFilter) -> Any:
    query = select(audits)
    if which.user_id:
        query = query.where(audits.c.user_id == which.user_id)
    if which.action:
        query = query.where(audits.c.action == which.action)
    if which.since:
        query = query.where(audits.c.create_at >= which.since)
    if which.until:
        query = query.where(audits.c.create_at <= which.until)
    return query.order_by(audits.c.create_at.desc(), audits.c.id.desc())


async def list_audits(conn: AsyncConnection, which: AuditFilter, offset: int, limit: int) -> list[Row]:
    """Newest first."""
    return list((await conn.execute(_select(which).offset(offset).limit(limit))).mappings())


async def stream_audits(conn: AsyncConnection, which: AuditFilter, batch: int = 1000) -> AsyncIterator[Row]:
    """Every matching entry, newest first, a batch at a time (for exports)."""
    offset = 0
    while True:
        rows = await list_audits(conn, which, offset, batch)
        for row in rows:
            yield row
        if len(rows) < batch:
            return
        offset += batch


async def blank_addresses_before(conn: AsyncConnection, cutoff: int) -> int:
    """Forgets the client address of entries older than `cutoff` (ms); returns how many."""
    statement = (
        update(audits).where(audits.c.create_at < cutoff, audits.c.ip_address != "").values(ip_address="")
    )
    return int((await conn.execute(statement)).rowcount or 0)


async def delete_audit_before(conn: AsyncConnection, cutoff: int) -> int:
    """For the retention policy: deletes entries older than `cutoff` (ms); returns how many."""
    return int((await conn.execute(delete(audits).where(audits.c.create_at < cutoff))).rowcount or 0)
