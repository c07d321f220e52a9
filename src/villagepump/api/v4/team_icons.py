"""Team icons: read by whoever may see the team, changed by its admins."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import pictures as picture_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import ok_response, path_id, runtime
from villagepump.api.image_responses import cache_control_for, not_modified, picture_response, validators
from villagepump.api.image_uploads import staged_image


async def get_team_icon(request: Request) -> Response:
    caller = await require_caller(request)
    rt = runtime(request)
    async with rt.db.read() as conn:
        # Members see their team's icon; anyone signed in sees an open team's (to pick one to join).
        team, _ = await permissions.require_team_visible(conn, caller, path_id(request, "team_id"))
    version = team["last_team_icon_update"]
    cache_control = cache_control_for(request, version)
    headers = validators(str(version), version)
    if version:
        unchanged = not_modified(request, headers, cache_control)
        if unchanged is not None:
            return unchanged
    icon = await picture_actions.team_icon(rt, team)
    return picture_response(icon, "image/png", cache_control, headers)


async def set_team_icon(request: Request) -> Response:
    caller = await require_caller(request)
    team_id = path_id(request, "team_id")
    rt = runtime(request)
    await picture_actions.require_team_icon_admin(rt, caller, team_id)
    max_size = rt.settings.max_file_size
    async with staged_image(
        request,
        max_size,
        too_large=errors.APIError(
            413,
            "api.team.set_team_icon.too_large.app_error",
            f"Unable to upload the team icon. The file is larger than {max_size} bytes.",
        ),
        unreadable=errors.bad_request(
            "api.team.set_team_icon.parse.app_error", "Could not parse the multipart form."
        ),
        no_file=errors.bad_request(
            "api.team.set_team_icon.no_file.app_error", "No file under 'image' in request."
        ),
    ) as upload:
        await picture_actions.set_team_icon(rt, caller, team_id, upload.files[0].path)
    return ok_response()


async def remove_team_icon(request: Request) -> Response:
    caller = await require_caller(request)
    await picture_actions.remove_team_icon(runtime(request), caller, path_id(request, "team_id"))
    return ok_response()


routes = [
    Route("/teams/{team_id}/image", get_team_icon, methods=["GET"]),
    Route("/teams/{team_id}/image", set_team_icon, methods=["POST"]),
    Route("/teams/{team_id}/image", remove_team_icon, methods=["DELETE"]),
]
