"""Notification mails: the queue of batched ones, and what a mail reads about its recipient and
its messages."""

from collections.abc import Collection

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import (
    channel_members,
    channels,
    email_notifications,
    posts,
    preferences,
    team_members,
    teams,
    thread_memberships,
    users,
)


async def queue(conn: AsyncConnection, user_id: str, post_id: str, channel_id: str, now: int) -> None:
    statement = upsert_insert(conn, email_notifications).values(
        user_id=user_id, post_id=post_id, channel_id=channel_id, queued_at=now
    )
    await conn.execute(statement.on_conflict_do_nothing(index_elements=["user_id", "post_id"]))


async def take_batch(conn: AsyncConnection, user_id: str, started_before: int) -> list[str]:
    """The post ids of the user's batch, removed from the queue, when its first notification was
    queued before `started_before`; else nothing. Of two takers at once, each row goes to one."""
    oldest = select(func.min(email_notifications.c.queued_at)).where(email_notifications.c.user_id == user_id)
    first = (await conn.execute(oldest)).scalar()
    if first is None or first >= started_before:
        return []
    statement = (
        delete(email_notifications)
        .where(email_notifications.c.user_id == user_id)
        .returning(email_notifications.c.post_id)
    )
    return [row[0] for row in await conn.execute(statement)]


async def forget_user(conn: AsyncConnection, user_id: str) -> None:
    await conn.execute(delete(email_notifications).where(email_notifications.c.user_id == user_id))


async def recipient(conn: AsyncConnection, user_id: str) -> Row | None:
    """The user with their email_interval preference (None when they never chose)."""
    interval = preferences.alias("interval")
    query = (
        select(
            users.c.id,
            users.c.email,
            users.c.email_verified,
            users.c.locale,
            users.c.timezone,
            users.c.delete_at,
            users.c.is_bot,
            users.c.notify_props,
            interval.c.value.label("email_interval"),
        )
        .outerjoin(
            interval,
            and_(
                interval.c.user_id == users.c.id,
                interval.c.category == "notifications",
                interval.c.name == "email_interval",
            ),
        )
        .where(users.c.id == user_id)
    )
    return (await conn.execute(query)).mappings().first()


async def unread_posts(conn: AsyncConnection, user_id: str, post_ids: Collection[str]) -> list[Row]:
    """Of `post_ids`, those the user has not read since they were posted and can still read
    (not deleted, still a member), oldest first, with their sender and channel. A post is read
    when its channel was viewed after it, or, for a reply, its thread was."""
    if not post_ids:
        return []
    sender = users.alias("sender")
    query = (
        select(
            posts.c.id,
            posts.c.message,
            posts.c.create_at,
            posts.c.channel_id,
            posts.c.props,
            sender.c.username.label("sender_name"),
            channels.c.type.label("channel_type"),
            channels.c.display_name.label("channel_name"),
            teams.c.name.label("team_name"),
        )
        .join(
            channel_members,
            and_(channel_members.c.channel_id == posts.c.channel_id, channel_members.c.user_id == user_id),
        )
        .join(channels, channels.c.id == posts.c.channel_id)
        .join(sender, sender.c.id == posts.c.user_id)
        .outerjoin(teams, teams.c.id == channels.c.team_id)
        .outerjoin(
            thread_memberships,
            and_(thread_memberships.c.post_id == posts.c.root_id, thread_memberships.c.user_id == user_id),
        )
        .where(
            posts.c.id.in_(list(post_ids)),
            posts.c.delete_at == 0,
            channels.c.delete_at == 0,
            channel_members.c.last_viewed_at < posts.c.create_at,
            or_(
                thread_memberships.c.last_viewed.is_(None),
                thread_memberships.c.last_viewed < posts.c.create_at,
            ),
        )
        .order_by(posts.c.create_at, posts.c.id)
    )
    return list((await conn.execute(query)).mappings())


async def team_name(conn: AsyncConnection, team_id: str) -> str:
    return str((await conn.execute(select(teams.c.name).where(teams.c.id == team_id))).scalar() or "")


async def first_team_name(conn: AsyncConnection, user_id: str) -> str:
    """Where a direct message's permalink points: the first of the user's teams by name."""
    query = (
        select(teams.c.name)
        .join(team_members, team_members.c.team_id == teams.c.id)
        .where(team_members.c.user_id == user_id, team_members.c.delete_at == 0, teams.c.delete_at == 0)
        .order_by(teams.c.name)
        .limit(1)
    )
    return str((await conn.execute(query)).scalar() or "")
