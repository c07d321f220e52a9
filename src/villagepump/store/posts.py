"""Posts: root posts and replies."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import posts


async def get_post(conn: AsyncConnection, post_id: str) -> Row | None:
    return (await conn.execute(select(posts).where(posts.c.id == post_id))).mappings().first()
