"""Security keys (WebAuthn credentials) and the challenges of ceremonies in progress. Using a
challenge is deleting its row, and moving a key's counter is a conditional UPDATE, so two
requests racing with the same challenge or the same counter cannot both succeed."""

from collections.abc import Sequence

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import webauthn_challenges, webauthn_credentials


async def add_challenge(
    conn: AsyncConnection, challenge_hash: str, user_id: str, kind: str, now: int, expires_at: int
) -> None:
    # Expired ones go as new ones come: a challenge never used would otherwise stay forever.
    await conn.execute(delete(webauthn_challenges).where(webauthn_challenges.c.expires_at <= now))
    await conn.execute(
        insert(webauthn_challenges).values(
            challenge_hash=challenge_hash, user_id=user_id, kind=kind, create_at=now, expires_at=expires_at
        )
    )


async def use_challenge(conn: AsyncConnection, challenge_hash: str, kind: str, now: int) -> str | None:
    """The user a live challenge of this kind was made for, deleting it; None if there is none
    (never made, already used, or expired)."""
    row = (
        await conn.execute(
            select(webauthn_challenges.c.user_id, webauthn_challenges.c.expires_at).where(
                webauthn_challenges.c.challenge_hash == challenge_hash,
                webauthn_challenges.c.kind == kind,
            )
        )
    ).first()
    if row is None:
        return None
    deleted = await conn.execute(
        delete(webauthn_challenges).where(webauthn_challenges.c.challenge_hash == challenge_hash)
    )
    if deleted.rowcount != 1 or row.expires_at <= now:
        return None
    return str(row.user_id)


async def user_credentials(conn: AsyncConnection, user_id: str) -> Sequence[Row]:
    query = (
        select(webauthn_credentials)
        .where(webauthn_credentials.c.user_id == user_id)
        .order_by(webauthn_credentials.c.create_at, webauthn_credentials.c.id)
    )
    return (await conn.execute(query)).mappings().all()


async def count_credentials(conn: AsyncConnection, user_id: str) -> int:
    query = select(func.count()).where(webauthn_credentials.c.user_id == user_id)
    return int(await conn.scalar(query) or 0)


async def get_by_credential_id(conn: AsyncConnection, credential_id: str) -> Row | None:
    query = select(webauthn_credentials).where(webauthn_credentials.c.credential_id == credential_id)
    return (await conn.execute(query)).mappings().first()


async def insert_credential(conn: AsyncConnection, row: dict[str, object]) -> None:
    await conn.execute(insert(webauthn_credentials).values(**row))


async def use_credential(
    conn: AsyncConnection, key_id: str, old_count: int, new_count: int, now: int
) -> bool:
    """Moves the counter on from the value the assertion was checked against; False if another
    use moved it first."""
    result = await conn.execute(
        update(webauthn_credentials)
        .where(webauthn_credentials.c.id == key_id, webauthn_credentials.c.sign_count == old_count)
        .values(sign_count=new_count, last_used_at=now)
    )
    return result.rowcount == 1


async def delete_credential(conn: AsyncConnection, user_id: str, key_id: str) -> bool:
    result = await conn.execute(
        delete(webauthn_credentials).where(
            webauthn_credentials.c.id == key_id, webauthn_credentials.c.user_id == user_id
        )
    )
    return result.rowcount == 1


async def delete_user_credentials(conn: AsyncConnection, user_id: str) -> None:
    await conn.execute(delete(webauthn_credentials).where(webauthn_credentials.c.user_id == user_id))
    await conn.execute(delete(webauthn_challenges).where(webauthn_challenges.c.user_id == user_id))
