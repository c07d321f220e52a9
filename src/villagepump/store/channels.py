"""Channels of every type and their members."""

from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import channel_members, channels


async def insert_channel(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(channels).values(**values))


async def get_channel(conn: AsyncConnection, channel_id: str) -> Row | None:
    return (await conn.execute(select(channels).where(channels.c.id == channel_id))).mappings().first()


async def get_channel_by_name(conn: AsyncConnection, team_id: str, name: str) -> Row | None:
    query = select(channels).where(channels.c.team_id == team_id, channels.c.name == name)
    return (await conn.execute(query)).mappings().first()


async def update_channel(conn: AsyncConnection, channel_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(channels).where(channels.c.id == channel_id).values(**values))


async def get_member(conn: AsyncConnection, channel_id: str, user_id: str) -> Row | None:
    query = select(channel_members).where(
        channel_members.c.channel_id == channel_id, channel_members.c.user_id == user_id
    )
    return (await conn.execute(query)).mappings().first()


async def insert_member(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(channel_members).values(**values))


async def delete_member(conn: AsyncConnection, channel_id: str, user_id: str) -> None:
    await conn.execute(
        delete(channel_members).where(
            channel_members.c.channel_id == channel_id, channel_members.c.user_id == user_id
        )
    )


async def update_member(conn: AsyncConnection, channel_id: str, user_id: str, values: dict[str, Any]) -> None:
    await conn.execute(
        update(channel_members)
        .where(channel_members.c.channel_id == channel_id, channel_members.c.user_id == user_id)
        .values(**values)
    )


async def member_user_ids(conn: AsyncConnection, channel_id: str) -> list[str]:
    query = select(channel_members.c.user_id).where(channel_members.c.channel_id == channel_id)
    return list(await conn.scalars(query))


async def channel_ids_for_user(conn: AsyncConnection, user_id: str) -> list[str]:
    """Every channel the user belongs to, archived ones included; the hub routes events by these."""
    query = select(channel_members.c.channel_id).where(channel_members.c.user_id == user_id)
    return list(await conn.scalars(query))
