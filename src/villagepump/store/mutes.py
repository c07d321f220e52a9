"""Muted users: who a moderator stopped from posting, and until when (0: until unmuted)."""

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import bots, user_mutes


async def get_mute(conn: AsyncConnection, user_id: str) -> Row | None:
    query = select(user_mutes).where(user_mutes.c.user_id == user_id)
    return (await conn.execute(query)).mappings().first()


async def set_mute(conn: AsyncConnection, user_id: str, until: int, muted_by: str, at: int) -> None:
    values = {"user_id": user_id, "until": until, "muted_by": muted_by, "create_at": at}
    statement = upsert_insert(conn, user_mutes).values(**values)
    changed = {"until": until, "muted_by": muted_by, "create_at": at}
    await conn.execute(statement.on_conflict_do_update(index_elements=["user_id"], set_=changed))


async def delete_mute(conn: AsyncConnection, user_id: str) -> bool:
    result = await conn.execute(delete(user_mutes).where(user_mutes.c.user_id == user_id))
    return bool(result.rowcount)


async def owner_mute(conn: AsyncConnection, bot_id: str) -> Row | None:
    """The mute of the person who owns this bot, if any: a muted owner's bots are muted too."""
    query = (
        select(user_mutes).join(bots, bots.c.owner_id == user_mutes.c.user_id).where(bots.c.user_id == bot_id)
    )
    return (await conn.execute(query)).mappings().first()


def in_force(until: int | None, now: int) -> bool:
    """Whether a mute ending at `until` (None: no mute; 0: no end) holds at `now`."""
    return until is not None and (until == 0 or until > now)
