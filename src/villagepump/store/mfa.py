"""Two-factor secrets and recovery codes. Using a code is one conditional UPDATE, so two
requests racing with the same code cannot both succeed, on either database."""

from collections.abc import Iterable

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store.tables import mfa_recovery_codes, mfa_secrets, users


async def get_secret(conn: AsyncConnection, user_id: str) -> str | None:
    return await conn.scalar(select(mfa_secrets.c.secret).where(mfa_secrets.c.user_id == user_id))


async def get_active_secret(conn: AsyncConnection, user_id: str) -> str | None:
    """The secret once activated: activation accepts a code, so a step is recorded from then on."""
    query = select(mfa_secrets.c.secret).where(
        mfa_secrets.c.user_id == user_id, mfa_secrets.c.last_used_step > 0
    )
    return await conn.scalar(query)


async def replace_secret(conn: AsyncConnection, user_id: str, secret: str, now: int) -> None:
    await conn.execute(delete(mfa_secrets).where(mfa_secrets.c.user_id == user_id))
    await conn.execute(insert(mfa_secrets).values(user_id=user_id, secret=secret, create_at=now))


async def use_step(conn: AsyncConnection, user_id: str, step: int) -> bool:
    """Records that a code for `step` was used; False if one for it or a later step already was."""
    result = await conn.execute(
        update(mfa_secrets)
        .where(mfa_secrets.c.user_id == user_id, mfa_secrets.c.last_used_step < step)
        .values(last_used_step=step)
    )
    return result.rowcount == 1


async def set_active(conn: AsyncConnection, user_id: str, active: bool, now: int) -> None:
    await conn.execute(update(users).where(users.c.id == user_id).values(mfa_active=active, update_at=now))


async def remove_all(conn: AsyncConnection, user_id: str) -> None:
    await conn.execute(delete(mfa_secrets).where(mfa_secrets.c.user_id == user_id))
    await conn.execute(delete(mfa_recovery_codes).where(mfa_recovery_codes.c.user_id == user_id))


async def replace_recovery_codes(
    conn: AsyncConnection, user_id: str, code_hashes: Iterable[str], now: int
) -> None:
    await conn.execute(delete(mfa_recovery_codes).where(mfa_recovery_codes.c.user_id == user_id))
    rows = [{"user_id": user_id, "code_hash": h, "create_at": now, "used_at": 0} for h in code_hashes]
    await conn.execute(insert(mfa_recovery_codes), rows)


async def use_recovery_code(conn: AsyncConnection, user_id: str, code_hash: str, now: int) -> bool:
    result = await conn.execute(
        update(mfa_recovery_codes)
        .where(
            mfa_recovery_codes.c.user_id == user_id,
            mfa_recovery_codes.c.code_hash == code_hash,
            mfa_recovery_codes.c.used_at == 0,
        )
        .values(used_at=now)
    )
    return result.rowcount == 1


async def unused_recovery_codes(conn: AsyncConnection, user_id: str) -> int:
    query = select(func.count()).where(
        mfa_recovery_codes.c.user_id == user_id, mfa_recovery_codes.c.used_at == 0
    )
    return int(await conn.scalar(query) or 0)
