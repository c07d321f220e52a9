"""Synced drafts: one row per (author, channel, thread), as Mattermost keeps them."""

from typing import Any

from sqlalchemy import bindparam, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import channel_members, channels, drafts


async def get_draft(conn: AsyncConnection, user_id: str, channel_id: str, root_id: str) -> Row | None:
    query = select(drafts).where(
        drafts.c.user_id == user_id, drafts.c.channel_id == channel_id, drafts.c.root_id == root_id
    )
    return (await conn.execute(query)).mappings().first()


async def upsert_draft(conn: AsyncConnection, values: dict[str, Any]) -> Row:
    """Writes the draft, keeping the first create_at of one already there (perhaps written a
    moment ago by the author's other device); returns the stored row."""
    changed = {name: values[name] for name in ("message", "props", "file_ids", "update_at")}
    statement = upsert_insert(conn, drafts).values(**values)
    await conn.execute(
        statement.on_conflict_do_update(index_elements=["user_id", "channel_id", "root_id"], set_=changed)
    )
    row = await get_draft(conn, values["user_id"], values["channel_id"], values["root_id"])
    assert row is not None
    return row


# One statement, built once: every post deletes its author's draft of it (usually there is one,
# as clients save drafts while the message is typed).
_DELETE_DRAFT = (
    delete(drafts)
    .where(
        drafts.c.user_id == bindparam("user_id"),
        drafts.c.channel_id == bindparam("channel_id"),
        drafts.c.root_id == bindparam("root_id"),
    )
    .returning(*drafts.c)
)


async def delete_draft(conn: AsyncConnection, user_id: str, channel_id: str, root_id: str) -> Row | None:
    """Deletes the draft; returns it, or None when there was none."""
    values = {"user_id": user_id, "channel_id": channel_id, "root_id": root_id}
    return (await conn.execute(_DELETE_DRAFT, values)).mappings().first()


async def drafts_for_team(conn: AsyncConnection, user_id: str, team_id: str) -> list[Row]:
    """The user's drafts in channels of the team, and in direct and group messages, that they
    still belong to; newest first."""
    query = (
        select(drafts)
        .join(channels, channels.c.id == drafts.c.channel_id)
        .join(
            channel_members,
            (channel_members.c.channel_id == drafts.c.channel_id) & (channel_members.c.user_id == user_id),
        )
        .where(
            drafts.c.user_id == user_id,
            channels.c.delete_at == 0,
            or_(channels.c.team_id == team_id, channels.c.team_id == ""),
        )
        .order_by(drafts.c.update_at.desc(), drafts.c.channel_id, drafts.c.root_id)
    )
    return list((await conn.execute(query)).mappings())
