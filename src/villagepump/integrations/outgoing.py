"""A request to an integration's URL (a slash command, a message button, a dialog) that only
reaches the public internet, unless the administrator's AllowedUntrustedInternalConnections
opens a host.

The user waits for the answer, as in Mattermost, so it is made in the request itself, not
through the outbox; but it never blocks the event loop (httpcore on asyncio), never follows a
redirect (a redirect could lead past the address check), runs under one deadline and reads at
most `max_bytes` of the answer. The connection goes to the one checked address, as link
previews' does (previews/fetch.py), so a name cannot resolve somewhere else the second time.
"""

import asyncio
import ssl
import urllib.parse
from dataclasses import dataclass

import httpcore

from villagepump.previews.addresses import AllowList
from villagepump.previews.fetch import PinnedBackend, Resolver, checked_address, resolve
from villagepump.previews.urls import FetchFailed, parse_target

USER_AGENT = "Villagepump"
_TLS = ssl.create_default_context()


class CallFailed(Exception):
    """The integration could not be reached or gave no usable answer; the message says why."""


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str  # the media type, lower case, without parameters
    body: bytes


@dataclass(frozen=True)
class Outgoing:
    allowed: AllowList
    timeout_seconds: float
    max_bytes: int = 1024 * 1024


def check_url(url: str) -> str:
    """The URL normalised, if it is an http(s) URL a request could be made to; raises CallFailed."""
    try:
        return parse_target(url).url
    except FetchFailed as error:
        raise CallFailed(str(error)) from None


async def call(
    url: str,
    how: Outgoing,
    *,
    method: str = "POST",
    form: dict[str, str] | None = None,
    json_body: bytes | None = None,
    resolver: Resolver | None = None,
) -> Answer:
    """GET with `form` in the query, POST `form` form-encoded, or POST `json_body` as JSON."""
    try:
        async with asyncio.timeout(how.timeout_seconds):
            return await _call(url, how, method, form or {}, json_body, resolver or resolve)
    except TimeoutError:
        raise CallFailed(f"no answer within {how.timeout_seconds:g} s") from None
    except FetchFailed as error:
        raise CallFailed(str(error)) from None


async def _call(
    url: str, how: Outgoing, method: str, form: dict[str, str], json_body: bytes | None, resolver: Resolver
) -> Answer:
    target = parse_target(url)
    address = await checked_address(target, how.allowed, resolver)
    path = target.target
    body = b""
    headers = [(b"User-Agent", USER_AGENT.encode()), (b"Accept", b"application/json")]
    if json_body is not None:
        body = json_body
        headers.append((b"Content-Type", b"application/json"))
    elif method == "GET":
        if form:
            path += ("&" if "?" in path else "?") + urllib.parse.urlencode(form)
    else:
        body = urllib.parse.urlencode(form).encode()
        headers.append((b"Content-Type", b"application/x-www-form-urlencoded"))
    host_header = f"[{target.host}]" if ":" in target.host else target.host
    if target.port != (443 if target.scheme == "https" else 80):
        host_header += f":{target.port}"
    headers.insert(0, (b"Host", host_header.encode("ascii")))
    timeouts = {name: how.timeout_seconds for name in ("connect", "read", "write", "pool")}
    request_url = httpcore.URL(scheme=target.scheme, host=target.host, port=target.port, target=path)
    pool = httpcore.AsyncConnectionPool(
        ssl_context=_TLS, max_connections=1, retries=0, network_backend=PinnedBackend(address)
    )
    try:
        async with pool:
            stream = pool.stream(
                method, request_url, headers=headers, content=body, extensions={"timeout": timeouts}
            )
            async with stream as response:
                return await _read(response, how.max_bytes)
    except httpcore.TimeoutException:
        raise CallFailed("timed out") from None
    except (
        httpcore.NetworkError,
        httpcore.ProtocolError,
        httpcore.UnsupportedProtocol,
        ssl.SSLError,
    ) as error:
        raise CallFailed(f"{type(error).__name__}: {error}".rstrip(": ")) from None


async def _read(response: httpcore.Response, max_bytes: int) -> Answer:
    content_type = ""
    for key, value in response.headers:
        if key.lower() == b"content-type":
            content_type = value.decode("latin-1").partition(";")[0].strip().lower()
    body = bytearray()
    async for chunk in response.aiter_stream():
        body += chunk
        if len(body) > max_bytes:
            raise CallFailed(f"the answer is larger than {max_bytes} bytes")
    return Answer(response.status, content_type, bytes(body))
