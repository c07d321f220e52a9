"""Collapsed reply threads, per user and team: the list, one thread, read state, following."""

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import threads as thread_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    json_response,
    ok_response,
    path_id,
    path_user_id,
    query_bool,
    query_id,
    query_int,
    runtime,
)
from villagepump.auth import Caller
from villagepump.render.threads import render_thread
from villagepump.store import Row
from villagepump.store import posts as post_store
from villagepump.store import threads as thread_store
from villagepump.store import users as user_store


async def _caller_for(request: Request) -> tuple[Caller, str, str]:
    """The caller, acting on their own threads in a team they belong to."""
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self(caller, user_id)
    team_id = path_id(request, "team_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
    return caller, user_id, team_id


async def _render_threads(
    conn: AsyncConnection, user_id: str, rows: Sequence[Mapping[Any, Any]], extended: bool, previews: bool
) -> list[dict[str, Any]]:
    roots = {p["id"]: p for p in await post_store.get_posts(conn, [r["post_id"] for r in rows])}
    context = await post_store.load_context(
        conn, list(roots.values()), user_id, collapsed=True, previews=previews
    )
    users = None
    if extended:
        ids = {u for row in rows for u in row["participants"] or []}
        users = {u["id"]: u for u in await user_store.get_users(conn, ids)}
    return [
        render_thread(row, roots[row["post_id"]], context, users) for row in rows if row["post_id"] in roots
    ]


async def _thread_anchor(conn: AsyncConnection, root_id: str) -> Row:
    thread = await thread_store.get_thread(conn, root_id)
    if thread is None:
        raise errors.invalid_param("before/after")
    return thread


async def get_threads(request: Request) -> Response:
    _, user_id, team_id = await _caller_for(request)
    query = thread_store.ThreadQuery(
        user_id=user_id,
        team_id=team_id,
        exclude_direct=query_bool(request, "excludeDirect"),
        deleted=query_bool(request, "deleted"),
        unread_only=query_bool(request, "unread"),
        since=query_int(request, "since", 0),
        limit=query_int(request, "per_page", 0, maximum=200)
        or query_int(request, "pageSize", 25, maximum=200),
    )
    extended = query_bool(request, "extended")
    totals_only, threads_only = query_bool(request, "totalsOnly"), query_bool(request, "threadsOnly")
    before, after = query_id(request, "before"), query_id(request, "after")
    async with runtime(request).db.read() as conn:
        query.before = await _thread_anchor(conn, before) if before else None
        query.after = await _thread_anchor(conn, after) if after else None
        total = unread_threads = unread_mentions = 0
        if not threads_only:
            total, unread_threads, unread_mentions = await thread_store.totals(conn, query)
        threads: list[dict[str, Any]] = []
        if not totals_only:
            rows = await thread_store.list_threads(conn, query)
            threads = await _render_threads(
                conn, user_id, rows, extended, runtime(request).settings.enable_link_previews
            )
    return json_response(
        {
            "threads": threads,
            "total": total,
            "total_unread_threads": unread_threads,
            "total_unread_mentions": unread_mentions,
            "total_unread_urgent_mentions": 0,
        }
    )


async def _thread_response(request: Request, user_id: str, root_id: str) -> Response:
    extended = query_bool(request, "extended")
    async with runtime(request).db.read() as conn:
        row: Mapping[Any, Any] | None = await thread_store.thread_for_user(conn, root_id, user_id)
        if row is None:
            thread = await thread_store.get_thread(conn, root_id)
            if thread is None:
                raise errors.not_found("thread", "app.thread.get.app_error")
            # Someone who never followed the thread still gets it, as not followed.
            row = {**thread, "following": False, "last_viewed": 0, "unread_mentions": 0, "unread_replies": 0}
        rendered = await _render_threads(
            conn, user_id, [row], extended, runtime(request).settings.enable_link_previews
        )
    if not rendered:
        raise errors.not_found("thread", "app.thread.get.app_error")
    return json_response(rendered[0])


async def _readable_root(request: Request, caller: Caller, name: str = "thread_id") -> tuple[Row, Row]:
    async with runtime(request).db.read() as conn:
        root, channel = await permissions.require_post_read(conn, caller, path_id(request, name))
    if root["root_id"]:
        raise errors.invalid_param(name)
    return root, channel


async def get_thread(request: Request) -> Response:
    caller, user_id, _ = await _caller_for(request)
    root, _ = await _readable_root(request, caller)
    return await _thread_response(request, user_id, root["id"])


async def mark_all_read(request: Request) -> Response:
    _, user_id, team_id = await _caller_for(request)
    await thread_actions.mark_all_read(runtime(request), user_id, team_id)
    return ok_response()


async def _user(request: Request, user_id: str) -> Row:
    async with runtime(request).db.read() as conn:
        user = await user_store.get_user(conn, user_id)
    assert user is not None
    return user


async def mark_read(request: Request) -> Response:
    caller, user_id, _ = await _caller_for(request)
    root, channel = await _readable_root(request, caller)
    timestamp = request.path_params["timestamp"]
    if not timestamp.isdigit() or len(timestamp) > 15:
        raise errors.invalid_param("timestamp")
    await thread_actions.mark_read(
        runtime(request), await _user(request, user_id), root, channel, int(timestamp)
    )
    return await _thread_response(request, user_id, root["id"])


async def set_unread(request: Request) -> Response:
    caller, user_id, _ = await _caller_for(request)
    root, channel = await _readable_root(request, caller)
    async with runtime(request).db.read() as conn:
        post, _ = await permissions.require_post_read(conn, caller, path_id(request, "post_id"))
    if post["id"] != root["id"] and post["root_id"] != root["id"]:
        raise errors.invalid_param("post_id")
    user = await _user(request, user_id)
    await thread_actions.mark_read(runtime(request), user, root, channel, post["create_at"] - 1, follow=True)
    return await _thread_response(request, user_id, root["id"])


async def _set_following(request: Request, following: bool) -> Response:
    caller, user_id, _ = await _caller_for(request)
    root, channel = await _readable_root(request, caller)
    await thread_actions.set_following(runtime(request), user_id, root, channel, following)
    return ok_response()


async def follow(request: Request) -> Response:
    return await _set_following(request, True)


async def unfollow(request: Request) -> Response:
    return await _set_following(request, False)


_BASE = "/users/{user_id}/teams/{team_id}/threads"
routes = [
    Route(_BASE, get_threads, methods=["GET"]),
    Route(_BASE + "/read", mark_all_read, methods=["PUT"]),
    Route(_BASE + "/{thread_id}", get_thread, methods=["GET"]),
    Route(_BASE + "/{thread_id}/read/{timestamp}", mark_read, methods=["PUT"]),
    Route(_BASE + "/{thread_id}/set_unread/{post_id}", set_unread, methods=["POST"]),
    Route(_BASE + "/{thread_id}/following", follow, methods=["PUT"]),
    Route(_BASE + "/{thread_id}/following", unfollow, methods=["DELETE"]),
]
