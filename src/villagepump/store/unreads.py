"""Message and mention counters on channels and channel members, changed as posts arrive.

A member's unread count is the channel's total_msg_count minus the member's msg_count (and the
_root pair with collapsed threads); mention counts are kept per member.
"""

from collections.abc import Collection
from typing import Any

from sqlalchemy import case, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import channel_members, channels, statuses, users


def _later(column: Any, at: int) -> Any:
    return case((column < at, at), else_=column)


async def count_new_post(conn: AsyncConnection, channel_id: str, at: int, is_root: bool) -> tuple[int, int]:
    """Adds a post to the channel's totals; returns the new (total, total_root)."""
    values: dict[str, Any] = {
        "last_post_at": _later(channels.c.last_post_at, at),
        "total_msg_count": channels.c.total_msg_count + 1,
    }
    if is_root:
        values["last_root_post_at"] = _later(channels.c.last_root_post_at, at)
        values["total_msg_count_root"] = channels.c.total_msg_count_root + 1
    statement = (
        update(channels)
        .where(channels.c.id == channel_id)
        .values(**values)
        .returning(channels.c.total_msg_count, channels.c.total_msg_count_root)
    )
    row = (await conn.execute(statement)).one()
    return int(row[0]), int(row[1])


async def mark_read_up_to(
    conn: AsyncConnection, channel_id: str, user_id: str, totals: tuple[int, int], at: int
) -> None:
    """The poster has read their own post, and everything before it."""
    await conn.execute(
        update(channel_members)
        .where(channel_members.c.channel_id == channel_id, channel_members.c.user_id == user_id)
        .values(
            msg_count=totals[0],
            msg_count_root=totals[1],
            mention_count=0,
            mention_count_root=0,
            urgent_mention_count=0,
            last_viewed_at=_later(channel_members.c.last_viewed_at, at),
            last_update_at=at,
        )
    )


async def add_mentions(
    conn: AsyncConnection, channel_id: str, user_ids: Collection[str], is_root: bool, at: int
) -> None:
    if not user_ids:
        return
    values: dict[str, Any] = {"mention_count": channel_members.c.mention_count + 1, "last_update_at": at}
    if is_root:
        values["mention_count_root"] = channel_members.c.mention_count_root + 1
    await conn.execute(
        update(channel_members)
        .where(channel_members.c.channel_id == channel_id, channel_members.c.user_id.in_(list(user_ids)))
        .values(**values)
    )


async def set_member_counts(
    conn: AsyncConnection, channel_id: str, user_id: str, values: dict[str, int]
) -> None:
    """Sets msg_count, mention_count, last_viewed_at and friends, e.g. to mark a channel unread."""
    await conn.execute(
        update(channel_members)
        .where(channel_members.c.channel_id == channel_id, channel_members.c.user_id == user_id)
        .values(**values)
    )


async def mention_candidates(
    conn: AsyncConnection, channel_id: str, usernames: Collection[str], everyone: bool
) -> list[Row]:
    """Active channel members who may be mentioned: those named, or all of them for @channel,
    @all and @here. Each row has user_id, username, status and both notify_props."""
    query = (
        select(
            channel_members.c.user_id,
            users.c.username,
            channel_members.c.notify_props.label("channel_notify_props"),
            users.c.notify_props.label("user_notify_props"),
            statuses.c.status,
        )
        .join(users, users.c.id == channel_members.c.user_id)
        .outerjoin(statuses, statuses.c.user_id == channel_members.c.user_id)
        .where(channel_members.c.channel_id == channel_id, users.c.delete_at == 0)
    )
    if not everyone:
        query = query.where(users.c.username.in_(list(usernames)))
    return list((await conn.execute(query)).mappings())
