"""Finding the caller of a request: bearer header, access_token query, or the MMAUTHTOKEN cookie."""

import hmac

from starlette.requests import HTTPConnection, Request
from starlette.responses import Response

from villagepump import errors
from villagepump.actions import mfa as mfa_actions
from villagepump.actions import sessions as session_actions
from villagepump.actions import status as status_actions
from villagepump.actions import terms as terms_actions
from villagepump.api.client_address import client_address
from villagepump.api.http import runtime
from villagepump.auth import Caller
from villagepump.ids import now_ms
from villagepump.moderation import audit
from villagepump.moderation.terms import owes_terms

SESSION_COOKIE = "MMAUTHTOKEN"
USER_COOKIE = "MMUSERID"
CSRF_COOKIE = "MMCSRF"


def set_session_cookies(response: Response, request: Request, result: session_actions.LoginResult) -> None:
    """Mattermost's three cookies for a browser session: the token (script cannot read it), and
    the user id and CSRF token (the web client reads them)."""
    max_age = runtime(request).settings.session_days * 24 * 3600
    secure = request.url.scheme == "https"
    response.set_cookie(
        SESSION_COOKIE, result.token, max_age=max_age, httponly=True, secure=secure, samesite="lax"
    )
    response.set_cookie(USER_COOKIE, result.user["id"], max_age=max_age, secure=secure, samesite="lax")
    response.set_cookie(CSRF_COOKIE, result.csrf_token, max_age=max_age, secure=secure, samesite="lax")


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


async def optional_caller(conn: HTTPConnection) -> Caller | None:
    token, from_cookie = token_from_request(conn)
    if not token:
        return None
    caller = await session_actions.resolve_token(runtime(conn), token)  # type: ignore[arg-type]
    if caller is None:
        raise errors.unauthorized()
    if from_cookie:
        _check_cookie_request(conn, caller)
    note_request_origin(conn, caller.user_id, caller.session_id)
    return caller


def note_request_origin(conn: HTTPConnection, actor_id: str, session_id: str) -> None:
    """Who is acting and from where, for the audit entries this request's actions write."""
    trusted = runtime(conn).settings.trusted_proxies  # type: ignore[arg-type]
    audit.note_origin(actor_id, session_id, lambda: client_address(conn, trusted))


async def require_caller(
    conn: HTTPConnection, *, enrolling: bool = False, accepting_terms: bool = False
) -> Caller:
    """The caller, or Mattermost's 401. While two-factor authentication is enforced and the
    caller has not turned it on, only the routes that say they serve `enrolling` (reading
    yourself, generating and activating a secret, logging out) let them through. Likewise,
    while the caller owes acceptance of the terms of service, only the routes that serve
    `accepting_terms` (reading yourself, the terms and your answer to them, logging out); the
    client configuration and licence need no session at all."""
    caller = await optional_caller(conn)
    if caller is None:
        raise errors.APIError(
            401, "api.context.session_expired.app_error", "Invalid or expired session, please login again."
        )
    settings = runtime(conn).settings  # type: ignore[arg-type]
    if not accepting_terms and owes_terms(settings, caller, now_ms()):
        raise terms_actions.terms_required()
    if not enrolling and mfa_actions.owes_enrolment(settings, caller):
        raise mfa_actions.enrolment_required()
    # Any request counts as activity for presence; in memory, written at most once a minute.
    # Replies sent from a phone's notification say set_online=false: they must not mark the
    # user online (Mattermost's rule, which the mobile app relies on).
    if conn.query_params.get("set_online", "true").lower() != "false":
        await status_actions.record_activity(runtime(conn), caller.user_id)  # type: ignore[arg-type]
    return caller


def _check_cookie_request(conn: HTTPConnection, caller: Caller) -> None:
    # A cookie rides along on requests other sites make too. Reads are let through, as Mattermost
    # does: browsers load avatars and files with <img> tags and links, which cannot add headers,
    # and another site cannot read what comes back. A write needs the CSRF token the login handed
    # out (MMCSRF), which only our own pages can read. Mattermost still lets a write through on
    # X-Requested-With alone unless ExperimentalStrictCSRFEnforcement is on; we always enforce.
    if conn.scope["type"] == "websocket" or conn.scope.get("method", "GET") in _SAFE_METHODS:
        return
    sent = conn.headers.get("x-csrf-token", "")
    if not caller.csrf_token or not hmac.compare_digest(sent.encode(), caller.csrf_token.encode()):
        raise errors.APIError(401, "api.context.session_expired.app_error", "Invalid or missing CSRF token.")


_SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
