"""A stand-in for a MediaWiki's OAuth 2.0 endpoints (the OAuth extension's
`/w/rest.php/oauth2/authorize`, `/access_token`, `/resource/profile`). No MediaWiki can run here,
so this is the one fake provider: it checks what the real one checks (client, secret, redirect
URI, PKCE S256, single-use codes) and answers with the profile the test chose."""

import base64
import hashlib
import secrets
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.support.server import free_port


@dataclass
class FakeMediaWiki:
    url: str
    client_id: str = "wiki-client"
    client_secret: str = "wiki-secret"
    # The profile of whoever signs in next (set by the test).
    profile: dict[str, Any] = field(default_factory=dict)
    _codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    _tokens: dict[str, dict[str, Any]] = field(default_factory=dict)

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/w/rest.php/oauth2/authorize", self.authorize, methods=["GET"]),
                Route("/w/rest.php/oauth2/access_token", self.access_token, methods=["POST"]),
                Route("/w/rest.php/oauth2/resource/profile", self.resource_profile, methods=["GET"]),
            ]
        )

    async def authorize(self, request: Request) -> Response:
        query = request.query_params
        if query.get("client_id") != self.client_id or query.get("code_challenge_method") != "S256":
            return JSONResponse({"error": "invalid_request"}, status_code=400)
        code = secrets.token_urlsafe(16)
        self._codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "challenge": query["code_challenge"],
            "profile": dict(self.profile),
        }
        target = query["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": query["state"]})
        return RedirectResponse(target, status_code=302)

    async def access_token(self, request: Request) -> Response:
        form = await request.form()
        grant = self._codes.pop(str(form.get("code", "")), None)  # single use
        verifier = str(form.get("code_verifier", ""))
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if (
            grant is None
            or form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
            or form.get("redirect_uri") != grant["redirect_uri"]
            or challenge != grant["challenge"]
        ):
            return JSONResponse({"error": "invalid_grant"}, status_code=400)
        token = secrets.token_urlsafe(24)
        self._tokens[token] = grant["profile"]
        return JSONResponse({"token_type": "Bearer", "expires_in": 3600, "access_token": token})

    async def resource_profile(self, request: Request) -> Response:
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if token not in self._tokens:
            return JSONResponse({"error": "invalid_token"}, status_code=401)
        return JSONResponse(self._tokens[token])


@contextmanager
def running_fake_mediawiki() -> Iterator[FakeMediaWiki]:
    port = free_port()
    wiki = FakeMediaWiki(f"http://127.0.0.1:{port}")
    server = uvicorn.Server(uvicorn.Config(wiki.app(), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield wiki
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def wiki_profile(sub: int, username: str, *, email: str = "", blocked: bool = False) -> dict[str, Any]:
    """What `oauth2/resource/profile` answers (the OAuth extension's UserStatementProvider)."""
    return {
        "sub": str(sub),
        "username": username,
        "editcount": 42,
        "confirmed_email": bool(email),
        "email_verified": bool(email),
        "blocked": blocked,
        "registered": "20200101000000",
        "groups": ["*", "user", "autoconfirmed"],
        "rights": ["read", "edit"],
        "grants": ["mwoauth-authonlyprivate"],
        "realname": "",
        "email": email,
    }
