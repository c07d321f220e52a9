"""Searching posts and files, in one team (with the caller's direct and group messages) or in
all the caller's teams: Mattermost's POST .../posts/search and .../files/search."""

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from villagepump import errors
from villagepump.api.authentication import require_caller
from villagepump.api.http import json_response, path_id, read_object, runtime
from villagepump.auth import Caller
from villagepump.render.files import render_file_info
from villagepump.render.posts import render_post_list
from villagepump.search import query as search_query
from villagepump.search.highlight import matched_words
from villagepump.store import posts as post_store
from villagepump.store import search as search_store
from villagepump.store import teams as team_store

MAX_PER_PAGE = 200
# A time zone is less than a day away from UTC; Python refuses anything further.
MAX_TIME_ZONE_OFFSET = 86_399
# Mattermost answers this header on searches, so no proxy or browser keeps a result.
_NO_STORE = {"Cache-Control": "no-cache, no-store, must-revalidate"}


@dataclass(frozen=True)
class SearchRequest:
    terms: str
    is_or_search: bool
    time_zone_offset: int
    include_deleted_channels: bool
    page: int
    per_page: int


def _field(body: dict[str, Any], name: str, kind: type, default: Any, error_id: str) -> Any:
    value = body.get(name)
    if value is None:
        return default
    # JSON true is not a number here, as Go's decoder would not take it for one either.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise errors.bad_request(error_id, f"Invalid {name} in the search request.")
    return value


async def _search_request(request: Request, error_id: str) -> SearchRequest:
    try:
        body = await read_object(request)
    except errors.APIError as error:
        if error.status_code != 400:
            raise
        raise errors.bad_request(error_id, "The search request is not a JSON object.") from error
    terms = _field(body, "terms", str, "", error_id)
    if not terms.strip():
        raise errors.invalid_param("terms")
    if len(terms) > search_query.MAX_TERMS_LENGTH:
        raise errors.bad_request(
            "api.context.invalid_param.app_error",
            f"Invalid terms parameter: at most {search_query.MAX_TERMS_LENGTH} characters.",
        )
    offset = _field(body, "time_zone_offset", int, 0, error_id)
    if abs(offset) > MAX_TIME_ZONE_OFFSET:
        raise errors.invalid_param("time_zone_offset")
    page = _field(body, "page", int, 0, error_id)
    per_page = _field(body, "per_page", int, 60, error_id)
    if page < 0:
        raise errors.invalid_param("page")
    if per_page < 0:
        raise errors.invalid_param("per_page")
    return SearchRequest(
        terms=terms,
        is_or_search=_field(body, "is_or_search", bool, False, error_id),
        time_zone_offset=offset,
        include_deleted_channels=_field(body, "include_deleted_channels", bool, False, error_id),
        page=page,
        per_page=min(per_page, MAX_PER_PAGE),
    )


async def _require_team_view(request: Request, caller: Caller, team_id: str) -> None:
    """As in Mattermost: a team the caller does not belong to is forbidden, existing or not."""
    if caller.is_system_admin:
        return
    async with runtime(request).db.read(offload=True) as conn:
        if await team_store.get_active_member(conn, team_id, caller.user_id) is None:
            raise errors.forbidden()


async def _search_posts(request: Request, team_id: str) -> Response:
    caller = await require_caller(request)
    if team_id:
        await _require_team_view(request, caller, team_id)
    wanted = await _search_request(request, "api.post.search_posts.invalid_body.app_error")
    parsed = search_query.parse(wanted.terms)
    scope = search_store.Scope(caller.user_id, team_id, wanted.include_deleted_channels)
    async with runtime(request).db.read(offload=True) as conn:
        rows = await search_store.search_posts_page(
            conn,
            parsed,
            scope,
            any_of=wanted.is_or_search,
            time_zone_offset=wanted.time_zone_offset,
            offset=wanted.page * wanted.per_page,
            limit=wanted.per_page + 1,
        )
        page = rows[: wanted.per_page]
        context = await post_store.load_context(
            conn, page, caller.user_id, previews=runtime(request).settings.enable_link_previews
        )
    result = render_post_list(page, context, has_next=len(rows) > wanted.per_page)
    result["matches"] = {row["id"]: matched_words(row["message"], parsed) for row in page}
    result["first_inaccessible_post_time"] = 0
    return json_response(result, headers=_NO_STORE)


async def search_team_posts(request: Request) -> Response:
    return await _search_posts(request, path_id(request, "team_id"))


async def search_all_posts(request: Request) -> Response:
    return await _search_posts(request, "")


async def _search_files(request: Request, team_id: str) -> Response:
    caller = await require_caller(request)
    if team_id:
        await _require_team_view(request, caller, team_id)
    wanted = await _search_request(request, "api.post.search_files.invalid_body.app_error")
    parsed = search_query.parse(wanted.terms)
    scope = search_store.Scope(caller.user_id, team_id, wanted.include_deleted_channels)
    async with runtime(request).db.read(offload=True) as conn:
        rows = await search_store.search_files_page(
            conn,
            parsed,
            scope,
            any_of=wanted.is_or_search,
            time_zone_offset=wanted.time_zone_offset,
            offset=wanted.page * wanted.per_page,
            limit=wanted.per_page,
        )
    return json_response(
        {
            "order": [row["id"] for row in rows],
            "file_infos": {row["id"]: render_file_info(row) for row in rows},
            "next_file_id": "",
            "prev_file_id": "",
            "first_inaccessible_file_time": 0,
        },
        headers=_NO_STORE,
    )


async def search_team_files(request: Request) -> Response:
    return await _search_files(request, path_id(request, "team_id"))


async def search_all_files(request: Request) -> Response:
    return await _search_files(request, "")


routes = [
    Route("/teams/{team_id}/posts/search", search_team_posts, methods=["POST"]),
    Route("/posts/search", search_all_posts, methods=["POST"]),
    Route("/teams/{team_id}/files/search", search_team_files, methods=["POST"]),
    Route("/files/search", search_all_files, methods=["POST"]),
]
