"""Custom emoji. A deleted emoji keeps its row with delete_at set, as in Mattermost."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import emoji, reactions

_LIVE = emoji.c.delete_at == 0


async def insert_emoji(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(emoji).values(**values))


async def get_emoji(conn: AsyncConnection, emoji_id: str) -> Row | None:
    query = select(emoji).where(emoji.c.id == emoji_id, _LIVE)
    return (await conn.execute(query)).mappings().first()


async def get_emoji_by_name(conn: AsyncConnection, name: str, *, for_update: bool = False) -> Row | None:
    query = select(emoji).where(emoji.c.name == name, _LIVE)
    if for_update:
        query = query.with_for_update()
    return (await conn.execute(query)).mappings().first()


async def get_emoji_by_names(conn: AsyncConnection, names: Sequence[str]) -> list[Row]:
    if not names:
        return []
    query = select(emoji).where(emoji.c.name.in_(list(names)), _LIVE).order_by(emoji.c.name)
    return list((await conn.execute(query)).mappings())


async def list_emoji(conn: AsyncConnection, *, page: int, per_page: int, by_name: bool) -> list[Row]:
    order = (emoji.c.name,) if by_name else (emoji.c.create_at, emoji.c.id)
    query = select(emoji).where(_LIVE).order_by(*order).limit(per_page).offset(page * per_page)
    return list((await conn.execute(query)).mappings())


async def search_emoji(conn: AsyncConnection, term: str, *, prefix_only: bool, limit: int) -> list[Row]:
    """Live emoji whose name starts with (or, without `prefix_only`, contains) `term`."""
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"{escaped}%" if prefix_only else f"%{escaped}%"
    query = (
        select(emoji)
        .where(_LIVE, emoji.c.name.like(pattern, escape="\\"))
        .order_by(emoji.c.name)
        .limit(limit)
    )
    return list((await conn.execute(query)).mappings())


async def mark_deleted(conn: AsyncConnection, emoji_id: str, at: int) -> bool:
    result = await conn.execute(
        update(emoji).where(emoji.c.id == emoji_id, _LIVE).values(delete_at=at, update_at=at)
    )
    return bool(result.rowcount)


async def delete_reactions_named(conn: AsyncConnection, name: str) -> list[Row]:
    """Removes every reaction with this emoji name; returns the removed rows."""
    removed = list((await conn.execute(select(reactions).where(reactions.c.emoji_name == name))).mappings())
    if removed:
        await conn.execute(delete(reactions).where(reactions.c.emoji_name == name))
    return removed
