"""Incoming and outgoing webhooks."""

from typing import Any

from sqlalchemy import Table, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import incoming_webhooks, outgoing_webhooks


def _table(kind: str) -> Table:
    return incoming_webhooks if kind == "incoming" else outgoing_webhooks


async def insert_hook(conn: AsyncConnection, kind: str, values: dict[str, Any]) -> None:
    await conn.execute(insert(_table(kind)).values(**values))


async def get_hook(conn: AsyncConnection, kind: str, hook_id: str, *, lock: bool = False) -> Row | None:
    """A live hook (not deleted)."""
    table = _table(kind)
    query = select(table).where(table.c.id == hook_id, table.c.delete_at == 0)
    if lock:
        query = query.with_for_update()
    return (await conn.execute(query)).mappings().first()


async def list_hooks(
    conn: AsyncConnection,
    kind: str,
    *,
    team_ids: list[str] | None,
    channel_id: str,
    creator_id: str,
    offset: int,
    limit: int,
) -> list[Row]:
    """Live hooks, oldest first; `team_ids` None means every team."""
    table = _table(kind)
    creator = table.c.user_id if kind == "incoming" else table.c.creator_id
    query = select(table).where(table.c.delete_at == 0)
    if team_ids is not None:
        query = query.where(table.c.team_id.in_(team_ids))
    if channel_id:
        query = query.where(table.c.channel_id == channel_id)
    if creator_id:
        query = query.where(creator == creator_id)
    query = query.order_by(table.c.create_at, table.c.id).offset(offset).limit(limit)
    return list((await conn.execute(query)).mappings())


async def update_hook(conn: AsyncConnection, kind: str, hook_id: str, values: dict[str, Any]) -> None:
    table = _table(kind)
    await conn.execute(update(table).where(table.c.id == hook_id).values(**values))


async def outgoing_for_post(conn: AsyncConnection, team_id: str, channel_id: str) -> list[Row]:
    """The live outgoing hooks a post in this channel could fire: the channel's own and the
    team's hooks for any channel (the caller checks that the channel is public for those)."""
    query = select(outgoing_webhooks).where(
        outgoing_webhooks.c.team_id == team_id,
        outgoing_webhooks.c.delete_at == 0,
        or_(outgoing_webhooks.c.channel_id == channel_id, outgoing_webhooks.c.channel_id == ""),
    )
    return list((await conn.execute(query)).mappings())


async def move_channel_hooks(conn: AsyncConnection, channel_id: str, team_id: str) -> None:
    """A moved channel's webhooks go with it to its new team."""
    for table in (incoming_webhooks, outgoing_webhooks):
        await conn.execute(update(table).where(table.c.channel_id == channel_id).values(team_id=team_id))
