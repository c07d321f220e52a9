"""Teams and team membership. A member who left keeps a row with delete_at set, as in Mattermost."""

from typing import Any

from sqlalchemy import bindparam, case, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import team_members, teams, users


async def insert_team(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(teams).values(**values))


_TEAM_BY_ID = select(teams).where(teams.c.id == bindparam("id"))
_TEAM_BY_ID_FOR_UPDATE = _TEAM_BY_ID.with_for_update()


async def get_team(conn: AsyncConnection, team_id: str, *, for_update: bool = False) -> Row | None:
    """The team; with `for_update`, locked until the transaction ends (on PostgreSQL)."""
    query = _TEAM_BY_ID_FOR_UPDATE if for_update else _TEAM_BY_ID
    return (await conn.execute(query, {"id": team_id})).mappings().first()


async def get_team_by_name(conn: AsyncConnection, name: str) -> Row | None:
    return (await conn.execute(select(teams).where(teams.c.name == name))).mappings().first()


async def get_team_by_invite_id(conn: AsyncConnection, invite_id: str) -> Row | None:
    return (await conn.execute(select(teams).where(teams.c.invite_id == invite_id))).mappings().first()


async def update_team(conn: AsyncConnection, team_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(teams).where(teams.c.id == team_id).values(**values))


_MEMBER = select(team_members).where(
    team_members.c.team_id == bindparam("team_id"), team_members.c.user_id == bindparam("user_id")
)
_MEMBER_FOR_UPDATE = _MEMBER.with_for_update()


async def get_member(
    conn: AsyncConnection, team_id: str, user_id: str, *, for_update: bool = False
) -> Row | None:
    """The membership row, including one the user has left (delete_at > 0); with `for_update`,
    locked until the transaction ends (on PostgreSQL)."""
    query = _MEMBER_FOR_UPDATE if for_update else _MEMBER
    params = {"team_id": team_id, "user_id": user_id}
    return (await conn.execute(query, params)).mappings().first()


async def get_active_member(
    conn: AsyncConnection, team_id: str, user_id: str, *, for_update: bool = False
) -> Row | None:
    member = await get_member(conn, team_id, user_id, for_update=for_update)
    return member if member is not None and member["delete_at"] == 0 else None


async def add_member(conn: AsyncConnection, values: dict[str, Any]) -> bool:
    """Adds a member, or brings back one who had left; False (and nothing changed) if they are
    an active member already, perhaps made one a moment ago by a concurrent request."""
    changes = {key: value for key, value in values.items() if key not in ("team_id", "user_id")}
    statement = upsert_insert(conn, team_members).values(**values)
    result = await conn.execute(
        statement.on_conflict_do_update(
            index_elements=["team_id", "user_id"], set_=changes, where=team_members.c.delete_at > 0
        )
    )
    return bool(result.rowcount)


async def update_member(conn: AsyncConnection, team_id: str, user_id: str, values: dict[str, Any]) -> None:
    await conn.execute(
        update(team_members)
        .where(team_members.c.team_id == team_id, team_members.c.user_id == user_id)
        .values(**values)
    )


async def set_member_roles_for_user(conn: AsyncConnection, user_id: str, roles: str) -> None:
    """Every team membership of the user gets these roles (a demotion or promotion)."""
    await conn.execute(
        update(team_members).where(team_members.c.user_id == user_id).values(roles=roles, scheme_admin=False)
    )


async def mark_member_left(conn: AsyncConnection, team_id: str, user_id: str, at: int) -> None:
    await conn.execute(
        update(team_members)
        .where(team_members.c.team_id == team_id, team_members.c.user_id == user_id)
        .values(delete_at=at)
    )


async def team_ids_for_user(conn: AsyncConnection, user_id: str) -> list[str]:
    query = select(team_members.c.team_id).where(
        team_members.c.user_id == user_id, team_members.c.delete_at == 0
    )
    return list(await conn.scalars(query))


_USER_IN = (
    team_members.c.user_id == bindparam("user_id"),
    team_members.c.delete_at == 0,
    teams.c.delete_at == 0,
)
_TEAMS_OF_USER = (
    select(teams)
    .join(team_members, team_members.c.team_id == teams.c.id)
    .where(*_USER_IN)
    .order_by(teams.c.display_name, teams.c.id)
)
_MEMBERSHIPS_OF_USER = select(team_members).join(teams, teams.c.id == team_members.c.team_id).where(*_USER_IN)


async def teams_for_user(conn: AsyncConnection, user_id: str) -> list[Row]:
    return list((await conn.execute(_TEAMS_OF_USER, {"user_id": user_id})).mappings())


async def members_for_user(conn: AsyncConnection, user_id: str) -> list[Row]:
    return list((await conn.execute(_MEMBERSHIPS_OF_USER, {"user_id": user_id})).mappings())


async def list_teams(conn: AsyncConnection, *, open_only: bool, page: int, per_page: int) -> list[Row]:
    """Teams that are not archived, by display name; `open_only` keeps those anyone may join."""
    query = select(teams).where(teams.c.delete_at == 0)
    if open_only:
        query = query.where(teams.c.allow_open_invite.is_(True))
    query = query.order_by(teams.c.display_name, teams.c.id).limit(per_page).offset(page * per_page)
    return list((await conn.execute(query)).mappings())


async def count_teams(conn: AsyncConnection, *, open_only: bool) -> int:
    query = select(func.count()).select_from(teams).where(teams.c.delete_at == 0)
    if open_only:
        query = query.where(teams.c.allow_open_invite.is_(True))
    return int(await conn.scalar(query) or 0)


async def search_teams(conn: AsyncConnection, term: str, *, open_only: bool, limit: int = 100) -> list[Row]:
    pattern = "%" + escape_like(term.lower()) + "%"
    query = select(teams).where(
        teams.c.delete_at == 0,
        or_(
            teams.c.name.like(pattern, escape="\\"),
            func.lower(teams.c.display_name).like(pattern, escape="\\"),
        ),
    )
    if open_only:
        query = query.where(teams.c.allow_open_invite.is_(True))
    query = query.order_by(teams.c.display_name, teams.c.id).limit(limit)
    return list((await conn.execute(query)).mappings())


async def members_page(conn: AsyncConnection, team_id: str, *, page: int, per_page: int) -> list[Row]:
    query = (
        select(team_members)
        .where(team_members.c.team_id == team_id, team_members.c.delete_at == 0)
        .order_by(team_members.c.user_id)
        .limit(per_page)
        .offset(page * per_page)
    )
    return list((await conn.execute(query)).mappings())


async def members_by_user_ids(conn: AsyncConnection, team_id: str, user_ids: list[str]) -> list[Row]:
    if not user_ids:
        return []
    query = select(team_members).where(
        team_members.c.team_id == team_id,
        team_members.c.user_id.in_(user_ids),
        team_members.c.delete_at == 0,
    )
    return list((await conn.execute(query)).mappings())


async def member_counts(conn: AsyncConnection, team_id: str) -> tuple[int, int]:
    """(all current members, those whose account is active)."""
    query = (
        select(func.count(), func.coalesce(func.sum(case((users.c.delete_at == 0, 1), else_=0)), 0))
        .select_from(team_members.join(users, users.c.id == team_members.c.user_id))
        .where(team_members.c.team_id == team_id, team_members.c.delete_at == 0)
    )
    row = (await conn.execute(query)).one()
    return int(row[0]), int(row[1])


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def all_teams(conn: AsyncConnection, *, include_archived: bool) -> list[Row]:
    """Every team by name, for the operator on the shell; archived ones only when asked."""
    query = select(teams)
    if not include_archived:
        query = query.where(teams.c.delete_at == 0)
    return list((await conn.execute(query.order_by(teams.c.name))).mappings())
