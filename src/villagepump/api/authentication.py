"""Finding the caller of a request: bearer header, access_token query, or the MMAUTHTOKEN cookie."""

from starlette.requests import HTTPConnection

from villagepump import errors
from villagepump.actions import sessions as session_actions
from villagepump.actions import status as status_actions
from villagepump.api.http import runtime
from villagepump.auth import Caller

SESSION_COOKIE = "MMAUTHTOKEN"
USER_COOKIE = "MMUSERID"
CSRF_COOKIE = "MMCSRF"


def token_from_request(conn: HTTPConnection) -> tuple[str, bool]:
    """The token and whether it came from the cookie (cookie use needs CSRF protection)."""
    header = conn.headers.get("authorization", "")
    if header:
        # The mobile app writes "BEARER"; Mattermost also accepts the older "Token" scheme.
        scheme, _, value = header.partition(" ")
        if scheme.lower() in ("bearer", "token") and value.strip():
            return value.strip(), False
    query_token = conn.query_params.get("access_token")
    if query_token:
        return query_token, False
    cookie = conn.cookies.get(SESSION_COOKIE)
    if cookie:
        return cookie, True
    return "", False


async def optional_caller(conn: HTTPConnection, *, trust_requester: bool = False) -> Caller | None:
    token, from_cookie = token_from_request(conn)
    if not token:
        return None
    caller = await session_actions.resolve_token(runtime(conn), token)  # type: ignore[arg-type]
    if caller is None:
        raise errors.unauthorized()
    if from_cookie and not (trust_requester and conn.scope.get("method") in ("GET", "HEAD")):
        _check_cookie_request(conn, caller)
    return caller


async def require_caller(conn: HTTPConnection, *, trust_requester: bool = False) -> Caller:
    """`trust_requester`: a GET a browser makes by itself (an <img> src), which cannot carry
    X-Requested-With; Mattermost's APISessionRequiredTrustRequester routes take the cookie alone."""
    caller = await optional_caller(conn, trust_requester=trust_requester)
    if caller is None:
        raise errors.APIError(
            401, "api.context.session_expired.app_error", "Invalid or expired session, please login again."
        )
    # Any request counts as activity for presence; in memory, written at most once a minute.
    # Replies sent from a phone's notification say set_online=false: they must not mark the
    # user online (Mattermost's rule, which the mobile app relies on).
    if conn.query_params.get("set_online", "true").lower() != "false":
        await status_actions.record_activity(runtime(conn), caller.user_id)  # type: ignore[arg-type]
    return caller


def _check_cookie_request(conn: HTTPConnection, caller: Caller) -> None:
    # A cookie rides along on cross-site requests too; Mattermost accepts it only from its own
    # scripts (X-Requested-With) and, for writes, with the CSRF token the login handed out.
    if conn.scope["type"] == "websocket":
        return
    if conn.headers.get("x-requested-with", "") != "XMLHttpRequest":
        raise errors.unauthorized("Token from a cookie needs the X-Requested-With: XMLHttpRequest header.")
    if conn.scope.get("method", "GET") in ("GET", "HEAD", "OPTIONS"):
        return
    if not caller.csrf_token or conn.headers.get("x-csrf-token", "") != caller.csrf_token:
        raise errors.APIError(401, "api.context.session_expired.app_error", "Invalid or missing CSRF token.")
