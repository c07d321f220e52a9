"""Managing incoming and outgoing webhooks (/hooks/incoming, /hooks/outgoing). Requests to an
incoming hook itself (POST /hooks/{id}, outside /api/v4) are in api/hooks.py."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import webhooks as webhook_actions
from villagepump.actions.webhooks import INCOMING, OUTGOING, IncomingHookFields, OutgoingHookFields
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_bool,
    body_str,
    json_response,
    ok_response,
    paging,
    path_id,
    query_id,
    read_object,
    runtime,
)
from villagepump.ids import is_valid_id
from villagepump.render.integrations import render_incoming_hook, render_outgoing_hook
from villagepump.store import webhooks as webhook_store


def _id(body: dict[str, Any], name: str, *, required: bool) -> str:
    value = body_str(body, name, max_length=26)
    if (value or required) and not is_valid_id(value):
        raise errors.invalid_body(name)
    return value


def _strings(body: dict[str, Any], name: str, max_items: int, max_length: int) -> list[str]:
    value = body.get(name)
    if value is None:
        return []
    if (
        not isinstance(value, list)
        or len(value) > max_items
        or not all(isinstance(item, str) and 0 < len(item) <= max_length for item in value)
    ):
        raise errors.invalid_body(name)
    return list(dict.fromkeys(value))


def _incoming_fields(body: dict[str, Any]) -> IncomingHookFields:
    return IncomingHookFields(
        channel_id=_id(body, "channel_id", required=True),
        display_name=body_str(body, "display_name", max_length=64),
        description=body_str(body, "description", max_length=500),
        username=body_str(body, "username", max_length=255),
        icon_url=body_str(body, "icon_url", max_length=1024),
        channel_locked=body_bool(body, "channel_locked"),
    )


def _outgoing_fields(body: dict[str, Any]) -> OutgoingHookFields:
    trigger_when = body.get("trigger_when", 0)
    if not isinstance(trigger_when, int) or isinstance(trigger_when, bool):
        raise errors.invalid_body("trigger_when")
    return OutgoingHookFields(
        team_id=_id(body, "team_id", required=True),
        channel_id=_id(body, "channel_id", required=False),
        display_name=body_str(body, "display_name", max_length=64),
        description=body_str(body, "description", max_length=500),
        trigger_words=_strings(body, "trigger_words", webhook_actions.MAX_TRIGGER_WORDS, 64),
        trigger_when=trigger_when,
        callback_urls=_strings(body, "callback_urls", webhook_actions.MAX_CALLBACK_URLS, 1024),
        content_type=body_str(body, "content_type", max_length=128),
        username=body_str(body, "username", max_length=255),
        icon_url=body_str(body, "icon_url", max_length=1024),
    )


async def _listed(request: Request, kind: str) -> list[Any]:
    """A page of a team's hooks (team admins), or of every team's (system admins)."""
    caller = await require_caller(request)
    webhook_actions.require_enabled(runtime(request).settings, kind)
    page, per_page = paging(request, default_per_page=60, max_per_page=200)
    team_id = query_id(request, "team_id")
    channel_id = query_id(request, "channel_id") if kind == OUTGOING else ""
    async with runtime(request).db.read() as conn:
        if team_id:
            await permissions.require_team_admin(conn, caller, team_id)
        else:
            permissions.require_system_admin(caller)
        return await webhook_store.list_hooks(
            conn,
            kind,
            team_ids=[team_id] if team_id else None,
            channel_id=channel_id,
            creator_id="",
            offset=page * per_page,
            limit=per_page,
        )


async def _one(request: Request, kind: str) -> Any:
    caller = await require_caller(request)
    webhook_actions.require_enabled(runtime(request).settings, kind)
    hook_id = path_id(request, "hook_id")
    async with runtime(request).db.read() as conn:
        hook = await webhook_store.get_hook(conn, kind, hook_id)
        if hook is None:
            raise errors.not_found("webhook")
        await permissions.require_team_admin(conn, caller, hook["team_id"])
    return hook


async def create_incoming(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    owner_id = _id(body, "user_id", required=False)
    hook = await webhook_actions.create_incoming(runtime(request), caller, _incoming_fields(body), owner_id)
    return json_response(render_incoming_hook(hook), 201)


async def list_incoming(request: Request) -> Response:
    return json_response([render_incoming_hook(hook) for hook in await _listed(request, INCOMING)])


async def get_incoming(request: Request) -> Response:
    return json_response(render_incoming_hook(await _one(request, INCOMING)))


async def update_incoming(request: Request) -> Response:
    caller = await require_caller(request)
    hook_id = path_id(request, "hook_id")
    body = await read_object(request)
    if body.get("id") not in (None, hook_id):
        raise errors.invalid_body("id")
    hook = await webhook_actions.update_incoming(runtime(request), caller, hook_id, _incoming_fields(body))
    return json_response(render_incoming_hook(hook))


async def delete_incoming(request: Request) -> Response:
    caller = await require_caller(request)
    await webhook_actions.delete_hook(runtime(request), caller, INCOMING, path_id(request, "hook_id"))
    return ok_response()


async def create_outgoing(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    hook = await webhook_actions.create_outgoing(runtime(request), caller, _outgoing_fields(body))
    return json_response(render_outgoing_hook(hook), 201)


async def list_outgoing(request: Request) -> Response:
    return json_response([render_outgoing_hook(hook) for hook in await _listed(request, OUTGOING)])


async def get_outgoing(request: Request) -> Response:
    return json_response(render_outgoing_hook(await _one(request, OUTGOING)))


async def update_outgoing(request: Request) -> Response:
    caller = await require_caller(request)
    hook_id = path_id(request, "hook_id")
    body = await read_object(request)
    if body.get("id") not in (None, hook_id):
        raise errors.invalid_body("id")
    hook = await webhook_actions.update_outgoing(runtime(request), caller, hook_id, _outgoing_fields(body))
    return json_response(render_outgoing_hook(hook))


async def delete_outgoing(request: Request) -> Response:
    caller = await require_caller(request)
    await webhook_actions.delete_hook(runtime(request), caller, OUTGOING, path_id(request, "hook_id"))
    return ok_response()


async def regenerate_token(request: Request) -> Response:
    caller = await require_caller(request)
    hook = await webhook_actions.regenerate_token(runtime(request), caller, path_id(request, "hook_id"))
    return json_response(render_outgoing_hook(hook))


routes = [
    Route("/hooks/incoming", create_incoming, methods=["POST"]),
    Route("/hooks/incoming", list_incoming, methods=["GET"]),
    Route("/hooks/incoming/{hook_id}", get_incoming, methods=["GET"]),
    Route("/hooks/incoming/{hook_id}", update_incoming, methods=["PUT"]),
    Route("/hooks/incoming/{hook_id}", delete_incoming, methods=["DELETE"]),
    Route("/hooks/outgoing", create_outgoing, methods=["POST"]),
    Route("/hooks/outgoing", list_outgoing, methods=["GET"]),
    Route("/hooks/outgoing/{hook_id}", get_outgoing, methods=["GET"]),
    Route("/hooks/outgoing/{hook_id}", update_outgoing, methods=["PUT"]),
    Route("/hooks/outgoing/{hook_id}", delete_outgoing, methods=["DELETE"]),
    Route("/hooks/outgoing/{hook_id}/regen_token", regenerate_token, methods=["POST"]),
]
