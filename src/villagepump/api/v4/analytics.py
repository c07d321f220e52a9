"""Server statistics on Mattermost's wire (GET /analytics/old): the System Console and the
official apps read a list of {name, value} rows, picked by `name`, optionally for one team."""

import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, query_id, query_str, runtime
from villagepump.clock import now_ms_of
from villagepump.runtime import Runtime
from villagepump.store import analytics as analytics_store
from villagepump.store.analytics import DAY_MS, Scope

# Mattermost's window for the per-day series: today and the 30 days before it.
SERIES_DAYS = 31
_MONTH_MS = 30 * DAY_MS

Rows = list[dict[str, Any]]


async def _standard(rt: Runtime, conn: AsyncConnection, scope: Scope, now: int) -> Rows:
    # Mattermost's names and order; a client that reads rows by position still finds them.
    writing, reading = rt.db.open_connections()
    values = [
        ("channel_open_count", await analytics_store.count_channels(conn, scope, "O")),
        ("channel_private_count", await analytics_store.count_channels(conn, scope, "P")),
        ("post_count", await analytics_store.count_posts(conn, scope)),
        ("unique_user_count", await analytics_store.count_users(conn, scope, deactivated=False)),
        ("team_count", await analytics_store.count_teams(conn)),
        ("total_websocket_connections", rt.hub.attached_count()),
        ("total_master_db_connections", writing),
        ("total_read_db_connections", reading),
        ("daily_active_users", await analytics_store.count_active_users(conn, scope, now - DAY_MS)),
        ("monthly_active_users", await analytics_store.count_active_users(conn, scope, now - _MONTH_MS)),
        ("inactive_user_count", await analytics_store.count_users(conn, scope, deactivated=True)),
    ]
    return [{"name": name, "value": value} for name, value in values]


def _series(per_day: dict[int, int]) -> Rows:
    """Newest day first, days without any left out, as Mattermost lists them."""
    return [
        {
            "name": datetime.datetime.fromtimestamp(day * DAY_MS / 1000, datetime.UTC).date().isoformat(),
            "value": count,
        }
        for day, count in sorted(per_day.items(), reverse=True)
    ]


async def _rows(rt: Runtime, conn: AsyncConnection, name: str, scope: Scope) -> Rows:
    now = now_ms_of(rt.clock)
    since = (now // DAY_MS - (SERIES_DAYS - 1)) * DAY_MS
    if name == "standard":
        return await _standard(rt, conn, scope, now)
    if name == "post_counts_day":
        return _series(await analytics_store.posts_per_day(conn, scope, since))
    if name == "bot_post_counts_day":
        return _series(await analytics_store.posts_per_day(conn, scope, since, bots_only=True))
    if name == "user_counts_with_posts_day":
        return _series(await analytics_store.posters_per_day(conn, scope, since))
    if name == "extra_counts":
        counts = await analytics_store.extra_counts(conn, scope, now)
        return [{"name": key, "value": value} for key, value in counts.items()]
    raise errors.invalid_param("name")


async def get_analytics(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    name = query_str(request, "name", "standard", max_length=64) or "standard"
    scope = Scope(team_id=query_id(request, "team_id"))
    rt = runtime(request)
    async with rt.db.read(offload=True) as conn:
        return json_response(await _rows(rt, conn, name, scope))


routes = [Route("/analytics/old", get_analytics, methods=["GET"])]
