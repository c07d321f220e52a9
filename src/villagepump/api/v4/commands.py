"""Slash commands: run one, list them, and suggest them as the user types."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import commands, errors, permissions
from villagepump.actions import commands as command_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_str,
    json_response,
    path_id,
    query_bool,
    query_id,
    query_str,
    read_object,
    runtime,
)
from villagepump.auth import Caller
from villagepump.commands.base import Invocation
from villagepump.ids import is_valid_id
from villagepump.store import Row

MAX_COMMAND_LENGTH = 100_000


def _no_command() -> errors.APIError:
    return errors.bad_request("api.command.execute_command.start.app_error", "No command trigger found.")


def _body_id(body: dict[str, object], name: str) -> str:
    value = body_str(body, name, max_length=26)
    if value and not is_valid_id(value):
        raise errors.invalid_body(name)
    return value


async def _team_for(request: Request, caller: Caller, channel: Row, team_id: str) -> Row | None:
    """A team channel's own team; for a direct or group message, the team the client names,
    which the caller must belong to (so commands cannot reach into other teams)."""
    async with runtime(request).db.read() as conn:
        if channel["type"] in ("O", "P"):
            return await permissions.require_team(conn, channel["team_id"])
        if not team_id:
            return None
        return await permissions.require_team_member(conn, caller, team_id)


def _site_url(request: Request) -> str:
    configured = runtime(request).settings.site_url.rstrip("/")
    return configured or f"{request.url.scheme}://{request.url.netloc}"


async def execute_command(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    command = body.get("command")
    channel_id = body.get("channel_id")
    if not isinstance(command, str) or len(command) <= 1 or not command.startswith("/"):
        raise _no_command()
    if len(command) > MAX_COMMAND_LENGTH or not isinstance(channel_id, str) or not is_valid_id(channel_id):
        raise _no_command()
    team_id, root_id = _body_id(body, "team_id"), _body_id(body, "root_id")
    _body_id(body, "parent_id")
    rt = runtime(request)
    async with rt.db.read() as conn:
        channel = await permissions.require_post_create(conn, caller, channel_id)
    team = await _team_for(request, caller, channel, team_id)
    inv = Invocation(rt, caller, channel, team, root_id, _site_url(request), "")
    return json_response(await command_actions.execute_command(inv, command))


async def list_commands(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = query_id(request, "team_id")
    if not team_id:
        raise errors.invalid_param("team_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        if query_bool(request, "custom_only"):
            # There are no custom commands; listing them is still for those who manage them.
            await permissions.require_team_admin(conn, caller, team_id)
            return json_response([])
    return json_response([commands.render_command(c) for c in commands.BUILT_INS])


async def autocomplete_commands(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
    return json_response([commands.render_command(c) for c in commands.BUILT_INS])


async def autocomplete_suggestions(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    user_input = query_str(request, "user_input", max_length=10_000)
    query_id(request, "channel_id")
    query_id(request, "root_id")
    if not user_input:
        raise errors.invalid_param("userInput")
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
    return json_response(commands.suggestions(user_input))


routes = [
    Route("/commands", list_commands, methods=["GET"]),
    Route("/commands/execute", execute_command, methods=["POST"]),
    Route("/teams/{team_id}/commands/autocomplete", autocomplete_commands, methods=["GET"]),
    Route("/teams/{team_id}/commands/autocomplete_suggestions", autocomplete_suggestions, methods=["GET"]),
]
