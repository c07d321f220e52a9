"""Finding users by name in any script.

SQLite's lower() and LIKE fold only ASCII letters, and PostgreSQL's depend on the database's
locale, so "андр" would miss "Андрей" in one and not the other. The filters (team, channel,
active) run in SQL; the names of what they leave are folded with str.casefold and matched here.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import channel_members, team_members, users

_WORD_BREAKS = re.compile(r"[\s._\-@]+")


@dataclass(frozen=True)
class UserFilter:
    team_id: str = ""
    not_in_team_id: str = ""
    in_channel_id: str = ""
    not_in_channel_id: str = ""
    without_team: bool = False
    allow_inactive: bool = False


def _words(values: Iterable[str]) -> list[str]:
    return [word for value in values for word in _WORD_BREAKS.split(value.casefold()) if word]


def term_matches(term_words: list[str], fields: Iterable[str], whole_fields: Iterable[str] = ()) -> bool:
    """Every word of the term begins a word of one of the fields (or one of `whole_fields`,
    which match only from their start: an e-mail address)."""
    field_list = list(fields)
    words = _words(field_list) + [f.casefold() for f in field_list]
    starts = [f.casefold() for f in whole_fields]
    return all(
        any(word.startswith(t) for word in words) or any(s.startswith(t) for s in starts) for t in term_words
    )


def term_words(term: str) -> list[str]:
    return [word for word in term.casefold().lstrip("@").split() if word]


async def search_user_ids(
    conn: AsyncConnection, term: str, where: UserFilter, *, with_email: bool, limit: int
) -> list[str]:
    """Ids of the users the filter admits whose username, names or nickname (and, `with_email`,
    e-mail address) match `term`, by username."""
    columns = [
        users.c.id,
        users.c.username,
        users.c.first_name,
        users.c.last_name,
        users.c.nickname,
        users.c.email,
    ]
    query = select(*columns)
    if where.team_id and not where.without_team:
        query = query.join(
            team_members,
            (team_members.c.user_id == users.c.id)
            & (team_members.c.team_id == where.team_id)
            & (team_members.c.delete_at == 0),
        )
    if where.without_team:
        in_any_team = select(team_members.c.user_id).where(team_members.c.delete_at == 0)
        query = query.where(users.c.id.not_in(in_any_team))
    if where.not_in_team_id:
        in_team = select(team_members.c.user_id).where(
            team_members.c.team_id == where.not_in_team_id, team_members.c.delete_at == 0
        )
        query = query.where(users.c.id.not_in(in_team))
    if where.in_channel_id and not where.without_team:
        query = query.join(
            channel_members,
            (channel_members.c.user_id == users.c.id) & (channel_members.c.channel_id == where.in_channel_id),
        )
    if where.not_in_channel_id and not where.without_team:
        in_channel = select(channel_members.c.user_id).where(
            channel_members.c.channel_id == where.not_in_channel_id
        )
        query = query.where(users.c.id.not_in(in_channel))
    if not where.allow_inactive:
        query = query.where(users.c.delete_at == 0)
    words = term_words(term)
    found: list[str] = []
    for row in (await conn.execute(query.order_by(users.c.username))).mappings():
        fields = (row["username"], row["first_name"], row["last_name"], row["nickname"])
        if term_matches(words, fields, (row["email"],) if with_email else ()):
            found.append(row["id"])
            if len(found) >= limit:
                break
    return found


def in_order(rows: Iterable[Row], ids: list[str]) -> list[Row]:
    by_id = {row["id"]: row for row in rows}
    return [by_id[i] for i in ids if i in by_id]
