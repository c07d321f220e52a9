"""Emoji reactions on posts: one row per (post, user, emoji)."""

from collections.abc import Sequence

from sqlalchemy import bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import reactions


async def add_reaction(
    conn: AsyncConnection, user_id: str, post_id: str, emoji_name: str, channel_id: str, at: int
) -> tuple[Row, bool]:
    """Adds the reaction unless it is there already (perhaps added a moment ago by a concurrent
    request); returns the stored one either way, and whether this call added it."""
    statement = upsert_insert(conn, reactions).values(
        user_id=user_id, post_id=post_id, emoji_name=emoji_name, channel_id=channel_id, create_at=at
    )
    result = await conn.execute(
        statement.on_conflict_do_nothing(index_elements=["post_id", "user_id", "emoji_name"])
    )
    row = await get_reaction(conn, user_id, post_id, emoji_name)
    assert row is not None
    return row, bool(result.rowcount)


async def get_reaction(conn: AsyncConnection, user_id: str, post_id: str, emoji_name: str) -> Row | None:
    query = select(reactions).where(
        reactions.c.user_id == user_id, reactions.c.post_id == post_id, reactions.c.emoji_name == emoji_name
    )
    return (await conn.execute(query)).mappings().first()


async def remove_reaction(conn: AsyncConnection, user_id: str, post_id: str, emoji_name: str) -> bool:
    result = await conn.execute(
        delete(reactions).where(
            reactions.c.user_id == user_id,
            reactions.c.post_id == post_id,
            reactions.c.emoji_name == emoji_name,
        )
    )
    return bool(result.rowcount)


_OF_POSTS = (
    select(reactions)
    .where(reactions.c.post_id.in_(bindparam("post_ids", expanding=True)))
    .order_by(reactions.c.create_at, reactions.c.user_id, reactions.c.emoji_name)
)


async def reactions_for_posts(conn: AsyncConnection, post_ids: Sequence[str]) -> dict[str, list[Row]]:
    if not post_ids:
        return {}
    found: dict[str, list[Row]] = {}
    for row in (await conn.execute(_OF_POSTS, {"post_ids": list(post_ids)})).mappings():
        found.setdefault(row["post_id"], []).append(row)
    return found
