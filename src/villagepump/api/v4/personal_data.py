"""A user's own data, which Mattermost has no user route for: /villagepump/users/{id}/data_export
(ask for a zip of everything the user posted and uploaded, and read its state), the download of a
finished export, and how many of the caller's messages the retention policies delete soon
(decision 0039). Erasing a user is Mattermost's DELETE /users/{id}?permanent=true (users.py)."""

from datetime import UTC, datetime

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from villagepump import permissions
from villagepump.actions import data_exports
from villagepump.actions import retention as retention_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, path_id, path_user_id, query_int, runtime
from villagepump.clock import now_ms_of
from villagepump.render.personal_data import render_expiring, render_export
from villagepump.store import personal_data as personal_store

_DAY_MS = 24 * 60 * 60 * 1000


async def request_export(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    export = await data_exports.request_export(runtime(request), caller, user_id)
    return json_response(render_export(export), status_code=201)


async def get_export(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    export = await data_exports.latest_export(runtime(request), caller, user_id)
    return json_response(render_export(export))


async def download_export(request: Request) -> Response:
    caller = await require_caller(request)
    export, chunks = await data_exports.open_download(runtime(request), caller, path_id(request, "export_id"))
    day = datetime.fromtimestamp(export["finish_at"] / 1000, UTC).strftime("%Y-%m-%d")
    headers = {
        "Content-Disposition": f'attachment; filename="villagepump-data-{day}.zip"',
        "Content-Length": str(export["size"]),
        "Cache-Control": "private, no-store",
        "X-Content-Type-Options": "nosniff",
    }
    return StreamingResponse(chunks, media_type="application/zip", headers=headers)


async def expiring_posts(request: Request) -> Response:
    """How many of the caller's messages are past their channel's retention cutoff within `days`
    (the web client's warning). Messages already past it are counted: the next run deletes them."""
    caller = await require_caller(request)
    permissions.require_self(caller, path_user_id(request, caller.user_id))
    rt = runtime(request)
    days = query_int(request, "days", 7, minimum=1, maximum=365)
    horizon = now_ms_of(rt.clock) + days * _DAY_MS
    cutoffs = await retention_actions.channel_cutoffs(rt, horizon)
    if not cutoffs:
        return json_response(render_expiring(0, days, 0, retention_on=False))
    async with rt.db.read() as conn:
        rows = await personal_store.expiring_post_times(conn, caller.user_id, max(cutoffs.values()))
    going = [row["create_at"] for row in rows if row["create_at"] < cutoffs.get(row["channel_id"], 0)]
    return json_response(render_expiring(len(going), days, min(going, default=0), retention_on=True))


routes = [
    Route("/villagepump/users/{user_id}/data_export", request_export, methods=["POST"]),
    Route("/villagepump/users/{user_id}/data_export", get_export, methods=["GET"]),
    Route("/villagepump/users/{user_id}/expiring_posts", expiring_posts, methods=["GET"]),
    Route("/villagepump/data_exports/{export_id}/download", download_export, methods=["GET"]),
]
