"""Bot accounts: the bots row beside each bot's user row."""

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import bots, users

# A bot as Mattermost renders it: its user's name and display name with the bot's own columns.
_BOT_COLUMNS = (
    bots.c.user_id,
    users.c.username,
    users.c.first_name.label("display_name"),
    bots.c.description,
    bots.c.owner_id,
    bots.c.create_at,
    bots.c.update_at,
    bots.c.delete_at,
)


async def insert_bot(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(bots).values(**values))


async def get_bot(conn: AsyncConnection, user_id: str, *, lock: bool = False) -> Row | None:
    query = select(*_BOT_COLUMNS).join(users, users.c.id == bots.c.user_id).where(bots.c.user_id == user_id)
    if lock:
        query = query.with_for_update(of=bots)
    return (await conn.execute(query)).mappings().first()


async def list_bots(
    conn: AsyncConnection,
    *,
    owner_id: str | None,
    include_deleted: bool,
    only_orphaned: bool,
    offset: int,
    limit: int,
) -> list[Row]:
    query = select(*_BOT_COLUMNS).join(users, users.c.id == bots.c.user_id)
    if owner_id is not None:
        query = query.where(bots.c.owner_id == owner_id)
    if not include_deleted:
        query = query.where(bots.c.delete_at == 0)
    if only_orphaned:
        owners = users.alias("owners")
        query = query.outerjoin(owners, owners.c.id == bots.c.owner_id).where(
            (owners.c.id.is_(None)) | (owners.c.delete_at != 0)
        )
    query = query.order_by(users.c.username).offset(offset).limit(limit)
    return list((await conn.execute(query)).mappings())


async def update_bot(conn: AsyncConnection, user_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(bots).where(bots.c.user_id == user_id).values(**values))


async def delete_bot(conn: AsyncConnection, user_id: str) -> None:
    await conn.execute(bots.delete().where(bots.c.user_id == user_id))


async def descriptions(conn: AsyncConnection, user_ids: list[str]) -> dict[str, str]:
    """Bot descriptions by user id, for rendering bot users (bot_description)."""
    if not user_ids:
        return {}
    query = select(bots.c.user_id, bots.c.description).where(bots.c.user_id.in_(user_ids))
    return {row.user_id: row.description for row in await conn.execute(query)}
