"""The IRC bridge's networks and mappings as the admin API shows them. The SASL password is
never sent back; `has_sasl_password` says whether one is set."""

from typing import Any

from villagepump.store import Row

_NETWORK_FIELDS = (
    "id", "name", "host", "port", "tls", "tls_verify", "nick", "sasl_mechanism", "sasl_username",
    "client_cert_path", "client_key_path", "creator_id", "create_at", "update_at",
)  # fmt: skip


def render_network(network: Row, now_ms: int) -> dict[str, Any]:
    rendered = {name: network[name] for name in _NETWORK_FIELDS}
    rendered["has_sasl_password"] = bool(network["sasl_password"])
    # Whether some server process holds its connection now (its lease is current).
    rendered["held"] = bool(network["lease_owner"]) and network["lease_until"] > now_ms
    return rendered


def render_mapping(mapping: Row) -> dict[str, Any]:
    rendered = {
        name: mapping[name]
        for name in (
            "id",
            "network_id",
            "channel_id",
            "irc_channel",
            "relay_joins",
            "creator_id",
            "create_at",
        )
    }
    for name in ("channel_name", "team_id", "channel_type"):
        if name in mapping:
            rendered[name] = mapping[name]
    return rendered
