"""What deciding and sending notifications reads: members with their settings and presence,
registered devices, badge counts, and the out-of-office replies already sent."""

from collections.abc import Collection

from sqlalchemy import and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import (
    channel_members,
    posts,
    preferences,
    sessions,
    statuses,
    thread_memberships,
    threads,
    users,
)

AUTO_RESPONDER_POST_TYPE = "system_auto_responder"


async def channel_recipients(conn: AsyncConnection, channel_id: str) -> list[Row]:
    """Every active member of the channel with what the notification decision reads."""
    crt = preferences.alias("crt")
    query = (
        select(
            channel_members.c.user_id,
            channel_members.c.notify_props.label("channel_notify_props"),
            users.c.username,
            users.c.first_name,
            users.c.notify_props.label("user_notify_props"),
            users.c.is_bot,
            users.c.locale,
            statuses.c.status,
            statuses.c.dnd_end_time,
            statuses.c.prev_status,
            crt.c.value.label("collapsed_reply_threads"),
        )
        .join(users, users.c.id == channel_members.c.user_id)
        .outerjoin(statuses, statuses.c.user_id == channel_members.c.user_id)
        .outerjoin(
            crt,
            and_(
                crt.c.user_id == channel_members.c.user_id,
                crt.c.category == "display_settings",
                crt.c.name == "collapsed_reply_threads",
            ),
        )
        .where(channel_members.c.channel_id == channel_id, users.c.delete_at == 0)
    )
    return list((await conn.execute(query)).mappings())


async def thread_facts(conn: AsyncConnection, root_id: str) -> tuple[list[str], list[str]]:
    """(participants, followers) of a thread."""
    participants = await conn.scalar(select(threads.c.participants).where(threads.c.post_id == root_id))
    followers = await conn.scalars(
        select(thread_memberships.c.user_id).where(
            thread_memberships.c.post_id == root_id, thread_memberships.c.following.is_(True)
        )
    )
    return list(participants or []), list(followers)


async def devices(conn: AsyncConnection, user_ids: Collection[str], now: int) -> list[Row]:
    """The live sessions with a registered mobile device: id, user_id, device_id."""
    if not user_ids:
        return []
    query = select(sessions.c.id, sessions.c.user_id, sessions.c.device_id).where(
        sessions.c.user_id.in_(list(user_ids)),
        sessions.c.device_id != "",
        (sessions.c.expires_at == 0) | (sessions.c.expires_at > now),
    )
    return list((await conn.execute(query)).mappings())


async def has_device(conn: AsyncConnection, device_id: str, now: int) -> bool:
    query = select(sessions.c.id).where(
        sessions.c.device_id == device_id, (sessions.c.expires_at == 0) | (sessions.c.expires_at > now)
    )
    return (await conn.scalar(query.limit(1))) is not None


async def forget_device(conn: AsyncConnection, user_id: str, device_id: str) -> int:
    """The push proxy says the device is gone: no session pushes to it any more."""
    result = await conn.execute(
        update(sessions)
        .where(sessions.c.user_id == user_id, sessions.c.device_id == device_id)
        .values(device_id="")
    )
    return int(result.rowcount or 0)


async def badge_counts(conn: AsyncConnection, user_ids: Collection[str]) -> dict[str, int]:
    """The app's icon badge: the mentions unread over all the user's channels."""
    if not user_ids:
        return {}
    query = (
        select(channel_members.c.user_id, func.coalesce(func.sum(channel_members.c.mention_count), 0))
        .where(channel_members.c.user_id.in_(list(user_ids)))
        .group_by(channel_members.c.user_id)
    )
    return {user_id: int(total) for user_id, total in (await conn.execute(query)).all()}


async def channels_with_mentions(conn: AsyncConnection, user_id: str, channel_ids: list[str]) -> list[str]:
    query = select(channel_members.c.channel_id).where(
        channel_members.c.user_id == user_id,
        channel_members.c.channel_id.in_(channel_ids),
        channel_members.c.mention_count > 0,
    )
    return list(await conn.scalars(query))


async def has_auto_response_since(conn: AsyncConnection, channel_id: str, user_id: str, since: int) -> bool:
    query = select(posts.c.id).where(
        posts.c.channel_id == channel_id,
        posts.c.user_id == user_id,
        posts.c.type == AUTO_RESPONDER_POST_TYPE,
        posts.c.create_at >= since,
    )
    return (await conn.scalar(query.limit(1))) is not None


async def mention_total(conn: AsyncConnection, user_id: str, channel_ids: list[str]) -> int:
    query = select(func.coalesce(func.sum(channel_members.c.mention_count), 0)).where(
        channel_members.c.user_id == user_id, channel_members.c.channel_id.in_(channel_ids)
    )
    return int(await conn.scalar(query) or 0)
