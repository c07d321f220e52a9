"""Reports of posts to the moderators, each with its own snapshot of what was reported."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import reports, users

OPEN = "open"
RESOLVED = "resolved"
DISMISSED = "dismissed"
STATUSES = (OPEN, RESOLVED, DISMISSED)


async def insert_report(conn: AsyncConnection, values: dict[str, Any]) -> tuple[Row, bool]:
    """Files the report unless the reporter has an open one on this post (perhaps filed a moment
    ago by a concurrent request); returns the open one either way, and whether this call filed it."""
    statement = upsert_insert(conn, reports).values(**values, closed_at=0)
    result = await conn.execute(
        statement.on_conflict_do_nothing(index_elements=["reporter_id", "post_id", "closed_at"])
    )
    query = select(reports).where(
        reports.c.reporter_id == values["reporter_id"],
        reports.c.post_id == values["post_id"],
        reports.c.closed_at == 0,
    )
    row = (await conn.execute(query)).mappings().first()
    assert row is not None
    return row, bool(result.rowcount)


async def get_report(conn: AsyncConnection, report_id: str) -> Row | None:
    return (await conn.execute(select(reports).where(reports.c.id == report_id))).mappings().first()


async def list_reports(
    conn: AsyncConnection, statuses: Iterable[str], hidden_from: str, offset: int, limit: int
) -> list[Row]:
    """Newest first, in these statuses, leaving out the reports about `hidden_from` (a moderator
    never reads the reports filed against them)."""
    query = (
        select(reports)
        .where(reports.c.status.in_(list(statuses)), reports.c.reported_user_id != hidden_from)
        .order_by(reports.c.create_at.desc(), reports.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return list((await conn.execute(query)).mappings())


async def close_report(
    conn: AsyncConnection, report_id: str, status: str, closed_by: str, note: str, at: int
) -> bool:
    """Closes an open report; False if it was closed already (by a moderator who got there first)."""
    statement = (
        update(reports)
        .where(reports.c.id == report_id, reports.c.status == OPEN)
        .values(status=status, closed_by=closed_by, note=note, closed_at=at, update_at=at)
    )
    return bool((await conn.execute(statement)).rowcount)


async def moderator_ids(conn: AsyncConnection) -> list[str]:
    """The active accounts holding system_moderator or system_admin (roles.py), who hear of reports."""
    query = select(users.c.id, users.c.roles).where(
        users.c.delete_at == 0,
        or_(users.c.roles.contains("system_moderator"), users.c.roles.contains("system_admin")),
    )
    found = (await conn.execute(query)).all()
    # The LIKE above narrows; the split decides (a role name could contain another's).
    return [row.id for row in found if {"system_moderator", "system_admin"} & set(str(row.roles).split())]


async def delete_reports_before(conn: AsyncConnection, cutoff: int) -> int:
    """For the retention policy: deletes reports last changed before `cutoff` (ms); returns how many."""
    return int((await conn.execute(delete(reports).where(reports.c.update_at < cutoff))).rowcount or 0)
