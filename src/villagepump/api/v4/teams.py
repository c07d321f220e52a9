"""Teams and team membership."""

from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions, roles
from villagepump.actions import invitations as invitation_actions
from villagepump.actions import teams as team_actions
from villagepump.actions import users as user_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_bool,
    body_str,
    json_response,
    ok_response,
    paging,
    path_id,
    path_user_id,
    query_bool,
    query_id,
    query_str,
    read_json,
    read_list,
    read_object,
    runtime,
)
from villagepump.auth import Caller
from villagepump.ids import is_valid_id
from villagepump.render.channels import render_team_unreads
from villagepump.render.teams import (
    render_invite_info,
    render_team,
    render_team_member,
    render_team_stats,
)
from villagepump.store import channels as channel_store
from villagepump.store import teams as team_store
from villagepump.store import threads as thread_store


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


async def _inviting_in(request: Request, conn: AsyncConnection, caller: Caller) -> set[str]:
    """The teams whose invite id the caller sees: those they may invite to (permissions.can_invite);
    system admins see every team's, which callers check first."""
    restricted = runtime(request).settings.restrict_team_invite_to_admins
    members = await team_store.members_for_user(conn, caller.user_id)
    return {m["team_id"] for m in members if permissions.can_invite(caller, m, restricted)}


async def list_teams(request: Request) -> Response:
    """Open teams for everyone (to find one to join); every team for system admins. Guests
    list none (list_public_teams is not theirs): they are added to teams."""
    caller = await require_caller(request)
    page, per_page = paging(request)
    open_only = not caller.is_system_admin
    async with runtime(request).db.read() as conn:
        if caller.is_guest:
            teams, total = [], 0
        else:
            teams = await team_store.list_teams(conn, open_only=open_only, page=page, per_page=per_page)
            total = await team_store.count_teams(conn, open_only=open_only)
        inviting = await _inviting_in(request, conn, caller)
    rendered = [render_team(t, show_invite=t["id"] in inviting or caller.is_system_admin) for t in teams]
    if query_bool(request, "include_total_count"):
        return json_response({"teams": rendered, "total_count": total})
    return json_response(rendered)


async def search_teams(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    term = body_str(body, "term", max_length=64)
    async with runtime(request).db.read() as conn:
        found = await team_store.search_teams(conn, term, open_only=not caller.is_system_admin)
        teams = [] if caller.is_guest else found
        inviting = await _inviting_in(request, conn, caller)
    return json_response(
        [render_team(t, show_invite=t["id"] in inviting or caller.is_system_admin) for t in teams]
    )


async def get_team(request: Request) -> Response:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        team, member = await permissions.require_team_visible(conn, caller, path_id(request, "team_id"))
        shown = member and (caller.is_system_admin or team["id"] in await _inviting_in(request, conn, caller))
    return json_response(render_team(team, show_invite=shown))


async def get_team_by_name(request: Request) -> Response:
    caller = await require_caller(request)
    name = _path_str(request, "name")
    async with runtime(request).db.read() as conn:
        found = await team_store.get_team_by_name(conn, name)
        if found is None:
            raise errors.not_found("team", "app.team.get_by_name.missing.app_error")
        team, member = await permissions.require_team_visible(conn, caller, found["id"])
        shown = member and (caller.is_system_admin or team["id"] in await _inviting_in(request, conn, caller))
    return json_response(render_team(team, show_invite=shown))


def _path_str(request: Request, name: str, max_length: int = 64) -> str:
    value = str(request.path_params[name])
    if not value or len(value) > max_length:
        raise errors.invalid_param(name)
    return value


async def team_name_exists(request: Request) -> Response:
    await require_caller(request)
    name = _path_str(request, "name")
    async with runtime(request).db.read() as conn:
        team = await team_store.get_team_by_name(conn, name)
    return json_response({"exists": team is not None})


async def update_team(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    body = await read_object(request)
    if body.get("id", team_id) != team_id:
        raise errors.invalid_param("id")
    team = await team_actions.update_team(runtime(request), caller, team_id, body)
    return json_response(render_team(team, show_invite=True))


async def delete_team(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    await team_actions.archive_team(runtime(request), caller, team_id)
    return ok_response()


async def restore_team(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    team = await team_actions.restore_team(runtime(request), caller, team_id)
    return json_response(render_team(team, show_invite=True))


async def update_team_privacy(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    body = await read_object(request)
    privacy = body_str(body, "privacy", max_length=1)
    team = await team_actions.set_privacy(runtime(request), caller, team_id, privacy)
    return json_response(render_team(team, show_invite=True))


async def regenerate_invite_id(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    team = await team_actions.regenerate_invite_id(runtime(request), caller, team_id)
    return json_response(render_team(team, show_invite=True))


async def invite_info(request: Request) -> Response:
    """Public: the invite id itself is the secret that shows the team."""
    invite_id = _path_str(request, "invite_id")
    rt = runtime(request)
    async with rt.db.read() as conn:
        team = await team_actions.team_for_invite(conn, rt, invite_id)
    if team is None:
        raise errors.not_found("team", "app.team.get_by_invite_id.finding.app_error")
    return json_response(render_invite_info(team))


async def teams_for_user(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        teams = await team_store.teams_for_user(conn, user_id)
        inviting = await _inviting_in(request, conn, caller)
    return json_response(
        [render_team(t, show_invite=caller.is_system_admin or t["id"] in inviting) for t in teams]
    )


async def team_members_for_user(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        members = await team_store.members_for_user(conn, user_id)
    return json_response([render_team_member(m) for m in members])


async def team_unreads_for_user(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    exclude = query_id(request, "exclude_team")
    async with runtime(request).db.read() as conn:
        team_ids = [t for t in await team_store.team_ids_for_user(conn, user_id) if t != exclude]
        rows = await channel_store.unread_rows(conn, user_id)
        threads = {team_id: await _unread_threads(conn, user_id, team_id) for team_id in team_ids}
    return json_response(render_team_unreads(rows, team_ids, threads))


async def team_unread_for_user(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    team_id = path_id(request, "team_id")
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        if await team_store.get_active_member(conn, team_id, user_id) is None:
            raise errors.not_found("team member", "app.team.get_member.missing.app_error")
        rows = await channel_store.unread_rows(conn, user_id)
        threads = {team_id: await _unread_threads(conn, user_id, team_id)}
    return json_response(render_team_unreads(rows, [team_id], threads)[0])


async def _unread_threads(conn: AsyncConnection, user_id: str, team_id: str) -> tuple[int, int]:
    """Followed threads with unread replies in the team's channels, and their unread mentions.
    Threads in direct and group messages belong to every team, so they are left out here to
    count once rather than once per team."""
    query = thread_store.ThreadQuery(user_id=user_id, team_id=team_id, exclude_direct=True)
    _, unread_threads, unread_mentions = await thread_store.totals(conn, query)
    return unread_threads, unread_mentions


async def team_members(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        members = await team_store.members_page(conn, team_id, page=page, per_page=per_page)
    return json_response([render_team_member(m) for m in members])


async def team_member(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    user_id = path_user_id(request, caller.user_id)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        member = await team_store.get_member(conn, team_id, user_id)
    if member is None:
        raise errors.not_found("team member", "app.team.get_member.missing.app_error")
    return json_response(render_team_member(member))


async def team_members_by_ids(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    user_ids = await read_list(request, str, max_items=1000)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        members = await team_store.members_by_user_ids(conn, team_id, user_ids)
    return json_response([render_team_member(m) for m in members])


async def add_team_member(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    body = await read_object(request)
    user_id = body_str(body, "user_id", max_length=26)
    if not is_valid_id(user_id):
        raise errors.invalid_body("user_id")
    if body.get("team_id", team_id) != team_id:
        raise errors.invalid_body("team_id")
    member = await team_actions.add_member(runtime(request), caller, team_id, user_id)
    return json_response(render_team_member(member), 201)


async def add_team_members(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    body = await read_list(request, dict, max_items=256)
    user_ids = [item.get("user_id") for item in body]
    if not user_ids or not all(is_valid_id(u) for u in user_ids):
        raise errors.invalid_body("user_id")
    if any(item.get("team_id", team_id) != team_id for item in body):
        raise errors.invalid_body("team_id")
    members = await team_actions.add_members(runtime(request), caller, team_id, user_ids)
    if query_bool(request, "graceful"):
        return json_response(
            [{"member": render_team_member(m), "user_id": m["user_id"], "error": None} for m in members], 201
        )
    return json_response([render_team_member(m) for m in members], 201)


async def join_by_invite(request: Request) -> Response:
    caller = await require_caller(request)
    invite_id = query_str(request, "invite_id", max_length=64)
    if not invite_id:
        raise errors.invalid_param("invite_id")
    member = await team_actions.join_by_invite(runtime(request), caller, invite_id)
    return json_response(render_team_member(member), 201)


async def remove_team_member(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    user_id = path_user_id(request, caller.user_id)
    await team_actions.remove_member(runtime(request), caller, team_id, user_id)
    return ok_response()


async def team_stats(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        total, active = await team_store.member_counts(conn, team_id)
    return json_response(render_team_stats(team_id, total, active))


async def update_scheme_roles(request: Request) -> Response:
    caller = await require_caller(request)
    team_id, user_id = path_id(request, "team_id"), path_id(request, "user_id")
    body = await read_object(request)
    if not isinstance(body.get("scheme_admin"), bool):
        raise errors.invalid_body("scheme_admin")
    await team_actions.set_member_admin(
        runtime(request), caller, team_id, user_id, body_bool(body, "scheme_admin")
    )
    return ok_response()


async def update_roles(request: Request) -> Response:
    """The role string form of schemeRoles: "team_user" or "team_user team_admin"."""
    caller = await require_caller(request)
    team_id, user_id = path_id(request, "team_id"), path_user_id(request, caller.user_id)
    body = await read_object(request)
    if not isinstance(body.get("roles"), str):
        raise errors.invalid_body("roles")
    admin = roles.scheme_admin_from_roles(body_str(body, "roles", max_length=256), "team")
    await team_actions.set_member_admin(runtime(request), caller, team_id, user_id, admin)
    return ok_response()


_MAX_INVITATIONS = 50


def _invitation_emails(emails: object, invalid: errors.APIError) -> list[str]:
    if not isinstance(emails, list) or len(emails) > _MAX_INVITATIONS:
        raise errors.invalid_body("emails")
    checked = []
    for email in emails:
        try:
            checked.append(user_actions.check_email(email))
        except errors.APIError:
            raise invalid from None
    return checked


def _require_email_invitations(request: Request) -> None:
    settings = runtime(request).settings
    # Without an SMTP server an invitation could never arrive: refused as switched off.
    if not settings.enable_email_invitations or not settings.smtp_server:
        raise errors.APIError(
            501, "api.team.invite_members.disabled.app_error", "Email invitations are disabled."
        )


async def invite_users_by_email(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    _require_email_invitations(request)
    emails = _invitation_emails(
        await read_json(request),
        errors.bad_request("api.team.invite_members.invalid_email.app_error", "An email address is invalid."),
    )
    if not emails:
        raise errors.invalid_param("user_email")
    await invitation_actions.invite_by_email(runtime(request), caller, team_id, emails)
    return ok_response()


async def invite_guests_by_email(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    if not runtime(request).settings.guest_accounts_enable:
        raise errors.APIError(
            501, "api.team.invite_guests_to_channels.disabled.error", "Guest accounts are disabled."
        )
    _require_email_invitations(request)
    body = await read_object(request)
    emails = _invitation_emails(
        body.get("emails"), errors.bad_request("model.guest.is_valid.email.app_error", "Invalid email.")
    )
    if not emails:
        raise errors.bad_request("model.guest.is_valid.emails.app_error", "Invalid emails.")
    channel_ids = body.get("channels")
    if not isinstance(channel_ids, list) or not channel_ids:
        raise errors.bad_request("model.guest.is_valid.channels.app_error", "Invalid channels.")
    if len(channel_ids) > 100 or not all(is_valid_id(channel_id) for channel_id in channel_ids):
        raise errors.bad_request("model.guest.is_valid.channel.app_error", "Invalid channel.")
    message = body_str(body, "message", max_length=4000)
    await invitation_actions.invite_guests(runtime(request), caller, team_id, emails, channel_ids, message)
    return ok_response()


routes = [
    Route("/teams", create_team, methods=["POST"]),
    Route("/teams", list_teams, methods=["GET"]),
    Route("/teams/search", search_teams, methods=["POST"]),
    Route("/teams/members/invite", join_by_invite, methods=["POST"]),
    Route("/teams/name/{name}", get_team_by_name, methods=["GET"]),
    Route("/teams/name/{name}/exists", team_name_exists, methods=["GET"]),
    Route("/teams/invite/{invite_id}", invite_info, methods=["GET"]),
    Route("/teams/{team_id}/invite/email", invite_users_by_email, methods=["POST"]),
    Route("/teams/{team_id}/invite-guests/email", invite_guests_by_email, methods=["POST"]),
    Route("/teams/{team_id}", get_team, methods=["GET"]),
    Route("/teams/{team_id}", update_team, methods=["PUT"]),
    Route("/teams/{team_id}/patch", update_team, methods=["PUT"]),
    Route("/teams/{team_id}", delete_team, methods=["DELETE"]),
    Route("/teams/{team_id}/restore", restore_team, methods=["POST"]),
    Route("/teams/{team_id}/privacy", update_team_privacy, methods=["PUT"]),
    Route("/teams/{team_id}/regenerate_invite_id", regenerate_invite_id, methods=["POST"]),
    Route("/teams/{team_id}/stats", team_stats, methods=["GET"]),
    Route("/teams/{team_id}/members", team_members, methods=["GET"]),
    Route("/teams/{team_id}/members", add_team_member, methods=["POST"]),
    Route("/teams/{team_id}/members/batch", add_team_members, methods=["POST"]),
    Route("/teams/{team_id}/members/ids", team_members_by_ids, methods=["POST"]),
    Route("/teams/{team_id}/members/{user_id}", team_member, methods=["GET"]),
    Route("/teams/{team_id}/members/{user_id}", remove_team_member, methods=["DELETE"]),
    Route("/teams/{team_id}/members/{user_id}/schemeRoles", update_scheme_roles, methods=["PUT"]),
    Route("/teams/{team_id}/members/{user_id}/roles", update_roles, methods=["PUT"]),
    Route("/users/{user_id}/teams", teams_for_user, methods=["GET"]),
    Route("/users/{user_id}/teams/members", team_members_for_user, methods=["GET"]),
    Route("/users/{user_id}/teams/unread", team_unreads_for_user, methods=["GET"]),
    Route("/users/{user_id}/teams/{team_id}/unread", team_unread_for_user, methods=["GET"]),
]
