"""Threads (one row per root post with replies) and who follows them, with their read state."""

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, bindparam, case, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import channel_members, channels, posts, thread_memberships, threads

_MEMBERSHIP_KEY = ["post_id", "user_id"]


_THREAD = select(threads).where(threads.c.post_id == bindparam("post_id"))
_THREADS = select(threads).where(threads.c.post_id.in_(bindparam("post_ids", expanding=True)))
_MEMBERSHIPS = select(thread_memberships).where(
    thread_memberships.c.user_id == bindparam("user_id"),
    thread_memberships.c.post_id.in_(bindparam("post_ids", expanding=True)),
)


async def get_thread(conn: AsyncConnection, root_id: str) -> Row | None:
    return (await conn.execute(_THREAD, {"post_id": root_id})).mappings().first()


async def get_threads(conn: AsyncConnection, root_ids: Collection[str]) -> dict[str, Row]:
    if not root_ids:
        return {}
    rows = (await conn.execute(_THREADS, {"post_ids": list(root_ids)})).mappings()
    return {row["post_id"]: row for row in rows}


async def record_reply(conn: AsyncConnection, root_id: str, channel_id: str, user_id: str, at: int) -> Row:
    """Counts a new reply in its thread, creating the thread with its first reply."""
    query = select(threads).where(threads.c.post_id == root_id).with_for_update()
    thread = (await conn.execute(query)).mappings().first()
    if thread is None:
        # Several first replies may arrive together: one makes the row, and each then counts
        # itself under the row's lock, so no reply or participant is lost.
        empty = upsert_insert(conn, threads).values(
            post_id=root_id, channel_id=channel_id, reply_count=0, last_reply_at=0, participants=[]
        )
        await conn.execute(empty.on_conflict_do_nothing(index_elements=["post_id"]))
        thread = (await conn.execute(query)).mappings().one()
    participants = list(thread["participants"] or [])
    if user_id not in participants:
        participants.append(user_id)
    await conn.execute(
        update(threads)
        .where(threads.c.post_id == root_id)
        .values(
            reply_count=threads.c.reply_count + 1,
            last_reply_at=case((threads.c.last_reply_at < at, at), else_=threads.c.last_reply_at),
            participants=participants,
        )
    )
    row = await get_thread(conn, root_id)
    assert row is not None
    return row


async def recount_replies(conn: AsyncConnection, root_id: str) -> None:
    """After a reply is deleted: the count and the last reply time of what is left."""
    live = select(func.count(), func.coalesce(func.max(posts.c.create_at), 0)).where(
        posts.c.root_id == root_id, posts.c.delete_at == 0
    )
    count, last = (await conn.execute(live)).one()
    await conn.execute(
        update(threads).where(threads.c.post_id == root_id).values(reply_count=count, last_reply_at=last)
    )


async def mark_deleted(conn: AsyncConnection, root_id: str, at: int) -> None:
    await conn.execute(update(threads).where(threads.c.post_id == root_id).values(thread_delete_at=at))


async def follow_unless_unfollowed(conn: AsyncConnection, root_id: str, user_id: str, at: int) -> None:
    """The root's author follows a new thread, unless they have already chosen not to."""
    statement = upsert_insert(conn, thread_memberships).values(
        post_id=root_id, user_id=user_id, following=True, last_viewed=0, last_updated=at, unread_mentions=0
    )
    await conn.execute(statement.on_conflict_do_nothing(index_elements=_MEMBERSHIP_KEY))


async def record_participant(conn: AsyncConnection, root_id: str, user_id: str, at: int) -> None:
    """Whoever replies follows the thread and has read it up to their reply."""
    values = {"following": True, "last_viewed": at, "last_updated": at, "unread_mentions": 0}
    statement = upsert_insert(conn, thread_memberships).values(post_id=root_id, user_id=user_id, **values)
    await conn.execute(statement.on_conflict_do_update(index_elements=_MEMBERSHIP_KEY, set_=values))


async def add_mentions(conn: AsyncConnection, root_id: str, user_ids: Collection[str], at: int) -> None:
    """Mentioned users follow the thread (unless they unfollowed it) with one more unread mention."""
    if not user_ids:
        return
    rows = [
        {
            "post_id": root_id,
            "user_id": u,
            "following": True,
            "last_viewed": 0,
            "last_updated": at,
            "unread_mentions": 1,
        }
        for u in user_ids
    ]
    statement = upsert_insert(conn, thread_memberships).values(rows)
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=_MEMBERSHIP_KEY,
            set_={"unread_mentions": thread_memberships.c.unread_mentions + 1, "last_updated": at},
            where=thread_memberships.c.following.is_(True),
        )
    )


async def touch_followers(conn: AsyncConnection, root_id: str, at: int) -> None:
    await conn.execute(
        update(thread_memberships)
        .where(thread_memberships.c.post_id == root_id, thread_memberships.c.following.is_(True))
        .values(last_updated=at)
    )


async def set_following(conn: AsyncConnection, root_id: str, user_id: str, following: bool, at: int) -> None:
    values = {"following": following, "last_updated": at}
    statement = upsert_insert(conn, thread_memberships).values(
        post_id=root_id, user_id=user_id, last_viewed=0, unread_mentions=0, **values
    )
    await conn.execute(statement.on_conflict_do_update(index_elements=_MEMBERSHIP_KEY, set_=values))


async def set_read_state(
    conn: AsyncConnection,
    root_id: str,
    user_id: str,
    last_viewed: int,
    unread_mentions: int,
    at: int,
    *,
    follow: bool = False,
) -> None:
    """Upserts the user's read state; a new membership follows the thread, an existing one only
    when `follow` (marking a thread unread follows it again)."""
    values: dict[str, Any] = {
        "last_viewed": last_viewed,
        "unread_mentions": unread_mentions,
        "last_updated": at,
    }
    if follow:
        values["following"] = True
    statement = upsert_insert(conn, thread_memberships).values(
        post_id=root_id, user_id=user_id, **{"following": True, **values}
    )
    await conn.execute(statement.on_conflict_do_update(index_elements=_MEMBERSHIP_KEY, set_=values))


async def mark_all_read(conn: AsyncConnection, user_id: str, team_id: str, at: int) -> None:
    in_team = select(threads.c.post_id).join(channels, channels.c.id == threads.c.channel_id)
    in_team = in_team.where(or_(channels.c.team_id == team_id, channels.c.team_id == ""))
    await conn.execute(
        update(thread_memberships)
        .where(thread_memberships.c.user_id == user_id, thread_memberships.c.post_id.in_(in_team))
        .values(last_viewed=at, unread_mentions=0, last_updated=at)
    )


def _unread_replies() -> Any:
    return (
        select(func.count())
        .where(
            posts.c.root_id == thread_memberships.c.post_id,
            posts.c.create_at > thread_memberships.c.last_viewed,
            posts.c.delete_at == 0,
        )
        .scalar_subquery()
        .label("unread_replies")
    )


def _with_membership() -> Select[Any]:
    return select(
        threads,
        thread_memberships.c.user_id,
        thread_memberships.c.following,
        thread_memberships.c.last_viewed,
        thread_memberships.c.last_updated,
        thread_memberships.c.unread_mentions,
        _unread_replies(),
    ).join(thread_memberships, thread_memberships.c.post_id == threads.c.post_id)


async def followers(conn: AsyncConnection, root_id: str) -> list[Row]:
    """Every follower's view of the thread: membership, unread replies and mentions."""
    query = _with_membership().where(threads.c.post_id == root_id, thread_memberships.c.following.is_(True))
    return list((await conn.execute(query.order_by(thread_memberships.c.user_id))).mappings())


async def thread_for_user(conn: AsyncConnection, root_id: str, user_id: str) -> Row | None:
    query = _with_membership().where(threads.c.post_id == root_id, thread_memberships.c.user_id == user_id)
    row: Row | None = (await conn.execute(query)).mappings().first()
    return row


@dataclass(slots=True)
class ThreadQuery:
    user_id: str
    team_id: str
    exclude_direct: bool = False
    deleted: bool = False
    unread_only: bool = False
    since: int = 0
    before: Row | None = None
    after: Row | None = None
    limit: int = 25


def _followed(q: ThreadQuery, base: Select[Any]) -> Select[Any]:
    """Threads the user follows in channels they still belong to, in the team (and, unless
    excluded, in their direct and group messages, which belong to every team)."""
    teams = [channels.c.team_id == q.team_id] + ([] if q.exclude_direct else [channels.c.team_id == ""])
    query = (
        base.join(channels, channels.c.id == threads.c.channel_id)
        .join(
            channel_members,
            and_(
                channel_members.c.channel_id == threads.c.channel_id,
                channel_members.c.user_id == thread_memberships.c.user_id,
            ),
        )
        .where(
            thread_memberships.c.user_id == q.user_id, thread_memberships.c.following.is_(True), or_(*teams)
        )
    )
    if not q.deleted:
        query = query.where(threads.c.thread_delete_at == 0)
    return query


def _position(anchor: Row, newer: bool) -> Any:
    # The outer bound lets the index range narrow (as posts._before says).
    at, root_id = anchor["last_reply_at"], anchor["post_id"]
    if newer:
        return and_(
            threads.c.last_reply_at >= at, or_(threads.c.last_reply_at > at, threads.c.post_id > root_id)
        )
    return and_(threads.c.last_reply_at <= at, or_(threads.c.last_reply_at < at, threads.c.post_id < root_id))


async def list_threads(conn: AsyncConnection, q: ThreadQuery) -> list[Row]:
    """Followed threads, most recently replied first."""
    query = _followed(q, _with_membership())
    if q.since:
        query = query.where(
            or_(thread_memberships.c.last_updated >= q.since, threads.c.last_reply_at >= q.since)
        )
    if q.unread_only:
        query = query.where(threads.c.last_reply_at > thread_memberships.c.last_viewed)
    if q.before is not None:
        query = query.where(_position(q.before, newer=False))
    if q.after is not None:
        query = query.where(_position(q.after, newer=True))
    query = query.order_by(threads.c.last_reply_at.desc(), threads.c.post_id.desc()).limit(q.limit)
    return list((await conn.execute(query)).mappings())


async def totals(conn: AsyncConnection, q: ThreadQuery) -> tuple[int, int, int]:
    """(threads followed, unread threads, unread mentions)."""
    unread = threads.c.last_reply_at > thread_memberships.c.last_viewed
    base = select(
        func.count(),
        func.count().filter(unread),
        func.coalesce(func.sum(thread_memberships.c.unread_mentions), 0),
    ).select_from(threads.join(thread_memberships, thread_memberships.c.post_id == threads.c.post_id))
    row = (await conn.execute(_followed(q, base))).one()
    return int(row[0]), int(row[1]), int(row[2])


async def memberships_for(conn: AsyncConnection, user_id: str, root_ids: Sequence[str]) -> dict[str, Row]:
    if not root_ids:
        return {}
    rows = (await conn.execute(_MEMBERSHIPS, {"user_id": user_id, "post_ids": list(root_ids)})).mappings()
    return {row["post_id"]: row for row in rows}
