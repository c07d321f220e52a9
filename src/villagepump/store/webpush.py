"""Browsers' Web Push subscriptions."""

from collections.abc import Collection
from typing import Any

from sqlalchemy import and_, delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import sessions, webpush_subscriptions


async def save(conn: AsyncConnection, values: dict[str, Any]) -> None:
    """Adds the subscription, or gives an endpoint already known to whoever registers it now:
    the endpoint is one browser profile, and its newest sign-in is the one it pushes for."""
    statement = upsert_insert(conn, webpush_subscriptions).values(**values)
    changed = {name: values[name] for name in ("user_id", "session_id", "p256dh", "auth", "create_at")}
    await conn.execute(statement.on_conflict_do_update(index_elements=["endpoint"], set_=changed))


async def remove(conn: AsyncConnection, user_id: str, endpoint: str) -> bool:
    result = await conn.execute(
        delete(webpush_subscriptions).where(
            webpush_subscriptions.c.user_id == user_id, webpush_subscriptions.c.endpoint == endpoint
        )
    )
    return bool(result.rowcount)


async def forget(conn: AsyncConnection, subscription_id: str) -> None:
    await conn.execute(delete(webpush_subscriptions).where(webpush_subscriptions.c.id == subscription_id))


async def get(conn: AsyncConnection, subscription_id: str) -> Row | None:
    query = select(webpush_subscriptions).where(webpush_subscriptions.c.id == subscription_id)
    return (await conn.execute(query)).mappings().first()


async def live_subscriptions(conn: AsyncConnection, user_ids: Collection[str], now: int) -> list[Row]:
    """The users' subscriptions whose session is still signed in."""
    if not user_ids:
        return []
    query = (
        select(webpush_subscriptions)
        .join(
            sessions,
            and_(
                sessions.c.id == webpush_subscriptions.c.session_id,
                sessions.c.user_id == webpush_subscriptions.c.user_id,
            ),
        )
        .where(
            webpush_subscriptions.c.user_id.in_(list(user_ids)),
            (sessions.c.expires_at == 0) | (sessions.c.expires_at > now),
        )
        .order_by(webpush_subscriptions.c.create_at)
    )
    return list((await conn.execute(query)).mappings())


async def any_subscription(conn: AsyncConnection) -> bool:
    return (await conn.execute(select(webpush_subscriptions.c.id).limit(1))).first() is not None


async def of_session(conn: AsyncConnection, session_id: str) -> list[Row]:
    query = select(webpush_subscriptions).where(webpush_subscriptions.c.session_id == session_id)
    return list((await conn.execute(query)).mappings())
