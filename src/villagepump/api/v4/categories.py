"""Sidebar categories: how each user groups their channels in each team."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import categories as category_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    json_response,
    ok_response,
    path_id,
    path_user_id,
    read_list,
    read_object,
    runtime,
)
from villagepump.ids import is_valid_id


async def _owner_and_team(request: Request) -> tuple[str, str]:
    """The user whose sidebar it is (the caller, or anyone for a system admin) and the team,
    which the caller must belong to."""
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    team_id = path_id(request, "team_id")
    permissions.require_self_or_admin(caller, user_id)
    async with runtime(request).db.read() as conn:
        await permissions.require_team_member(conn, caller, team_id)
    return user_id, team_id


async def get_categories(request: Request) -> Response:
    user_id, team_id = await _owner_and_team(request)
    sidebar = await category_actions.get_sidebar(runtime(request), user_id, team_id)
    rendered = sidebar.rendered()
    return json_response({"categories": rendered, "order": [c["id"] for c in rendered]})


async def get_order(request: Request) -> Response:
    user_id, team_id = await _owner_and_team(request)
    sidebar = await category_actions.get_sidebar(runtime(request), user_id, team_id)
    return json_response([c["id"] for c in sidebar.categories])


async def set_order(request: Request) -> Response:
    user_id, team_id = await _owner_and_team(request)
    order = await read_list(request, str, max_items=1000)
    return json_response(await category_actions.set_order(runtime(request), user_id, team_id, order))


async def get_category(request: Request) -> Response:
    user_id, team_id = await _owner_and_team(request)
    category_id = path_id(request, "category_id")
    sidebar = await category_actions.get_sidebar(runtime(request), user_id, team_id)
    for category in sidebar.rendered():
        if category["id"] == category_id:
            return json_response(category)
    raise errors.not_found("category", "app.channel.sidebar_categories.app_error")


async def create_category(request: Request) -> Response:
    user_id, team_id = await _owner_and_team(request)
    body = await read_object(request)
    category = await category_actions.create_category(runtime(request), user_id, team_id, body)
    return json_response(category)


async def update_category(request: Request) -> Response:
    user_id, team_id = await _owner_and_team(request)
    category_id = path_id(request, "category_id")
    body = await read_object(request)
    if body.get("id", category_id) != category_id:
        raise errors.invalid_body("id")
    updated = await category_actions.update_categories(
        runtime(request), user_id, team_id, [{**body, "id": category_id}]
    )
    return json_response(updated[0])


async def update_categories(request: Request) -> Response:
    user_id, team_id = await _owner_and_team(request)
    body = await read_list(request, dict, max_items=100)
    if not all(is_valid_id(item.get("id")) for item in body):
        raise errors.invalid_body("id")
    return json_response(await category_actions.update_categories(runtime(request), user_id, team_id, body))


async def delete_category(request: Request) -> Response:
    user_id, team_id = await _owner_and_team(request)
    category_id = path_id(request, "category_id")
    await category_actions.delete_category(runtime(request), user_id, team_id, category_id)
    return ok_response()


_BASE = "/users/{user_id}/teams/{team_id}/channels/categories"

routes = [
    Route(_BASE, get_categories, methods=["GET"]),
    Route(_BASE, create_category, methods=["POST"]),
    Route(_BASE, update_categories, methods=["PUT"]),
    Route(_BASE + "/order", get_order, methods=["GET"]),
    Route(_BASE + "/order", set_order, methods=["PUT"]),
    Route(_BASE + "/{category_id}", get_category, methods=["GET"]),
    Route(_BASE + "/{category_id}", update_category, methods=["PUT"]),
    Route(_BASE + "/{category_id}", delete_category, methods=["DELETE"]),
]
