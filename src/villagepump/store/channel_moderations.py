"""Channel moderation: who may post, reply and react in a channel. No row: everyone may."""

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import channel_members, channel_moderations

# (role, what) -> column. Admins are never restricted, so they have no columns.
FLAGS = {
    ("members", "post"): "members_post",
    ("members", "reply"): "members_reply",
    ("members", "react"): "members_react",
    ("guests", "post"): "guests_post",
    ("guests", "reply"): "guests_reply",
    ("guests", "react"): "guests_react",
}
# A channel without a row. Replies count only once posting is closed: closing it closes them too,
# unless an admin opens them again.
UNRESTRICTED: dict[str, Any] = {column: not column.endswith("_reply") for column in FLAGS.values()}


async def get_moderation(conn: AsyncConnection, channel_id: str) -> Row | None:
    query = select(channel_moderations).where(channel_moderations.c.channel_id == channel_id)
    return (await conn.execute(query)).mappings().first()


async def get_moderations(conn: AsyncConnection, channel_ids: list[str]) -> dict[str, Row]:
    if not channel_ids:
        return {}
    query = select(channel_moderations).where(channel_moderations.c.channel_id.in_(channel_ids))
    return {row["channel_id"]: row for row in (await conn.execute(query)).mappings()}


async def set_moderation(conn: AsyncConnection, channel_id: str, flags: dict[str, bool], at: int) -> None:
    values = {**flags, "update_at": at}
    statement = upsert_insert(conn, channel_moderations).values(channel_id=channel_id, **values)
    await conn.execute(statement.on_conflict_do_update(index_elements=["channel_id"], set_=values))


async def moderations_for_member(conn: AsyncConnection, user_id: str) -> dict[str, Row]:
    """The moderation of every channel the user is in that has one, by channel id."""
    query = select(channel_moderations).join(
        channel_members, channel_members.c.channel_id == channel_moderations.c.channel_id
    )
    rows = await conn.execute(query.where(channel_members.c.user_id == user_id))
    return {row["channel_id"]: row for row in rows.mappings()}
