"""Posts: create, read (channel history, threads, pinned, saved, around the unread line), edit,
pin, delete, and mark unread."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import posts as post_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_bool,
    json_response,
    ok_response,
    paging,
    path_id,
    path_user_id,
    query_bool,
    query_id,
    query_int,
    read_list,
    read_object,
    runtime,
)
from villagepump.auth import Caller
from villagepump.ids import is_valid_id
from villagepump.integrations.incoming import RESERVED_PROPS
from villagepump.render.posts import render_post, render_post_list
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import posts as post_store
from villagepump.store import preferences as preference_store

MAX_THREAD_PAGE = 1000


def _string(body: dict[str, Any], name: str, default: str = "", max_length: int = 10_000_000) -> str:
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str) or len(value) > max_length:
        raise errors.invalid_body(name)
    return value


def _id(body: dict[str, Any], name: str) -> str:
    value = _string(body, name, max_length=26)
    if value and not is_valid_id(value):
        raise errors.invalid_body(name)
    return value


def _props(body: dict[str, Any]) -> dict[str, Any]:
    props = body.get("props")
    if props is None:
        return {}
    if not isinstance(props, dict):
        raise errors.invalid_body("props")
    # What marks a webhook's post (and lets it show another name) is the server's to set: a
    # client's post that claimed it could pass for someone else.
    return {key: value for key, value in props.items() if key not in RESERVED_PROPS}


def _file_ids(body: dict[str, Any]) -> list[str]:
    file_ids = body.get("file_ids")
    if file_ids is None:
        return []
    if (
        not isinstance(file_ids, list)
        or len(file_ids) > post_actions.MAX_FILES
        or not all(is_valid_id(f) for f in file_ids)
    ):
        raise errors.invalid_body("file_ids")
    return list(dict.fromkeys(file_ids))


def _post_type(body: dict[str, Any]) -> str:
    # Clients may not forge system messages; plugin-style custom types are allowed.
    post_type = _string(body, "type", max_length=64)
    if post_type and not post_type.startswith("custom_"):
        raise errors.invalid_body("type")
    return post_type


def _draft(request: Request, body: dict[str, Any]) -> post_actions.Draft:
    return post_actions.Draft(
        message=_string(body, "message"),
        root_id=_id(body, "root_id"),
        pending_post_id=_string(body, "pending_post_id", max_length=64),
        props=_props(body),
        file_ids=_file_ids(body),
        post_type=_post_type(body),
        set_online=query_bool(request, "set_online", True),
    )


async def create_post(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    channel_id = _id(body, "channel_id")
    if not channel_id:
        raise errors.invalid_body("channel_id")
    draft = _draft(request, body)
    return json_response(await post_actions.create_post(runtime(request), caller, channel_id, draft), 201)


def _previews(request: Request) -> bool:
    return runtime(request).settings.enable_link_previews


def _collapsed(request: Request) -> tuple[bool, bool]:
    collapsed = query_bool(request, "collapsedThreads")
    return collapsed, collapsed and query_bool(request, "collapsedThreadsExtended")


async def _render_one(conn: AsyncConnection, caller: Caller, post: Row, previews: bool) -> dict[str, Any]:
    context = await post_store.load_context(conn, [post], caller.user_id, previews=previews)
    return render_post(post, context)


async def get_post(request: Request) -> Response:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        post, _ = await permissions.require_post_read(conn, caller, path_id(request, "post_id"))
        rendered = await _render_one(conn, caller, post, _previews(request))
    return json_response(rendered)


async def get_posts_by_ids(request: Request) -> Response:
    caller = await require_caller(request)
    ids = await read_list(request, str, max_items=1000)
    if not all(is_valid_id(i) for i in ids):
        raise errors.invalid_body("post ids")
    async with runtime(request).db.read() as conn:
        found = [p for p in await post_store.get_posts(conn, ids) if not p["delete_at"]]
        readable = await permissions.readable_channel_ids(conn, caller, {p["channel_id"] for p in found})
        visible = [p for p in found if p["channel_id"] in readable]
        context = await post_store.load_context(conn, visible, caller.user_id, previews=_previews(request))
    return json_response([render_post(p, context) for p in visible])


async def _anchor(conn: AsyncConnection, channel_id: str, post_id: str) -> Row:
    anchor = await post_store.get_post(conn, post_id)
    if anchor is None or anchor["channel_id"] != channel_id:
        raise errors.not_found("post", "app.post.get.app_error")
    return anchor


async def get_channel_posts(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    page, per_page = paging(request, 60, 200)
    since = query_int(request, "since", 0)
    before, after = query_id(request, "before"), query_id(request, "after")
    collapsed, extended = _collapsed(request)
    async with runtime(request).db.read() as conn:
        await permissions.require_channel_read(conn, caller, channel_id)
        offset = page * per_page
        previous = following = ""
        if since:
            rows = await post_store.channel_since(conn, channel_id, since, collapsed)
        else:
            if after:
                anchor = await _anchor(conn, channel_id, after)
                rows = await post_store.channel_after(conn, channel_id, anchor, offset, per_page, collapsed)
            elif before:
                anchor = await _anchor(conn, channel_id, before)
                rows = await post_store.channel_before(conn, channel_id, anchor, offset, per_page, collapsed)
            else:
                rows = await post_store.channel_page(conn, channel_id, offset, per_page, collapsed)
            previous, following = await post_store.neighbour_ids(conn, channel_id, rows, collapsed)
        roots = [] if collapsed else await _missing_roots(conn, rows)
        context = await post_store.load_context(
            conn,
            rows + roots,
            caller.user_id,
            collapsed=collapsed,
            extended=extended,
            previews=_previews(request),
        )
    return json_response(
        render_post_list(
            rows,
            context,
            extra=roots,
            prev_post_id=previous,
            next_post_id=following,
            has_next=bool(following),
        )
    )


async def _missing_roots(conn: AsyncConnection, rows: list[Row]) -> list[Row]:
    """Roots of the replies in a page that the page itself lacks, so clients can show "Commented on"."""
    present = {row["id"] for row in rows}
    wanted = {row["root_id"] for row in rows if row["root_id"] and row["root_id"] not in present}
    return [root for root in await post_store.get_posts(conn, list(wanted)) if not root["delete_at"]]


async def get_thread(request: Request) -> Response:
    caller = await require_caller(request)
    per_page = query_int(request, "perPage", 0, maximum=MAX_THREAD_PAGE)
    from_post = query_id(request, "fromPost")
    from_create_at = query_int(request, "fromCreateAt", 0)
    newer = request.query_params.get("direction", "") == "down"
    collapsed, extended = _collapsed(request)
    async with runtime(request).db.read() as conn:
        post, _ = await permissions.require_post_read(conn, caller, path_id(request, "post_id"))
        root = post
        if post["root_id"]:
            root, _ = await permissions.require_post_read(conn, caller, post["root_id"])
        if from_post and not from_create_at:
            start = await post_store.get_post(conn, from_post)
            from_create_at = start["create_at"] if start is not None else 0
        replies, has_more = await post_store.thread_replies(
            conn,
            root["id"],
            limit=per_page or MAX_THREAD_PAGE * 10,
            from_create_at=from_create_at,
            from_id=from_post,
            newer=newer,
        )
        context = await post_store.load_context(
            conn,
            [*replies, root],
            caller.user_id,
            collapsed=collapsed,
            extended=extended,
            previews=_previews(request),
        )
    return json_response(render_post_list([*replies, root], context, has_next=has_more))


async def get_pinned(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_channel_read(conn, caller, channel_id)
        rows = await post_store.pinned(conn, channel_id)
        context = await post_store.load_context(conn, rows, caller.user_id, previews=_previews(request))
    return json_response(render_post_list(rows, context))


async def get_flagged(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self(caller, user_id)
    team_id, channel_id = query_id(request, "team_id"), query_id(request, "channel_id")
    page, per_page = paging(request, 60, 200)
    async with runtime(request).db.read() as conn:
        ids = await preference_store.flagged_post_ids(conn, user_id)
        found = [p for p in await post_store.get_posts(conn, ids) if not p["delete_at"]]
        if channel_id:
            found = [p for p in found if p["channel_id"] == channel_id]
        readable = await permissions.readable_channel_ids(conn, caller, {p["channel_id"] for p in found})
        if team_id:
            readable = {c for c in readable if await _in_team(conn, c, team_id)}
        visible = [p for p in found if p["channel_id"] in readable]
        rows = visible[page * per_page : (page + 1) * per_page]
        context = await post_store.load_context(conn, rows, caller.user_id, previews=_previews(request))
    return json_response(render_post_list(rows, context, has_next=len(visible) > (page + 1) * per_page))


async def _in_team(conn: AsyncConnection, channel_id: str, team_id: str) -> bool:
    channel = await channel_store.get_channel(conn, channel_id)
    return channel is not None and channel["team_id"] in (team_id, "")


async def get_posts_around_unread(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self(caller, user_id)
    channel_id = path_id(request, "channel_id")
    limit_before = query_int(request, "limit_before", 60, maximum=200)
    limit_after = query_int(request, "limit_after", 60, maximum=200)
    if limit_after == 0:
        raise errors.invalid_param("limit_after")
    collapsed, extended = _collapsed(request)
    async with runtime(request).db.read() as conn:
        _, member = await permissions.require_channel_member(conn, caller, channel_id)
        at = member["last_viewed_at"]
        rows = await post_store.around_time(conn, channel_id, at, limit_before, limit_after, collapsed)
        previous, following = await post_store.neighbour_ids(conn, channel_id, rows, collapsed)
        context = await post_store.load_context(
            conn, rows, caller.user_id, collapsed=collapsed, extended=extended, previews=_previews(request)
        )
    return json_response(
        render_post_list(
            rows, context, prev_post_id=previous, next_post_id=following, has_next=bool(following)
        )
    )


def _changes(body: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    changes: dict[str, Any] = {}
    if "message" in fields and body.get("message") is not None:
        changes["message"] = _string(body, "message")
    if "props" in fields and body.get("props") is not None:
        changes["props"] = _props(body)
    if "file_ids" in fields and body.get("file_ids") is not None:
        changes["file_ids"] = _file_ids(body)
    if "is_pinned" in fields and body.get("is_pinned") is not None:
        if not isinstance(body["is_pinned"], bool):
            raise errors.invalid_body("is_pinned")
        changes["is_pinned"] = body["is_pinned"]
    return changes


async def _edit(request: Request, fields: tuple[str, ...], require_message: bool) -> Response:
    caller = await require_caller(request)
    post_id = path_id(request, "post_id")
    body = await read_object(request)
    if body.get("id") not in (None, "", post_id):
        raise errors.invalid_param("id")
    if require_message and not isinstance(body.get("message"), str):
        raise errors.invalid_body("message")
    changes = _changes(body, fields)
    return json_response(await post_actions.edit_post(runtime(request), caller, post_id, changes))


async def update_post(request: Request) -> Response:
    return await _edit(request, ("message", "props", "file_ids"), require_message=True)


async def patch_post(request: Request) -> Response:
    return await _edit(request, ("message", "props", "file_ids", "is_pinned"), require_message=False)


async def delete_post(request: Request) -> Response:
    caller = await require_caller(request)
    await post_actions.delete_post(runtime(request), caller, path_id(request, "post_id"))
    return ok_response()


async def _set_pinned(request: Request, pinned: bool) -> Response:
    caller = await require_caller(request)
    await post_actions.set_pinned(runtime(request), caller, path_id(request, "post_id"), pinned)
    return ok_response()


async def pin_post(request: Request) -> Response:
    return await _set_pinned(request, True)


async def unpin_post(request: Request) -> Response:
    return await _set_pinned(request, False)


async def set_unread(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self(caller, user_id)
    post_id = path_id(request, "post_id")
    collapsed_threads = await _collapsed_threads_supported(request)
    unread = await post_actions.mark_unread_from(
        runtime(request), caller, post_id, collapsed_threads=collapsed_threads
    )
    return json_response(unread)


async def _collapsed_threads_supported(request: Request) -> bool:
    # Mattermost reads this body leniently: older clients send none at all.
    if not await request.body():
        return False
    return body_bool(await read_object(request), "collapsed_threads_supported")


routes = [
    Route("/posts", create_post, methods=["POST"]),
    Route("/posts/ids", get_posts_by_ids, methods=["POST"]),
    Route("/posts/{post_id}", get_post, methods=["GET"]),
    Route("/posts/{post_id}", update_post, methods=["PUT"]),
    Route("/posts/{post_id}", delete_post, methods=["DELETE"]),
    Route("/posts/{post_id}/patch", patch_post, methods=["PUT"]),
    Route("/posts/{post_id}/thread", get_thread, methods=["GET"]),
    Route("/posts/{post_id}/pin", pin_post, methods=["POST"]),
    Route("/posts/{post_id}/unpin", unpin_post, methods=["POST"]),
    Route("/channels/{channel_id}/posts", get_channel_posts, methods=["GET"]),
    Route("/channels/{channel_id}/pinned", get_pinned, methods=["GET"]),
    Route("/users/{user_id}/posts/flagged", get_flagged, methods=["GET"]),
    Route("/users/{user_id}/posts/{post_id}/set_unread", set_unread, methods=["POST"]),
    Route("/users/{user_id}/channels/{channel_id}/posts/unread", get_posts_around_unread, methods=["GET"]),
]
