"""The settings an administrator changed at runtime: Mattermost's Section.Key -> JSON value."""

from collections.abc import Mapping
from typing import Any

import orjson
from sqlalchemy import delete, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import upsert_insert
from villagepump.store.tables import config_values

# Any constant will do; it only has to be the same in every process of a deployment.
_CONFIG_LOCK = 0x56504346  # "VPCF"


async def lock_for_update(conn: AsyncConnection) -> None:
    """Serialises configuration writers until the transaction ends (SQLite has one writer anyway),
    so two changes made at once never publish each other's stale view."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CONFIG_LOCK})


async def load_values(conn: AsyncConnection) -> dict[str, Any]:
    rows = await conn.execute(select(config_values.c.name, config_values.c.value))
    return {name: orjson.loads(value) for name, value in rows}


async def save_values(conn: AsyncConnection, values: Mapping[str, Any], now: int) -> None:
    for name, value in values.items():
        statement = upsert_insert(conn, config_values).values(
            name=name, value=orjson.dumps(value).decode(), update_at=now
        )
        await conn.execute(
            statement.on_conflict_do_update(
                index_elements=[config_values.c.name],
                set_={"value": statement.excluded.value, "update_at": statement.excluded.update_at},
            )
        )


async def delete_values(conn: AsyncConnection, names: list[str]) -> None:
    if names:
        await conn.execute(delete(config_values).where(config_values.c.name.in_(names)))
