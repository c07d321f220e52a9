"""Mattermost's single sign-on routes (outside /api/v4, as in its server/channels/web/oauth.go):
`/oauth/{service}/login`, `/signup` and `/mobile_login` leave for the provider;
`/signup/{service}/complete` (the redirect URI registered there, with Mattermost's aliases) comes
back, signs in, and ends on the site with the session cookies or, for the mobile apps, at the
app's scheme with `MMAUTHTOKEN` and `MMCSRF` in the query."""

import html
import secrets

import httpx
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from villagepump import errors
from villagepump.actions import sso as sso_actions
from villagepump.api.authentication import note_request_origin, set_session_cookies
from villagepump.api.http import query_str, runtime
from villagepump.sso import redirects
from villagepump.sso.providers import SERVICES, Attempt, new_attempt, provider_for

# Ties a sign-in to the browser that began it (Mattermost's cookie of the same name and purpose).
OAUTH_COOKIE = "MMOAUTH"
_SECURITY_HEADERS = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _service(request: Request) -> str:
    service = request.path_params["service"]
    if service not in SERVICES:
        raise errors.APIError(
            501,
            "api.user.authorize_oauth_user.unsupported.app_error",
            "Unsupported OAuth service provider.",
            f"service={service[:32]}",
        )
    return str(service)


def _redirect_uri(request: Request, service: str) -> str:
    site = runtime(request).settings.site_url.rstrip("/") or f"{request.url.scheme}://{request.url.netloc}"
    return f"{site}/signup/{service}/complete"


def _http_client() -> httpx.AsyncClient:
    return httpx.AsyncClient(follow_redirects=False, headers={"Accept": "application/json"})


async def begin(request: Request) -> Response:
    rt = runtime(request)
    mobile = request.url.path.endswith("/mobile_login")
    try:
        redirect_to = query_str(request, "redirect_to", max_length=1024)
        service = _service(request)
        if mobile:
            redirect_to = redirects.mobile_redirect(redirect_to, rt.settings.app_custom_url_schemes)
        else:
            redirect_to = redirects.web_redirect(redirect_to, rt.settings.site_url)
        # Mattermost's sign-up links carry the team invitation as `id`; ours as `iid` too.
        invite_id = query_str(request, "iid", max_length=64) or query_str(request, "id", max_length=64)
        async with _http_client() as client:
            provider = provider_for(rt.settings, service, client)
            attempt = new_attempt(_redirect_uri(request, provider.service))
            url = await provider.authorize_url(attempt)
        binding = secrets.token_urlsafe(32)
        await sso_actions.begin_sign_in(
            rt,
            service=provider.service,
            attempt=attempt,
            binding=binding,
            redirect_to=redirect_to,
            action="mobile" if mobile else "web",
            invite_id=invite_id,
        )
    except errors.APIError as error:
        return _error_page(error)
    response = RedirectResponse(url, status_code=302, headers=_SECURITY_HEADERS)
    response.set_cookie(
        OAUTH_COOKIE,
        binding,
        max_age=sso_actions.STATE_LIFETIME_MS // 1000,
        httponly=True,
        secure=request.url.scheme == "https",
        samesite="lax",
    )
    return response


async def complete(request: Request) -> Response:
    rt = runtime(request)
    mobile_redirect = ""
    try:
        service = _service(request)
        state = query_str(request, "state", max_length=256)
        code = query_str(request, "code", max_length=4096)
        sign_in = await sso_actions.take_sign_in(rt, state, request.cookies.get(OAUTH_COOKIE, ""))
        if sign_in["action"] == "mobile":
            mobile_redirect = sign_in["redirect_to"]
        async with _http_client() as client:
            provider = provider_for(rt.settings, service, client)
            if provider.service != sign_in["service"]:
                raise sso_actions.invalid_state()
            if not code:
                # The person said no at the provider (error=access_denied), or it failed there.
                raise errors.APIError(
                    403,
                    "api.user.authorize_oauth_user.access_denied.app_error",
                    "Signing in was cancelled or refused at the identity provider.",
                    query_str(request, "error", max_length=256),
                )
            attempt = Attempt(
                state=state,
                nonce=sign_in["nonce"],
                code_verifier=sign_in["code_verifier"],
                redirect_uri=_redirect_uri(request, provider.service),
            )
            identity = await provider.identity(attempt, code, query_str(request, "iss", max_length=1024))
        note_request_origin(request, "", "")
        result = await sso_actions.sign_in(
            rt,
            identity,
            invite_id=sign_in["invite_id"],
            device_id="",
            user_agent=request.headers.get("user-agent", ""),
        )
    except errors.APIError as error:
        response = _error_page(error, mobile_redirect)
        response.delete_cookie(OAUTH_COOKIE)
        return response
    if mobile_redirect:
        target = redirects.with_query(
            mobile_redirect, {"MMAUTHTOKEN": result.token, "MMCSRF": result.csrf_token}
        )
        response = _mobile_page(target)
    else:
        response = RedirectResponse(sign_in["redirect_to"] or "/", status_code=302, headers=_SECURITY_HEADERS)
        set_session_cookies(response, request, result)
    response.delete_cookie(OAUTH_COOKIE)
    return response


def _mobile_page(target: str) -> Response:
    # As Mattermost does (utils.RenderMobileAuthComplete), a page that opens the app rather than
    # a redirect: Android's custom tabs do not follow a server redirect to an app's scheme.
    link = html.escape(target, quote=True)
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="refresh" content="0; url={link}"><title>Signed in</title></head>'
        f'<body><p>Signed in. <a id="open-app" href="{link}">Return to the app</a>.</p></body></html>'
    )
    return HTMLResponse(body, headers={**_SECURITY_HEADERS, "Content-Security-Policy": "default-src 'none'"})


def _error_page(error: errors.APIError, mobile_redirect: str = "") -> Response:
    """A page a person can read, with Mattermost's error id for support (and for tests). A
    mobile sign-in also offers the way back to its app, with the error in the query."""
    back = '<a href="/login">Back to sign in</a>'
    if mobile_redirect:
        target = redirects.with_query(mobile_redirect, {"error": error.message})
        back = f'<a id="open-app" href="{html.escape(target, quote=True)}">Return to the app</a>'
    body = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sign-in failed</title></head>'
        f"<body><h1>Sign-in failed</h1><p>{html.escape(error.message)}</p>"
        f'<p>Error: <code id="error-id">{html.escape(error.error_id)}</code></p><p>{back}</p></body></html>'
    )
    return HTMLResponse(
        body,
        status_code=error.status_code,
        headers={**_SECURITY_HEADERS, "Content-Security-Policy": "default-src 'none'"},
    )


routes = [
    Route("/oauth/{service}/login", begin, methods=["GET"]),
    Route("/oauth/{service}/signup", begin, methods=["GET"]),
    Route("/oauth/{service}/mobile_login", begin, methods=["GET"]),
    Route("/signup/{service}/complete", complete, methods=["GET"]),
    # Mattermost's aliases of the callback.
    Route("/oauth/{service}/complete", complete, methods=["GET"]),
    Route("/login/{service}/complete", complete, methods=["GET"]),
]
