"""Headers every response carries, the request id errors and log lines quote, the access log
(when turned on), and request paths made safe."""

import re
import time

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from villagepump import MATTERMOST_VERSION, errors
from villagepump.api.client_address import client_address
from villagepump.api.http import JSONResponse
from villagepump.ids import new_id
from villagepump.logs import REQUEST_ID, access_log

_REPEATED_SLASHES = re.compile(r"//+")
# Clients take the server version from the first three numbers of X-Version-Id.
_VERSION_HEADER = (b"x-version-id", f"{MATTERMOST_VERSION}.villagepump.0.false".encode())


class ResponseHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = new_id()
        scope.setdefault("state", {})["request_id"] = request_id
        # Log lines written while this request is handled carry its id (villagepump.logs).
        REQUEST_ID.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.append(_VERSION_HEADER)
                headers.append((b"x-content-type-options", b"nosniff"))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        finally:
            if access_log.enabled and access_log.wanted(status):
                _write_access_line(scope, status, time.perf_counter() - started)


def _write_access_line(scope: Scope, status: int, seconds: float) -> None:
    app = scope.get("app")
    trusted = app.state.runtime.settings.trusted_proxies if app is not None else ""
    access_log.write(
        {
            "method": scope["method"],
            "path": scope["path"],
            "status": status,
            "duration_ms": f"{seconds * 1000:.1f}",
            "client": client_address(Request(scope), trusted),
        }
    )


class CleanRequestPath:
    """Collapses repeated slashes, as Mattermost's router does (mattermostdriver asks for
    /posts/{id}//reactions), and answers 400 to a path or query string holding a NUL character:
    no Mattermost name or id has one, and PostgreSQL cannot store or compare one."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and "//" in scope["path"]:
            scope["path"] = _REPEATED_SLASHES.sub("/", scope["path"])
        if scope["type"] == "http" and ("\x00" in scope["path"] or b"%00" in scope["query_string"]):
            error = errors.invalid_param("URL")
            request_id = str(scope.get("state", {}).get("request_id", ""))
            await JSONResponse(error.envelope(request_id), status_code=400)(scope, receive, send)
            return
        await self.app(scope, receive, send)
