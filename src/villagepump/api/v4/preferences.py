"""Per-user preferences. Saving a post ("flagged_post") needs read access to it."""

from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncConnection
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import preferences as preference_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, ok_response, path_user_id, read_json, runtime
from villagepump.auth import Caller
from villagepump.ids import is_valid_id
from villagepump.store import Row
from villagepump.store import preferences as preference_store

MAX_ITEMS = 100
_LIMITS = {"category": 32, "name": 64, "value": 2000}
THEME_CATEGORY = "theme"


def _is_theme(value: str) -> bool:
    """Mattermost's check: a theme is a JSON object of strings (every client parses it)."""
    try:
        theme = orjson.loads(value)
    except orjson.JSONDecodeError:
        return False
    return isinstance(theme, dict) and all(isinstance(v, str) for v in theme.values())


def _render(preference: Row) -> dict[str, Any]:
    return {k: preference[k] for k in ("user_id", "category", "name", "value")}


def _owner(request: Request, caller: Caller) -> str:
    user_id = path_user_id(request, caller.user_id)
    permissions.require_self_or_admin(caller, user_id)
    return user_id


async def _items(request: Request, user_id: str, need_value: bool) -> list[dict[str, str]]:
    body = await read_json(request)
    if not isinstance(body, list) or not body or len(body) > MAX_ITEMS:
        raise errors.invalid_body("preferences")
    items = []
    for raw in body:
        if not isinstance(raw, dict):
            raise errors.invalid_body("preferences")
        item = {}
        for key, limit in _LIMITS.items():
            value = raw.get(key, "" if key == "value" and not need_value else None)
            # As in Mattermost, only the category is required: the theme for all teams is named "".
            if not isinstance(value, str) or len(value) > limit or (key == "category" and not value):
                raise errors.invalid_body(key)
            item[key] = value
        if need_value and item["category"] == THEME_CATEGORY and not _is_theme(item["value"]):
            raise errors.bad_request("model.preference.is_valid.theme.app_error", "Invalid theme.")
        if raw.get("user_id") != user_id:
            raise errors.forbidden("Preferences can only be changed for their owner.")
        items.append({"user_id": user_id, **item})
    return items


async def get_preferences(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = _owner(request, caller)
    category = request.path_params.get("category", "")
    name = request.path_params.get("name", "")
    async with runtime(request).db.read() as conn:
        found = await preference_store.get_preferences(conn, user_id, category, name)
    if name:
        if not found:
            raise errors.not_found("preference", "app.preference.get.app_error")
        return json_response(_render(found[0]))
    return json_response([_render(p) for p in found])


async def save_preferences(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = _owner(request, caller)
    items = await _items(request, user_id, need_value=True)
    async with runtime(request).db.read() as conn:
        await _check_saved_posts(conn, caller, items)
    await preference_actions.save_preferences(runtime(request), user_id, items)
    return ok_response()


async def _check_saved_posts(conn: AsyncConnection, caller: Caller, items: list[dict[str, str]]) -> None:
    """A saved post's preference is named by the post's id; nobody saves what they cannot read."""
    for item in items:
        if item["category"] == "flagged_post":
            if not is_valid_id(item["name"]):
                raise errors.invalid_body("name")
            await permissions.require_post_read(conn, caller, item["name"])


async def delete_preferences(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = _owner(request, caller)
    items = await _items(request, user_id, need_value=False)
    await preference_actions.delete_preferences(runtime(request), user_id, items)
    return ok_response()


routes = [
    Route("/users/{user_id}/preferences", get_preferences, methods=["GET"]),
    Route("/users/{user_id}/preferences", save_preferences, methods=["PUT"]),
    Route("/users/{user_id}/preferences/delete", delete_preferences, methods=["POST"]),
    Route("/users/{user_id}/preferences/{category}", get_preferences, methods=["GET"]),
    Route("/users/{user_id}/preferences/{category}/name/{name}", get_preferences, methods=["GET"]),
]
