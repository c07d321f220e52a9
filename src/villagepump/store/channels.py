"""Channels of every type and their members."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, bindparam, delete, func, insert, or_, select, true, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import channel_members, channels, posts, team_members, teams, users
from villagepump.store.teams import escape_like


async def insert_channel(
    conn: AsyncConnection, values: dict[str, Any], *, if_name_free: bool = False
) -> bool:
    """Stores a new channel. With `if_name_free`, a channel already holding its (team, name) is
    left alone and False returned; otherwise that is an error on the unique key."""
    if not if_name_free:
        await conn.execute(insert(channels).values(**values))
        return True
    statement = upsert_insert(conn, channels).values(**values)
    result = await conn.execute(statement.on_conflict_do_nothing(index_elements=["team_id", "name"]))
    return bool(result.rowcount)


_CHANNEL_BY_ID = select(channels).where(channels.c.id == bindparam("id"))
_CHANNEL_BY_ID_FOR_UPDATE = _CHANNEL_BY_ID.with_for_update()


async def get_channel(conn: AsyncConnection, channel_id: str, *, for_update: bool = False) -> Row | None:
    """The channel; with `for_update`, locked until the transaction ends (on PostgreSQL)."""
    query = _CHANNEL_BY_ID_FOR_UPDATE if for_update else _CHANNEL_BY_ID
    return (await conn.execute(query, {"id": channel_id})).mappings().first()


async def get_channel_by_name(conn: AsyncConnection, team_id: str, name: str) -> Row | None:
    query = select(channels).where(channels.c.team_id == team_id, channels.c.name == name)
    return (await conn.execute(query)).mappings().first()


async def update_channel(conn: AsyncConnection, channel_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(channels).where(channels.c.id == channel_id).values(**values))


_MEMBER = select(channel_members).where(
    channel_members.c.channel_id == bindparam("channel_id"), channel_members.c.user_id == bindparam("user_id")
)


async def get_member(conn: AsyncConnection, channel_id: str, user_id: str) -> Row | None:
    params = {"channel_id": channel_id, "user_id": user_id}
    return (await conn.execute(_MEMBER, params)).mappings().first()


async def insert_member(conn: AsyncConnection, values: dict[str, Any]) -> bool:
    """Adds a member unless they already are one (perhaps added a moment ago by a concurrent
    request); True if this call added them."""
    statement = upsert_insert(conn, channel_members).values(**values)
    result = await conn.execute(statement.on_conflict_do_nothing(index_elements=["channel_id", "user_id"]))
    return bool(result.rowcount)


async def delete_member(conn: AsyncConnection, channel_id: str, user_id: str) -> None:
    await conn.execute(
        delete(channel_members).where(
            channel_members.c.channel_id == channel_id, channel_members.c.user_id == user_id
        )
    )


async def update_member(conn: AsyncConnection, channel_id: str, user_id: str, values: dict[str, Any]) -> None:
    await conn.execute(
        update(channel_members)
        .where(channel_members.c.channel_id == channel_id, channel_members.c.user_id == user_id)
        .values(**values)
    )


async def member_user_ids(conn: AsyncConnection, channel_id: str) -> list[str]:
    query = select(channel_members.c.user_id).where(channel_members.c.channel_id == channel_id)
    return list(await conn.scalars(query))


async def members_outside_team(conn: AsyncConnection, channel_id: str, team_id: str) -> list[str]:
    """The channel's members who are not active members of the team (a channel move's check)."""
    in_team = select(team_members.c.user_id).where(
        team_members.c.team_id == team_id, team_members.c.delete_at == 0
    )
    query = (
        select(channel_members.c.user_id)
        .where(channel_members.c.channel_id == channel_id, channel_members.c.user_id.not_in(in_team))
        .order_by(channel_members.c.user_id)
    )
    return list(await conn.scalars(query))


async def channel_ids_for_user(conn: AsyncConnection, user_id: str) -> list[str]:
    """Every channel the user belongs to, archived ones included; the hub routes events by these."""
    query = select(channel_members.c.channel_id).where(channel_members.c.user_id == user_id)
    return list(await conn.scalars(query))


async def users_sharing_a_channel(conn: AsyncConnection, user_id: str, others: set[str]) -> set[str]:
    """Which of `others` are in at least one channel (of any type) with the user."""
    if not others:
        return set()
    mine = select(channel_members.c.channel_id).where(channel_members.c.user_id == user_id)
    query = (
        select(channel_members.c.user_id)
        .where(channel_members.c.channel_id.in_(mine), channel_members.c.user_id.in_(others))
        .distinct()
    )
    return set(await conn.scalars(query))


async def set_member_roles_for_user(conn: AsyncConnection, user_id: str, roles: str) -> None:
    """Every channel membership of the user gets these roles (a demotion or promotion)."""
    await conn.execute(
        update(channel_members)
        .where(channel_members.c.user_id == user_id)
        .values(roles=roles, scheme_admin=False)
    )


async def get_channels(conn: AsyncConnection, channel_ids: list[str]) -> list[Row]:
    if not channel_ids:
        return []
    return list((await conn.execute(select(channels).where(channels.c.id.in_(channel_ids)))).mappings())


async def team_channels(
    conn: AsyncConnection, team_id: str, *, channel_type: str, deleted: bool, page: int, per_page: int
) -> list[Row]:
    """A team's channels of one type, live or archived, by display name."""
    query = select(channels).where(
        channels.c.team_id == team_id,
        channels.c.type == channel_type,
        channels.c.delete_at > 0 if deleted else channels.c.delete_at == 0,
    )
    return await _page(conn, query, page, per_page)


async def deleted_channels_visible_to(
    conn: AsyncConnection, team_id: str, user_id: str, *, page: int, per_page: int
) -> list[Row]:
    """Archived public channels, and archived private ones the user belongs to."""
    mine = select(channel_members.c.channel_id).where(channel_members.c.user_id == user_id)
    query = select(channels).where(
        channels.c.team_id == team_id,
        channels.c.delete_at > 0,
        or_(channels.c.type == "O", (channels.c.type == "P") & channels.c.id.in_(mine)),
    )
    return await _page(conn, query, page, per_page)


async def _page(conn: AsyncConnection, query: Any, page: int, per_page: int) -> list[Row]:
    query = query.order_by(channels.c.display_name, channels.c.id).limit(per_page).offset(page * per_page)
    return list((await conn.execute(query)).mappings())


def _in_team_or_direct(team_id: str | None) -> ColumnElement[bool]:
    """A team's channels plus direct and group messages, which Mattermost lists with every team."""
    if team_id is None:
        return channels.c.id.is_not(None)
    return or_(channels.c.team_id == team_id, channels.c.type.in_(("D", "G")))


async def channels_for_user(
    conn: AsyncConnection,
    user_id: str,
    team_id: str | None,
    *,
    include_deleted: bool = False,
    last_delete_at: int = 0,
) -> list[Row]:
    query = (
        select(channels)
        .join(channel_members, channel_members.c.channel_id == channels.c.id)
        .where(channel_members.c.user_id == user_id, _in_team_or_direct(team_id))
    )
    if not include_deleted:
        query = query.where(channels.c.delete_at == 0)
    elif last_delete_at:
        query = query.where(or_(channels.c.delete_at == 0, channels.c.delete_at > last_delete_at))
    query = query.order_by(channels.c.display_name, channels.c.id)
    return list((await conn.execute(query)).mappings())


async def members_for_user(conn: AsyncConnection, user_id: str, team_id: str | None) -> list[Row]:
    query = (
        select(channel_members)
        .join(channels, channels.c.id == channel_members.c.channel_id)
        .where(channel_members.c.user_id == user_id, _in_team_or_direct(team_id))
        .order_by(channel_members.c.channel_id)
    )
    return list((await conn.execute(query)).mappings())


async def members_of(conn: AsyncConnection, channel_id: str) -> list[Row]:
    query = select(channel_members).where(channel_members.c.channel_id == channel_id)
    return list((await conn.execute(query)).mappings())


async def members_page(conn: AsyncConnection, channel_id: str, *, page: int, per_page: int) -> list[Row]:
    query = (
        select(channel_members)
        .where(channel_members.c.channel_id == channel_id)
        .order_by(channel_members.c.user_id)
        .limit(per_page)
        .offset(page * per_page)
    )
    return list((await conn.execute(query)).mappings())


async def members_by_user_ids(conn: AsyncConnection, channel_id: str, user_ids: list[str]) -> list[Row]:
    if not user_ids:
        return []
    query = select(channel_members).where(
        channel_members.c.channel_id == channel_id, channel_members.c.user_id.in_(user_ids)
    )
    return list((await conn.execute(query)).mappings())


_ACTIVE_MEMBER_COUNT = (
    select(func.count())
    .select_from(channel_members.join(users, users.c.id == channel_members.c.user_id))
    .where(channel_members.c.channel_id == bindparam("channel_id"), users.c.delete_at == 0)
)
_PINNED_POST_COUNT = (
    select(func.count())
    .select_from(posts)
    .where(posts.c.channel_id == bindparam("channel_id"), posts.c.is_pinned == true(), posts.c.delete_at == 0)
)

_STATS = select(_ACTIVE_MEMBER_COUNT.scalar_subquery(), _PINNED_POST_COUNT.scalar_subquery())


async def count_active_members(conn: AsyncConnection, channel_id: str) -> int:
    return int(await conn.scalar(_ACTIVE_MEMBER_COUNT, {"channel_id": channel_id}) or 0)


async def stats(conn: AsyncConnection, channel_id: str) -> tuple[int, int]:
    """The channel's active members and its pinned posts, counted in one statement."""
    members, pinned = (await conn.execute(_STATS, {"channel_id": channel_id})).one()
    return int(members or 0), int(pinned or 0)


async def search_team_channels(
    conn: AsyncConnection,
    team_id: str,
    term: str,
    *,
    member_id: str = "",
    public: bool = True,
    prefix: bool = False,
    limit: int = 100,
) -> list[Row]:
    """Live channels of a team whose name or display name matches `term`: public ones (if
    `public`) and, with `member_id`, those of either type that user belongs to."""
    pattern = ("" if prefix else "%") + escape_like(term.lower()) + "%"
    matches = or_(
        channels.c.name.like(pattern, escape="\\"),
        func.lower(channels.c.display_name).like(pattern, escape="\\"),
    )
    scopes = []
    if public:
        scopes.append(channels.c.type == "O")
    if member_id:
        mine = select(channel_members.c.channel_id).where(channel_members.c.user_id == member_id)
        scopes.append(channels.c.type.in_(("O", "P")) & channels.c.id.in_(mine))
    if not scopes:
        return []
    query = (
        select(channels)
        .where(channels.c.team_id == team_id, channels.c.delete_at == 0, matches, or_(*scopes))
        .order_by(channels.c.display_name, channels.c.id)
        .limit(limit)
    )
    return list((await conn.execute(query)).mappings())


async def unread_rows(conn: AsyncConnection, user_id: str, channel_id: str = "") -> list[Row]:
    """For each live channel of the user: its team and totals beside the member's read counts."""
    query = (
        select(
            channels.c.id.label("channel_id"),
            channels.c.team_id,
            channels.c.total_msg_count,
            channels.c.total_msg_count_root,
            channel_members.c.msg_count,
            channel_members.c.msg_count_root,
            channel_members.c.mention_count,
            channel_members.c.mention_count_root,
            channel_members.c.urgent_mention_count,
            channel_members.c.last_viewed_at,
            channel_members.c.notify_props,
        )
        .join(channel_members, channel_members.c.channel_id == channels.c.id)
        .where(channel_members.c.user_id == user_id, channels.c.delete_at == 0)
    )
    if channel_id:
        query = query.where(channels.c.id == channel_id)
    return list((await conn.execute(query)).mappings())


async def team_channel_ids_for_user(conn: AsyncConnection, team_id: str, user_id: str) -> list[str]:
    query = (
        select(channels.c.id)
        .join(channel_members, channel_members.c.channel_id == channels.c.id)
        .where(channels.c.team_id == team_id, channel_members.c.user_id == user_id)
    )
    return list(await conn.scalars(query))


async def delete_members(conn: AsyncConnection, channel_ids: list[str], user_id: str) -> None:
    if channel_ids:
        await conn.execute(
            delete(channel_members).where(
                channel_members.c.channel_id.in_(channel_ids), channel_members.c.user_id == user_id
            )
        )


def _channel_total(name: str) -> Any:
    column = getattr(channels.c, f"total_{name}")
    return select(column).where(channels.c.id == channel_members.c.channel_id).scalar_subquery()


_MARK_VIEWED = (
    update(channel_members)
    .where(
        channel_members.c.channel_id.in_(bindparam("channel_ids", expanding=True)),
        channel_members.c.user_id == bindparam("member_id"),
    )
    .values(
        last_viewed_at=bindparam("at"),
        last_update_at=bindparam("at"),
        msg_count=_channel_total("msg_count"),
        msg_count_root=_channel_total("msg_count_root"),
        mention_count=0,
        mention_count_root=0,
        urgent_mention_count=0,
    )
    .returning(channel_members.c.channel_id)
)


async def mark_viewed(conn: AsyncConnection, channel_ids: list[str], user_id: str, at: int) -> list[str]:
    """Everything in these channels the user belongs to counts as read by them from `at` on;
    returns those channels."""
    params = {"channel_ids": channel_ids, "member_id": user_id, "at": at}
    return list(await conn.scalars(_MARK_VIEWED, params))


async def set_mark_unread(conn: AsyncConnection, user_id: str, channel_ids: list[str], value: str) -> None:
    """Mutes ("mention") or unmutes ("all") the user's membership of these channels."""
    for member in await members_for_channels(conn, user_id, channel_ids):
        props = {**(member["notify_props"] or {}), "mark_unread": value}
        await update_member(conn, member["channel_id"], user_id, {"notify_props": props})


async def members_for_channels(conn: AsyncConnection, user_id: str, channel_ids: list[str]) -> list[Row]:
    if not channel_ids:
        return []
    query = select(channel_members).where(
        channel_members.c.user_id == user_id, channel_members.c.channel_id.in_(channel_ids)
    )
    return list((await conn.execute(query)).mappings())


@dataclass(frozen=True)
class ChannelListing:
    """Which channels of every team the system console lists."""

    include_deleted: bool = False
    exclude_names: tuple[str, ...] = ()

    def filters(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = [channels.c.type.in_(("O", "P"))]
        if not self.include_deleted:
            found.append(channels.c.delete_at == 0)
        if self.exclude_names:
            found.append(channels.c.name.not_in(self.exclude_names))
        return found


async def all_team_channels(
    conn: AsyncConnection, listing: ChannelListing, *, page: int, per_page: int
) -> list[Row]:
    """Public and private channels of every team, each with its team's names."""
    query = (
        select(
            channels,
            teams.c.display_name.label("team_display_name"),
            teams.c.name.label("team_name"),
            teams.c.update_at.label("team_update_at"),
        )
        .join(teams, teams.c.id == channels.c.team_id)
        .where(*listing.filters())
        .order_by(channels.c.display_name, teams.c.display_name, channels.c.id)
        .limit(per_page)
        .offset(page * per_page)
    )
    return list((await conn.execute(query)).mappings())


async def count_team_channels(conn: AsyncConnection, listing: ChannelListing) -> int:
    query = (
        select(func.count())
        .select_from(channels.join(teams, teams.c.id == channels.c.team_id))
        .where(*listing.filters())
    )
    return int(await conn.scalar(query) or 0)


async def member_timezones(conn: AsyncConnection, channel_id: str) -> list[dict[str, Any]]:
    """The time zone settings of the channel's active members."""
    query = (
        select(users.c.timezone)
        .join(channel_members, channel_members.c.user_id == users.c.id)
        .where(channel_members.c.channel_id == channel_id, users.c.delete_at == 0)
    )
    return [setting for setting in await conn.scalars(query) if isinstance(setting, dict)]


async def public_and_private_channels(
    conn: AsyncConnection, team_id: str, *, include_archived: bool
) -> list[Row]:
    """A team's public and private channels by name, for the operator on the shell."""
    query = select(channels).where(channels.c.team_id == team_id, channels.c.type.in_(("O", "P")))
    if not include_archived:
        query = query.where(channels.c.delete_at == 0)
    return list((await conn.execute(query.order_by(channels.c.name))).mappings())
