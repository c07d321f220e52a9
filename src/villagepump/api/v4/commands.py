"""Slash commands: run one, list them, and suggest them as the user types."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import commands, errors, permissions
from villagepump.actions import commands as command_actions
from villagepump.actions import commands_custom as custom_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_str,
    json_response,
    ok_response,
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
from villagepump.integrations import commands_custom as custom_wire
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


def _merged(custom: list[Row]) -> list[dict[str, object]]:
    """Built-ins and a team's custom commands, by trigger, as members may see them (no tokens)."""
    listed = [commands.render_command(c) for c in commands.BUILT_INS]
    listed += [custom_wire.render_command(c, with_token=False) for c in custom]
    return sorted(listed, key=lambda command: str(command["trigger"]))


async def list_commands(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = query_id(request, "team_id")
    if not team_id:
        raise errors.invalid_param("team_id")
    rt = runtime(request)
    async with rt.db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
    if query_bool(request, "custom_only"):
        custom_actions.require_enabled(rt)
        listed = await custom_actions.list_commands(rt, caller, team_id)
        return json_response([custom_wire.render_command(c, with_token=True) for c in listed])
    return json_response(_merged(await custom_actions.autocomplete_commands(rt, team_id)))


async def autocomplete_commands(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    rt = runtime(request)
    async with rt.db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
    return json_response(_merged(await custom_actions.autocomplete_commands(rt, team_id)))


async def autocomplete_suggestions(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    user_input = query_str(request, "user_input", max_length=10_000)
    query_id(request, "channel_id")
    query_id(request, "root_id")
    if not user_input:
        raise errors.invalid_param("userInput")
    rt = runtime(request)
    async with rt.db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
    custom = await custom_actions.autocomplete_commands(rt, team_id)
    return json_response(commands.suggestions(user_input, custom))


async def create_command(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    team_id = _body_id(body, "team_id")
    if not team_id:
        raise errors.bad_request("model.command.is_valid.team_id.app_error", "Invalid team ID.")
    created = await custom_actions.create_command(
        runtime(request), caller, team_id, custom_wire.command_fields(body)
    )
    return json_response(custom_wire.render_command(created, with_token=True), status_code=201)


async def get_command(request: Request) -> Response:
    caller = await require_caller(request)
    command = await custom_actions.get_command(runtime(request), caller, path_id(request, "command_id"))
    return json_response(custom_wire.render_command(command, with_token=True))


async def update_command(request: Request) -> Response:
    caller = await require_caller(request)
    command_id = path_id(request, "command_id")
    body = await read_object(request)
    if body.get("id", command_id) != command_id:
        raise errors.invalid_param("command_id")
    updated = await custom_actions.update_command(
        runtime(request), caller, command_id, custom_wire.command_fields(body)
    )
    return json_response(custom_wire.render_command(updated, with_token=True))


async def delete_command(request: Request) -> Response:
    caller = await require_caller(request)
    await custom_actions.delete_command(runtime(request), caller, path_id(request, "command_id"))
    return ok_response()


async def regenerate_token(request: Request) -> Response:
    caller = await require_caller(request)
    token = await custom_actions.regenerate_token(runtime(request), caller, path_id(request, "command_id"))
    return json_response({"token": token})


async def move_command(request: Request) -> Response:
    caller = await require_caller(request)
    command_id = path_id(request, "command_id")
    team_id = _body_id(await read_object(request), "team_id")
    if not team_id:
        raise errors.invalid_body("team_id")
    await custom_actions.move_command(runtime(request), caller, command_id, team_id)
    return ok_response()


routes = [
    Route("/commands", list_commands, methods=["GET"]),
    Route("/commands", create_command, methods=["POST"]),
    Route("/commands/execute", execute_command, methods=["POST"]),
    Route("/commands/{command_id}", get_command, methods=["GET"]),
    Route("/commands/{command_id}", update_command, methods=["PUT"]),
    Route("/commands/{command_id}", delete_command, methods=["DELETE"]),
    Route("/commands/{command_id}/regen_token", regenerate_token, methods=["PUT"]),
    Route("/commands/{command_id}/move", move_command, methods=["PUT"]),
    Route("/teams/{team_id}/commands/autocomplete", autocomplete_commands, methods=["GET"]),
    Route("/teams/{team_id}/commands/autocomplete_suggestions", autocomplete_suggestions, methods=["GET"]),
]
