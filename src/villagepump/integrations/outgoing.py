"""Calls from this server to an integration's URL (outgoing webhooks; slash commands may use it too).

`post_checked` POSTs fields as a form (Mattermost's default for outgoing webhooks) or as JSON to
a URL checked as link previews check theirs (previews/fetch.py): http or https only, every
address the host resolves to public or allowed by AllowedUntrustedInternalConnections, and the
connection pinned to the checked address, so DNS rebinding cannot move it. No redirect is
followed (a redirect could lead to a private address), the answer is read up to a limit, and the
whole call runs under one deadline. The answer's JSON object, if it sent one, is returned.
"""

import asyncio
import ssl
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpcore
import orjson

from villagepump import __version__
from villagepump.previews.addresses import AllowList, IPAddress
from villagepump.previews.fetch import PinnedBackend, Policy, Resolver, checked_address, resolve
from villagepump.previews.urls import FetchFailed, Target, parse_target

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
# Statuses worth another attempt: the receiver is overloaded, restarting or asks us to wait.
_RETRYABLE = {408, 425, 429, 500, 502, 503, 504}
_TLS = ssl.create_default_context()


class CallFailed(Exception):
    """The call did not get a 2xx answer; `permanent` when another attempt cannot help (a refused
    address, a 4xx)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent


@dataclass(frozen=True)
class Answer:
    status: int
    # The answer's JSON object; {} when it sent none, or something else.
    body: dict[str, Any]


def form_body(fields: Mapping[str, Any]) -> bytes:
    """Mattermost's form encoding: lists (file_ids) joined by commas, everything else as text."""
    pairs = [
        (key, ",".join(value) if isinstance(value, list) else str(value)) for key, value in fields.items()
    ]
    return urllib.parse.urlencode(pairs).encode()


async def post_checked(
    url: str,
    fields: Mapping[str, Any],
    *,
    content_type: str,
    allowed: AllowList,
    timeout_seconds: float,
    max_answer_bytes: int = 1024 * 1024,
    resolver: Resolver | None = None,
) -> Answer:
    """POSTs `fields` (as JSON when content_type is application/json, else as a form) to `url`;
    raises CallFailed unless the answer is a 2xx."""
    body = orjson.dumps(dict(fields)) if content_type == JSON else form_body(fields)
    policy = Policy(allowed=allowed, user_agent=f"Villagepump/{__version__}", timeout_seconds=timeout_seconds)
    try:
        target = parse_target(url)
    except FetchFailed as error:
        raise CallFailed(str(error), permanent=True) from None
    try:
        async with asyncio.timeout(timeout_seconds):
            address = await checked_address(target, policy, resolver or resolve)
            status, answer = await _post(target, address, content_type, body, policy, max_answer_bytes)
    except TimeoutError:
        raise CallFailed(f"no answer within {timeout_seconds:g} s") from None
    except FetchFailed as error:
        # A refused address stays refused until an admin allows it; a failed lookup may pass.
        raise CallFailed(str(error), permanent="not a public address" in str(error)) from None
    if not 200 <= status < 300:
        raise CallFailed(f"HTTP {status}", permanent=status not in _RETRYABLE)
    return Answer(status, _object(answer))


async def _post(
    target: Target, address: IPAddress, content_type: str, body: bytes, policy: Policy, limit: int
) -> tuple[int, bytes]:
    host_header = f"[{target.host}]" if ":" in target.host else target.host
    if target.port != (443 if target.scheme == "https" else 80):
        host_header += f":{target.port}"
    headers = [
        (b"Host", host_header.encode("ascii")),
        (b"User-Agent", policy.user_agent.encode()),
        (b"Content-Type", content_type.encode()),
        (b"Accept", b"application/json"),
        (b"Content-Length", str(len(body)).encode()),
    ]
    timeouts = {name: policy.timeout_seconds for name in ("connect", "read", "write", "pool")}
    request_url = httpcore.URL(scheme=target.scheme, host=target.host, port=target.port, target=target.target)
    pool = httpcore.AsyncConnectionPool(
        ssl_context=_TLS, max_connections=1, retries=0, network_backend=PinnedBackend(address)
    )
    try:
        async with pool:
            stream = pool.stream(
                "POST", request_url, headers=headers, content=body, extensions={"timeout": timeouts}
            )
            async with stream as response:
                received = bytearray()
                async for chunk in response.aiter_stream():
                    received += chunk
                    if len(received) > limit:
                        break
                return response.status, bytes(received[:limit])
    except httpcore.TimeoutException:
        raise FetchFailed("timed out") from None
    except (
        httpcore.NetworkError,
        httpcore.ProtocolError,
        httpcore.UnsupportedProtocol,
        ssl.SSLError,
    ) as error:
        raise FetchFailed(f"{type(error).__name__}: {error}".rstrip(": ")) from None


def _object(answer: bytes) -> dict[str, Any]:
    if not answer.strip():
        return {}
    try:
        value = orjson.loads(answer)
    except orjson.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}
