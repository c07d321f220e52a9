"""Custom emoji: create (multipart), list, get by id or name, search, autocomplete, delete, image."""

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.actions import emoji as emoji_actions
from villagepump.api.authentication import require_caller
from villagepump.api.http import (
    body_bool,
    body_str,
    json_response,
    ok_response,
    paging,
    path_id,
    read_list,
    read_object,
    runtime,
)
from villagepump.api.image_responses import not_modified, picture_response, validators
from villagepump.api.image_uploads import staged_image
from villagepump.files import content_types
from villagepump.render.emoji import render_emoji
from villagepump.store import emoji as emoji_store

# Mattermost's limits: autocomplete answers at most 100, search at most a page (200), and a
# batch lookup by name takes at most 200 names.
AUTOCOMPLETE_LIMIT = 100
SEARCH_LIMIT = 200
NAMES_LIMIT = 200
# An emoji's image never changes (a new image is a new emoji), so it is kept for a month.
_IMAGE_CACHE = "private, max-age=2592000"


def _invalid_url_param(name: str) -> errors.APIError:
    return errors.APIError(
        400, "api.context.invalid_url_param.app_error", f"Invalid or missing {name} in request URL."
    )


async def create_emoji(request: Request) -> Response:
    caller = await require_caller(request)
    rt = runtime(request)
    # Known before the body: custom emoji are on and the caller may add one.
    emoji_actions.require_can_create(rt, caller)
    too_large = errors.APIError(
        413,
        "api.emoji.create.too_large.app_error",
        "Unable to create emoji. Image must be less than 512 KiB.",
    )
    async with staged_image(
        request,
        emoji_actions.MAX_EMOJI_REQUEST,
        too_large=too_large,
        unreadable=errors.bad_request(
            "api.emoji.create.parse.app_error", "Unable to create emoji: bad form."
        ),
        no_file=None,
    ) as upload:
        described = upload.fields.get("emoji", [])
        if not described:
            raise errors.invalid_param("emoji")
        try:
            emoji: Any = orjson.loads(described[0])
        except orjson.JSONDecodeError as error:
            raise errors.invalid_param("emoji") from error
        name = emoji_actions.check_new_emoji(caller, emoji)
        if not upload.files:
            raise errors.invalid_body("image")
        created = await emoji_actions.create_emoji(rt, caller, name, upload.files[0].path)
    return json_response(render_emoji(created), 201)


async def list_emoji(request: Request) -> Response:
    await require_caller(request)
    rt = runtime(request)
    emoji_actions.require_enabled(rt)
    sort = request.query_params.get("sort", "")
    if sort not in ("", "name"):
        raise _invalid_url_param("sort")
    page, per_page = paging(request, default_per_page=60, max_per_page=200)
    async with rt.db.read() as conn:
        found = await emoji_store.list_emoji(conn, page=page, per_page=per_page, by_name=sort == "name")
    return json_response([render_emoji(e) for e in found])


async def get_emoji(request: Request) -> Response:
    await require_caller(request)
    rt = runtime(request)
    emoji_actions.require_enabled(rt)
    async with rt.db.read() as conn:
        emoji = await emoji_actions.require_emoji(conn, path_id(request, "emoji_id"))
    return json_response(render_emoji(emoji))


def _path_name(request: Request) -> str:
    name = request.path_params["emoji_name"]
    if not isinstance(name, str) or not emoji_actions.is_valid_name(name):
        raise _invalid_url_param("emoji_name")
    return name


async def get_emoji_by_name(request: Request) -> Response:
    await require_caller(request)
    rt = runtime(request)
    name = _path_name(request)
    emoji_actions.require_enabled(rt)
    async with rt.db.read() as conn:
        emoji = await emoji_actions.require_emoji_by_name(conn, name)
    return json_response(render_emoji(emoji))


async def get_emoji_by_names(request: Request) -> Response:
    await require_caller(request)
    rt = runtime(request)
    names = await read_list(request, str, max_items=10_000)
    if not names:
        raise errors.invalid_param("names")
    emoji_actions.require_enabled(rt)
    unique = sorted(set(names))
    if len(unique) > NAMES_LIMIT:
        raise errors.bad_request(
            "api.emoji.get_multiple_by_name_too_many.request_error",
            f"Unable to get that many emoji by name. Only {NAMES_LIMIT} emoji can be requested at once.",
        )
    async with rt.db.read() as conn:
        found = await emoji_store.get_emoji_by_names(conn, unique)
    return json_response([render_emoji(e) for e in found])


async def search_emoji(request: Request) -> Response:
    await require_caller(request)
    rt = runtime(request)
    body = await read_object(request)
    term = body_str(body, "term", max_length=64)
    if not term:
        raise errors.invalid_param("term")
    emoji_actions.require_enabled(rt)
    async with rt.db.read() as conn:
        found = await emoji_store.search_emoji(
            conn, term.lower(), prefix_only=body_bool(body, "prefix_only"), limit=SEARCH_LIMIT
        )
    return json_response([render_emoji(e) for e in found])


async def autocomplete_emoji(request: Request) -> Response:
    await require_caller(request)
    rt = runtime(request)
    name = request.query_params.get("name", "")
    if not name or len(name) > 64:
        raise _invalid_url_param("name")
    emoji_actions.require_enabled(rt)
    async with rt.db.read() as conn:
        found = await emoji_store.search_emoji(conn, name.lower(), prefix_only=True, limit=AUTOCOMPLETE_LIMIT)
    return json_response([render_emoji(e) for e in found])


async def delete_emoji(request: Request) -> Response:
    caller = await require_caller(request)
    await emoji_actions.delete_emoji(runtime(request), caller, path_id(request, "emoji_id"))
    return ok_response()


async def get_emoji_image(request: Request) -> Response:
    await require_caller(request)
    rt = runtime(request)
    emoji_actions.require_enabled(rt)
    async with rt.db.read() as conn:
        emoji = await emoji_actions.require_emoji(conn, path_id(request, "emoji_id"))
    headers = validators(emoji["id"], emoji["create_at"])
    unchanged = not_modified(request, headers, _IMAGE_CACHE)
    if unchanged is not None:
        return unchanged
    image = await emoji_actions.emoji_image(rt, emoji)
    media_type = content_types.sniff(image[: content_types.SNIFF_BYTES], "")
    return picture_response(image, media_type, _IMAGE_CACHE, headers)


routes = [
    Route("/emoji", create_emoji, methods=["POST"]),
    Route("/emoji", list_emoji, methods=["GET"]),
    Route("/emoji/names", get_emoji_by_names, methods=["POST"]),
    Route("/emoji/search", search_emoji, methods=["POST"]),
    Route("/emoji/autocomplete", autocomplete_emoji, methods=["GET"]),
    Route("/emoji/name/{emoji_name}", get_emoji_by_name, methods=["GET"]),
    Route("/emoji/{emoji_id}", get_emoji, methods=["GET"]),
    Route("/emoji/{emoji_id}", delete_emoji, methods=["DELETE"]),
    Route("/emoji/{emoji_id}/image", get_emoji_image, methods=["GET"]),
]
