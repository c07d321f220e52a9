"""A user's own channels looked up across teams: group messages by member name, memberships."""

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import channel_members, channels, teams, users
from villagepump.store.user_search import term_matches


async def search_group_channels(
    conn: AsyncConnection, user_id: str, words: list[str], limit: int
) -> list[Row]:
    """The user's live group messages in which every word of the term begins a member's
    username or name (the user's own included, as in Mattermost), by display name."""
    mine = select(channel_members.c.channel_id).where(channel_members.c.user_id == user_id)
    query = (
        select(channels.c.id, users.c.username, users.c.first_name, users.c.last_name, users.c.nickname)
        .join(channel_members, channel_members.c.channel_id == channels.c.id)
        .join(users, users.c.id == channel_members.c.user_id)
        .where(channels.c.type == "G", channels.c.delete_at == 0, channels.c.id.in_(mine))
    )
    names: dict[str, list[str]] = {}
    for row in (await conn.execute(query)).mappings():
        names.setdefault(row["id"], []).extend(
            (row["username"], row["first_name"], row["last_name"], row["nickname"])
        )
    found = [channel_id for channel_id, fields in names.items() if term_matches(words, fields)]
    if not found:
        return []
    rows = select(channels).where(channels.c.id.in_(found)).order_by(channels.c.display_name, channels.c.id)
    return list((await conn.execute(rows.limit(limit))).mappings())


async def memberships_with_teams(
    conn: AsyncConnection, user_id: str, *, page: int, per_page: int
) -> list[Row]:
    """The user's channel memberships in every team and in direct and group messages, with
    each channel's team's names (empty for direct and group messages)."""
    query = (
        select(
            channel_members,
            teams.c.display_name.label("team_display_name"),
            teams.c.name.label("team_name"),
            teams.c.update_at.label("team_update_at"),
        )
        .join(channels, channels.c.id == channel_members.c.channel_id)
        .outerjoin(teams, teams.c.id == channels.c.team_id)
        .where(channel_members.c.user_id == user_id)
        .order_by(channel_members.c.channel_id)
        .limit(per_page)
        .offset(page * per_page)
    )
    return list((await conn.execute(query)).mappings())
