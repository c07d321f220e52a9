"""Sign-ins under way at an identity provider, and accounts by their key at one."""

from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import sso_states, users


async def insert_state(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(sso_states).values(**values))


async def take_state(conn: AsyncConnection, state: str) -> Row | None:
    """The sign-in this state began, deleted so that it can be finished only once (the delete
    decides between two requests carrying the same state)."""
    row = (await conn.execute(select(sso_states).where(sso_states.c.state == state))).mappings().first()
    if row is None:
        return None
    deleted = await conn.execute(delete(sso_states).where(sso_states.c.state == state))
    return row if deleted.rowcount == 1 else None


async def delete_expired_states(conn: AsyncConnection, now: int) -> None:
    await conn.execute(delete(sso_states).where(sso_states.c.expires_at < now))


async def get_user_by_auth(conn: AsyncConnection, service: str, auth_data: str) -> Row | None:
    query = select(users).where(users.c.auth_service == service, users.c.auth_data == auth_data)
    return (await conn.execute(query)).mappings().first()


async def get_user_by_email(conn: AsyncConnection, email: str, *, lock: bool = False) -> Row | None:
    query = select(users).where(users.c.email == email.lower())
    if lock:
        query = query.with_for_update()
    return (await conn.execute(query)).mappings().first()


async def username_taken(conn: AsyncConnection, username: str) -> bool:
    return (await conn.execute(select(users.c.id).where(users.c.username == username))).first() is not None


async def link_account(conn: AsyncConnection, user_id: str, service: str, auth_data: str, now: int) -> None:
    await conn.execute(
        update(users)
        .where(users.c.id == user_id)
        .values(auth_service=service, auth_data=auth_data, email_verified=True, update_at=now)
    )
