"""A custom command's response_url (/hooks/commands/{id}, outside /api/v4, as in Mattermost):
the command POSTs a later answer there, without a session; the id is the secret."""

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from villagepump.actions import commands_custom as custom_actions
from villagepump.api.http import path_id, read_json, runtime


async def command_response(request: Request) -> Response:
    hook_id = path_id(request, "hook_id")
    await custom_actions.respond_later(runtime(request), hook_id, await read_json(request))
    return PlainTextResponse("ok")


routes = [Route("/hooks/commands/{hook_id}", command_response, methods=["POST"])]
