"""Server-wide key/value facts: the diagnostic id, the first-admin setup token."""

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store.tables import systems


async def get_value(conn: AsyncConnection, name: str) -> str | None:
    return await conn.scalar(select(systems.c.value).where(systems.c.name == name))


async def set_value(conn: AsyncConnection, name: str, value: str) -> None:
    await conn.execute(delete(systems).where(systems.c.name == name))
    await conn.execute(insert(systems).values(name=name, value=value))


async def delete_value(conn: AsyncConnection, name: str) -> None:
    await conn.execute(delete(systems).where(systems.c.name == name))
