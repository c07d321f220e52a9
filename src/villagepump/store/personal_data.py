"""A user's own data: what an export reads (their posts, files, memberships, reactions, ...), the
exports themselves (table `data_exports`), and what erasing a user deletes (decision 0039).

Reads that can be long (posts, reactions, files) are pages by a keyset, so an export of a user
with a million posts holds no more than a page in memory and no read connection for long."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, tuple_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import (
    audits,
    channel_members,
    channels,
    data_exports,
    drafts,
    email_notifications,
    emoji,
    file_infos,
    mfa_recovery_codes,
    mfa_secrets,
    posts,
    preferences,
    reactions,
    sessions,
    sidebar_categories,
    sidebar_channels,
    statuses,
    team_members,
    teams,
    thread_memberships,
    tokens,
    user_access_tokens,
    user_terms_of_service,
    webpush_subscriptions,
)

# -- exports -------------------------------------------------------------------------------------


async def insert_export(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(insert(data_exports).values(**values))


async def get_export(conn: AsyncConnection, export_id: str) -> Row | None:
    return (await conn.execute(select(data_exports).where(data_exports.c.id == export_id))).mappings().first()


async def latest_export(conn: AsyncConnection, user_id: str, requested_by: str) -> Row | None:
    query = (
        select(data_exports)
        .where(data_exports.c.user_id == user_id, data_exports.c.requested_by == requested_by)
        .order_by(data_exports.c.create_at.desc(), data_exports.c.id.desc())
        .limit(1)
    )
    return (await conn.execute(query)).mappings().first()


async def update_export(conn: AsyncConnection, export_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(data_exports).where(data_exports.c.id == export_id).values(**values))


async def expired_exports(conn: AsyncConnection, now: int) -> list[Row]:
    query = select(data_exports).where(data_exports.c.status == "ready", data_exports.c.expire_at <= now)
    return list((await conn.execute(query)).mappings())


async def exports_of_user(conn: AsyncConnection, user_id: str) -> list[Row]:
    """Exports of the user's data, and those the user asked for of others' (an admin's)."""
    query = select(data_exports).where(
        or_(data_exports.c.user_id == user_id, data_exports.c.requested_by == user_id)
    )
    return list((await conn.execute(query)).mappings())


async def delete_exports(conn: AsyncConnection, export_ids: Sequence[str]) -> None:
    await conn.execute(delete(data_exports).where(data_exports.c.id.in_(list(export_ids))))


# -- what an export reads ------------------------------------------------------------------------


async def posts_page(conn: AsyncConnection, user_id: str, after: tuple[int, str], limit: int) -> list[Row]:
    """The user's posts (deleted ones too: they are still stored) after (create_at, id), oldest
    first, with where each was posted. The index on posts.user_id finds them."""
    query = (
        select(
            posts.c.id,
            posts.c.create_at,
            posts.c.edit_at,
            posts.c.delete_at,
            posts.c.channel_id,
            posts.c.root_id,
            posts.c.message,
            posts.c.type,
            posts.c.props,
            posts.c.file_ids,
            posts.c.is_pinned,
            channels.c.name.label("channel_name"),
            channels.c.display_name.label("channel_display_name"),
            channels.c.type.label("channel_type"),
            func.coalesce(teams.c.name, "").label("team_name"),
        )
        .join(channels, channels.c.id == posts.c.channel_id)
        .outerjoin(teams, teams.c.id == channels.c.team_id)
        .where(posts.c.user_id == user_id, tuple_(posts.c.create_at, posts.c.id) > tuple_(*after))
        .order_by(posts.c.create_at, posts.c.id)
        .limit(limit)
    )
    return list((await conn.execute(query)).mappings())


async def files_page(conn: AsyncConnection, user_id: str, after: tuple[int, str], limit: int) -> list[Row]:
    query = (
        select(
            file_infos.c.id,
            file_infos.c.create_at,
            file_infos.c.delete_at,
            file_infos.c.post_id,
            file_infos.c.channel_id,
            file_infos.c.path,
            file_infos.c.name,
            file_infos.c.size,
            file_infos.c.mime_type,
        )
        .where(
            file_infos.c.creator_id == user_id,
            tuple_(file_infos.c.create_at, file_infos.c.id) > tuple_(*after),
        )
        .order_by(file_infos.c.create_at, file_infos.c.id)
        .limit(limit)
    )
    return list((await conn.execute(query)).mappings())


async def reactions_page(
    conn: AsyncConnection, user_id: str, after: tuple[int, str, str], limit: int
) -> list[Row]:
    query = (
        select(reactions.c.create_at, reactions.c.post_id, reactions.c.emoji_name, reactions.c.channel_id)
        .where(
            reactions.c.user_id == user_id,
            tuple_(reactions.c.create_at, reactions.c.post_id, reactions.c.emoji_name) > tuple_(*after),
        )
        .order_by(reactions.c.create_at, reactions.c.post_id, reactions.c.emoji_name)
        .limit(limit)
    )
    return list((await conn.execute(query)).mappings())


async def team_memberships(conn: AsyncConnection, user_id: str) -> list[Row]:
    query = (
        select(
            teams.c.name,
            teams.c.display_name,
            team_members.c.roles,
            team_members.c.create_at,
            team_members.c.delete_at,
        )
        .join(teams, teams.c.id == team_members.c.team_id)
        .where(team_members.c.user_id == user_id)
        .order_by(teams.c.name)
    )
    return list((await conn.execute(query)).mappings())


async def channel_memberships(conn: AsyncConnection, user_id: str) -> list[Row]:
    query = (
        select(
            channels.c.id,
            channels.c.name,
            channels.c.display_name,
            channels.c.type,
            func.coalesce(teams.c.name, "").label("team_name"),
            channel_members.c.roles,
            channel_members.c.notify_props,
            channel_members.c.last_viewed_at,
        )
        .join(channels, channels.c.id == channel_members.c.channel_id)
        .outerjoin(teams, teams.c.id == channels.c.team_id)
        .where(channel_members.c.user_id == user_id)
        .order_by(teams.c.name, channels.c.name)
    )
    return list((await conn.execute(query)).mappings())


async def other_members(conn: AsyncConnection, channel_ids: Sequence[str], user_id: str) -> list[Row]:
    """The other members of these (direct and group) channels: names the export shows them by."""
    from villagepump.store.tables import users

    query = (
        select(channel_members.c.channel_id, users.c.username)
        .join(users, users.c.id == channel_members.c.user_id)
        .where(channel_members.c.channel_id.in_(list(channel_ids)), channel_members.c.user_id != user_id)
        .order_by(users.c.username)
    )
    return list((await conn.execute(query)).mappings())


async def all_preferences(conn: AsyncConnection, user_id: str) -> list[Row]:
    query = (
        select(preferences.c.category, preferences.c.name, preferences.c.value)
        .where(preferences.c.user_id == user_id)
        .order_by(preferences.c.category, preferences.c.name)
    )
    return list((await conn.execute(query)).mappings())


async def user_drafts(conn: AsyncConnection, user_id: str) -> list[Row]:
    query = select(drafts.c.channel_id, drafts.c.root_id, drafts.c.message, drafts.c.update_at).where(
        drafts.c.user_id == user_id
    )
    return list((await conn.execute(query)).mappings())


async def created_emoji(conn: AsyncConnection, user_id: str) -> list[Row]:
    query = (
        select(emoji.c.id, emoji.c.name, emoji.c.create_at, emoji.c.delete_at)
        .where(emoji.c.creator_id == user_id)
        .order_by(emoji.c.create_at)
    )
    return list((await conn.execute(query)).mappings())


async def expiring_post_times(conn: AsyncConnection, user_id: str, before: int) -> list[Row]:
    """(channel id, create_at) of the user's live messages created before `before` (not the
    system messages that say they joined or left)."""
    query = select(posts.c.channel_id, posts.c.create_at).where(
        posts.c.user_id == user_id,
        posts.c.delete_at == 0,
        posts.c.create_at < before,
        ~posts.c.type.startswith("system_"),
    )
    return list((await conn.execute(query)).mappings())


# -- erasing -------------------------------------------------------------------------------------


async def direct_channel_ids(conn: AsyncConnection, user_id: str, kinds: Sequence[str]) -> list[str]:
    query = (
        select(channels.c.id)
        .join(channel_members, channel_members.c.channel_id == channels.c.id)
        .where(channel_members.c.user_id == user_id, channels.c.type.in_(list(kinds)))
    )
    return [channel_id for (channel_id,) in await conn.execute(query)]


async def posts_to_erase(conn: AsyncConnection, user_id: str, limit: int) -> list[Row]:
    """A batch of the user's posts (id, channel), with their thread's replies when they are the
    root, since a thread cannot outlive its root."""
    rows = await conn.execute(
        select(posts.c.id, posts.c.channel_id).where(posts.c.user_id == user_id).limit(limit)
    )
    found = list(rows.mappings())
    if found:
        replies = await conn.execute(
            select(posts.c.id, posts.c.channel_id).where(posts.c.root_id.in_([row["id"] for row in found]))
        )
        found += list(replies.mappings())
    return found


async def channel_posts_page(conn: AsyncConnection, channel_id: str, limit: int) -> list[str]:
    query = select(posts.c.id).where(posts.c.channel_id == channel_id).limit(limit)
    return [post_id for (post_id,) in await conn.execute(query)]


# What an emptied direct channel leaves, the rows that name it before the channel itself.
_DIRECT_CHANNEL_ROWS = (
    sidebar_channels.c.channel_id,
    channel_members.c.channel_id,
    channels.c.id,
)


async def delete_direct_channel(conn: AsyncConnection, channel_id: str) -> None:
    """An emptied direct channel: its members' rows, sidebar entries and the channel go."""
    for column in _DIRECT_CHANNEL_ROWS:
        await conn.execute(delete(column.table).where(column == channel_id))


async def file_page_to_erase(conn: AsyncConnection, user_id: str, limit: int) -> list[Row]:
    query = (
        select(
            file_infos.c.id,
            file_infos.c.post_id,
            file_infos.c.path,
            file_infos.c.thumbnail_path,
            file_infos.c.preview_path,
        )
        .where(file_infos.c.creator_id == user_id)
        .limit(limit)
    )
    return list((await conn.execute(query)).mappings())


async def delete_files_of_posts(
    conn: AsyncConnection, file_ids: Sequence[str], post_ids: Sequence[str]
) -> None:
    """File rows go; the posts that carried them (kept, anonymised) no longer list them."""
    await conn.execute(delete(file_infos).where(file_infos.c.id.in_(list(file_ids))))
    if post_ids:
        await conn.execute(update(posts).where(posts.c.id.in_(list(post_ids))).values(file_ids=[]))


async def delete_reactions_batch(conn: AsyncConnection, user_id: str, limit: int) -> int:
    rows = await conn.execute(
        select(reactions.c.post_id, reactions.c.emoji_name).where(reactions.c.user_id == user_id).limit(limit)
    )
    keys = [(post_id, name) for post_id, name in rows]
    for post_id, name in keys:
        await conn.execute(
            delete(reactions).where(
                reactions.c.user_id == user_id, reactions.c.post_id == post_id, reactions.c.emoji_name == name
            )
        )
    return len(keys)


# Rows keyed by the user that an erase deletes outright: settings, devices, sign-in material.
_OWN_ROWS = (
    preferences.c.user_id,
    drafts.c.user_id,
    statuses.c.user_id,
    thread_memberships.c.user_id,
    sidebar_channels.c.user_id,
    sidebar_categories.c.user_id,
    webpush_subscriptions.c.user_id,
    email_notifications.c.user_id,
    mfa_secrets.c.user_id,
    mfa_recovery_codes.c.user_id,
    tokens.c.user_id,
    user_terms_of_service.c.user_id,
    team_members.c.user_id,
)


async def delete_own_rows(conn: AsyncConnection, user_id: str) -> None:
    for column in _OWN_ROWS:
        await conn.execute(delete(column.table).where(column == user_id))
    # Memberships of teams' channels go; direct and group ones stay, so the other side's
    # conversation still names a (deleted) member.
    team_channel_ids = select(channels.c.id).where(channels.c.type.in_(("O", "P")))
    await conn.execute(
        delete(channel_members).where(
            channel_members.c.user_id == user_id, channel_members.c.channel_id.in_(team_channel_ids)
        )
    )


async def delete_sessions_and_tokens(conn: AsyncConnection, user_id: str) -> list[Row]:
    """Every session and access token of the user; returns them (for the processes to forget)."""
    removed: list[Row] = []
    for table in (sessions, user_access_tokens):
        gone = await conn.execute(
            delete(table).where(table.c.user_id == user_id).returning(table.c.id, table.c.token_hash)
        )
        removed += gone.mappings()
    return removed


async def blank_audit_addresses(conn: AsyncConnection, user_id: str) -> None:
    """The audit log keeps what the user did, by id only: their client addresses go."""
    await conn.execute(
        update(audits)
        .where(and_(audits.c.user_id == user_id, audits.c.ip_address != ""))
        .values(ip_address="")
    )
