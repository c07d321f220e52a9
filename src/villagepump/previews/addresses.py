"""Which addresses a link preview may connect to.

The rule is one function, `forbidden_address`, applied to every address a host name resolves to
and to every literal address, after the spellings browsers and the C library accept (`127.1`,
`0x7f000001`, `2130706433`, `0177.0.0.1`, `[::ffff:127.0.0.1]`) are read as the address they
mean. An administrator opens chosen hosts or ranges with Mattermost's
`ServiceSettings.AllowedUntrustedInternalConnections`.
"""

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# Ranges that are not the public internet (IANA special-purpose registries, RFC 6890 and
# successors). Python's is_global/is_private flags are checked too, but their lists have changed
# between Python versions; this list does not.
_FORBIDDEN_V4 = tuple(
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",  # "this network"; 0.0.0.0 reaches the local host on Linux
        "10.0.0.0/8",
        "100.64.0.0/10",  # carrier-grade NAT
        "127.0.0.0/8",
        "169.254.0.0/16",  # link-local, where cloud metadata services answer
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",  # 6to4 relays
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",  # multicast
        "240.0.0.0/4",  # reserved, and the broadcast address
    )
)
_FORBIDDEN_V6 = tuple(
    ipaddress.IPv6Network(n)
    for n in (
        "::/96",  # unspecified, loopback and the old IPv4-compatible addresses
        "64:ff9b:1::/48",  # local-use NAT64
        "100::/64",  # discard
        "2001::/23",  # IETF protocol assignments, Teredo (2001::/32) among them
        "2001:db8::/32",
        "2002::/16",  # 6to4: the IPv4 address it tunnels to is not checked, so none is allowed
        "3fff::/20",
        "5f00::/16",
        "fc00::/7",  # unique local
        "fe80::/10",  # link-local
        "fec0::/10",  # the old site-local
        "ff00::/8",  # multicast
    )
)
# IPv6 forms that carry an IPv4 address the packet ends up at: judged by that address.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def forbidden_address(address: IPAddress) -> bool:
    """True for any address that is not plainly a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return forbidden_address(embedded)
        if any(address in network for network in _FORBIDDEN_V6):
            return True
    elif any(address in network for network in _FORBIDDEN_V4):
        return True
    return (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def literal_address(host: str) -> IPAddress | None:
    """The address a URL's host names, if it is an address and not a name.

    Takes the forms browsers take (WHATWG URL "IPv4 parser"): one to four parts, each decimal,
    octal with a leading 0 or hexadecimal with 0x, the last part filling the remaining bytes, so
    `127.1`, `0177.0.0.1`, `0x7f000001` and `2130706433` are all 127.0.0.1. The C library's
    resolver reads them the same way, which is why they must never pass as names.
    Raises ValueError for a host that looks like a number but is none (`1.2.3.4.5`, `0x`, `09`).
    """
    host = host.strip("[]") if host.startswith("[") else host
    if ":" in host:
        return ipaddress.IPv6Address(host.split("%", 1)[0])
    parts = host.split(".")
    if len(parts) > 1 and parts[-1] == "":
        parts.pop()  # a trailing dot, as in "127.0.0.1."
    if not _is_number(parts[-1]):
        return None
    if len(parts) > 4:
        raise ValueError(f"not an IPv4 address: {host}")
    numbers = [_number(part, host) for part in parts]
    last = numbers.pop()
    if any(n > 255 for n in numbers) or last >= 256 ** (4 - len(numbers)):
        raise ValueError(f"IPv4 address out of range: {host}")
    value = last
    for index, number in enumerate(numbers):
        value += number << (8 * (3 - index))
    return ipaddress.IPv4Address(value)


def _is_number(part: str) -> bool:
    if part.lower().startswith("0x"):
        return all(c in "0123456789abcdefABCDEF" for c in part[2:])
    return part != "" and part.isascii() and part.isdigit()


def _number(part: str, host: str) -> int:
    try:
        if part.lower().startswith("0x"):
            return int(part[2:], 16) if part[2:] else 0
        if len(part) > 1 and part.startswith("0"):
            return int(part, 8)
        return int(part, 10)
    except ValueError:
        raise ValueError(f"not an IPv4 address: {host}") from None


@dataclass(frozen=True)
class AllowList:
    """Mattermost's AllowedUntrustedInternalConnections: host names, addresses and CIDR ranges,
    separated by spaces (commas accepted too), that link previews may reach although they are
    not public."""

    hosts: frozenset[str]
    networks: tuple[IPNetwork, ...]

    @classmethod
    def parse(cls, value: str) -> "AllowList":
        hosts: set[str] = set()
        networks: list[IPNetwork] = []
        for entry in value.replace(",", " ").split():
            try:
                networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
            except ValueError:
                hosts.add(entry.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows(self, host: str, address: IPAddress) -> bool:
        if host.lower().rstrip(".") in self.hosts:
            return True
        return any(address.version == n.version and address in n for n in self.networks)


def check_addresses(host: str, addresses: Iterable[IPAddress], allowed: AllowList) -> None:
    """Raises ForbiddenAddress unless every address may be reached: a name that resolves to a
    public and a private address at once is refused, not half-trusted."""
    for address in addresses:
        if forbidden_address(address) and not allowed.allows(host, address):
            raise ForbiddenAddress(f"{host} resolves to {address}, which is not a public address")


class ForbiddenAddress(Exception):
    """The destination is not on the public internet and the administrator has not allowed it."""
