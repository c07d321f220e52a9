"""Teams and team membership."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import teams as team_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_bool,
    body_str,
    json_response,
    path_id,
    path_user_id,
    read_object,
    runtime,
)
from villagepump.render.teams import render_team, render_team_member
from villagepump.store import teams as team_store


async def create_team(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    team = await team_actions.create_team(
        runtime(request),
        caller.user_id,
        name=body_str(body, "name", max_length=64),
        display_name=body_str(body, "display_name", max_length=64),
        team_type=body_str(body, "type", "O", max_length=1),
    )
    return json_response(render_team(team, show_invite=True), 201)


async def get_team(request: Request) -> Response:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        team = await permissions.require_team_member(conn, caller, path_id(request, "team_id"))
    return json_response(render_team(team, show_invite=True))


async def add_team_member(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    body = await read_object(request)
    user_id = body_str(body, "user_id", max_length=26)
    async with runtime(request).db.read() as conn:
        team = await permissions.require_team(conn, team_id)
        if user_id == caller.user_id and team["allow_open_invite"]:
            pass  # anyone may join an open team
        else:
            await permissions.require_team_member(conn, caller, team_id)
    member = await team_actions.add_member(runtime(request), team_id, user_id)
    return json_response(render_team_member(member), 201)


async def update_scheme_roles(request: Request) -> Response:
    caller = await require_caller(request)
    team_id, user_id = path_id(request, "team_id"), path_id(request, "user_id")
    body = await read_object(request)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_admin(conn, caller, team_id)
    if not isinstance(body.get("scheme_admin"), bool):
        raise errors.invalid_body("scheme_admin")
    await team_actions.set_member_admin(runtime(request), team_id, user_id, body_bool(body, "scheme_admin"))
    return json_response({"status": "OK"})


async def teams_for_user(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        teams = await team_store.teams_for_user(conn, user_id)
    return json_response([render_team(t, show_invite=True) for t in teams])


routes = [
    Route("/teams", create_team, methods=["POST"]),
    Route("/teams/{team_id}", get_team, methods=["GET"]),
    Route("/teams/{team_id}/members", add_team_member, methods=["POST"]),
    Route("/teams/{team_id}/members/{user_id}/schemeRoles", update_scheme_roles, methods=["PUT"]),
    Route("/users/{user_id}/teams", teams_for_user, methods=["GET"]),
]
