"""Per-user preferences: (category, name) -> value, as Mattermost stores them."""

from collections.abc import Sequence

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import preferences


async def get_preferences(
    conn: AsyncConnection, user_id: str, category: str = "", name: str = ""
) -> list[Row]:
    query = select(preferences).where(preferences.c.user_id == user_id)
    if category:
        query = query.where(preferences.c.category == category)
    if name:
        query = query.where(preferences.c.name == name)
    query = query.order_by(preferences.c.category, preferences.c.name)
    return list((await conn.execute(query)).mappings())


async def save_preferences(conn: AsyncConnection, items: Sequence[dict[str, str]]) -> None:
    for item in items:
        statement = upsert_insert(conn, preferences).values(**item)
        await conn.execute(
            statement.on_conflict_do_update(
                index_elements=["user_id", "category", "name"], set_={"value": item["value"]}
            )
        )


async def delete_preferences(conn: AsyncConnection, user_id: str, keys: Sequence[tuple[str, str]]) -> None:
    if not keys:
        return
    matches = [
        and_(preferences.c.category == category, preferences.c.name == name) for category, name in keys
    ]
    await conn.execute(delete(preferences).where(preferences.c.user_id == user_id, or_(*matches)))


async def flagged_post_ids(conn: AsyncConnection, user_id: str) -> list[str]:
    query = select(preferences.c.name).where(
        preferences.c.user_id == user_id, preferences.c.category == "flagged_post"
    )
    return list(await conn.scalars(query))
