"""Channels of every type, their members, and what members have read."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions, roles
from villagepump.actions import channel_moves as channel_move_actions
from villagepump.actions import channels as channel_actions
from villagepump.actions.teams import DEFAULT_CHANNELS
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
    query_int,
    query_str,
    read_list,
    read_object,
    runtime,
)
from villagepump.ids import is_valid_id
from villagepump.render.channels import (
    render_channel,
    render_channel_member,
    render_channel_stats,
    render_channel_unread,
)
from villagepump.store import Row
from villagepump.store import channel_moderations as moderation_store
from villagepump.store import channels as channel_store
from villagepump.store import teams as team_store

_PROPERTIES = ("name", "display_name", "purpose", "header")


def _path_name(request: Request, name: str) -> str:
    value = str(request.path_params[name])
    if not value or len(value) > 64:
        raise errors.invalid_param(name)
    return value


def _properties(body: dict[str, Any]) -> dict[str, Any]:
    return {key: body[key] for key in _PROPERTIES if body.get(key) is not None}


async def create_channel(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    team_id = body_str(body, "team_id", max_length=26)
    if not is_valid_id(team_id):
        raise errors.invalid_body("team_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
    channel = await channel_actions.create_channel(
        runtime(request),
        caller.user_id,
        team_id=team_id,
        name=body_str(body, "name", max_length=64),
        display_name=body_str(body, "display_name", max_length=64),
        channel_type=body_str(body, "type", "O", max_length=1),
        purpose=body_str(body, "purpose", max_length=250),
        header=body_str(body, "header", max_length=1024),
    )
    return json_response(render_channel(channel), 201)


async def get_channel(request: Request) -> Response:
    caller = await require_caller(request)
    async with runtime(request).db.read() as conn:
        channel = await permissions.require_channel_read(conn, caller, path_id(request, "channel_id"))
    return json_response(render_channel(channel))


async def update_channel(request: Request) -> Response:
    """PUT and patch alike change only the properties the body names."""
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    body = await read_object(request)
    if body.get("id", channel_id) != channel_id:
        raise errors.invalid_body("id")
    channel = await channel_actions.update_channel(runtime(request), caller, channel_id, _properties(body))
    return json_response(render_channel(channel))


async def archive_channel(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    await channel_actions.archive_channel(runtime(request), caller, channel_id)
    return ok_response()


async def update_channel_privacy(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    body = await read_object(request)
    privacy = body_str(body, "privacy", max_length=1)
    channel = await channel_actions.convert_channel(runtime(request), caller, channel_id, privacy)
    return json_response(render_channel(channel))


async def move_channel(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    body = await read_object(request)
    team_id = body_str(body, "team_id", max_length=26)
    if not is_valid_id(team_id):
        raise errors.invalid_body("team_id")
    force = body_bool(body, "force")
    channel = await channel_move_actions.move_channel(
        runtime(request), caller, channel_id, team_id, force=force
    )
    return json_response(render_channel(channel))


async def team_channels_by_ids(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    channel_ids = await read_list(request, str, max_items=1000)
    if not all(is_valid_id(cid) for cid in channel_ids):
        raise errors.invalid_body("channel_ids")
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        channels = [
            c
            for c in await channel_store.get_channels(conn, channel_ids)
            if c["team_id"] == team_id and await permissions.can_read_channel(conn, caller, c)
        ]
    return json_response([render_channel(c) for c in channels])


async def restore_channel(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    channel = await channel_actions.restore_channel(runtime(request), caller, channel_id)
    return json_response(render_channel(channel))


async def channel_stats(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_channel_read(conn, caller, channel_id)
        members, pinned = await channel_store.stats(conn, channel_id)
    return json_response(render_channel_stats(channel_id, members, pinned))


async def public_channels(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_not_guest_caller(caller)
    team_id = path_id(request, "team_id")
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        channels = await channel_store.team_channels(
            conn, team_id, channel_type="O", deleted=False, page=page, per_page=per_page
        )
    return json_response([render_channel(c) for c in channels])


async def private_channels(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_system_admin(caller)
    team_id = path_id(request, "team_id")
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        await permissions.require_team(conn, team_id)
        channels = await channel_store.team_channels(
            conn, team_id, channel_type="P", deleted=False, page=page, per_page=per_page
        )
    return json_response([render_channel(c) for c in channels])


async def deleted_channels(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_not_guest_caller(caller)
    team_id = path_id(request, "team_id")
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        channels = await channel_store.deleted_channels_visible_to(
            conn, team_id, caller.user_id, page=page, per_page=per_page
        )
    return json_response([render_channel(c) for c in channels])


async def _search(request: Request, term: str, *, public: bool, mine: bool, prefix: bool) -> Response:
    caller = await require_caller(request)
    if public:
        # list_team_channels: a guest may look only among their own channels.
        permissions.require_not_guest_caller(caller)
    team_id = path_id(request, "team_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        channels = await channel_store.search_team_channels(
            conn,
            team_id,
            term,
            public=public,
            member_id=caller.user_id if mine else "",
            prefix=prefix,
            limit=query_int(request, "per_page", 50, maximum=100),
        )
    return json_response([render_channel(c) for c in channels])


async def autocomplete_channels(request: Request) -> Response:
    """Public channels, and private ones the caller is in, for ~channel links."""
    term = query_str(request, "name", max_length=64)
    return await _search(request, term, public=True, mine=True, prefix=False)


async def search_autocomplete_channels(request: Request) -> Response:
    """Only the caller's own channels, for the channel switcher."""
    term = query_str(request, "name", max_length=64)
    return await _search(request, term, public=False, mine=True, prefix=False)


async def search_channels(request: Request) -> Response:
    body = await read_object(request)
    term = body_str(body, "term", max_length=64)
    return await _search(request, term, public=True, mine=False, prefix=False)


async def channel_by_name(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    name = _path_name(request, "channel_name")
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        channel = await channel_store.get_channel_by_name(conn, team_id, name)
        if not await _visible_by_name(request, conn, caller, channel):
            raise errors.not_found("channel", "app.channel.get_by_name.missing.app_error")
    assert channel is not None
    return json_response(render_channel(channel))


async def channel_by_team_and_channel_name(request: Request) -> Response:
    caller = await require_caller(request)
    team_name = _path_name(request, "team_name")
    name = _path_name(request, "channel_name")
    async with runtime(request).db.read() as conn:
        team = await team_store.get_team_by_name(conn, team_name)
        if team is None:
            raise errors.not_found("team", "app.team.get_by_name.missing.app_error")
        await permissions.require_team_member(conn, caller, team["id"])
        channel = await channel_store.get_channel_by_name(conn, team["id"], name)
        if not await _visible_by_name(request, conn, caller, channel):
            raise errors.not_found("channel", "app.channel.get_by_name.missing.app_error")
    assert channel is not None
    return json_response(render_channel(channel))


async def _visible_by_name(request: Request, conn: Any, caller: Any, channel: Any) -> bool:
    # A private channel the caller is not in looks exactly like one that does not exist.
    if channel is None or (channel["delete_at"] and not query_bool(request, "include_deleted")):
        return False
    return await permissions.can_read_channel(conn, caller, channel)


async def my_team_channels(request: Request) -> Response:
    """The user's channels in a team, with their direct and group messages (as Mattermost does)."""
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    team_id = path_id(request, "team_id")
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        channels = await channel_store.channels_for_user(
            conn,
            user_id,
            team_id,
            include_deleted=query_bool(request, "include_deleted"),
            last_delete_at=query_int(request, "last_delete_at", 0),
        )
    return json_response([render_channel(c) for c in channels])


async def my_channels(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        channels = await channel_store.channels_for_user(
            conn,
            user_id,
            None,
            include_deleted=query_bool(request, "include_deleted"),
            last_delete_at=query_int(request, "last_delete_at", 0),
        )
    return json_response([render_channel(c) for c in channels])


async def my_team_channel_members(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    team_id = path_id(request, "team_id")
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
        members = await channel_store.members_for_user(conn, user_id, team_id)
        moderations = await moderation_store.moderations_for_member(conn, user_id)
    return json_response([render_channel_member(m, moderations.get(m["channel_id"])) for m in members])


async def channel_unread(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    channel_id = path_id(request, "channel_id")
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        rows = await channel_store.unread_rows(conn, user_id, channel_id)
    if not rows:
        raise errors.not_found("channel member", "app.channel.get_member.missing.app_error")
    return json_response(render_channel_unread(rows[0]))


async def create_direct_channel(request: Request) -> Response:
    caller = await require_caller(request)
    user_ids = await read_list(request, str, max_items=2)
    if len(user_ids) != 2 or not all(is_valid_id(u) for u in user_ids):
        raise errors.invalid_body("user_ids")
    if caller.user_id not in user_ids and not caller.is_system_admin:
        raise errors.forbidden()
    channel = await channel_actions.get_or_create_direct(
        runtime(request), caller.user_id, user_ids[0], user_ids[1]
    )
    return json_response(render_channel(channel), 201)


async def create_group_channel(request: Request) -> Response:
    caller = await require_caller(request)
    user_ids = await read_list(request, str, max_items=channel_actions.GROUP_MAX_USERS)
    if not all(is_valid_id(u) for u in user_ids):
        raise errors.invalid_body("user_ids")
    channel = await channel_actions.get_or_create_group(runtime(request), caller.user_id, user_ids)
    return json_response(render_channel(channel), 201)


async def channel_members(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    page, per_page = paging(request)
    async with runtime(request).db.read() as conn:
        await permissions.require_channel_read(conn, caller, channel_id)
        members = await channel_store.members_page(conn, channel_id, page=page, per_page=per_page)
        moderation = await moderation_store.get_moderation(conn, channel_id)
    return json_response([render_channel_member(m, moderation) for m in members])


async def channel_member(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    user_id = path_user_id(request, caller.user_id)
    async with runtime(request).db.read() as conn:
        await permissions.require_channel_read(conn, caller, channel_id)
        member = await channel_store.get_member(conn, channel_id, user_id)
        moderation = await moderation_store.get_moderation(conn, channel_id)
    if member is None:
        raise errors.not_found("channel member", "app.channel.get_member.missing.app_error")
    return json_response(render_channel_member(member, moderation))


async def channel_members_by_ids(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    user_ids = await read_list(request, str, max_items=1000)
    async with runtime(request).db.read() as conn:
        await permissions.require_channel_read(conn, caller, channel_id)
        members = await channel_store.members_by_user_ids(conn, channel_id, user_ids)
        moderation = await moderation_store.get_moderation(conn, channel_id)
    return json_response([render_channel_member(m, moderation) for m in members])


async def add_channel_member(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    body = await read_object(request)
    user_id = body_str(body, "user_id", max_length=26)
    if not is_valid_id(user_id):
        raise errors.invalid_body("user_id")
    rt = runtime(request)
    member = await channel_actions.add_member(rt, caller, channel_id, user_id)
    async with rt.db.read() as conn:
        moderation = await moderation_store.get_moderation(conn, channel_id)
    return json_response(render_channel_member(member, moderation), 201)


async def remove_channel_member(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    user_id = path_user_id(request, caller.user_id)
    await channel_actions.remove_member(runtime(request), caller, channel_id, user_id)
    return ok_response()


async def update_notify_props(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    body = await read_object(request)
    body.pop("channel_id", None)
    body.pop("user_id", None)
    await channel_actions.update_notify_props(runtime(request), caller, channel_id, user_id, body)
    return ok_response()


async def update_member_scheme_roles(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    user_id = path_user_id(request, caller.user_id)
    body = await read_object(request)
    if not isinstance(body.get("scheme_admin"), bool):
        raise errors.invalid_body("scheme_admin")
    await channel_actions.set_member_admin(
        runtime(request), caller, channel_id, user_id, body_bool(body, "scheme_admin")
    )
    return ok_response()


async def update_member_roles(request: Request) -> Response:
    """The role string form of schemeRoles: "channel_user" or "channel_user channel_admin"."""
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    user_id = path_user_id(request, caller.user_id)
    body = await read_object(request)
    if not isinstance(body.get("roles"), str):
        raise errors.invalid_body("roles")
    admin = roles.scheme_admin_from_roles(body_str(body, "roles", max_length=256), "channel")
    await channel_actions.set_member_admin(runtime(request), caller, channel_id, user_id, admin)
    return ok_response()


async def all_channels(request: Request) -> Response:
    """Every team's public and private channels, for the system console. Admins see that a
    private channel exists and what it is called, never what is said in it (decision 0004)."""
    caller = await require_caller(request)
    permissions.require_system_admin(caller)
    page, per_page = paging(request)
    listing = channel_store.ChannelListing(
        include_deleted=query_bool(request, "include_deleted"),
        exclude_names=tuple(name for name, _ in DEFAULT_CHANNELS)
        if query_bool(request, "exclude_default_channels")
        else (),
    )
    async with runtime(request).db.read() as conn:
        channels = await channel_store.all_team_channels(conn, listing, page=page, per_page=per_page)
        total = await channel_store.count_team_channels(conn, listing)
    rendered = [_render_with_team(c) for c in channels]
    if query_bool(request, "include_total_count"):
        return json_response({"channels": rendered, "total_count": total})
    return json_response(rendered)


def _render_with_team(channel: Row) -> dict[str, Any]:
    """Mattermost's ChannelWithTeamData."""
    return {
        **render_channel(channel),
        "team_display_name": channel["team_display_name"],
        "team_name": channel["team_name"],
        "team_update_at": channel["team_update_at"],
    }


async def channel_timezones(request: Request) -> Response:
    """The distinct time zones the channel's members use, for "it is 3am for them" warnings."""
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_channel_member(conn, caller, channel_id)
        settings = await channel_store.member_timezones(conn, channel_id)
    zones = {_preferred_timezone(setting) for setting in settings}
    return json_response(sorted(zones - {""}))


def _preferred_timezone(setting: dict[str, Any]) -> str:
    # Mattermost's rule: the automatic zone when the user lets the client detect it.
    key = "automaticTimezone" if setting.get("useAutomaticTimezone") == "true" else "manualTimezone"
    value = setting.get(key)
    return value if isinstance(value, str) else ""


async def view_channel(request: Request) -> Response:
    """Marks the channel (and the one the user came from) read: Mattermost's "view"."""
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self(caller, user_id)
    body = await read_object(request)
    channel_ids = [
        body_str(body, "channel_id", max_length=26),
        body_str(body, "prev_channel_id", max_length=26),
    ]
    if not all(cid == "" or is_valid_id(cid) for cid in channel_ids):
        raise errors.invalid_body("channel_id")
    times = await channel_actions.view_channels(runtime(request), user_id, [c for c in channel_ids if c])
    return json_response({"status": "OK", "last_viewed_at_times": times})


routes = [
    Route("/channels", create_channel, methods=["POST"]),
    Route("/channels", all_channels, methods=["GET"]),
    Route("/channels/direct", create_direct_channel, methods=["POST"]),
    Route("/channels/group", create_group_channel, methods=["POST"]),
    Route("/channels/members/{user_id}/view", view_channel, methods=["POST"]),
    Route("/channels/{channel_id}", get_channel, methods=["GET"]),
    Route("/channels/{channel_id}", update_channel, methods=["PUT"]),
    Route("/channels/{channel_id}/patch", update_channel, methods=["PUT"]),
    Route("/channels/{channel_id}", archive_channel, methods=["DELETE"]),
    Route("/channels/{channel_id}/privacy", update_channel_privacy, methods=["PUT"]),
    Route("/channels/{channel_id}/restore", restore_channel, methods=["POST"]),
    Route("/channels/{channel_id}/move", move_channel, methods=["POST"]),
    Route("/channels/{channel_id}/stats", channel_stats, methods=["GET"]),
    Route("/channels/{channel_id}/timezones", channel_timezones, methods=["GET"]),
    Route("/channels/{channel_id}/members", channel_members, methods=["GET"]),
    Route("/channels/{channel_id}/members", add_channel_member, methods=["POST"]),
    Route("/channels/{channel_id}/members/ids", channel_members_by_ids, methods=["POST"]),
    Route("/channels/{channel_id}/members/{user_id}", channel_member, methods=["GET"]),
    Route("/channels/{channel_id}/members/{user_id}", remove_channel_member, methods=["DELETE"]),
    Route("/channels/{channel_id}/members/{user_id}/notify_props", update_notify_props, methods=["PUT"]),
    Route(
        "/channels/{channel_id}/members/{user_id}/schemeRoles", update_member_scheme_roles, methods=["PUT"]
    ),
    Route("/channels/{channel_id}/members/{user_id}/roles", update_member_roles, methods=["PUT"]),
    Route("/teams/{team_id}/channels", public_channels, methods=["GET"]),
    Route("/teams/{team_id}/channels/ids", team_channels_by_ids, methods=["POST"]),
    Route("/teams/{team_id}/channels/private", private_channels, methods=["GET"]),
    Route("/teams/{team_id}/channels/deleted", deleted_channels, methods=["GET"]),
    Route("/teams/{team_id}/channels/autocomplete", autocomplete_channels, methods=["GET"]),
    Route("/teams/{team_id}/channels/search_autocomplete", search_autocomplete_channels, methods=["GET"]),
    Route("/teams/{team_id}/channels/search", search_channels, methods=["POST"]),
    Route("/teams/{team_id}/channels/name/{channel_name}", channel_by_name, methods=["GET"]),
    Route(
        "/teams/name/{team_name}/channels/name/{channel_name}",
        channel_by_team_and_channel_name,
        methods=["GET"],
    ),
    Route("/users/{user_id}/channels", my_channels, methods=["GET"]),
    Route("/users/{user_id}/teams/{team_id}/channels", my_team_channels, methods=["GET"]),
    Route("/users/{user_id}/teams/{team_id}/channels/members", my_team_channel_members, methods=["GET"]),
    Route("/users/{user_id}/channels/{channel_id}/unread", channel_unread, methods=["GET"]),
]
