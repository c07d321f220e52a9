"""Server statistics for GET /analytics/old: counts, and per-day series each read by one grouped
query over a range of posts.create_at (indexed), never a query per day.

What counts (docs/decisions/0038-console-and-statistics.md): a post is a message a user or an
integration wrote, not a system message, and not deleted; a user is a person (no bots); an
active user is one seen (status or session activity) within the period. A team filter keeps
what belongs to the team: its channels' posts, its active members.
"""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, distinct, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store.tables import (
    channels,
    commands,
    incoming_webhooks,
    outgoing_webhooks,
    posts,
    sessions,
    statuses,
    team_members,
    teams,
    users,
)

DAY_MS = 24 * 60 * 60 * 1000


@dataclass(frozen=True)
class Scope:
    """The whole server, or one team."""

    team_id: str = ""


def _counted_posts(scope: Scope, since: int = 0) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [posts.c.delete_at == 0, ~posts.c.type.startswith("system_")]
    if since:
        conditions.append(posts.c.create_at >= since)
    if scope.team_id:
        conditions.append(
            posts.c.channel_id.in_(select(channels.c.id).where(channels.c.team_id == scope.team_id))
        )
    return conditions


def _people(scope: Scope) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [users.c.is_bot.is_(False)]
    if scope.team_id:
        conditions.append(
            users.c.id.in_(
                select(team_members.c.user_id).where(
                    team_members.c.team_id == scope.team_id, team_members.c.delete_at == 0
                )
            )
        )
    return conditions


async def _scalar(conn: AsyncConnection, query: Any) -> int:
    return int((await conn.execute(query)).scalar_one() or 0)


async def count_channels(conn: AsyncConnection, scope: Scope, channel_type: str) -> int:
    query = (
        select(func.count())
        .select_from(channels)
        .where(channels.c.type == channel_type, channels.c.delete_at == 0)
    )
    if scope.team_id:
        query = query.where(channels.c.team_id == scope.team_id)
    return await _scalar(conn, query)


async def count_posts(conn: AsyncConnection, scope: Scope) -> int:
    return await _scalar(conn, select(func.count()).select_from(posts).where(*_counted_posts(scope)))


async def count_users(conn: AsyncConnection, scope: Scope, *, deactivated: bool) -> int:
    state = users.c.delete_at > 0 if deactivated else users.c.delete_at == 0
    return await _scalar(conn, select(func.count()).select_from(users).where(state, *_people(scope)))


async def count_active_users(conn: AsyncConnection, scope: Scope, since: int) -> int:
    """People with an account in use who did something since `since` (ms): the status's last
    activity (what the WebSocket and the API touch) or a session's."""
    seen = or_(
        exists().where(statuses.c.user_id == users.c.id, statuses.c.last_activity_at >= since),
        exists().where(sessions.c.user_id == users.c.id, sessions.c.last_activity_at >= since),
    )
    query = select(func.count()).select_from(users).where(users.c.delete_at == 0, seen, *_people(scope))
    return await _scalar(conn, query)


async def count_teams(conn: AsyncConnection) -> int:
    return await _scalar(conn, select(func.count()).select_from(teams).where(teams.c.delete_at == 0))


async def posts_per_day(
    conn: AsyncConnection, scope: Scope, since: int, *, bots_only: bool = False
) -> dict[int, int]:
    """Counted posts per UTC day number (ms // DAY_MS) since `since`."""
    day = (posts.c.create_at // DAY_MS).label("day")
    query = select(day, func.count()).where(*_counted_posts(scope, since))
    if bots_only:
        query = query.where(posts.c.user_id.in_(select(users.c.id).where(users.c.is_bot.is_(True))))
    return {int(row[0]): int(row[1]) for row in await conn.execute(query.group_by(day))}


async def posters_per_day(conn: AsyncConnection, scope: Scope, since: int) -> dict[int, int]:
    """How many people (no bots) wrote at least one counted post, per UTC day number."""
    day = (posts.c.create_at // DAY_MS).label("day")
    people = select(users.c.id).where(users.c.is_bot.is_(False))
    query = (
        select(day, func.count(distinct(posts.c.user_id)))
        .where(*_counted_posts(scope, since), posts.c.user_id.in_(people))
        .group_by(day)
    )
    return {int(row[0]): int(row[1]) for row in await conn.execute(query)}


async def extra_counts(conn: AsyncConnection, scope: Scope, now: int) -> dict[str, int]:
    """Mattermost's extra_counts: posts with files or hashtags, integrations, live sessions."""
    counted = _counted_posts(scope)
    hooks_in = select(func.count()).select_from(incoming_webhooks).where(incoming_webhooks.c.delete_at == 0)
    hooks_out = select(func.count()).select_from(outgoing_webhooks).where(outgoing_webhooks.c.delete_at == 0)
    slash = select(func.count()).select_from(commands).where(commands.c.delete_at == 0)
    live = (
        select(func.count())
        .select_from(sessions)
        .where(or_(sessions.c.expires_at == 0, sessions.c.expires_at > now))
    )
    if scope.team_id:
        hooks_in = hooks_in.where(incoming_webhooks.c.team_id == scope.team_id)
        hooks_out = hooks_out.where(outgoing_webhooks.c.team_id == scope.team_id)
        slash = slash.where(commands.c.team_id == scope.team_id)
        live = live.where(sessions.c.user_id.in_(select(users.c.id).where(*_people(scope))))
    with_files = (
        select(func.count()).select_from(posts).where(*counted, func.length(cast(posts.c.file_ids, Text)) > 2)
    )
    with_hashtags = select(func.count()).select_from(posts).where(*counted, posts.c.hashtags != "")
    return {
        "file_post_count": await _scalar(conn, with_files),
        "hashtag_post_count": await _scalar(conn, with_hashtags),
        "incoming_webhook_count": await _scalar(conn, hooks_in),
        "outgoing_webhook_count": await _scalar(conn, hooks_out),
        "command_count": await _scalar(conn, slash),
        "session_count": await _scalar(conn, live),
    }
