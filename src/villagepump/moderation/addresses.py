"""What the server keeps of a client's address (PrivacySettings.StoreClientAddresses)."""

from ipaddress import IPv4Address, ip_address, ip_network

FULL = "full"
TRUNCATED = "truncated"
NONE = "none"

# A /24 of IPv4 and a /48 of IPv6 name a network (a provider's, a campus's), usually not a
# household: enough to see that abuse comes from one place, too little to find a person.
_IPV4_PREFIX = 24
_IPV6_PREFIX = 48


def stored_address(address: str, mode: str) -> str:
    """The form of `address` to write down under `mode`; "" for none or an unparsable address."""
    if not address or mode == NONE:
        return ""
    try:
        parsed = ip_address(address)
    except ValueError:
        return ""
    if mode == FULL:
        return str(parsed)
    prefix = _IPV4_PREFIX if isinstance(parsed, IPv4Address) else _IPV6_PREFIX
    return str(ip_network(f"{parsed}/{prefix}", strict=False).network_address)
