"""The address a request really comes from. X-Forwarded-For and X-Real-IP are believed only when
the direct peer is one of the trusted proxies (VILLAGEPUMP_TRUSTED_PROXIES): anyone else could
write any address there.

The address counts failed logins, for the length of the login window (hashed, when the counts
are in Redis), and goes with audit entries, cut as PrivacySettings.StoreClientAddresses says
(moderation/addresses.py) and blanked after ClientAddressRetentionDays; only admins see it.
"""

from functools import lru_cache
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network

from starlette.requests import HTTPConnection

Network = IPv4Network | IPv6Network
Address = IPv4Address | IPv6Address


@lru_cache(maxsize=8)
def parse_trusted_proxies(value: str) -> tuple[Network, ...]:
    """Comma-separated addresses and CIDR ranges; raises ValueError naming the bad entry."""
    networks: list[Network] = []
    for entry in value.split(","):
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ip_network(entry, strict=False))
        except ValueError:
            raise ValueError(f"not an IP address or CIDR range: {entry!r}") from None
    return tuple(networks)


def client_address(conn: HTTPConnection, trusted_proxies: str) -> str:
    peer = _parse(conn.client.host) if conn.client else None
    if peer is None:
        return ""
    trusted = parse_trusted_proxies(trusted_proxies)
    if not _is_trusted(peer, trusted):
        return str(peer)
    forwarded = [part for value in conn.headers.getlist("x-forwarded-for") for part in value.split(",")]
    if forwarded:
        return str(_rightmost_untrusted(peer, forwarded, trusted))
    real_ip = _parse(conn.headers.get("x-real-ip", ""))
    return str(real_ip or peer)


def _rightmost_untrusted(peer: Address, forwarded: list[str], trusted: tuple[Network, ...]) -> Address:
    # Each proxy appends the address it was connected from, so the list reads client-first and
    # only its right end is vouched for: walk back from the right, past our own proxies, to the
    # first address none of them is. Anything left of that was written by the client itself.
    address = peer
    for entry in reversed(forwarded):
        hop = _parse(entry)
        if hop is None:
            break
        address = hop
        if not _is_trusted(hop, trusted):
            break
    return address


def _is_trusted(address: Address, trusted: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def _parse(text: str) -> Address | None:
    """An address as proxies write it: bare, "[v6]:port" or "v4:port"."""
    text = text.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ip_address(text)
    except ValueError:
        return None
    if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
