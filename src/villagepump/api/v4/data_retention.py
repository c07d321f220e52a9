"""Data retention policies (Mattermost's api4/data_retention.go), free here. Reading the
global policy needs only a session; the custom policies need what Mattermost calls
sysconsole_read/write_compliance_data_retention, which only system admins hold here; a user's
own team and channel policies are for that user or a system admin."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import retention as retention_actions
from villagepump.actions.retention import PolicyPatch
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_bool,
    body_str,
    json_response,
    ok_response,
    paging,
    path_id,
    path_user_id,
    read_json,
    read_object,
    runtime,
)
from villagepump.clock import now_ms_of
from villagepump.render.retention import render_global_policy, render_policy, render_policy_channel
from villagepump.render.teams import render_team
from villagepump.store import retention as retention_store


async def get_global_policy(request: Request) -> Response:
    await require_caller(request)
    rt = runtime(request)
    return json_response(
        render_global_policy(*retention_actions.global_cutoffs(rt.settings, now_ms_of(rt.clock)))
    )


async def list_policies(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        found = await retention_store.list_policies(conn, page, per_page)
        total = await retention_store.count_policies(conn)
    # The OpenAPI page says a bare array; Mattermost's code (and its clients) use this envelope.
    return json_response({"policies": [render_policy(p) for p in found], "total_count": total})


async def count_policies(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    async with runtime(request).db.read() as conn:
        return json_response({"total_count": await retention_store.count_policies(conn)})


def _ids(body: dict[str, Any], name: str) -> list[str] | None:
    return None if body.get(name) is None else retention_actions.check_ids(body[name], name)


async def create_policy(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    body = await read_object(request)
    policy = await retention_actions.create_policy(
        runtime(request),
        retention_actions.check_display_name(body.get("display_name")),
        retention_actions.check_post_duration(body.get("post_duration")),
        _ids(body, "team_ids") or [],
        _ids(body, "channel_ids") or [],
    )
    return json_response(render_policy(policy), 201)


async def get_policy(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    policy_id = path_id(request, "policy_id")
    async with runtime(request).db.read() as conn:
        policy = await retention_store.get_policy(conn, policy_id)
    if policy is None:
        raise errors.not_found("policy", "app.data_retention.get_policy.app_error")
    return json_response(render_policy(policy))


async def patch_policy(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    policy_id = path_id(request, "policy_id")
    body = await read_object(request)
    patch = PolicyPatch(
        display_name=None
        if body.get("display_name") is None
        else retention_actions.check_display_name(body["display_name"]),
        post_duration=None
        if body.get("post_duration") is None
        else retention_actions.check_post_duration(body["post_duration"]),
        team_ids=_ids(body, "team_ids"),
        channel_ids=_ids(body, "channel_ids"),
    )
    policy = await retention_actions.patch_policy(runtime(request), policy_id, patch)
    return json_response(render_policy(policy))


async def delete_policy(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    await retention_actions.delete_policy(runtime(request), path_id(request, "policy_id"))
    return ok_response()


async def get_policy_teams(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    policy_id = path_id(request, "policy_id")
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        await _require_policy(conn, policy_id)
        found, _ = await retention_store.policy_teams(conn, policy_id, page, per_page)
    return json_response([render_team(team, show_invite=True) for team in found])


async def get_policy_channels(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    policy_id = path_id(request, "policy_id")
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        await _require_policy(conn, policy_id)
        found, total = await retention_store.policy_channels(conn, policy_id, page, per_page)
    return json_response({"channels": [render_policy_channel(c) for c in found], "total_count": total})


async def search_policy_teams(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    policy_id = path_id(request, "policy_id")
    term = body_str(await read_object(request), "term", max_length=256)
    async with runtime(request).db.read() as conn:
        await _require_policy(conn, policy_id)
        found = await retention_store.search_policy_teams(conn, policy_id, term)
    return json_response([render_team(team, show_invite=True) for team in found])


async def search_policy_channels(request: Request) -> Response:
    permissions.require_system_admin(await require_caller(request))
    policy_id = path_id(request, "policy_id")
    body = await read_object(request)
    team_ids = body.get("team_ids") or []
    search = retention_store.ChannelSearch(
        term=body_str(body, "term", max_length=256),
        team_ids=tuple(retention_actions.check_ids(team_ids, "team_ids")),
        public=body_bool(body, "public"),
        private=body_bool(body, "private"),
        deleted=body_bool(body, "deleted"),
    )
    async with runtime(request).db.read() as conn:
        await _require_policy(conn, policy_id)
        found = await retention_store.search_policy_channels(conn, policy_id, search)
    return json_response([render_policy_channel(c) for c in found])


async def _require_policy(conn: Any, policy_id: str) -> None:
    if await retention_store.get_policy(conn, policy_id) is None:
        raise errors.not_found("policy", "app.data_retention.get_policy.app_error")


def _members_route(scope: retention_store.Scope, *, add: bool) -> Any:
    async def change(request: Request) -> Response:
        permissions.require_system_admin(await require_caller(request))
        policy_id = path_id(request, "policy_id")
        ids = retention_actions.check_ids(await read_json(request), "body")
        await retention_actions.change_members(runtime(request), policy_id, scope, ids, add=add)
        return ok_response()

    return change


async def user_team_policies(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        found, total = await retention_store.team_policies_for_user(conn, user_id, page, per_page)
    policies = [{"team_id": row["team_id"], "post_duration": row["post_duration"]} for row in found]
    return json_response({"policies": policies, "total_count": total})


async def user_channel_policies(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        found, total = await retention_store.channel_policies_for_user(conn, user_id, page, per_page)
    policies = [{"channel_id": row["channel_id"], "post_duration": row["post_duration"]} for row in found]
    return json_response({"policies": policies, "total_count": total})


_POLICY = "/data_retention/policies/{policy_id}"
routes = [
    Route("/data_retention/policy", get_global_policy, methods=["GET"]),
    Route("/data_retention/policies", list_policies, methods=["GET"]),
    Route("/data_retention/policies", create_policy, methods=["POST"]),
    Route("/data_retention/policies_count", count_policies, methods=["GET"]),
    Route(_POLICY, get_policy, methods=["GET"]),
    Route(_POLICY, patch_policy, methods=["PATCH"]),
    Route(_POLICY, delete_policy, methods=["DELETE"]),
    Route(f"{_POLICY}/teams", get_policy_teams, methods=["GET"]),
    Route(f"{_POLICY}/teams/search", search_policy_teams, methods=["POST"]),
    Route(f"{_POLICY}/teams", _members_route(retention_store.TEAMS, add=True), methods=["POST"]),
    Route(f"{_POLICY}/teams", _members_route(retention_store.TEAMS, add=False), methods=["DELETE"]),
    Route(f"{_POLICY}/channels", get_policy_channels, methods=["GET"]),
    Route(f"{_POLICY}/channels/search", search_policy_channels, methods=["POST"]),
    Route(f"{_POLICY}/channels", _members_route(retention_store.CHANNELS, add=True), methods=["POST"]),
    Route(f"{_POLICY}/channels", _members_route(retention_store.CHANNELS, add=False), methods=["DELETE"]),
    Route("/users/{user_id}/data_retention/team_policies", user_team_policies, methods=["GET"]),
    Route("/users/{user_id}/data_retention/channel_policies", user_channel_policies, methods=["GET"]),
]
