"""Message and mention counters on channels and channel members, changed as posts arrive.

A member's unread count is the channel's total_msg_count minus the member's msg_count (and the
_root pair with collapsed threads); mention counts are kept per member.
"""

from collections.abc import Collection
from typing import Any

from sqlalchemy import BigInteger, String, bindparam, case, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import channel_members, channels, statuses, users


def _later(column: Any, at: Any) -> Any:
    return case((column < at, at), else_=column)


# The hot path (every post) runs these prebuilt statements with bound values, so SQLAlchemy
# reuses their compiled form instead of building and hashing a new statement each time.
_AT = bindparam("at", type_=BigInteger)
_CHANNEL = bindparam("b_channel_id", type_=String)
_COUNT_POST = {
    is_root: update(channels)
    .where(channels.c.id == _CHANNEL)
    .values(
        last_post_at=_later(channels.c.last_post_at, _AT),
        total_msg_count=channels.c.total_msg_count + 1,
        **(
            {
                "last_root_post_at": _later(channels.c.last_root_post_at, _AT),
                "total_msg_count_root": channels.c.total_msg_count_root + 1,
            }
            if is_root
            else {}
        ),
    )
    .returning(channels.c.total_msg_count, channels.c.total_msg_count_root)
    for is_root in (True, False)
}
_TOUCH_CHANNEL = (
    update(channels)
    .where(channels.c.id == _CHANNEL)
    .values(
        last_post_at=_later(channels.c.last_post_at, _AT),
        last_root_post_at=_later(channels.c.last_root_post_at, _AT),
    )
)
_READ_UP_TO = (
    update(channel_members)
    .where(channel_members.c.channel_id == _CHANNEL, channel_members.c.user_id == bindparam("b_user_id"))
    .values(
        msg_count=bindparam("total"),
        msg_count_root=bindparam("total_root"),
        mention_count=0,
        mention_count_root=0,
        urgent_mention_count=0,
        last_viewed_at=_later(channel_members.c.last_viewed_at, _AT),
        last_update_at=_AT,
    )
)
_ADD_MENTIONS = {
    is_root: update(channel_members)
    .where(
        channel_members.c.channel_id == _CHANNEL,
        channel_members.c.user_id.in_(bindparam("user_ids", expanding=True)),
    )
    .values(
        mention_count=channel_members.c.mention_count + 1,
        last_update_at=_AT,
        **({"mention_count_root": channel_members.c.mention_count_root + 1} if is_root else {}),
    )
    for is_root in (True, False)
}


async def count_new_post(conn: AsyncConnection, channel_id: str, at: int, is_root: bool) -> tuple[int, int]:
    """Adds a post to the channel's totals; returns the new (total, total_root)."""
    row = (await conn.execute(_COUNT_POST[is_root], {"b_channel_id": channel_id, "at": at})).one()
    return int(row[0]), int(row[1])


async def note_uncounted_post(conn: AsyncConnection, channel_id: str, at: int) -> None:
    """A root post the totals leave out (a join or leave) still moves the channel's last post time."""
    await conn.execute(_TOUCH_CHANNEL, {"b_channel_id": channel_id, "at": at})


async def mark_read_up_to(
    conn: AsyncConnection, channel_id: str, user_id: str, totals: tuple[int, int], at: int
) -> None:
    """The poster has read their own post, and everything before it."""
    params = {
        "b_channel_id": channel_id,
        "b_user_id": user_id,
        "total": totals[0],
        "total_root": totals[1],
        "at": at,
    }
    await conn.execute(_READ_UP_TO, params)


async def add_mentions(
    conn: AsyncConnection, channel_id: str, user_ids: Collection[str], is_root: bool, at: int
) -> None:
    if not user_ids:
        return
    params = {"b_channel_id": channel_id, "user_ids": list(user_ids), "at": at}
    await conn.execute(_ADD_MENTIONS[is_root], params)


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
