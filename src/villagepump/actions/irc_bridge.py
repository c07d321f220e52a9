"""The built-in IRC bridge's writes: networks and mappings (admins), and posts relayed from IRC.

Every check is made inside the transaction that writes (decision 0005): a mapping is made only
while its channel is alive and the actor may still manage it.
"""

from dataclasses import dataclass
from typing import Any

from villagepump import errors, permissions
from villagepump.actions import channels as channel_actions
from villagepump.actions import posts as post_actions
from villagepump.actions import system_bots
from villagepump.actions.transaction import transaction
from villagepump.auth import Caller
from villagepump.bridges.irc.names import check_irc_channel, check_nick
from villagepump.clock import now_ms_of
from villagepump.ids import new_id, now_ms
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import irc_bridge as bridge_store
from villagepump.store import systems as system_store

BRIDGE_USERNAME = "irc-bridge"
_BRIDGE_USER_KEY = "irc_bridge_user_id"
SASL_MECHANISMS = ("", "PLAIN", "EXTERNAL")


@dataclass(slots=True)
class NetworkFields:
    name: str
    host: str
    port: int
    nick: str
    tls: bool = True
    tls_verify: bool = True
    sasl_mechanism: str = ""
    sasl_username: str = ""
    sasl_password: str = ""
    client_cert_path: str = ""
    client_key_path: str = ""


def _invalid(field: str, message: str) -> errors.APIError:
    return errors.bad_request(f"api.irc_bridge.invalid_{field}.app_error", message)


def check_network(fields: NetworkFields) -> NetworkFields:
    name = fields.name.strip().lower()
    if not name or len(name) > 64 or not all(c.isalnum() or c in "-_." for c in name):
        raise _invalid("name", "A network name is 1 to 64 letters, digits, '-', '_' or '.'.")
    host = fields.host.strip()
    if not host or len(host) > 255 or any(c.isspace() for c in host):
        raise _invalid("host", "The IRC server's host name is missing or invalid.")
    if not 0 < fields.port < 65536:
        raise _invalid("port", "The port must be between 1 and 65535.")
    if check_nick(fields.nick) is None:
        raise _invalid("nick", "The nick must be a valid IRC nick of at most 30 characters.")
    mechanism = fields.sasl_mechanism.upper()
    if mechanism not in SASL_MECHANISMS:
        raise _invalid("sasl_mechanism", "SASL mechanism must be PLAIN, EXTERNAL or empty.")
    if mechanism == "PLAIN" and not (fields.sasl_username and fields.sasl_password):
        raise _invalid("sasl_password", "SASL PLAIN needs a username and a password.")
    if mechanism == "EXTERNAL" and not (fields.tls and fields.client_cert_path):
        raise _invalid("client_cert_path", "SASL EXTERNAL needs TLS and a client certificate.")
    for value in (fields.sasl_username, fields.sasl_password):
        if any(c in value for c in "\0\r\n"):
            raise _invalid("sasl_password", "SASL credentials may not hold NUL or line breaks.")
    fields.name, fields.host, fields.sasl_mechanism = name, host, mechanism
    return fields


async def add_network(rt: Runtime, actor: Caller, fields: NetworkFields) -> Row:
    permissions.require_system_admin(actor)
    fields = check_network(fields)
    now = now_ms()
    values: dict[str, Any] = {
        **{name: getattr(fields, name) for name in NetworkFields.__slots__},
        "id": new_id(),
        "creator_id": actor.user_id,
        "create_at": now,
        "update_at": now,
        "lease_owner": "",
        "lease_until": 0,
    }
    async with transaction(rt) as tx:
        # A name in use, even since a moment ago, is refused by the unique key (transaction.py).
        await bridge_store.insert_network(tx.conn, values)
        network = await bridge_store.get_network(tx.conn, values["id"])
    assert network is not None
    _wake_bridge(rt)
    return network


async def update_network(rt: Runtime, actor: Caller, network_id: str, changes: dict[str, Any]) -> Row:
    """Changes some of a network's fields (`changes`, by NetworkFields name); the rest, the SASL
    password among them, stay. The relay holding it reconnects with the new settings (the
    bridge sees `update_at` move)."""
    permissions.require_system_admin(actor)
    async with transaction(rt) as tx:
        network = await bridge_store.get_network(tx.conn, network_id, for_update=True)
        if network is None:
            raise errors.not_found("IRC network", "api.irc_bridge.network_missing.app_error")
        current = {name: network[name] for name in NetworkFields.__slots__}
        fields = check_network(NetworkFields(**{**current, **changes}))
        values = {name: getattr(fields, name) for name in NetworkFields.__slots__}
        # A rename to a name in use is refused by the unique key (transaction.py).
        await bridge_store.update_network(tx.conn, network_id, {**values, "update_at": now_ms()})
        network = await bridge_store.get_network(tx.conn, network_id)
    assert network is not None
    _wake_bridge(rt)
    return network


async def remove_network(rt: Runtime, actor: Caller, network_id: str) -> None:
    permissions.require_system_admin(actor)
    async with transaction(rt) as tx:
        if await bridge_store.get_network(tx.conn, network_id) is None:
            raise errors.not_found("IRC network", "api.irc_bridge.network_missing.app_error")
        await bridge_store.delete_network(tx.conn, network_id)
    _wake_bridge(rt)


async def _require_mapping_manager(conn: Any, actor: Caller, channel_id: str) -> Row:
    """System admins map any public or private channel; a channel's own admins may map it too.
    Nobody maps a direct or group message, or an archived channel."""
    scene = await permissions.channel_scene(conn, actor, channel_id, lock=True)
    channel = scene.channel
    member = scene.member(actor.user_id)
    channel_admin = member is not None and bool(member["scheme_admin"])
    # Before anything else is said about the channel: its type is not for outsiders to learn.
    if not (actor.is_system_admin or channel_admin):
        raise errors.forbidden("Only system admins and the channel's admins can bridge it.")
    if channel["type"] not in ("O", "P"):
        raise errors.bad_request(
            "api.irc_bridge.channel_type.app_error", "Only public and private channels can be bridged."
        )
    if channel["delete_at"]:
        raise errors.bad_request("api.irc_bridge.channel_archived.app_error", "The channel is archived.")
    return channel


async def map_channel(
    rt: Runtime, actor: Caller, network_id: str, channel_id: str, irc_channel: str, relay_joins: bool = False
) -> Row:
    name = check_irc_channel(irc_channel)
    if name is None:
        raise _invalid("irc_channel", "An IRC channel name starts with # or & and has no spaces or commas.")
    async with transaction(rt) as tx:
        channel = await _require_mapping_manager(tx.conn, actor, channel_id)
        if await bridge_store.get_network(tx.conn, network_id) is None:
            raise errors.not_found("IRC network", "api.irc_bridge.network_missing.app_error")
        bot_id = await _bridge_user_in(tx.conn)
        mapping = {
            "id": new_id(),
            "network_id": network_id,
            "channel_id": channel["id"],
            "irc_channel": name,
            "relay_joins": relay_joins,
            "creator_id": actor.user_id,
            "create_at": now_ms(),
        }
        # The unique keys (network, IRC channel) and (network, chat channel) refuse a second
        # mapping of either, also one made a moment ago (transaction.py names the error).
        await bridge_store.insert_mapping(tx.conn, mapping)
        # The bridge posts as a member, like any bot a channel admin adds.
        await channel_actions.add_member_in(tx, channel, bot_id, actor_id=actor.user_id)
        stored = await bridge_store.get_mapping(tx.conn, mapping["id"])
    assert stored is not None
    _wake_bridge(rt)
    return stored


async def unmap_channel(rt: Runtime, actor: Caller, mapping_id: str) -> None:
    async with transaction(rt) as tx:
        mapping = await bridge_store.get_mapping(tx.conn, mapping_id)
        if mapping is None:
            raise errors.not_found("IRC mapping", "api.irc_bridge.mapping_missing.app_error")
        scene = await permissions.channel_scene(tx.conn, actor, mapping["channel_id"], lock=True)
        member = scene.member(actor.user_id)
        if not (actor.is_system_admin or (member is not None and member["scheme_admin"])):
            raise errors.forbidden("Only system admins and the channel's admins can unbridge it.")
        await bridge_store.delete_mapping(tx.conn, mapping_id)
    _wake_bridge(rt)


async def _bridge_user_in(conn: Any) -> str:
    return await system_bots.system_bot_in(conn, _BRIDGE_USER_KEY, BRIDGE_USERNAME, "IRC bridge")


async def bridge_user_id(rt: Runtime) -> str:
    async with rt.db.read() as conn:
        return await system_store.get_value(conn, _BRIDGE_USER_KEY) or ""


def _bridge_caller(user_id: str) -> Caller:
    return Caller(user_id=user_id, session_id="", roles=frozenset({"system_user"}), is_bot=True)


async def post_from_irc(
    rt: Runtime, bot_id: str, mapping_id: str, message: str, props: dict[str, Any]
) -> dict[str, Any] | None:
    """Posts what came from IRC into the mapped channel, as the bridge bot, if the mapping still
    exists (it may have been removed while the line was on its way). None if it does not."""
    async with rt.db.read() as conn:
        mapping = await bridge_store.get_mapping(conn, mapping_id)
    if mapping is None:
        return None
    draft = post_actions.Draft(message=message, props=props, set_online=False)
    return await post_actions.create_post(rt, _bridge_caller(bot_id), mapping["channel_id"], draft)


def _wake_bridge(rt: Runtime) -> None:
    if rt.irc_bridge is not None:
        rt.irc_bridge.wake()


async def claim_network(rt: Runtime, network_id: str, owner: str) -> bool:
    """Takes or renews the lease on a network's connection for this process (`owner`)."""
    now = now_ms_of(rt.clock)
    until = now + int(rt.settings.irc_lease_seconds * 1000)
    async with transaction(rt) as tx:
        return await bridge_store.take_lease(tx.conn, network_id, owner, now, until)


async def release_network(rt: Runtime, network_id: str, owner: str) -> None:
    async with transaction(rt) as tx:
        await bridge_store.release_lease(tx.conn, network_id, owner)
