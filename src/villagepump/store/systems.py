"""Server-wide key/value facts: the diagnostic id, the first-admin setup token."""

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import upsert_insert
from villagepump.store.tables import systems


async def get_value(conn: AsyncConnection, name: str) -> str | None:
    return await conn.scalar(select(systems.c.value).where(systems.c.name == name))


async def set_value(conn: AsyncConnection, name: str, value: str) -> None:
    statement = upsert_insert(conn, systems).values(name=name, value=value)
    await conn.execute(statement.on_conflict_do_update(index_elements=["name"], set_={"value": value}))


async def add_value(conn: AsyncConnection, name: str, value: str) -> None:
    """Sets the value unless there is one already."""
    statement = upsert_insert(conn, systems).values(name=name, value=value)
    await conn.execute(statement.on_conflict_do_nothing(index_elements=["name"]))


async def take_value(conn: AsyncConnection, name: str, value: str) -> bool:
    """Deletes the value if it is `value`; True if it was (and so is now used up)."""
    result = await conn.execute(delete(systems).where(systems.c.name == name, systems.c.value == value))
    return bool(result.rowcount)


async def delete_value(conn: AsyncConnection, name: str) -> None:
    await conn.execute(delete(systems).where(systems.c.name == name))
