"""The caller's own channels across teams: group messages found by member name, and every
channel membership (the mobile app's first sync reads them page by page)."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import permissions
from villagepump.api.authentication import require_caller
from villagepump.api.http import body_str, json_response, paging, path_user_id, read_object, runtime
from villagepump.render.channels import render_channel, render_channel_member
from villagepump.store import channel_lookups
from villagepump.store import channel_moderations as moderation_store
from villagepump.store.user_search import term_words

MAX_GROUP_RESULTS = 100


async def search_group_channels(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    words = term_words(body_str(body, "term", max_length=64))
    async with runtime(request).db.read() as conn:
        found = await channel_lookups.search_group_channels(conn, caller.user_id, words, MAX_GROUP_RESULTS)
    return json_response([render_channel(channel) for channel in found])


async def channel_members_with_teams(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    page, per_page = paging(request, default_per_page=60, max_per_page=200)
    async with runtime(request).db.read() as conn:
        rows = await channel_lookups.memberships_with_teams(conn, user_id, page=page, per_page=per_page)
        moderations = await moderation_store.moderations_for_member(conn, user_id)
    return json_response(
        [
            {
                **render_channel_member(row, moderations.get(row["channel_id"])),
                "team_display_name": row["team_display_name"] or "",
                "team_name": row["team_name"] or "",
                "team_update_at": row["team_update_at"] or 0,
            }
            for row in rows
        ]
    )


routes = [
    Route("/channels/group/search", search_group_channels, methods=["POST"]),
    Route("/users/{user_id}/channel_members", channel_members_with_teams, methods=["GET"]),
]
