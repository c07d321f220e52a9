"""The single-use tokens of mailed links, found by the sha256 of the token."""

from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import tokens


async def insert_token(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(tokens).values(**values))


async def get_token(conn: AsyncConnection, token_hash: str) -> Row | None:
    return (await conn.execute(select(tokens).where(tokens.c.token_hash == token_hash))).mappings().first()


async def take_token(conn: AsyncConnection, token_hash: str, types: tuple[str, ...]) -> Row | None:
    """Deletes the token if it is of one of `types`, and returns it: of two requests using the
    same token at once, only one gets it back."""
    statement = (
        delete(tokens).where(tokens.c.token_hash == token_hash, tokens.c.type.in_(types)).returning(*tokens.c)
    )
    return (await conn.execute(statement)).mappings().first()


async def delete_user_tokens(conn: AsyncConnection, user_id: str, token_type: str) -> None:
    await conn.execute(delete(tokens).where(tokens.c.user_id == user_id, tokens.c.type == token_type))


async def delete_expired(conn: AsyncConnection, now: int) -> int:
    result = await conn.execute(delete(tokens).where(tokens.c.expires_at < now))
    return int(result.rowcount or 0)
