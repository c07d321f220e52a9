"""User groups on Mattermost's wire, for the clients that ask once a licence is reported.

Villagepump has no user groups (Mattermost's custom and LDAP groups): these routes answer,
truthfully, that there are none, so the mobile app's group mentions and autocomplete find
nothing instead of failing. Each checks what Mattermost checks, so it reveals nothing either."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import permissions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, path_id, path_user_id, runtime


async def get_groups(request: Request) -> Response:
    await require_caller(request)
    return json_response([])


async def get_channel_groups(request: Request) -> Response:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        await permissions.require_channel_read(conn, caller, path_id(request, "channel_id"))
    return json_response({"groups": [], "total_group_count": 0})


async def get_team_groups(request: Request) -> Response:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, path_id(request, "team_id"))
    return json_response({"groups": [], "total_group_count": 0})


async def get_user_groups(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_self_or_admin(caller, path_user_id(request, caller.user_id))
    return json_response([])


routes = [
    Route("/groups", get_groups, methods=["GET"]),
    Route("/channels/{channel_id}/groups", get_channel_groups, methods=["GET"]),
    Route("/teams/{team_id}/groups", get_team_groups, methods=["GET"]),
    Route("/users/{user_id}/groups", get_user_groups, methods=["GET"]),
]
