"""Rows a write locks before it checks what its actor may do, so the check still holds when it commits.

PostgreSQL only: SQLite runs one writer at a time, and SQLAlchemy leaves FOR UPDATE out there.
A write to a channel's posts locks, in this order, the channel row, the actor's membership and
then the post; one order everywhere, so no two writes wait on each other in a circle. The mode
is FOR NO KEY UPDATE: archiving (an UPDATE) and removing a member (a DELETE) wait for it, and
it is the lock a post takes anyway to count itself in the channel's totals.
"""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import channel_members, channels, posts


async def lock_channel(conn: AsyncConnection, channel_id: str) -> Row | None:
    """The channel as it is now, which nobody else changes until this transaction ends."""
    query = select(channels).where(channels.c.id == channel_id).with_for_update(key_share=True)
    return (await conn.execute(query)).mappings().first()


async def lock_channel_member(conn: AsyncConnection, channel_id: str, user_id: str) -> Row | None:
    """The membership, if there is one; a removal waits until this transaction ends."""
    query = (
        select(channel_members)
        .where(channel_members.c.channel_id == channel_id, channel_members.c.user_id == user_id)
        .with_for_update(key_share=True)
    )
    return (await conn.execute(query)).mappings().first()


async def lock_post(conn: AsyncConnection, post_id: str) -> Row | None:
    query = select(posts).where(posts.c.id == post_id).with_for_update(key_share=True)
    return (await conn.execute(query)).mappings().first()
