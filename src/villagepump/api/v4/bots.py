"""Bot accounts: create, list, read, patch, disable, enable, assign, and convert users to bots
and back, as Mattermost's /bots routes."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.actions import bots as bot_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_str,
    json_response,
    paging,
    path_id,
    query_bool,
    read_object,
    runtime,
)
from villagepump.render.integrations import render_bot
from villagepump.render.users import render_user
from villagepump.store import bots as bot_store


def _patch(body: dict[str, Any]) -> bot_actions.BotPatch:
    def optional(name: str) -> str | None:
        return body_str(body, name, max_length=4096) if body.get(name) is not None else None

    return bot_actions.BotPatch(
        username=optional("username"),
        display_name=optional("display_name"),
        description=optional("description"),
    )


async def create_bot(request: Request) -> Response:
    caller = await require_caller(request)
    patch = _patch(await read_object(request))
    return json_response(render_bot(await bot_actions.create_bot(runtime(request), caller, patch)), 201)


async def list_bots(request: Request) -> Response:
    caller = await require_caller(request)
    page, per_page = paging(request, default_per_page=60, max_per_page=200)
    async with runtime(request).db.read() as conn:
        bots = await bot_store.list_bots(
            conn,
            # Others' bots only for system admins (read_others_bots), as in Mattermost.
            owner_id=None if caller.is_system_admin else caller.user_id,
            include_deleted=query_bool(request, "include_deleted"),
            only_orphaned=query_bool(request, "only_orphaned"),
            offset=page * per_page,
            limit=per_page,
        )
    return json_response([render_bot(bot) for bot in bots])


async def get_bot(request: Request) -> Response:
    caller = await require_caller(request)
    bot_id = path_id(request, "bot_user_id")
    async with runtime(request).db.read() as conn:
        bot = await bot_store.get_bot(conn, bot_id)
    visible = bot is not None and (caller.is_system_admin or bot["owner_id"] == caller.user_id)
    if bot is None or not visible or (bot["delete_at"] and not query_bool(request, "include_deleted")):
        raise errors.not_found("bot", "store.sql_bot.get.missing.app_error")
    return json_response(render_bot(bot))


async def patch_bot(request: Request) -> Response:
    caller = await require_caller(request)
    bot_id = path_id(request, "bot_user_id")
    patch = _patch(await read_object(request))
    return json_response(render_bot(await bot_actions.patch_bot(runtime(request), caller, bot_id, patch)))


async def disable_bot(request: Request) -> Response:
    caller = await require_caller(request)
    bot_id = path_id(request, "bot_user_id")
    return json_response(
        render_bot(await bot_actions.set_bot_active(runtime(request), caller, bot_id, False))
    )


async def enable_bot(request: Request) -> Response:
    caller = await require_caller(request)
    bot_id = path_id(request, "bot_user_id")
    return json_response(render_bot(await bot_actions.set_bot_active(runtime(request), caller, bot_id, True)))


async def assign_bot(request: Request) -> Response:
    caller = await require_caller(request)
    bot_id, owner_id = path_id(request, "bot_user_id"), path_id(request, "user_id")
    return json_response(render_bot(await bot_actions.assign_bot(runtime(request), caller, bot_id, owner_id)))


async def convert_user_to_bot(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_id(request, "user_id")
    return json_response(render_bot(await bot_actions.convert_user_to_bot(runtime(request), caller, user_id)))


async def convert_bot_to_user(request: Request) -> Response:
    caller = await require_caller(request)
    bot_id = path_id(request, "bot_user_id")
    body = await read_object(request)
    user = await bot_actions.convert_bot_to_user(
        runtime(request),
        caller,
        bot_id,
        email=body_str(body, "email", max_length=128),
        password=body_str(body, "password", max_length=1024),
        system_admin=query_bool(request, "set_system_admin"),
    )
    return json_response(render_user(user, full=True))


routes = [
    Route("/bots", create_bot, methods=["POST"]),
    Route("/bots", list_bots, methods=["GET"]),
    Route("/bots/{bot_user_id}", get_bot, methods=["GET"]),
    Route("/bots/{bot_user_id}", patch_bot, methods=["PUT"]),
    Route("/bots/{bot_user_id}/disable", disable_bot, methods=["POST"]),
    Route("/bots/{bot_user_id}/enable", enable_bot, methods=["POST"]),
    Route("/bots/{bot_user_id}/assign/{user_id}", assign_bot, methods=["POST"]),
    Route("/bots/{bot_user_id}/convert_to_user", convert_bot_to_user, methods=["POST"]),
    Route("/users/{user_id}/convert_to_bot", convert_user_to_bot, methods=["POST"]),
]
