"""Links as the preview fetcher reads them: only http and https, a host that is a valid name or
an address (in any of the numeric spellings browsers accept, normalised to the address it
means), no credentials."""

import urllib.parse
from dataclasses import dataclass

from villagepump.previews.addresses import literal_address

# What may stand in a path or query as it is (RFC 3986 reserved and unreserved characters, and
# the % of an escape already made).
_URL_SAFE = "/?:@!$&'()*+,;=-._~%[]"


class FetchFailed(Exception):
    """The fetch did not produce a response worth reading: refused, unreachable, too slow, an
    HTTP error, too many redirects. The message says which, for the cache and the logs."""


@dataclass(frozen=True)
class Target:
    url: str  # normalised: a numeric host written as the address it means
    scheme: str
    host: str  # as sent in Host and SNI; an IPv6 address without brackets
    port: int
    target: str  # path and query


def parse_target(url: str) -> Target:
    """The parts of an http(s) URL that a request needs; raises FetchFailed for anything else."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise FetchFailed(f"not a usable URL: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchFailed("only http and https links are previewed")
    if parts.username is not None or parts.password is not None:
        raise FetchFailed("links with credentials are not previewed")
    host = (parts.hostname or "").lower()
    if not host:
        raise FetchFailed("the link has no host")
    try:
        address = literal_address(host)
    except ValueError as error:
        raise FetchFailed(str(error)) from None
    if address is not None:
        host = str(address)
    elif not _plain_name(host):
        raise FetchFailed("the link's host is not a valid name")
    else:
        host = host.encode("idna").decode("ascii")  # as it goes on the wire: Host, SNI, DNS
    port = port or (443 if scheme == "https" else 80)
    # Non-ASCII in the path or query goes percent-encoded (UTF-8), as browsers send it.
    path = urllib.parse.quote(parts.path or "/", safe=_URL_SAFE)
    query = urllib.parse.quote(parts.query, safe=_URL_SAFE)
    target = path + (f"?{query}" if query else "")
    shown_host = f"[{host}]" if ":" in host else host
    default_port = port == (443 if scheme == "https" else 80)
    netloc = shown_host if default_port else f"{shown_host}:{port}"
    return Target(
        url=urllib.parse.urlunsplit((scheme, netloc, path, query, "")),
        scheme=scheme,
        host=host,
        port=port,
        target=target,
    )


def _plain_name(host: str) -> bool:
    try:
        host.encode("idna")
    except UnicodeError:  # an empty label, a label over 63 characters, ...
        return False
    return all(c.isalnum() or c in "-._" for c in host) and not host.startswith(".")
