"""Bulk writes and reads for Mattermost import and export (importer/): a batch of posts with its
replies, reactions, files, flags and search rows in a handful of multi-row statements, and the
counts that the post actions keep (channel totals, threads, read state) brought up to date for
the batch. Sync functions, run through `conn.run_sync`, so executemany goes straight to the
driver.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import BigInteger, and_, bindparam, case, insert, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from villagepump.store import search as search_store
from villagepump.store.posts import JOIN_LEAVE_TYPES
from villagepump.store.tables import (
    channel_members,
    channels,
    emoji,
    file_infos,
    posts,
    preferences,
    reactions,
    team_members,
    thread_memberships,
    threads,
    users,
)

PostKey = tuple[str, str, int, str]


def _dialect_insert(conn: Connection, table: Any) -> Any:
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)


def existing_posts(conn: Connection, keys: Sequence[PostKey]) -> dict[PostKey, str]:
    """Post ids by (channel, user, create_at, message): how Mattermost recognises a post it
    already imported. Two plain IN lists (which both databases walk through the index on
    (channel_id, create_at)); the odd row that matches both lists but no key is dropped here."""
    found: dict[PostKey, str] = {}
    wanted = set(keys)
    channel_ids = sorted({k[0] for k in keys})
    times = sorted({k[2] for k in keys})
    for start in range(0, len(times), 1000):
        query = select(
            posts.c.id, posts.c.channel_id, posts.c.user_id, posts.c.create_at, posts.c.message
        ).where(posts.c.channel_id.in_(channel_ids), posts.c.create_at.in_(times[start : start + 1000]))
        for row in conn.execute(query):
            key = (row.channel_id, row.user_id, row.create_at, row.message)
            if key in wanted:
                found[key] = row.id
    return found


def insert_batch(
    conn: Connection,
    post_rows: list[dict[str, Any]],
    reaction_rows: list[dict[str, Any]],
    file_rows: list[dict[str, Any]],
    preference_rows: list[dict[str, Any]],
) -> None:
    if post_rows:
        conn.execute(insert(posts), post_rows)
        searchable = [p for p in post_rows if search_store.is_searchable(p)]
        if searchable:
            search_store.index_posts(conn, searchable)
    if reaction_rows:
        statement = _dialect_insert(conn, reactions).on_conflict_do_nothing(
            index_elements=["post_id", "user_id", "emoji_name"]
        )
        conn.execute(statement, reaction_rows)
    if file_rows:
        conn.execute(insert(file_infos), file_rows)
        # Imported attachments are found by name; their text layers are not read here.
        search_store.index_files_sync(conn, file_rows, [""] * len(file_rows))
    if preference_rows:
        statement = _dialect_insert(conn, preferences).on_conflict_do_nothing(
            index_elements=["user_id", "category", "name"]
        )
        conn.execute(statement, preference_rows)


def insert_users(
    conn: Connection,
    user_rows: list[dict[str, Any]],
    team_member_rows: list[dict[str, Any]],
    channel_member_rows: list[dict[str, Any]],
    preference_rows: list[dict[str, Any]],
) -> None:
    """New users, and the memberships and preferences that are missing (existing ones stay)."""
    if user_rows:
        conn.execute(insert(users), user_rows)
    if team_member_rows:
        statement = _dialect_insert(conn, team_members).on_conflict_do_nothing(
            index_elements=["team_id", "user_id"]
        )
        conn.execute(statement, team_member_rows)
    if channel_member_rows:
        statement = _dialect_insert(conn, channel_members).on_conflict_do_nothing(
            index_elements=["channel_id", "user_id"]
        )
        conn.execute(statement, channel_member_rows)
    insert_batch(conn, [], [], [], preference_rows)


_COUNT_POSTS = (
    update(channels)
    .where(channels.c.id == bindparam("b_channel_id"))
    .values(
        total_msg_count=channels.c.total_msg_count + bindparam("b_count", type_=BigInteger),
        total_msg_count_root=channels.c.total_msg_count_root + bindparam("b_roots", type_=BigInteger),
        last_post_at=case(
            (channels.c.last_post_at < bindparam("b_last", type_=BigInteger), bindparam("b_last")),
            else_=channels.c.last_post_at,
        ),
        last_root_post_at=case(
            (
                channels.c.last_root_post_at < bindparam("b_last_root", type_=BigInteger),
                bindparam("b_last_root"),
            ),
            else_=channels.c.last_root_post_at,
        ),
    )
)


def count_posts(conn: Connection, new_posts: Iterable[dict[str, Any]]) -> None:
    """Adds the new posts to their channels' totals and last-post times, as each post does
    (joins and leaves move the times but, as in Mattermost, not the counts)."""
    totals: dict[str, list[int]] = {}
    for post in new_posts:
        entry = totals.setdefault(post["channel_id"], [0, 0, 0, 0])
        is_root = not post["root_id"]
        counted = post["type"] not in JOIN_LEAVE_TYPES
        entry[0] += counted
        entry[1] += is_root and counted
        entry[2] = max(entry[2], post["create_at"])
        if is_root:
            entry[3] = max(entry[3], post["create_at"])
    if totals:
        conn.execute(
            _COUNT_POSTS,
            [
                {
                    "b_channel_id": cid,
                    "b_count": n,
                    "b_roots": roots,
                    "b_last": last,
                    "b_last_root": last_root,
                }
                for cid, (n, roots, last, last_root) in totals.items()
            ],
        )


def refresh_threads(conn: Connection, root_ids: Sequence[str]) -> None:
    """Rebuilds the thread rows of these roots from their replies (count, last reply,
    participants in order of first reply) and makes the root's author and every participant
    follow, having read up to the last reply, as replying through the API would."""
    if not root_ids:
        return
    replies = (
        select(posts.c.root_id, posts.c.user_id, posts.c.create_at, posts.c.channel_id)
        .where(posts.c.root_id.in_(list(root_ids)), posts.c.delete_at == 0)
        .order_by(posts.c.root_id, posts.c.create_at)
    )
    summary: dict[str, dict[str, Any]] = {}
    for row in conn.execute(replies):
        entry = summary.setdefault(
            row.root_id, {"channel_id": row.channel_id, "count": 0, "last": 0, "participants": []}
        )
        entry["count"] += 1
        entry["last"] = max(entry["last"], row.create_at)
        if row.user_id not in entry["participants"]:
            entry["participants"].append(row.user_id)
    if not summary:
        return
    authors = dict(
        conn.execute(select(posts.c.id, posts.c.user_id).where(posts.c.id.in_(list(summary)))).tuples().all()
    )
    thread_rows = [
        {
            "post_id": root_id,
            "channel_id": entry["channel_id"],
            "reply_count": entry["count"],
            "last_reply_at": entry["last"],
            "participants": entry["participants"],
            "thread_delete_at": 0,
        }
        for root_id, entry in summary.items()
    ]
    statement = _dialect_insert(conn, threads)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=["post_id"],
            set_={
                "reply_count": statement.excluded.reply_count,
                "last_reply_at": statement.excluded.last_reply_at,
                "participants": statement.excluded.participants,
            },
        ),
        thread_rows,
    )
    member_rows = [
        {
            "post_id": root_id,
            "user_id": user_id,
            "following": True,
            "last_viewed": entry["last"],
            "last_updated": entry["last"],
            "unread_mentions": 0,
        }
        for root_id, entry in summary.items()
        for user_id in dict.fromkeys([authors.get(root_id, ""), *entry["participants"]])
        if user_id
    ]
    conn.execute(
        _dialect_insert(conn, thread_memberships).on_conflict_do_nothing(
            index_elements=["post_id", "user_id"]
        ),
        member_rows,
    )


def mark_history_read(conn: Connection, channel_ids: Sequence[str]) -> None:
    """Imported history is old news: every member has read their channels up to the last
    imported post, rather than finding years of messages unread."""
    for channel_id in channel_ids:
        channel = conn.execute(
            select(
                channels.c.total_msg_count, channels.c.total_msg_count_root, channels.c.last_post_at
            ).where(channels.c.id == channel_id)
        ).one()
        conn.execute(
            update(channel_members)
            .where(channel_members.c.channel_id == channel_id)
            .values(
                msg_count=channel.total_msg_count,
                msg_count_root=channel.total_msg_count_root,
                last_viewed_at=channel.last_post_at,
                mention_count=0,
                mention_count_root=0,
                urgent_mention_count=0,
            )
        )


def live_emoji_names(conn: Connection, names: Sequence[str]) -> set[str]:
    query = select(emoji.c.name).where(emoji.c.name.in_(list(names)), emoji.c.delete_at == 0)
    return set(conn.execute(query).scalars())


# -- export ------------------------------------------------------------------------------------


def root_posts_after(
    conn: Connection, channel_ids: Sequence[str], after: tuple[str, int, str], limit: int
) -> list[Any]:
    """Live root posts of these channels, in (channel, create_at, id) order after `after`."""
    position = tuple_(posts.c.channel_id, posts.c.create_at, posts.c.id)
    query = (
        select(posts)
        .where(
            posts.c.channel_id.in_(list(channel_ids)),
            posts.c.root_id == "",
            posts.c.delete_at == 0,
            position > tuple_(*after),
        )
        .order_by(posts.c.channel_id, posts.c.create_at, posts.c.id)
        .limit(limit)
    )
    return list(conn.execute(query).mappings())


def replies_of(conn: Connection, root_ids: Sequence[str]) -> list[Any]:
    query = (
        select(posts)
        .where(posts.c.root_id.in_(list(root_ids)), posts.c.delete_at == 0)
        .order_by(posts.c.root_id, posts.c.create_at, posts.c.id)
    )
    return list(conn.execute(query).mappings())


def reactions_of(conn: Connection, post_ids: Sequence[str]) -> list[Any]:
    query = select(reactions).where(reactions.c.post_id.in_(list(post_ids))).order_by(reactions.c.create_at)
    return list(conn.execute(query).mappings())


def files_of(conn: Connection, post_ids: Sequence[str]) -> list[Any]:
    query = (
        select(file_infos)
        .where(file_infos.c.post_id.in_(list(post_ids)), file_infos.c.delete_at == 0)
        .order_by(file_infos.c.create_at, file_infos.c.id)
    )
    return list(conn.execute(query).mappings())


def flags_of(conn: Connection, post_ids: Sequence[str]) -> list[Any]:
    query = select(preferences.c.user_id, preferences.c.name).where(
        and_(
            preferences.c.category == "flagged_post",
            preferences.c.name.in_(list(post_ids)),
            preferences.c.value == "true",
        )
    )
    return list(conn.execute(query).mappings())
