"""Data retention: custom policies for teams and channels, and the deletion of expired posts,
files and cached link previews with everything that hangs on them (decision 0032)."""

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, locks, upsert_insert
from villagepump.store.posts import JOIN_LEAVE_TYPES
from villagepump.store.tables import (
    channel_members,
    channels,
    file_infos,
    link_previews,
    posts,
    preferences,
    reactions,
    retention_policies,
    retention_policy_channels,
    retention_policy_teams,
    team_members,
    teams,
    thread_memberships,
    threads,
)
from villagepump.store.teams import escape_like

# -- policies ------------------------------------------------------------------------------------


def _counted_policies() -> Any:
    team_count = (
        select(func.count())
        .select_from(retention_policy_teams)
        .where(retention_policy_teams.c.policy_id == retention_policies.c.id)
        .scalar_subquery()
    )
    channel_count = (
        select(func.count())
        .select_from(retention_policy_channels)
        .where(retention_policy_channels.c.policy_id == retention_policies.c.id)
        .scalar_subquery()
    )
    return select(retention_policies, team_count.label("team_count"), channel_count.label("channel_count"))


async def get_policy(conn: AsyncConnection, policy_id: str) -> Row | None:
    query = _counted_policies().where(retention_policies.c.id == policy_id)
    return (await conn.execute(query)).mappings().first()


async def list_policies(conn: AsyncConnection, page: int, per_page: int) -> list[Row]:
    query = (
        _counted_policies()
        .order_by(retention_policies.c.display_name, retention_policies.c.id)
        .offset(page * per_page)
        .limit(per_page)
    )
    return list((await conn.execute(query)).mappings())


async def count_policies(conn: AsyncConnection) -> int:
    return int((await conn.execute(select(func.count()).select_from(retention_policies))).scalar_one())


async def insert_policy(conn: AsyncConnection, policy_id: str, display_name: str, post_duration: int) -> None:
    await conn.execute(
        insert(retention_policies).values(
            id=policy_id, display_name=display_name, post_duration=post_duration
        )
    )


async def update_policy(conn: AsyncConnection, policy_id: str, values: dict[str, Any]) -> bool:
    result = await conn.execute(
        update(retention_policies).where(retention_policies.c.id == policy_id).values(**values)
    )
    return bool(result.rowcount)


async def delete_policy(conn: AsyncConnection, policy_id: str) -> bool:
    await conn.execute(delete(retention_policy_teams).where(retention_policy_teams.c.policy_id == policy_id))
    await conn.execute(
        delete(retention_policy_channels).where(retention_policy_channels.c.policy_id == policy_id)
    )
    result = await conn.execute(delete(retention_policies).where(retention_policies.c.id == policy_id))
    return bool(result.rowcount)


@dataclass(frozen=True)
class Scope:
    """Teams or channels: the table that assigns them to policies and its id column's name."""

    table: Any
    key: str


TEAMS = Scope(retention_policy_teams, "team_id")
CHANNELS = Scope(retention_policy_channels, "channel_id")


async def assign(conn: AsyncConnection, scope: Scope, policy_id: str, ids: Sequence[str]) -> None:
    """Puts these teams or channels under the policy; one under another policy moves to this one."""
    if not ids:
        return
    statement = upsert_insert(conn, scope.table).values([{scope.key: i, "policy_id": policy_id} for i in ids])
    excluded = statement.excluded
    await conn.execute(
        statement.on_conflict_do_update(index_elements=[scope.key], set_={"policy_id": excluded.policy_id})
    )


async def unassign(conn: AsyncConnection, scope: Scope, policy_id: str, ids: Sequence[str]) -> None:
    column = scope.table.c[scope.key]
    await conn.execute(delete(scope.table).where(scope.table.c.policy_id == policy_id, column.in_(list(ids))))


async def replace(conn: AsyncConnection, scope: Scope, policy_id: str, ids: Sequence[str]) -> None:
    """The policy's teams or channels become exactly these."""
    await conn.execute(delete(scope.table).where(scope.table.c.policy_id == policy_id))
    await assign(conn, scope, policy_id, ids)


async def policy_teams(
    conn: AsyncConnection, policy_id: str, page: int, per_page: int
) -> tuple[list[Row], int]:
    joined = teams.join(retention_policy_teams, retention_policy_teams.c.team_id == teams.c.id)
    where = retention_policy_teams.c.policy_id == policy_id
    rows = await conn.execute(
        select(teams)
        .select_from(joined)
        .where(where)
        .order_by(teams.c.display_name, teams.c.id)
        .offset(page * per_page)
        .limit(per_page)
    )
    total = await conn.execute(select(func.count()).select_from(joined).where(where))
    return list(rows.mappings()), int(total.scalar_one())


async def policy_channels(
    conn: AsyncConnection, policy_id: str, page: int, per_page: int
) -> tuple[list[Row], int]:
    joined = channels.join(retention_policy_channels, retention_policy_channels.c.channel_id == channels.c.id)
    where = retention_policy_channels.c.policy_id == policy_id
    team_columns = (
        teams.c.display_name.label("team_display_name"),
        teams.c.name.label("team_name"),
        teams.c.update_at.label("team_update_at"),
    )
    rows = await conn.execute(
        select(channels, *team_columns)
        .select_from(joined.outerjoin(teams, teams.c.id == channels.c.team_id))
        .where(where)
        .order_by(channels.c.display_name, channels.c.id)
        .offset(page * per_page)
        .limit(per_page)
    )
    total = await conn.execute(select(func.count()).select_from(joined).where(where))
    return list(rows.mappings()), int(total.scalar_one())


SEARCH_LIMIT = 100


def _matching(term: str, *columns: Any) -> Any:
    pattern = f"%{escape_like(term.lower())}%"
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))


async def search_policy_teams(conn: AsyncConnection, policy_id: str, term: str) -> list[Row]:
    """The policy's teams whose name or display name holds `term` (Mattermost's TeamSearch)."""
    query = (
        select(teams)
        .join(retention_policy_teams, retention_policy_teams.c.team_id == teams.c.id)
        .where(
            retention_policy_teams.c.policy_id == policy_id,
            _matching(term, teams.c.name, teams.c.display_name),
        )
        .order_by(teams.c.display_name, teams.c.id)
        .limit(SEARCH_LIMIT)
    )
    return list((await conn.execute(query)).mappings())


@dataclass(frozen=True)
class ChannelSearch:
    """Mattermost's ChannelSearch, as the policy editor sends it."""

    term: str = ""
    team_ids: tuple[str, ...] = ()
    public: bool = False
    private: bool = False
    deleted: bool = False


async def search_policy_channels(conn: AsyncConnection, policy_id: str, search: ChannelSearch) -> list[Row]:
    """The policy's channels whose name, display name or purpose holds the term."""
    conditions = [
        retention_policy_channels.c.policy_id == policy_id,
        _matching(search.term, channels.c.name, channels.c.display_name, channels.c.purpose),
    ]
    if search.team_ids:
        conditions.append(channels.c.team_id.in_(list(search.team_ids)))
    if search.public != search.private:
        conditions.append(channels.c.type == ("O" if search.public else "P"))
    if search.deleted:
        conditions.append(channels.c.delete_at != 0)
    team_columns = (
        teams.c.display_name.label("team_display_name"),
        teams.c.name.label("team_name"),
        teams.c.update_at.label("team_update_at"),
    )
    query = (
        select(channels, *team_columns)
        .join(retention_policy_channels, retention_policy_channels.c.channel_id == channels.c.id)
        .outerjoin(teams, teams.c.id == channels.c.team_id)
        .where(*conditions)
        .order_by(channels.c.display_name, channels.c.id)
        .limit(SEARCH_LIMIT)
    )
    return list((await conn.execute(query)).mappings())


async def team_policies_for_user(
    conn: AsyncConnection, user_id: str, page: int, per_page: int
) -> tuple[list[Row], int]:
    """The policies of the teams the user is in: [{team_id, post_duration}] and how many."""
    joined = retention_policy_teams.join(
        retention_policies, retention_policies.c.id == retention_policy_teams.c.policy_id
    ).join(
        team_members,
        and_(
            team_members.c.team_id == retention_policy_teams.c.team_id,
            team_members.c.user_id == user_id,
            team_members.c.delete_at == 0,
        ),
    )
    query = select(retention_policy_teams.c.team_id, retention_policies.c.post_duration).select_from(joined)
    return await _page_with_total(conn, query, retention_policy_teams.c.team_id, page, per_page)


async def channel_policies_for_user(
    conn: AsyncConnection, user_id: str, page: int, per_page: int
) -> tuple[list[Row], int]:
    """The policies of the channels the user is in: [{channel_id, post_duration}] and how many."""
    joined = retention_policy_channels.join(
        retention_policies, retention_policies.c.id == retention_policy_channels.c.policy_id
    ).join(
        channel_members,
        and_(
            channel_members.c.channel_id == retention_policy_channels.c.channel_id,
            channel_members.c.user_id == user_id,
        ),
    )
    query = select(retention_policy_channels.c.channel_id, retention_policies.c.post_duration).select_from(
        joined
    )
    return await _page_with_total(conn, query, retention_policy_channels.c.channel_id, page, per_page)


async def _page_with_total(
    conn: AsyncConnection, query: Any, order: Any, page: int, per_page: int
) -> tuple[list[Row], int]:
    rows = await conn.execute(query.order_by(order).offset(page * per_page).limit(per_page))
    total = await conn.execute(select(func.count()).select_from(query.subquery()))
    return list(rows.mappings()), int(total.scalar_one())


async def channel_durations(conn: AsyncConnection) -> dict[str, int]:
    """Channel id -> post_duration (days) of every channel under a custom policy."""
    rows = await conn.execute(
        select(retention_policy_channels.c.channel_id, retention_policies.c.post_duration).join(
            retention_policies, retention_policies.c.id == retention_policy_channels.c.policy_id
        )
    )
    return {channel_id: duration for channel_id, duration in rows}


async def team_durations(conn: AsyncConnection) -> dict[str, int]:
    """Team id -> post_duration (days) of every team under a custom policy."""
    rows = await conn.execute(
        select(retention_policy_teams.c.team_id, retention_policies.c.post_duration).join(
            retention_policies, retention_policies.c.id == retention_policy_teams.c.policy_id
        )
    )
    return {team_id: duration for team_id, duration in rows}


async def all_channel_teams(conn: AsyncConnection) -> list[tuple[str, str]]:
    """(channel id, team id) of every channel, archived ones included: their posts expire too."""
    rows = await conn.execute(select(channels.c.id, channels.c.team_id).order_by(channels.c.id))
    return [(channel_id, team_id) for channel_id, team_id in rows]


# -- deletion ------------------------------------------------------------------------------------


async def expired_posts(conn: AsyncConnection, channel_id: str, cutoff: int, limit: int) -> list[Row]:
    """The channel's oldest posts created before `cutoff` (the index on channel and time finds
    them), with the storage keys of their files."""
    rows = await conn.execute(
        select(posts.c.id, posts.c.create_at, posts.c.root_id)
        .where(posts.c.channel_id == channel_id, posts.c.create_at < cutoff)
        .order_by(posts.c.create_at, posts.c.id)
        .limit(limit)
    )
    return list(rows.mappings())


async def file_keys_of_posts(conn: AsyncConnection, post_ids: Sequence[str]) -> list[str]:
    rows = await conn.execute(
        select(file_infos.c.path, file_infos.c.thumbnail_path, file_infos.c.preview_path).where(
            file_infos.c.post_id.in_(list(post_ids))
        )
    )
    return [key for row in rows for key in row if key]


async def delete_posts(conn: AsyncConnection, channel_id: str, post_ids: Sequence[str]) -> int:
    """Deletes these posts of one channel and what hangs on them (reactions, file records, saved
    flags, the threads they are the root of), and takes them out of the channel's counts and
    its members' read counts. Returns how many posts were deleted (another run may have been
    first). The search index rows go with the posts, by trigger (search/engines.py)."""
    # The channel's row first, as every writer that touches its posts takes it (decision 0007);
    # then the posts, deleted with RETURNING, so that of two runs at once (the job and the CLI)
    # only the one that deleted a post takes it off the counts.
    await locks.lock_channel(conn, channel_id)
    gone = await conn.execute(
        delete(posts)
        .where(posts.c.id.in_(list(post_ids)), posts.c.channel_id == channel_id)
        .returning(posts.c.id, posts.c.create_at, posts.c.root_id, posts.c.type)
    )
    found = list(gone.mappings())
    if not found:
        return 0
    ids = [row["id"] for row in found]
    await conn.execute(delete(reactions).where(reactions.c.post_id.in_(ids)))
    await conn.execute(delete(file_infos).where(file_infos.c.post_id.in_(ids)))
    await conn.execute(
        delete(preferences).where(preferences.c.category == "flagged_post", preferences.c.name.in_(ids))
    )
    await conn.execute(delete(thread_memberships).where(thread_memberships.c.post_id.in_(ids)))
    await conn.execute(delete(threads).where(threads.c.post_id.in_(ids)))
    await _uncount_replies(conn, [row for row in found if row["root_id"]], set(ids))
    # Joins and leaves were never counted (actions/posts.create_system_post_in).
    await _uncount_in_channel(conn, channel_id, [row for row in found if row["type"] not in JOIN_LEAVE_TYPES])
    return len(found)


async def _uncount_replies(conn: AsyncConnection, replies: list[Row], deleted: set[str]) -> None:
    """Threads whose root stays lose the deleted replies from their reply count."""
    by_root: dict[str, int] = {}
    for row in replies:
        if row["root_id"] not in deleted:
            by_root[row["root_id"]] = by_root.get(row["root_id"], 0) + 1
    for root_id, count in by_root.items():
        await conn.execute(
            update(threads)
            .where(threads.c.post_id == root_id)
            .values(reply_count=case((threads.c.reply_count > count, threads.c.reply_count - count), else_=0))
        )


def _minus(column: Any, amount: int) -> Any:
    return case((column > amount, column - amount), else_=0)


async def _uncount_in_channel(conn: AsyncConnection, channel_id: str, found: list[Row]) -> None:
    """The channel's totals lose every deleted post; a member's read counts lose those the member
    had read (created at or before their last view), so unread counts stay what they were,
    less the deleted posts that were unread. Members fall into a few bands of last_viewed_at
    (usually one: everything read), one UPDATE per band."""
    if not found:
        return
    all_times = sorted(row["create_at"] for row in found)
    root_times = sorted(row["create_at"] for row in found if not row["root_id"])
    await conn.execute(
        update(channels)
        .where(channels.c.id == channel_id)
        .values(
            total_msg_count=_minus(channels.c.total_msg_count, len(all_times)),
            total_msg_count_root=_minus(channels.c.total_msg_count_root, len(root_times)),
        )
    )
    viewed = await conn.execute(
        select(channel_members.c.last_viewed_at).where(channel_members.c.channel_id == channel_id).distinct()
    )
    bands: dict[tuple[int, int], list[int]] = {}
    for (at,) in viewed:
        key = (bisect.bisect_right(all_times, at), bisect.bisect_right(root_times, at))
        bands.setdefault(key, []).append(at)
    for (read, read_root), times in bands.items():
        if read == 0 and read_root == 0:
            continue
        await conn.execute(
            update(channel_members)
            .where(
                channel_members.c.channel_id == channel_id,
                channel_members.c.last_viewed_at.between(min(times), max(times)),
            )
            .values(
                msg_count=_minus(channel_members.c.msg_count, read),
                msg_count_root=_minus(channel_members.c.msg_count_root, read_root),
            )
        )


async def expired_files(conn: AsyncConnection, cutoff: int, limit: int) -> list[Row]:
    """Files uploaded before `cutoff`, oldest first (the global file policy)."""
    rows = await conn.execute(
        select(file_infos.c.id, file_infos.c.path, file_infos.c.thumbnail_path, file_infos.c.preview_path)
        .where(file_infos.c.create_at < cutoff)
        .order_by(file_infos.c.create_at)
        .limit(limit)
    )
    return list(rows.mappings())


async def delete_file_records(conn: AsyncConnection, file_ids: Sequence[str]) -> int:
    result = await conn.execute(delete(file_infos).where(file_infos.c.id.in_(list(file_ids))))
    return int(result.rowcount)


async def delete_link_previews_before(conn: AsyncConnection, cutoff: int) -> int:
    """Cached link previews fetched before the cutoff: what a deleted message linked to."""
    result = await conn.execute(delete(link_previews).where(link_previews.c.fetched_at < cutoff))
    return int(result.rowcount)
