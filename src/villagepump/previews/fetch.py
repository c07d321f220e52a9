"""A GET (and any other request) that only reaches the public internet.

Each hop (the link, then every redirect, at most `max_redirects`) is checked and connected the
same way: the URL must be http or https with a host; a literal address is read as browsers read
it, a name is resolved once; every resolved address must be public or allow-listed; the
connection then goes to exactly that checked address (the network backend ignores the name it is
handed), while TLS still verifies the certificate against the host name. So a name that resolves
differently on a second lookup (DNS rebinding) cannot move the connection somewhere else.

No cookies are sent or kept (no cookie jar exists), no proxy from the environment is used, the
body is read up to a limit and the whole fetch runs under one deadline.
"""

import asyncio
import ipaddress
import socket
import ssl
import urllib.parse
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpcore

from villagepump.previews.addresses import (
    AllowList,
    ForbiddenAddress,
    IPAddress,
    check_addresses,
    literal_address,
)
from villagepump.previews.urls import FetchFailed, Target, parse_target

# Resolves a host name to its addresses; tests give their own.
Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]

_REDIRECTS = {301, 302, 303, 307, 308}
_LOCALHOST = (ipaddress.IPv4Address("127.0.0.1"), ipaddress.IPv6Address("::1"))
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Policy:
    allowed: AllowList
    user_agent: str
    timeout_seconds: float
    # How much of a body is read: an HTML page is parsed from its first max_html_bytes, an image's
    # size is read from its first max_image_bytes; the rest is never downloaded.
    max_html_bytes: int = 1024 * 1024
    max_image_bytes: int = 4 * 1024 * 1024
    max_redirects: int = 5
    accept_language: str = "en"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    content_type: str  # the media type, lower case, without parameters
    charset: str
    body: bytes
    truncated: bool


async def fetch(url: str, policy: Policy, resolver: Resolver | None = None) -> Fetched:
    """GETs `url` safely (see the module's docstring); raises FetchFailed."""
    try:
        async with asyncio.timeout(policy.timeout_seconds):
            return await _follow(url, policy, resolver or resolve)
    except TimeoutError:
        raise FetchFailed(f"no complete answer within {policy.timeout_seconds:g} s") from None


async def resolve(host: str, port: int) -> list[IPAddress]:
    """The host's addresses, from one lookup."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as error:
        raise FetchFailed(f"{host} could not be resolved: {error.strerror or error}") from None
    found: list[IPAddress] = []
    for info in infos:
        address = literal_address(str(info[4][0]).split("%", 1)[0])
        if address is not None and address not in found:
            found.append(address)
    if not found:
        raise FetchFailed(f"{host} has no address")
    return found


async def _follow(url: str, policy: Policy, resolver: Resolver) -> Fetched:
    for _ in range(policy.max_redirects + 1):
        target = parse_target(url)
        address = await checked_address(target, policy.allowed, resolver)
        location, fetched = await _get(target, address, policy)
        if fetched is not None:
            return fetched
        url = urllib.parse.urljoin(target.url, location)
    raise FetchFailed(f"more than {policy.max_redirects} redirects")


async def checked_address(target: Target, allowed: AllowList, resolver: Resolver) -> IPAddress:
    """The one address to connect to for `target`, once every address it names passed the
    checks (a custom command's URL is checked with it when saved); raises FetchFailed."""
    literal = literal_address(target.host)
    if literal is not None:
        addresses = [literal]
    elif target.host.rstrip(".") == "localhost" or target.host.rstrip(".").endswith(".localhost"):
        addresses = list(_LOCALHOST)  # RFC 6761: always this machine, whatever a resolver says
    else:
        addresses = list(await resolver(target.host, target.port))
    try:
        check_addresses(target.host, addresses, allowed)
    except ForbiddenAddress as refused:
        raise FetchFailed(str(refused)) from None
    return addresses[0]


class PinnedBackend(httpcore.AsyncNetworkBackend):
    """Connects to the one address that was checked, whatever name the connection is for."""

    def __init__(self, address: IPAddress) -> None:
        self._address = str(address)
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        return await self._inner.connect_tcp(self._address, port, timeout, local_address, socket_options)

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 - httpcore's interface
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("outgoing requests never use Unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


_TLS = ssl.create_default_context()


async def _get(target: Target, address: IPAddress, policy: Policy) -> tuple[str, Fetched | None]:
    """One request to the checked address: (redirect location, None) or ("", what was read)."""
    headers = [
        (b"Accept", b"text/html,application/xhtml+xml;q=0.9,image/*;q=0.8"),
        (b"Accept-Encoding", b"gzip, deflate"),
        (b"Accept-Language", policy.accept_language.encode()),
    ]
    async with _exchange("GET", target, address, headers, b"", policy) as response:
        return await _read(target, response, policy)


@asynccontextmanager
async def _exchange(
    method: str,
    target: Target,
    address: IPAddress,
    headers: list[tuple[bytes, bytes]],
    body: bytes,
    policy: Policy,
) -> AsyncIterator[httpcore.Response]:
    """The response of one request to the checked address, with Host and User-Agent added; a
    network or protocol failure, while sending or reading, becomes FetchFailed."""
    headers = [
        (b"Host", _host_header(target).encode("ascii")),
        (b"User-Agent", policy.user_agent.encode()),
        *headers,
    ]
    timeouts = {name: policy.timeout_seconds for name in ("connect", "read", "write", "pool")}
    url = httpcore.URL(scheme=target.scheme, host=target.host, port=target.port, target=target.target)
    pool = httpcore.AsyncConnectionPool(
        ssl_context=_TLS, max_connections=1, retries=0, network_backend=PinnedBackend(address)
    )
    try:
        async with pool:
            stream = pool.stream(method, url, headers=headers, content=body, extensions={"timeout": timeouts})
            async with stream as response:
                yield response
    except httpcore.TimeoutException:
        raise FetchFailed("timed out") from None
    except (
        httpcore.NetworkError,
        httpcore.ProtocolError,
        httpcore.UnsupportedProtocol,
        ssl.SSLError,
    ) as error:
        raise FetchFailed(f"{type(error).__name__}: {error}".rstrip(": ")) from None


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str  # the media type, lower case, without parameters
    retry_after: str
    body: bytes  # the first `max_answer_bytes`
    truncated: bool  # there was more


async def send(
    method: str,
    url: str,
    body: bytes,
    headers: Sequence[tuple[str, str]],
    policy: Policy,
    resolver: Resolver | None = None,
    max_answer_bytes: int = 64 * 1024,
) -> Answer:
    """One request to `url` (an integration's, a push service's), checked and pinned as a fetch
    is (see the module's docstring); a redirect is not followed but answered as it came. Raises
    FetchFailed."""
    target = parse_target(url)
    try:
        async with asyncio.timeout(policy.timeout_seconds):
            address = await checked_address(target, policy.allowed, resolver or resolve)
            return await _send(method, target, address, body, headers, policy, max_answer_bytes)
    except TimeoutError:
        raise FetchFailed(f"no complete answer within {policy.timeout_seconds:g} s") from None


async def _send(
    method: str,
    target: Target,
    address: IPAddress,
    body: bytes,
    headers: Sequence[tuple[str, str]],
    policy: Policy,
    max_answer_bytes: int,
) -> Answer:
    sent = [
        *([(b"Content-Length", str(len(body)).encode())] if body or method != "GET" else []),
        *[(name.encode(), value.encode()) for name, value in headers],
    ]
    async with _exchange(method, target, address, sent, body, policy) as response:
        answer, truncated = await _body(response, "", max_answer_bytes)
        media_type = _header(response, b"content-type").partition(";")[0].strip().lower()
        return Answer(response.status, media_type, _header(response, b"retry-after"), answer, truncated)


def _host_header(target: Target) -> str:
    host = f"[{target.host}]" if ":" in target.host else target.host
    if target.port != (443 if target.scheme == "https" else 80):
        host += f":{target.port}"
    return host


def _header(response: httpcore.Response, name: bytes) -> str:
    for key, value in response.headers:
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return ""


async def _read(target: Target, response: httpcore.Response, policy: Policy) -> tuple[str, Fetched | None]:
    if response.status in _REDIRECTS:
        location = _header(response, b"location")
        if not location:
            raise FetchFailed(f"HTTP {response.status} without a Location")
        return location, None
    if not 200 <= response.status < 300:
        raise FetchFailed(f"HTTP {response.status}")
    media_type, _, parameters = _header(response, b"content-type").partition(";")
    media_type = media_type.strip().lower()
    charset = _charset(parameters)
    limit = policy.max_image_bytes if media_type.startswith("image/") else policy.max_html_bytes
    body, truncated = await _body(response, _header(response, b"content-encoding").lower(), limit)
    return "", Fetched(target.url, media_type, charset, body, truncated)


def _charset(parameters: str) -> str:
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return ""


async def _body(response: httpcore.Response, encoding: str, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes of the decoded body, and whether there was more. A compressed body
    is inflated only as far as the limit, so a small answer cannot unpack into a huge one."""
    if encoding in ("", "identity"):
        inflate = None
    elif encoding in ("gzip", "x-gzip"):
        inflate = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        inflate = zlib.decompressobj()
    else:
        raise FetchFailed(f"unsupported Content-Encoding {encoding}")
    body = bytearray()
    async for chunk in response.aiter_stream():
        if inflate is not None:
            try:
                chunk = inflate.decompress(chunk, limit + 1 - len(body))
            except zlib.error as error:
                raise FetchFailed(f"a broken {encoding} body: {error}") from None
        body += chunk
        if len(body) > limit:
            return bytes(body[:limit]), True
    return bytes(body), False
