"""Moderators' tools (our own API, under /villagepump/moderation) and channel moderation on
Mattermost's wire (/channels/{id}/moderations)."""

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.actions import channel_moderation as channel_moderation_actions
from villagepump.actions import moderation as moderation_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, path_id, path_user_id, read_json, read_object, runtime
from villagepump.ids import now_ms

# The longest a mute may be given as a duration: about ten years (0 in `until` never ends).
MAX_MUTE_SECONDS = 10 * 366 * 24 * 3600


async def remove_post(request: Request) -> Response:
    caller = await require_caller(request)
    post_id = path_id(request, "post_id")
    placeholder = await moderation_actions.remove_post(runtime(request), caller, post_id)
    return json_response({"status": "OK", "placeholder": placeholder})


async def warn_user(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_id(request, "user_id")
    body = await read_object(request)
    await moderation_actions.warn_user(runtime(request), caller, user_id, body.get("message"))
    return json_response({"status": "OK"})


def _mute_end(body: dict[str, Any]) -> int:
    """`until` (ms since the epoch; 0 for until unmuted) or `for_seconds` from now, by the
    server's clock, so a client with a wrong clock still mutes for the time it meant."""
    until, seconds = body.get("until"), body.get("for_seconds")
    if seconds is not None:
        if not isinstance(seconds, int) or isinstance(seconds, bool) or not 0 < seconds <= MAX_MUTE_SECONDS:
            raise errors.invalid_body("for_seconds")
        return now_ms() + seconds * 1000
    if not isinstance(until, int) or isinstance(until, bool) or until < 0 or until > 2**62:
        raise errors.invalid_body("until")
    return until


async def mute_user(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_id(request, "user_id")
    until = _mute_end(await read_object(request))
    return json_response(await moderation_actions.mute_user(runtime(request), caller, user_id, until))


async def unmute_user(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_id(request, "user_id")
    return json_response(await moderation_actions.unmute_user(runtime(request), caller, user_id))


async def get_mute(request: Request) -> Response:
    caller = await require_caller(request)
    user_id = path_user_id(request, caller.user_id)
    return json_response(await moderation_actions.get_mute(runtime(request), caller, user_id))


async def get_channel_moderations(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    return json_response(
        await channel_moderation_actions.get_moderations(runtime(request), caller, channel_id)
    )


async def patch_channel_moderations(request: Request) -> Response:
    caller = await require_caller(request)
    channel_id = path_id(request, "channel_id")
    body = await read_json(request)
    rendered = await channel_moderation_actions.patch_moderations(runtime(request), caller, channel_id, body)
    return json_response(rendered)


routes = [
    Route("/villagepump/moderation/posts/{post_id}/remove", remove_post, methods=["POST"]),
    Route("/villagepump/moderation/users/{user_id}/warn", warn_user, methods=["POST"]),
    Route("/villagepump/moderation/users/{user_id}/mute", get_mute, methods=["GET"]),
    Route("/villagepump/moderation/users/{user_id}/mute", mute_user, methods=["PUT"]),
    Route("/villagepump/moderation/users/{user_id}/mute", unmute_user, methods=["DELETE"]),
    Route("/channels/{channel_id}/moderations", get_channel_moderations, methods=["GET"]),
    Route("/channels/{channel_id}/moderations/patch", patch_channel_moderations, methods=["PUT"]),
]
