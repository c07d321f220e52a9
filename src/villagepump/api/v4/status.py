"""Users' statuses: read anyone's, set your own (or, as a system admin, anyone's)."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import custom_status as custom_status_actions
from villagepump.actions import status as status_actions
from villagepump.actions.custom_status import NEVER, CustomStatus
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_str,
    json_response,
    ok_response,
    path_user_id,
    read_list,
    read_object,
    runtime,
)
from villagepump.ids import is_valid_id
from villagepump.render.statuses import render_status
from villagepump.store import statuses as status_store
from villagepump.store import users as user_store

MAX_IDS = 1000


async def get_status(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    async with runtime(request).db.read() as conn:
        row = await status_store.get_status(conn, user_id)
    return json_response(render_status(user_id, row))


async def get_statuses_by_ids(request: Request) -> Response:
    await require_caller(request)
    user_ids = await read_list(request, str, max_items=MAX_IDS)
    if not user_ids or not all(is_valid_id(user_id) for user_id in user_ids):
        raise errors.invalid_body("user_ids")
    user_ids = list(dict.fromkeys(user_ids))
    async with runtime(request).db.read() as conn:
        rows = await status_store.get_statuses(conn, user_ids)
    return json_response([render_status(user_id, rows.get(user_id)) for user_id in user_ids])


async def update_status(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    body = await read_object(request)
    if body_str(body, "user_id", user_id, max_length=26) != user_id:
        raise errors.invalid_body("user_id")
    permissions.require_self_or_admin(caller, user_id)
    status = body_str(body, "status", max_length=32)
    dnd_end_time = body.get("dnd_end_time", 0) or 0
    if not isinstance(dnd_end_time, int) or isinstance(dnd_end_time, bool) or not 0 <= dnd_end_time < 2**53:
        raise errors.invalid_body("dnd_end_time")
    async with runtime(request).db.read() as conn:
        if await user_store.get_user(conn, user_id) is None:
            raise errors.not_found("user", "app.user.missing_account.const")
    row = await status_actions.set_status(runtime(request), user_id, status, dnd_end_time)
    return json_response(render_status(user_id, row))


def _require_custom_statuses(request: Request) -> None:
    if not runtime(request).settings.enable_custom_user_statuses:
        raise errors.APIError(501, "api.custom_status.disabled", "Custom statuses are disabled.")


async def _custom_status_body(request: Request) -> CustomStatus:
    body = await read_object(request)
    return CustomStatus(
        emoji=body_str(body, "emoji", max_length=64),
        text=body_str(body, "text", max_length=1000),
        duration=body_str(body, "duration", max_length=32),
        expires_at=body_str(body, "expires_at", NEVER, max_length=64),
    )


async def _custom_status_user(request: Request) -> str:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    _require_custom_statuses(request)
    permissions.require_self_or_admin(caller, user_id)
    return user_id


async def update_custom_status(request: Request) -> Response:
    user_id = await _custom_status_user(request)
    status = await _custom_status_body(request)
    await custom_status_actions.set_custom_status(runtime(request), user_id, status)
    return ok_response()


async def clear_custom_status(request: Request) -> Response:
    user_id = await _custom_status_user(request)
    await custom_status_actions.clear_custom_status(runtime(request), user_id)
    return ok_response()


async def remove_recent_custom_status(request: Request) -> Response:
    user_id = await _custom_status_user(request)
    status = await _custom_status_body(request)
    await custom_status_actions.remove_recent_custom_status(runtime(request), user_id, status)
    return ok_response()


routes = [
    Route("/users/status/ids", get_statuses_by_ids, methods=["POST"]),
    Route("/users/{user_id}/status", get_status, methods=["GET"]),
    Route("/users/{user_id}/status", update_status, methods=["PUT"]),
    Route("/users/{user_id}/status/custom", update_custom_status, methods=["PUT"]),
    Route("/users/{user_id}/status/custom", clear_custom_status, methods=["DELETE"]),
    Route("/users/{user_id}/status/custom/recent", remove_recent_custom_status, methods=["DELETE"]),
    Route("/users/{user_id}/status/custom/recent/delete", remove_recent_custom_status, methods=["POST"]),
]
