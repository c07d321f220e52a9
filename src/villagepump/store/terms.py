"""Versions of the terms of service and which version each user accepted."""

from typing import Any

from sqlalchemy import bindparam, delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import terms_of_service, user_terms_of_service


async def insert_terms(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(terms_of_service).values(**values))


# Two versions in one millisecond: the id breaks the tie, the same way on every read.
_LATEST = (
    select(terms_of_service)
    .order_by(terms_of_service.c.create_at.desc(), terms_of_service.c.id.desc())
    .limit(1)
)
_ACCEPTANCE = select(user_terms_of_service).where(user_terms_of_service.c.user_id == bindparam("user_id"))


async def latest_terms(conn: AsyncConnection) -> Row | None:
    return (await conn.execute(_LATEST)).mappings().first()


async def get_acceptance(conn: AsyncConnection, user_id: str) -> Row | None:
    return (await conn.execute(_ACCEPTANCE, {"user_id": user_id})).mappings().first()


async def save_acceptance(conn: AsyncConnection, user_id: str, terms_id: str, at: int) -> None:
    statement = upsert_insert(conn, user_terms_of_service).values(
        user_id=user_id, terms_of_service_id=terms_id, create_at=at
    )
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id"], set_={"terms_of_service_id": terms_id, "create_at": at}
        )
    )


async def delete_acceptance(conn: AsyncConnection, user_id: str) -> None:
    await conn.execute(delete(user_terms_of_service).where(user_terms_of_service.c.user_id == user_id))
