"""The IRC bridge's networks and channel mappings, and the lease that picks one process per network."""

from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import channels, irc_mappings, irc_networks


async def insert_network(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(irc_networks).values(**values))


async def get_network(conn: AsyncConnection, network_id: str, *, for_update: bool = False) -> Row | None:
    """The network; with `for_update`, locked until the transaction ends (on PostgreSQL)."""
    query = select(irc_networks).where(irc_networks.c.id == network_id)
    if for_update:
        query = query.with_for_update()
    return (await conn.execute(query)).mappings().first()


async def get_network_by_name(conn: AsyncConnection, name: str) -> Row | None:
    query = select(irc_networks).where(irc_networks.c.name == name)
    return (await conn.execute(query)).mappings().first()


async def list_networks(conn: AsyncConnection) -> list[Row]:
    query = select(irc_networks).order_by(irc_networks.c.name)
    return list((await conn.execute(query)).mappings().all())


async def update_network(conn: AsyncConnection, network_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(irc_networks).where(irc_networks.c.id == network_id).values(**values))


async def delete_network(conn: AsyncConnection, network_id: str) -> None:
    await conn.execute(delete(irc_mappings).where(irc_mappings.c.network_id == network_id))
    await conn.execute(delete(irc_networks).where(irc_networks.c.id == network_id))


async def insert_mapping(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(irc_mappings).values(**values))


async def get_mapping(conn: AsyncConnection, mapping_id: str) -> Row | None:
    query = select(irc_mappings).where(irc_mappings.c.id == mapping_id)
    return (await conn.execute(query)).mappings().first()


async def delete_mapping(conn: AsyncConnection, mapping_id: str) -> None:
    await conn.execute(delete(irc_mappings).where(irc_mappings.c.id == mapping_id))


async def list_mappings(conn: AsyncConnection, network_id: str = "") -> list[Row]:
    """Mappings with their channel's name, team and type, of one network or all."""
    query = (
        select(
            irc_mappings,
            channels.c.name.label("channel_name"),
            channels.c.team_id,
            channels.c.type.label("channel_type"),
            channels.c.delete_at.label("channel_delete_at"),
        )
        .join(channels, channels.c.id == irc_mappings.c.channel_id)
        .order_by(irc_mappings.c.network_id, irc_mappings.c.irc_channel)
    )
    if network_id:
        query = query.where(irc_mappings.c.network_id == network_id)
    return list((await conn.execute(query)).mappings().all())


async def take_lease(conn: AsyncConnection, network_id: str, owner: str, now: int, until: int) -> bool:
    """Takes or renews the network's lease for `owner`: only if free, lapsed or already its own.
    One conditional UPDATE, so two processes can never both get it."""
    lapsed_or_own = or_(irc_networks.c.lease_until <= now, irc_networks.c.lease_owner == owner)
    query = (
        update(irc_networks)
        .where(and_(irc_networks.c.id == network_id, lapsed_or_own))
        .values(lease_owner=owner, lease_until=until)
    )
    return (await conn.execute(query)).rowcount == 1


async def release_lease(conn: AsyncConnection, network_id: str, owner: str) -> None:
    query = (
        update(irc_networks)
        .where(and_(irc_networks.c.id == network_id, irc_networks.c.lease_owner == owner))
        .values(lease_owner="", lease_until=0)
    )
    await conn.execute(query)
