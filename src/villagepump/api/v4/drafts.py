"""Synced drafts: save, list per team, delete; a draft belongs to its author alone."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import drafts as draft_actions
from villagepump.actions.drafts import DraftText
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_str,
    json_response,
    ok_response,
    path_id,
    path_user_id,
    read_object,
    runtime,
)
from villagepump.auth import Caller
from villagepump.ids import is_valid_id
from villagepump.render.drafts import render_draft
from villagepump.store import drafts as draft_store

MAX_FILE_IDS = 10


def _require_enabled(request: Request) -> None:
    if not runtime(request).settings.allow_synced_drafts:
        raise errors.APIError(501, "api.drafts.disabled.app_error", "Synced drafts are disabled.")


def _connection_id(request: Request) -> str:
    # Mattermost's clients name the socket that made the change, which then hears no echo of it.
    return request.headers.get("connection-id", "")[:64]


def _invalid(field: str) -> errors.APIError:
    return errors.bad_request(f"model.draft.is_valid.{field}.app_error", f"Invalid draft {field}.")


def _draft_text(request: Request, body: dict[str, Any]) -> DraftText:
    channel_id = body_str(body, "channel_id", max_length=26)
    if not is_valid_id(channel_id):
        raise _invalid("channel_id")
    root_id = body_str(body, "root_id", max_length=26)
    if root_id and not is_valid_id(root_id):
        raise _invalid("root_id")
    message = body.get("message", "")
    if not isinstance(message, str) or len(message) > runtime(request).settings.max_post_size:
        raise _invalid("msg")
    props = body.get("props")
    props = {} if props is None else props
    if not isinstance(props, dict):
        raise _invalid("props")
    file_ids = body.get("file_ids")
    file_ids = [] if file_ids is None else file_ids
    if (
        not isinstance(file_ids, list)
        or len(file_ids) > MAX_FILE_IDS
        or not all(isinstance(i, str) and is_valid_id(i) for i in file_ids)
    ):
        raise _invalid("file_ids")
    return DraftText(channel_id, root_id, message, props, file_ids)


def _own_user_id(request: Request, caller: Caller) -> str:
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self(caller, user_id)
    return user_id


async def upsert_draft(request: Request) -> Response:
    caller = await require_caller(request)
    _require_enabled(request)
    body = await read_object(request)
    if body_str(body, "user_id", caller.user_id, max_length=26) not in ("", caller.user_id):
        raise errors.forbidden()
    text = _draft_text(request, body)
    draft = await draft_actions.upsert_draft(runtime(request), caller, text, _connection_id(request))
    return json_response(render_draft(draft) if draft is not None else None, status_code=201)


async def get_drafts(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = _own_user_id(request, caller)
    team_id = path_id(request, "team_id")
    _require_enabled(request)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        rows = await draft_store.drafts_for_team(conn, user_id, team_id)
    return json_response([render_draft(row) for row in rows])


async def delete_draft(request: Request) -> Response:
    caller = await require_caller(request)
    _own_user_id(request, caller)
    channel_id = path_id(request, "channel_id")
    root_id = path_id(request, "root_id") if "root_id" in request.path_params else ""
    _require_enabled(request)
    await draft_actions.delete_draft(runtime(request), caller, channel_id, root_id, _connection_id(request))
    return ok_response()


routes = [
    Route("/drafts", upsert_draft, methods=["POST"]),
    Route("/users/{user_id}/teams/{team_id}/drafts", get_drafts, methods=["GET"]),
    Route("/users/{user_id}/channels/{channel_id}/drafts", delete_draft, methods=["DELETE"]),
    Route("/users/{user_id}/channels/{channel_id}/drafts/{root_id}", delete_draft, methods=["DELETE"]),
]
