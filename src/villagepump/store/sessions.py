"""Login sessions and personal access tokens, found by the sha256 of their token."""

from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import sessions, user_access_tokens


async def insert_session(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(sessions).values(**values))


_SESSION_BY_HASH = select(sessions).where(sessions.c.token_hash == bindparam("token_hash"))


async def get_session_by_hash(conn: AsyncConnection, token_hash: str) -> Row | None:
    return (await conn.execute(_SESSION_BY_HASH, {"token_hash": token_hash})).mappings().first()


async def get_session(conn: AsyncConnection, session_id: str) -> Row | None:
    return (await conn.execute(select(sessions).where(sessions.c.id == session_id))).mappings().first()


async def list_sessions(conn: AsyncConnection, user_id: str) -> list[Row]:
    query = select(sessions).where(sessions.c.user_id == user_id).order_by(sessions.c.create_at.desc())
    return list((await conn.execute(query)).mappings())


async def delete_session(conn: AsyncConnection, session_id: str) -> Row | None:
    row = await get_session(conn, session_id)
    await conn.execute(delete(sessions).where(sessions.c.id == session_id))
    return row


async def delete_user_sessions(conn: AsyncConnection, user_id: str, *, keep: str = "") -> list[Row]:
    """Removes every session of a user but `keep`; returns their ids and token hashes for the caches."""
    which = (sessions.c.user_id == user_id) & (sessions.c.id != keep)
    query = select(sessions.c.id, sessions.c.token_hash).where(which)
    removed = list((await conn.execute(query)).mappings())
    await conn.execute(delete(sessions).where(which))
    return removed


async def touch_session(conn: AsyncConnection, session_id: str, at: int, expires_at: int) -> None:
    await conn.execute(
        update(sessions).where(sessions.c.id == session_id).values(last_activity_at=at, expires_at=expires_at)
    )


async def update_session(conn: AsyncConnection, session_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(sessions).where(sessions.c.id == session_id).values(**values))


async def insert_access_token(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(user_access_tokens).values(**values))


async def get_access_token_by_hash(conn: AsyncConnection, token_hash: str) -> Row | None:
    query = select(user_access_tokens).where(user_access_tokens.c.token_hash == token_hash)
    return (await conn.execute(query)).mappings().first()


async def get_access_token(conn: AsyncConnection, token_id: str) -> Row | None:
    query = select(user_access_tokens).where(user_access_tokens.c.id == token_id)
    return (await conn.execute(query)).mappings().first()


async def list_access_tokens(conn: AsyncConnection, user_id: str) -> list[Row]:
    query = select(user_access_tokens).where(user_access_tokens.c.user_id == user_id)
    return list((await conn.execute(query.order_by(user_access_tokens.c.create_at))).mappings())


async def set_access_token_active(conn: AsyncConnection, token_id: str, active: bool) -> None:
    await conn.execute(
        update(user_access_tokens).where(user_access_tokens.c.id == token_id).values(is_active=active)
    )


async def delete_access_token(conn: AsyncConnection, token_id: str) -> None:
    await conn.execute(delete(user_access_tokens).where(user_access_tokens.c.id == token_id))


async def delete_device_sessions(conn: AsyncConnection, user_id: str, device_id: str) -> list[Row]:
    """Removes a device's earlier sessions; returns their ids and token hashes for the caches."""
    same_device = (sessions.c.user_id == user_id) & (sessions.c.device_id == device_id)
    query = select(sessions.c.id, sessions.c.token_hash).where(same_device)
    removed = list((await conn.execute(query)).mappings())
    await conn.execute(delete(sessions).where(same_device))
    return removed


async def delete_expired_sessions(conn: AsyncConnection, now: int) -> list[Row]:
    """Removes sessions past their expiry; returns their user ids, ids and token hashes."""
    expired = (sessions.c.expires_at > 0) & (sessions.c.expires_at < now)
    query = select(sessions.c.user_id, sessions.c.id, sessions.c.token_hash).where(expired)
    removed = list((await conn.execute(query)).mappings())
    await conn.execute(delete(sessions).where(expired))
    return removed
