"""Rows a write locks before it checks what its actor may do, so the check still holds when it commits.

PostgreSQL only: SQLite runs one writer at a time, and SQLAlchemy leaves FOR UPDATE out there.
One order everywhere, so no two writes wait on each other in a circle: the team's row, team
memberships (in user-id order), the channel's row, users' rows (their sidebars), channel
memberships (in user-id order), then the post. A write to a channel's posts locks the channel
row, the actor's membership and then the post. For a channel, the mode
is FOR NO KEY UPDATE: archiving (an UPDATE) and removing a member (a DELETE) wait for it, and
it is the lock a post takes anyway to count itself in the channel's totals.
"""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import channel_members, channels, posts, team_members, teams


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


async def share_team(conn: AsyncConnection, team_id: str) -> Row | None:
    """The team, which nobody archives or changes until this transaction ends; others may share it."""
    query = select(teams).where(teams.c.id == team_id).with_for_update(read=True)
    return (await conn.execute(query)).mappings().first()


async def lock_team_members(conn: AsyncConnection, team_id: str, user_ids: Iterable[str]) -> dict[str, Row]:
    """The users' team memberships (left ones too), by user id, locked in user-id order for a
    write that changes them (adding, removing, promoting)."""
    return await _team_members(conn, team_id, user_ids, read=False)


async def share_team_members(conn: AsyncConnection, team_id: str, user_ids: Iterable[str]) -> dict[str, Row]:
    """The users' team memberships (left ones too), by user id, locked in user-id order, taken
    before any channel's row: a removal from the team, or a demotion, waits until this
    transaction ends. FOR SHARE, so that checks by many writers at once do not queue."""
    return await _team_members(conn, team_id, user_ids, read=True)


async def _team_members(
    conn: AsyncConnection, team_id: str, user_ids: Iterable[str], read: bool
) -> dict[str, Row]:
    query = (
        select(team_members)
        .where(team_members.c.team_id == team_id, team_members.c.user_id.in_(sorted(set(user_ids))))
        .order_by(team_members.c.user_id)
        .with_for_update(read=read)
    )
    return {row["user_id"]: row for row in (await conn.execute(query)).mappings().all()}


async def lock_channel_members(
    conn: AsyncConnection, channel_id: str, user_ids: Iterable[str]
) -> dict[str, Row]:
    """The memberships there are among these users', by user id, locked in user-id order after
    the channel's row (docs/decisions/0007-unique-keys-and-row-locks-decide-races.md)."""
    query = (
        select(channel_members)
        .where(
            channel_members.c.channel_id == channel_id, channel_members.c.user_id.in_(sorted(set(user_ids)))
        )
        .order_by(channel_members.c.user_id)
        .with_for_update(key_share=True)
    )
    return {row["user_id"]: row for row in (await conn.execute(query)).mappings().all()}
