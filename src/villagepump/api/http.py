"""Request parsing and JSON responses shared by every route."""

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from villagepump import errors
from villagepump.ids import is_valid_id
from villagepump.runtime import Runtime

MAX_JSON_BODY = 8 * 1024 * 1024


class JSONResponse(Response):
    # mattermostdriver compares the Content-Type header exactly, so no charset suffix.
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def json_response(content: Any, status_code: int = 200, headers: dict[str, str] | None = None) -> Response:
    return JSONResponse(content, status_code=status_code, headers=headers)


def ok_response() -> Response:
    return JSONResponse({"status": "OK"})


def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


async def read_json(request: Request) -> Any:
    body = await request.body()
    if len(body) > MAX_JSON_BODY:
        raise errors.APIError(413, "api.context.request_body_too_large.app_error", "Request body too large.")
    if not body:
        raise errors.invalid_body()
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise errors.invalid_body() from exc
    # PostgreSQL cannot store a NUL character in text; refuse it here rather than fail in a query.
    if b"\\u0000" in body and _holds_nul(value):
        raise errors.invalid_body()
    return value


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    return False


async def read_object(request: Request) -> dict[str, Any]:
    body = await read_json(request)
    if not isinstance(body, dict):
        raise errors.invalid_body()
    return body


async def read_list(request: Request, item_type: type = str, max_items: int = 10_000) -> list[Any]:
    body = await read_json(request)
    if not isinstance(body, list) or len(body) > max_items or not all(isinstance(i, item_type) for i in body):
        raise errors.invalid_body()
    return body


def path_id(request: Request, name: str) -> str:
    value = request.path_params[name]
    if not is_valid_id(value):
        raise errors.invalid_param(name)
    return str(value)


def path_user_id(request: Request, caller_id: str, name: str = "user_id") -> str:
    """A user id in the path, where Mattermost also accepts "me"."""
    value = request.path_params[name]
    if value == "me":
        return caller_id
    if not is_valid_id(value):
        raise errors.invalid_param(name)
    return str(value)


def query_int(request: Request, name: str, default: int, minimum: int = 0, maximum: int = 2**62) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise errors.invalid_param(name) from exc
    if value < minimum:
        raise errors.invalid_param(name)
    return min(value, maximum)


def query_bool(request: Request, name: str, default: bool = False) -> bool:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    return raw.lower() in ("true", "1", "yes")


def query_str(request: Request, name: str, default: str = "", max_length: int = 1024) -> str:
    value = request.query_params.get(name, default)
    if len(value) > max_length:
        raise errors.invalid_param(name)
    return value


def query_id(request: Request, name: str) -> str:
    """An optional id in the query string: empty, or a valid id."""
    value = request.query_params.get(name, "")
    if value and not is_valid_id(value):
        raise errors.invalid_param(name)
    return value


def paging(request: Request, default_per_page: int = 60, max_per_page: int = 200) -> tuple[int, int]:
    page = query_int(request, "page", 0, maximum=100_000)
    per_page = query_int(request, "per_page", default_per_page, maximum=max_per_page)
    return page, per_page


def body_str(body: dict[str, Any], name: str, default: str = "", max_length: int = 100_000) -> str:
    value = body.get(name, default)
    if value is None:
        return default
    if not isinstance(value, str) or len(value) > max_length:
        raise errors.invalid_body(name)
    return value


def body_bool(body: dict[str, Any], name: str, default: bool = False) -> bool:
    value = body.get(name, default)
    if value is None:
        return default
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    if not isinstance(value, bool):
        raise errors.invalid_body(name)
    return value
