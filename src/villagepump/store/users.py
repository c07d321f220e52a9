"""User accounts."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import channel_members, channels, team_members, users


async def insert_user(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(users).values(**values))


_USER_BY_ID = select(users).where(users.c.id == bindparam("id"))


async def get_user(conn: AsyncConnection, user_id: str) -> Row | None:
    return (await conn.execute(_USER_BY_ID, {"id": user_id})).mappings().first()


async def get_user_by_login(conn: AsyncConnection, login_id: str) -> Row | None:
    """By username or e-mail address, either case."""
    login = login_id.strip().lower()
    query = select(users).where(or_(users.c.username == login, users.c.email == login))
    return (await conn.execute(query)).mappings().first()


async def get_users(conn: AsyncConnection, user_ids: Iterable[str]) -> list[Row]:
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return []
    return list((await conn.execute(select(users).where(users.c.id.in_(ids)))).mappings())


async def get_users_by_usernames(conn: AsyncConnection, usernames: Iterable[str]) -> list[Row]:
    names = [name.lower() for name in usernames]
    if not names:
        return []
    return list((await conn.execute(select(users).where(users.c.username.in_(names)))).mappings())


async def group_channel_profiles(
    conn: AsyncConnection, user_id: str, channel_ids: Iterable[str]
) -> list[tuple[str, Row]]:
    """(channel id, user) for the other members of the group channels `user_id` belongs to."""
    ids = list(dict.fromkeys(channel_ids))
    if not ids:
        return []
    mine = select(channel_members.c.channel_id).where(
        channel_members.c.user_id == user_id, channel_members.c.channel_id.in_(ids)
    )
    query = (
        select(channel_members.c.channel_id.label("group_channel_id"), users)
        .join(users, users.c.id == channel_members.c.user_id)
        .join(channels, channels.c.id == channel_members.c.channel_id)
        .where(
            channels.c.type == "G",
            channel_members.c.channel_id.in_(mine.scalar_subquery()),
            users.c.id != user_id,
        )
        .order_by(users.c.username)
    )
    return [(row["group_channel_id"], row) for row in (await conn.execute(query)).mappings()]


async def lock_user(conn: AsyncConnection, user_id: str) -> None:
    """Holds the user's row until the transaction ends (on PostgreSQL; SQLite has one writer
    anyway), so that writes which read and then rewrite the user's own state take turns."""
    await conn.execute(select(users.c.id).where(users.c.id == user_id).with_for_update())


async def count_users(conn: AsyncConnection) -> int:
    return int(await conn.scalar(select(func.count()).select_from(users)) or 0)


async def update_user(conn: AsyncConnection, user_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(users).where(users.c.id == user_id).values(**values))


async def replace_password_hash(conn: AsyncConnection, user_id: str, old_hash: str, new_hash: str) -> None:
    """Only if the password is still the one the new hash was made from."""
    await conn.execute(
        update(users)
        .where(users.c.id == user_id, users.c.password_hash == old_hash)
        .values(password_hash=new_hash)
    )


async def list_users(
    conn: AsyncConnection,
    *,
    page: int,
    per_page: int,
    in_team: str = "",
    not_in_team: str = "",
    in_channel: str = "",
    not_in_channel: str = "",
    include_deleted: bool = False,
    sort: str = "",
) -> list[Row]:
    query = select(users)
    if in_team:
        query = query.join(
            team_members,
            (team_members.c.user_id == users.c.id)
            & (team_members.c.team_id == in_team)
            & (team_members.c.delete_at == 0),
        )
    if not_in_team:
        members = select(team_members.c.user_id).where(
            team_members.c.team_id == not_in_team, team_members.c.delete_at == 0
        )
        query = query.where(users.c.id.not_in(members))
    if in_channel:
        query = query.join(
            channel_members,
            (channel_members.c.user_id == users.c.id) & (channel_members.c.channel_id == in_channel),
        )
    if not_in_channel:
        members = select(channel_members.c.user_id).where(channel_members.c.channel_id == not_in_channel)
        query = query.where(users.c.id.not_in(members))
    if not include_deleted:
        query = query.where(users.c.delete_at == 0)
    order = users.c.create_at.desc() if sort == "create_at" else users.c.username
    query = query.order_by(order, users.c.id).limit(per_page).offset(page * per_page)
    return list((await conn.execute(query)).mappings())


async def autocomplete(
    conn: AsyncConnection, term: str, *, in_team: str = "", in_channel: str = "", limit: int = 100
) -> list[Row]:
    """Active users whose username, names or nickname start with `term`."""
    pattern = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    matches = or_(
        users.c.username.like(pattern, escape="\\"),
        func.lower(users.c.first_name).like(pattern, escape="\\"),
        func.lower(users.c.last_name).like(pattern, escape="\\"),
        func.lower(users.c.nickname).like(pattern, escape="\\"),
    )
    query = select(users).where(users.c.delete_at == 0, matches)
    if in_team:
        query = query.join(
            team_members,
            (team_members.c.user_id == users.c.id)
            & (team_members.c.team_id == in_team)
            & (team_members.c.delete_at == 0),
        )
    if in_channel:
        query = query.join(
            channel_members,
            (channel_members.c.user_id == users.c.id) & (channel_members.c.channel_id == in_channel),
        )
    query = query.order_by(users.c.username).limit(limit)
    return list((await conn.execute(query)).mappings())
