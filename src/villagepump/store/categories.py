"""Sidebar categories: each user's grouping of their channels, per team."""

from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import (
    channel_members,
    channels,
    preferences,
    sidebar_categories,
    sidebar_channels,
)


async def categories_for(conn: AsyncConnection, user_id: str, team_id: str) -> list[Row]:
    query = (
        select(sidebar_categories)
        .where(sidebar_categories.c.user_id == user_id, sidebar_categories.c.team_id == team_id)
        .order_by(sidebar_categories.c.sort_order, sidebar_categories.c.id)
    )
    return list((await conn.execute(query)).mappings())


async def get_category(conn: AsyncConnection, category_id: str) -> Row | None:
    query = select(sidebar_categories).where(sidebar_categories.c.id == category_id)
    return (await conn.execute(query)).mappings().first()


async def insert_category(conn: AsyncConnection, values: dict[str, Any]) -> None:
    """Adds a category; a default one (favorites, channels, direct messages) the user already
    has in this team is left as it is."""
    statement = upsert_insert(conn, sidebar_categories).values(**values)
    await conn.execute(statement.on_conflict_do_nothing())


async def update_category(conn: AsyncConnection, category_id: str, values: dict[str, Any]) -> None:
    await conn.execute(
        update(sidebar_categories).where(sidebar_categories.c.id == category_id).values(**values)
    )


async def delete_category(conn: AsyncConnection, category_id: str) -> None:
    await conn.execute(delete(sidebar_channels).where(sidebar_channels.c.category_id == category_id))
    await conn.execute(delete(sidebar_categories).where(sidebar_categories.c.id == category_id))


async def placements(conn: AsyncConnection, user_id: str, team_id: str) -> list[Row]:
    """(category_id, channel_id) of every channel placed in the user's categories of a team, in order."""
    query = (
        select(sidebar_channels.c.category_id, sidebar_channels.c.channel_id)
        .join(sidebar_categories, sidebar_categories.c.id == sidebar_channels.c.category_id)
        .where(sidebar_categories.c.user_id == user_id, sidebar_categories.c.team_id == team_id)
        .order_by(sidebar_channels.c.sort_order, sidebar_channels.c.channel_id)
    )
    return list((await conn.execute(query)).mappings())


async def sidebar_channel_types(conn: AsyncConnection, user_id: str, team_id: str) -> dict[str, str]:
    """Every channel that belongs in the user's sidebar for this team, with its type: the team's
    channels they are in, and all their direct and group messages."""
    query = (
        select(channels.c.id, channels.c.type)
        .join(channel_members, channel_members.c.channel_id == channels.c.id)
        .where(
            channel_members.c.user_id == user_id,
            (channels.c.team_id == team_id) | channels.c.type.in_(("D", "G")),
        )
    )
    return {row.id: row.type for row in await conn.execute(query)}


async def set_channels(conn: AsyncConnection, category_id: str, user_id: str, channel_ids: list[str]) -> None:
    """Replaces the category's channels with these, in this order."""
    await conn.execute(delete(sidebar_channels).where(sidebar_channels.c.category_id == category_id))
    if channel_ids:
        await conn.execute(
            insert(sidebar_channels),
            [
                {"category_id": category_id, "channel_id": cid, "user_id": user_id, "sort_order": i * 10}
                for i, cid in enumerate(channel_ids)
            ],
        )


async def add_channels(conn: AsyncConnection, category_id: str, user_id: str, channel_ids: list[str]) -> None:
    """Puts channels at the top of a category, as Mattermost does with newly joined ones."""
    if not channel_ids:
        return
    lowest = await conn.scalar(
        select(func.min(sidebar_channels.c.sort_order)).where(sidebar_channels.c.category_id == category_id)
    )
    start = int(lowest or 0) - 10 * len(channel_ids)
    await conn.execute(
        insert(sidebar_channels),
        [
            {"category_id": category_id, "channel_id": cid, "user_id": user_id, "sort_order": start + i * 10}
            for i, cid in enumerate(channel_ids)
        ],
    )


async def remove_channels(conn: AsyncConnection, category_ids: list[str], channel_ids: list[str]) -> None:
    if category_ids and channel_ids:
        await conn.execute(
            delete(sidebar_channels).where(
                sidebar_channels.c.category_id.in_(category_ids),
                sidebar_channels.c.channel_id.in_(channel_ids),
            )
        )


async def remove_channel_for_user(conn: AsyncConnection, user_id: str, channel_ids: list[str]) -> None:
    """Takes channels the user left out of all their categories, in every team."""
    if channel_ids:
        await conn.execute(
            delete(sidebar_channels).where(
                sidebar_channels.c.user_id == user_id, sidebar_channels.c.channel_id.in_(channel_ids)
            )
        )


async def favorite_channel_ids(conn: AsyncConnection, user_id: str) -> set[str]:
    """Channels marked with the favorite_channel preference, which older clients still set."""
    query = select(preferences.c.name).where(
        preferences.c.user_id == user_id,
        preferences.c.category == "favorite_channel",
        preferences.c.value == "true",
    )
    return set(await conn.scalars(query))


async def favorites_categories(conn: AsyncConnection, user_id: str, team_id: str) -> list[Row]:
    """The user's favorites category in a team, or in every team when `team_id` is empty (a
    direct or group message belongs to all of them)."""
    query = select(sidebar_categories).where(
        sidebar_categories.c.user_id == user_id, sidebar_categories.c.type == "favorites"
    )
    if team_id:
        query = query.where(sidebar_categories.c.team_id == team_id)
    return list((await conn.execute(query.order_by(sidebar_categories.c.id))).mappings())


async def category_channel_ids(conn: AsyncConnection, category_id: str) -> list[str]:
    query = select(sidebar_channels.c.channel_id).where(sidebar_channels.c.category_id == category_id)
    return list(await conn.scalars(query))
