"""Emoji reactions on posts."""

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors, permissions
from villagepump.actions import reactions as reaction_actions
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
from villagepump.render.posts import render_reaction
from villagepump.store import posts as post_store
from villagepump.store import reactions as reaction_store


async def add_reaction(request: Request) -> Response:
    caller = await require_caller(request)
    body = await read_object(request)
    user_id, post_id = body.get("user_id"), body.get("post_id")
    if not is_valid_id(user_id):
        raise errors.invalid_body("user_id")
    if not is_valid_id(post_id):
        raise errors.invalid_body("post_id")
    emoji_name = reaction_actions.check_emoji_name(body.get("emoji_name"))
    reaction = await reaction_actions.add_reaction(
        runtime(request), caller, str(user_id), str(post_id), emoji_name
    )
    return json_response(render_reaction(reaction), 201)


async def remove_reaction(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    post_id = path_id(request, "post_id")
    emoji_name = reaction_actions.check_emoji_name(request.path_params["emoji_name"])
    await reaction_actions.remove_reaction(runtime(request), caller, user_id, post_id, emoji_name)
    return ok_response()


async def get_reactions(request: Request) -> Response:
    caller = await require_caller(request)
    post_id = path_id(request, "post_id")
    async with runtime(request).db.read() as conn:
        await permissions.require_post_read(conn, caller, post_id)
        found = await reaction_store.reactions_for_posts(conn, [post_id])
    return json_response([render_reaction(r) for r in found.get(post_id, [])])


async def get_reactions_for_posts(request: Request) -> Response:
    caller = await require_caller(request)
    ids = await read_list(request, str, max_items=200)
    if not all(is_valid_id(i) for i in ids):
        raise errors.invalid_body("post ids")
    async with runtime(request).db.read() as conn:
        found = [p for p in await post_store.get_posts(conn, ids) if not p["delete_at"]]
        readable = await permissions.readable_channel_ids(conn, caller, {p["channel_id"] for p in found})
        visible = [p["id"] for p in found if p["channel_id"] in readable]
        reactions = await reaction_store.reactions_for_posts(conn, visible)
    return json_response(
        {post_id: [render_reaction(r) for r in reactions.get(post_id, [])] for post_id in visible}
    )


routes = [
    Route("/reactions", add_reaction, methods=["POST"]),
    Route("/posts/{post_id}/reactions", get_reactions, methods=["GET"]),
    Route("/posts/ids/reactions", get_reactions_for_posts, methods=["POST"]),
    Route("/users/{user_id}/posts/{post_id}/reactions/{emoji_name}", remove_reaction, methods=["DELETE"]),
]
