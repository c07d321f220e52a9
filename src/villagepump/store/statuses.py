"""Users' presence: online, away, dnd or offline (lowercase, as Mattermost writes them)."""

from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import statuses

ONLINE, AWAY, DND, OFFLINE = "online", "away", "dnd", "offline"


_STATUS = select(statuses).where(statuses.c.user_id == bindparam("user_id"))
# PostgreSQL: two processes changing one user's status must not interleave.
_STATUS_FOR_UPDATE = _STATUS.with_for_update()
_STATUSES = select(statuses).where(statuses.c.user_id.in_(bindparam("user_ids", expanding=True)))


async def get_status(conn: AsyncConnection, user_id: str, for_update: bool = False) -> Row | None:
    query = _STATUS_FOR_UPDATE if for_update else _STATUS
    return (await conn.execute(query, {"user_id": user_id})).mappings().first()


async def get_statuses(conn: AsyncConnection, user_ids: list[str]) -> dict[str, Row]:
    if not user_ids:
        return {}
    rows = (await conn.execute(_STATUSES, {"user_ids": user_ids})).mappings()
    return {row["user_id"]: row for row in rows}


async def statuses_not_offline(conn: AsyncConnection, limit: int = 10_000) -> dict[str, str]:
    query = select(statuses.c.user_id, statuses.c.status).where(statuses.c.status != OFFLINE).limit(limit)
    return {user_id: status for user_id, status in (await conn.execute(query)).all()}


async def save_status(conn: AsyncConnection, user_id: str, values: dict[str, Any]) -> None:
    """Writes the given columns, creating the row if the user has none yet."""
    statement = upsert_insert(conn, statuses).values(user_id=user_id, **values)
    await conn.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=values))


async def set_last_activity(conn: AsyncConnection, user_id: str, at: int) -> None:
    statement = upsert_insert(conn, statuses).values(
        user_id=user_id, status=OFFLINE, manual=False, last_activity_at=at
    )
    await conn.execute(
        statement.on_conflict_do_update(index_elements=["user_id"], set_={"last_activity_at": at})
    )


async def expired_dnd(conn: AsyncConnection, now_seconds: int) -> list[Row]:
    """Do-not-disturb statuses whose end time (epoch seconds, as clients send it) has passed."""
    query = select(statuses).where(
        statuses.c.status == DND, statuses.c.dnd_end_time > 0, statuses.c.dnd_end_time <= now_seconds
    )
    return list((await conn.execute(query)).mappings())


async def clear_dnd_end(conn: AsyncConnection, user_id: str) -> None:
    await conn.execute(update(statuses).where(statuses.c.user_id == user_id).values(dnd_end_time=0))
