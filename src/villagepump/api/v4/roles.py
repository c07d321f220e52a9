"""Roles, which clients read to decide which actions to offer."""

import re
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, read_list, runtime
from villagepump.roles import ROLE_IDS, ROLE_PERMISSIONS, render_role

_ROLE_NAME = re.compile(r"^[a-z0-9_]{1,64}$")
_NAMES_BY_ID = {role_id: name for name, role_id in ROLE_IDS.items()}


def _render(request: Request, name: str) -> dict[str, Any]:
    return render_role(name, invite_restricted=runtime(request).settings.restrict_team_invite_to_admins)


async def roles_by_names(request: Request) -> Response:
    """Unknown names are left out, as in Mattermost; malformed ones are an error."""
    await require_caller(request)
    names = await read_list(request, str, max_items=200)
    if not all(_ROLE_NAME.match(name) for name in names):
        raise errors.invalid_body("role names")
    known = [name for name in dict.fromkeys(names) if name in ROLE_PERMISSIONS]
    return json_response([_render(request, name) for name in known])


async def role_by_name(request: Request) -> Response:
    await require_caller(request)
    name = str(request.path_params["role_name"])
    if not _ROLE_NAME.match(name):
        raise errors.invalid_param("role_name")
    if name not in ROLE_PERMISSIONS:
        raise errors.not_found("role", "app.role.get_by_name.app_error")
    return json_response(_render(request, name))


async def role_by_id(request: Request) -> Response:
    await require_caller(request)
    role_id = str(request.path_params["role_id"])
    if role_id not in _NAMES_BY_ID:
        raise errors.not_found("role", "app.role.get.app_error")
    return json_response(_render(request, _NAMES_BY_ID[role_id]))


async def all_roles(request: Request) -> Response:
    caller = await require_caller(request)
    permissions.require_system_admin(caller)
    return json_response([_render(request, name) for name in ROLE_PERMISSIONS])


routes = [
    Route("/roles", all_roles, methods=["GET"]),
    Route("/roles/names", roles_by_names, methods=["POST"]),
    Route("/roles/name/{role_name}", role_by_name, methods=["GET"]),
    Route("/roles/{role_id}", role_by_id, methods=["GET"]),
]
