"""Posts: root posts and replies. A deleted post keeps its row with delete_at set, as in Mattermost."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, and_, bindparam, func, insert, or_, select, true, union_all, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.previews.links import preview_keys
from villagepump.store import Row
from villagepump.store import files as file_store
from villagepump.store import link_previews as link_preview_store
from villagepump.store import reactions as reaction_store
from villagepump.store import threads as thread_store
from villagepump.store import users as user_store
from villagepump.store.tables import channel_members, channel_moderations, channels, posts, user_mutes, users

# System messages about membership, which Mattermost keeps out of channels' message counts.
JOIN_LEAVE_TYPES = frozenset(
    {
        "system_join_leave",
        "system_add_remove",
        "system_join_channel",
        "system_leave_channel",
        "system_join_team",
        "system_leave_team",
        "system_add_to_channel",
        "system_remove_from_channel",
        "system_add_to_team",
        "system_remove_from_team",
    }
)
_NEWEST_FIRST = (posts.c.create_at.desc(), posts.c.id.desc())
_OLDEST_FIRST = (posts.c.create_at.asc(), posts.c.id.asc())


_POST_BY_ID = select(posts).where(posts.c.id == bindparam("id"))


async def get_post(conn: AsyncConnection, post_id: str) -> Row | None:
    return (await conn.execute(_POST_BY_ID, {"id": post_id})).mappings().first()


async def get_posts(conn: AsyncConnection, post_ids: Sequence[str]) -> list[Row]:
    if not post_ids:
        return []
    query = select(posts).where(posts.c.id.in_(list(post_ids))).order_by(*_NEWEST_FIRST)
    return list((await conn.execute(query)).mappings())


_INSERT_POST = insert(posts)
_MODERATION_FLAGS = [
    column for column in channel_moderations.c if column.name not in ("channel_id", "update_at")
]
# With what decides whether the poster may post now: their mute (muted_until, None if never
# muted), the channel's moderation (None if it has none) and whether they admin the channel.
_POSTING_CONTEXT = (
    select(
        channels,
        users.c.username.label("poster_username"),
        channel_members.c.scheme_admin.label("poster_channel_admin"),
        user_mutes.c.until.label("muted_until"),
        *(column.label(f"moderation_{column.name}") for column in _MODERATION_FLAGS),
    )
    .join(
        channel_members,
        and_(
            channel_members.c.channel_id == channels.c.id, channel_members.c.user_id == bindparam("user_id")
        ),
    )
    .join(users, users.c.id == channel_members.c.user_id)
    .outerjoin(user_mutes, user_mutes.c.user_id == users.c.id)
    .outerjoin(channel_moderations, channel_moderations.c.channel_id == channels.c.id)
    .where(channels.c.id == bindparam("channel_id"))
)
# Inside a write: the channel and the membership stay as checked until it commits (store/locks.py).
_POSTING_CONTEXT_LOCKED = _POSTING_CONTEXT.with_for_update(key_share=True, of=[channels, channel_members])
# An incoming webhook's creator posts in any public channel of the hook's team, member or not,
# as in Mattermost (Matterbridge's webhook mode relies on it); a private channel still needs them.
_HOOK_POSTING_CONTEXT_LOCKED = (
    select(
        channels,
        users.c.username.label("poster_username"),
        channel_members.c.scheme_admin.label("poster_channel_admin"),
        user_mutes.c.until.label("muted_until"),
        *(column.label(f"moderation_{column.name}") for column in _MODERATION_FLAGS),
    )
    .select_from(channels)
    .join(users, users.c.id == bindparam("user_id"))
    .outerjoin(
        channel_members,
        and_(channel_members.c.channel_id == channels.c.id, channel_members.c.user_id == users.c.id),
    )
    .outerjoin(user_mutes, user_mutes.c.user_id == users.c.id)
    .outerjoin(channel_moderations, channel_moderations.c.channel_id == channels.c.id)
    .where(
        channels.c.id == bindparam("channel_id"),
        or_(channel_members.c.user_id.is_not(None), channels.c.type == "O"),
    )
    .with_for_update(key_share=True, of=[channels])
)


async def insert_post(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(_INSERT_POST, values)


async def posting_context(
    conn: AsyncConnection, channel_id: str, user_id: str, *, lock: bool = False, as_hook: bool = False
) -> Row | None:
    """The channel, with the poster's username, if the poster is a member; one query on the hot path.
    With `lock`, the channel and membership rows are locked until the transaction ends. With
    `as_hook` (locked too), a public channel is found for a non-member."""
    if as_hook:
        statement = _HOOK_POSTING_CONTEXT_LOCKED
    else:
        statement = _POSTING_CONTEXT_LOCKED if lock else _POSTING_CONTEXT
    result = await conn.execute(statement, {"channel_id": channel_id, "user_id": user_id})
    row: Row | None = result.mappings().first()
    return row


async def update_post(conn: AsyncConnection, post_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(posts).where(posts.c.id == post_id).values(**values))


async def touch_post(conn: AsyncConnection, post_id: str, at: int) -> None:
    """Moves update_at on, so clients that cache by update_at fetch the post again."""
    await conn.execute(update(posts).where(posts.c.id == post_id).values(update_at=at))


async def delete_post_and_replies(conn: AsyncConnection, post_id: str, at: int) -> None:
    await conn.execute(
        update(posts)
        .where(or_(posts.c.id == post_id, posts.c.root_id == post_id), posts.c.delete_at == 0)
        .values(delete_at=at, update_at=at)
    )


def _in_channel(channel_id: Any, roots_only: bool) -> Select[Any]:
    """The channel's posts (root posts only, with `roots_only`); `channel_id` is a value or, for
    the statements built once, a bindparam()."""
    query = select(posts).where(posts.c.channel_id == channel_id)
    if roots_only:
        query = query.where(posts.c.root_id == "")
    return query


async def _rows(conn: AsyncConnection, query: Select[Any]) -> list[Row]:
    return list((await conn.execute(query)).mappings())


async def channel_page(
    conn: AsyncConnection, channel_id: str, offset: int, limit: int, roots_only: bool
) -> list[Row]:
    query = _in_channel(channel_id, roots_only).where(posts.c.delete_at == 0)
    return await _rows(conn, query.order_by(*_NEWEST_FIRST).offset(offset).limit(limit))


def _since(roots_only: bool) -> Select[Any]:
    query = _in_channel(bindparam("channel_id"), roots_only).where(posts.c.update_at >= bindparam("since"))
    return query.order_by(*_NEWEST_FIRST).limit(bindparam("limit"))


# By roots_only.
_SINCE = {roots_only: _since(roots_only) for roots_only in (False, True)}


async def channel_since(
    conn: AsyncConnection, channel_id: str, since: int, roots_only: bool, limit: int = 1000
) -> list[Row]:
    """Posts created, edited or deleted since `since`, deleted ones included so clients drop them."""
    params = {"channel_id": channel_id, "since": since, "limit": limit}
    return list((await conn.execute(_SINCE[roots_only], params)).mappings())


# Keyset paging on (create_at, id). The outer bound on create_at alone is implied by the OR, but
# without it neither database narrows the (channel_id, create_at) index range: SQLite walked a
# channel's whole history to find the post after the newest page (1.4 ms at 2,000 posts,
# growing with the channel; with the bound, 6 µs).
def _before(anchor: Mapping[Any, Any]) -> Any:
    at = anchor["create_at"]
    return and_(posts.c.create_at <= at, or_(posts.c.create_at < at, posts.c.id < anchor["id"]))


def _after(anchor: Mapping[Any, Any]) -> Any:
    at = anchor["create_at"]
    return and_(posts.c.create_at >= at, or_(posts.c.create_at > at, posts.c.id > anchor["id"]))


async def channel_before(
    conn: AsyncConnection, channel_id: str, anchor: Row, offset: int, limit: int, roots_only: bool
) -> list[Row]:
    query = _in_channel(channel_id, roots_only).where(posts.c.delete_at == 0, _before(anchor))
    return await _rows(conn, query.order_by(*_NEWEST_FIRST).offset(offset).limit(limit))


async def channel_after(
    conn: AsyncConnection, channel_id: str, anchor: Row, offset: int, limit: int, roots_only: bool
) -> list[Row]:
    """The `limit` posts just after the anchor, newest first."""
    query = _in_channel(channel_id, roots_only).where(posts.c.delete_at == 0, _after(anchor))
    rows = await _rows(conn, query.order_by(*_OLDEST_FIRST).offset(offset).limit(limit))
    rows.reverse()
    return rows


def _neighbour(roots_only: bool, newer: bool) -> Any:
    side = "newest" if newer else "oldest"
    anchor: dict[str, Any] = {"create_at": bindparam(f"{side}_create_at"), "id": bindparam(f"{side}_id")}
    query = select(posts.c.id).where(
        posts.c.channel_id == bindparam("channel_id"),
        posts.c.delete_at == 0,
        _after(anchor) if newer else _before(anchor),
    )
    if roots_only:
        query = query.where(posts.c.root_id == "")
    return query.order_by(*(_OLDEST_FIRST if newer else _NEWEST_FIRST)).limit(1).scalar_subquery()


# Both neighbours in one statement, by roots_only.
_NEIGHBOURS = {r: select(_neighbour(r, newer=False), _neighbour(r, newer=True)) for r in (False, True)}


async def neighbour_ids(
    conn: AsyncConnection, channel_id: str, page: list[Row], roots_only: bool
) -> tuple[str, str]:
    """(previous, next): the posts just older and just newer than a page of posts, newest first."""
    if not page:
        return "", ""
    oldest, newest = page[-1], page[0]
    params = {
        "channel_id": channel_id,
        "oldest_create_at": oldest["create_at"],
        "oldest_id": oldest["id"],
        "newest_create_at": newest["create_at"],
        "newest_id": newest["id"],
    }
    previous, following = (await conn.execute(_NEIGHBOURS[roots_only], params)).one()
    return previous or "", following or ""


async def surrounding(conn: AsyncConnection, post: Row, count: int) -> tuple[list[Row], list[Row]]:
    """Up to `count` live posts just before and just after `post`, each oldest first: in its
    thread for a reply, else in its channel (replies included, as a channel without collapsed
    threads shows them). For the snapshot a report keeps (moderation/reports.py)."""
    base = select(posts).where(posts.c.channel_id == post["channel_id"], posts.c.delete_at == 0)
    if post["root_id"]:
        base = base.where(or_(posts.c.id == post["root_id"], posts.c.root_id == post["root_id"]))
    before = await _rows(conn, base.where(_before(post)).order_by(*_NEWEST_FIRST).limit(count))
    after = await _rows(conn, base.where(_after(post)).order_by(*_OLDEST_FIRST).limit(count))
    before.reverse()
    return before, after


async def thread_replies(
    conn: AsyncConnection, root_id: str, *, limit: int, from_create_at: int, from_id: str, newer: bool
) -> tuple[list[Row], bool]:
    """A page of replies, newest first, and whether more lie beyond it in the direction read.

    `newer` reads forward in time from the starting point; otherwise backward from it (or from
    the newest reply when there is no starting point).
    """
    query = select(posts).where(posts.c.root_id == root_id, posts.c.delete_at == 0)
    if from_create_at or from_id:
        anchor = {"create_at": from_create_at, "id": from_id}
        query = query.where(_after(anchor) if newer else _before(anchor))
    query = query.order_by(*(_OLDEST_FIRST if newer else _NEWEST_FIRST))
    if limit:
        query = query.limit(limit + 1)
    rows = await _rows(conn, query)
    has_more = bool(limit) and len(rows) > limit
    rows = rows[:limit] if limit else rows
    if newer:
        rows.reverse()
    return rows, has_more


async def pinned(conn: AsyncConnection, channel_id: str) -> list[Row]:
    query = select(posts).where(
        posts.c.channel_id == channel_id, posts.c.is_pinned == true(), posts.c.delete_at == 0
    )
    return await _rows(conn, query.order_by(*_NEWEST_FIRST))


def _around(roots_only: bool, newer: bool) -> Any:
    at: Any = bindparam("at")
    query = _in_channel(bindparam("channel_id"), roots_only).where(
        posts.c.delete_at == 0, posts.c.create_at > at if newer else posts.c.create_at <= at
    )
    order, limit = (_OLDEST_FIRST, "after") if newer else (_NEWEST_FIRST, "before")
    # Each side is a subquery of its own: a compound SELECT takes no ORDER BY or LIMIT in its parts.
    return select(query.order_by(*order).limit(bindparam(limit)).subquery())


# Both sides in one statement, by roots_only.
_AROUND = {r: union_all(_around(r, newer=True), _around(r, newer=False)) for r in (False, True)}


async def around_time(
    conn: AsyncConnection, channel_id: str, at: int, before: int, after: int, roots_only: bool
) -> list[Row]:
    """Up to `before` posts at or before `at` and `after` posts after it, newest first."""
    params = {"channel_id": channel_id, "at": at, "before": before, "after": after}
    rows = list((await conn.execute(_AROUND[roots_only], params)).mappings())
    # The sides do not overlap (after `at`, and at or before it), so one sort orders both.
    rows.sort(key=lambda row: (row["create_at"], row["id"]), reverse=True)
    return rows


async def count_from(conn: AsyncConnection, channel_id: str, at: int) -> tuple[int, int]:
    """How many posts, and root posts, the channel received at or after `at` as its totals count
    them: deleted ones too, joins and leaves not."""
    query = select(func.count(), func.count().filter(posts.c.root_id == "")).where(
        posts.c.channel_id == channel_id, posts.c.create_at >= at, posts.c.type.not_in(JOIN_LEAVE_TYPES)
    )
    row = (await conn.execute(query)).one()
    return int(row[0]), int(row[1])


async def messages_from(conn: AsyncConnection, channel_id: str, at: int, root_id: str = "") -> list[Row]:
    """Authors, messages, roots and types of live posts at or after `at`, to count mentions again."""
    query = select(posts.c.user_id, posts.c.message, posts.c.root_id, posts.c.type).where(
        posts.c.create_at >= at, posts.c.delete_at == 0
    )
    query = (
        query.where(posts.c.root_id == root_id) if root_id else query.where(posts.c.channel_id == channel_id)
    )
    return await _rows(conn, query)


@dataclass(slots=True)
class PostContext:
    """What a post's JSON needs beyond its own row, loaded once for a whole list."""

    reactions: dict[str, list[Row]] = field(default_factory=dict)
    threads: dict[str, Row] = field(default_factory=dict)
    # With collapsed threads: the root ids the viewer follows (None: not asked for).
    following: set[str] | None = None
    # With collapsedThreadsExtended: participants as user rows, by id.
    users: dict[str, Row] | None = None
    # File infos of the posts that have files, by post id.
    files: dict[str, list[Row]] = field(default_factory=dict)
    # What link previews found at the posts' links, by cache key (previews/links.py).
    previews: dict[str, Row] = field(default_factory=dict)


async def load_context(
    conn: AsyncConnection,
    rows: Iterable[Row],
    viewer_id: str,
    *,
    collapsed: bool = False,
    extended: bool = False,
    previews: bool = True,
) -> PostContext:
    """Reactions, thread counts, files, link previews (unless `previews` is off: an admin who
    turns them off hides those already fetched too, as Mattermost does) and (with collapsed
    threads) follow state and participants."""
    rows = list(rows)
    if not rows:
        return PostContext(following=set() if collapsed else None, users={} if extended else None)
    root_ids = {row["root_id"] or row["id"] for row in rows}
    context = PostContext(
        reactions=await reaction_store.reactions_for_posts(conn, [row["id"] for row in rows]),
        threads=await thread_store.get_threads(conn, root_ids),
        files=await file_store.files_for_posts(conn, [row["id"] for row in rows if row["file_ids"]]),
        previews=await link_preview_store.get_previews(conn, preview_keys(rows)) if previews else {},
    )
    if collapsed:
        memberships = await thread_store.memberships_for(conn, viewer_id, list(context.threads))
        context.following = {root for root, m in memberships.items() if m["following"]}
    if extended:
        participant_ids = {u for thread in context.threads.values() for u in thread["participants"] or []}
        context.users = {user["id"]: user for user in await user_store.get_users(conn, participant_ids)}
    return context
