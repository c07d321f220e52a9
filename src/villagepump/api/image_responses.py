"""Pictures served with validators (ETag, Last-Modified), so a client that has one already gets a
304 instead of the bytes again."""

from email.utils import formatdate, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

# The bytes are PNG or GIF the server encoded itself; still, nothing in them may ever run.
_SAFE = {"Content-Security-Policy": "default-src 'none'; sandbox"}
# Mattermost's clients ask for a picture as ?_=<last_picture_update>: under that URL it never
# changes, so it may be kept as long as the browser likes. Without it (or with an old value), the
# client revalidates every time, which the ETag answers with a 304.
IMMUTABLE = "private, max-age=31536000, immutable"
REVALIDATE = "private, no-cache"


def cache_control_for(request: Request, version: int) -> str:
    return IMMUTABLE if request.query_params.get("_") == str(version) else REVALIDATE


def validators(etag: str, modified_ms: int) -> dict[str, str]:
    headers = {"ETag": f'"{etag}"'}
    if modified_ms > 0:
        headers["Last-Modified"] = formatdate(modified_ms / 1000, usegmt=True)
    return headers


def not_modified(request: Request, headers: dict[str, str], cache_control: str) -> Response | None:
    """A 304 if the client's copy (If-None-Match, else If-Modified-Since) is the current one."""
    etag = headers.get("ETag")
    if etag is None:
        return None
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        offered = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        fresh = etag in offered or "*" in offered
    else:
        fresh = _not_modified_since(request.headers.get("if-modified-since"), headers.get("Last-Modified"))
    if not fresh:
        return None
    return Response(status_code=304, headers={**headers, "Cache-Control": cache_control})


def _not_modified_since(if_modified_since: str | None, last_modified: str | None) -> bool:
    if not if_modified_since or not last_modified:
        return False
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False


def picture_response(
    body: bytes, media_type: str, cache_control: str, headers: dict[str, str] | None = None
) -> Response:
    return Response(
        body, media_type=media_type, headers={**_SAFE, **(headers or {}), "Cache-Control": cache_control}
    )
