"""Channels of every type and their members."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, path_id, runtime
from villagepump.render.channels import render_channel
from villagepump.store import channels as channel_store


async def get_channel_by_name(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        channel = await channel_store.get_channel_by_name(conn, team_id, request.path_params["channel_name"])
        if channel is None or not await permissions.can_read_channel(conn, caller, channel):
            raise errors.not_found("channel", "app.channel.get_by_name.missing.app_error")
    return json_response(render_channel(channel))


routes = [
    Route("/teams/{team_id}/channels/name/{channel_name}", get_channel_by_name, methods=["GET"]),
]
