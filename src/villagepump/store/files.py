"""File infos: one row per uploaded file, attached to at most one post."""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import drafts, file_infos, posts


async def insert_files(conn: AsyncConnection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await conn.execute(insert(file_infos), list(rows))


async def get_file(conn: AsyncConnection, file_id: str) -> Row | None:
    """The file with `post_delete_at` (0 when unattached): a deleted post takes its files away."""
    query = (
        select(file_infos, posts.c.delete_at.label("post_delete_at"))
        .select_from(file_infos.outerjoin(posts, posts.c.id == file_infos.c.post_id))
        .where(file_infos.c.id == file_id)
    )
    return (await conn.execute(query)).mappings().first()


async def attach_files(
    conn: AsyncConnection, file_ids: Sequence[str], post_id: str, creator_id: str, channel_id: str, at: int
) -> list[Row]:
    """Attaches those of the files that the creator uploaded to this channel and nothing holds yet;
    returns the attached rows, in the order asked."""
    await conn.execute(
        update(file_infos)
        .where(
            file_infos.c.id.in_(file_ids),
            file_infos.c.post_id == "",
            file_infos.c.creator_id == creator_id,
            file_infos.c.channel_id == channel_id,
            file_infos.c.delete_at == 0,
        )
        .values(post_id=post_id, update_at=at)
    )
    rows = await conn.execute(
        select(file_infos).where(file_infos.c.id.in_(file_ids), file_infos.c.post_id == post_id)
    )
    found = {row["id"]: row for row in rows.mappings()}
    return [found[file_id] for file_id in file_ids if file_id in found]


async def files_for_posts(conn: AsyncConnection, post_ids: Iterable[str]) -> dict[str, list[Row]]:
    post_ids = list(post_ids)
    if not post_ids:
        return {}
    query = (
        select(file_infos)
        .where(file_infos.c.post_id.in_(post_ids), file_infos.c.delete_at == 0)
        .order_by(file_infos.c.create_at, file_infos.c.id)
    )
    found: dict[str, list[Row]] = {}
    for row in (await conn.execute(query)).mappings():
        found.setdefault(row["post_id"], []).append(row)
    return found


async def detach_files(conn: AsyncConnection, post_id: str, file_ids: Sequence[str], at: int) -> None:
    """Files an edit took off a post are deleted: nobody reads them again."""
    if file_ids:
        await conn.execute(
            update(file_infos)
            .where(file_infos.c.post_id == post_id, file_infos.c.id.in_(file_ids))
            .values(delete_at=at, update_at=at)
        )


async def files_to_remove(
    conn: AsyncConnection, unattached_before: int, deleted_before: int, limit: int
) -> list[Row]:
    """Files nobody can read any more, oldest first: taken off a post by an edit, on a deleted (or
    vanished) post, deleted that long ago; or never attached, uploaded before `unattached_before`.
    A draft may still hold an unattached one: `draft_file_ids` tells which."""
    query = (
        select(file_infos.c.id, file_infos.c.creator_id, file_infos.c.post_id)
        .add_columns(file_infos.c.path, file_infos.c.thumbnail_path, file_infos.c.preview_path)
        .select_from(file_infos.outerjoin(posts, posts.c.id == file_infos.c.post_id))
        .where(
            or_(
                and_(file_infos.c.delete_at != 0, file_infos.c.delete_at < deleted_before),
                and_(file_infos.c.post_id == "", file_infos.c.create_at < unattached_before),
                and_(
                    file_infos.c.post_id != "", posts.c.id.is_(None), file_infos.c.create_at < deleted_before
                ),
                and_(file_infos.c.post_id != "", posts.c.delete_at != 0, posts.c.delete_at < deleted_before),
            )
        )
        .order_by(file_infos.c.create_at)
        .limit(limit)
    )
    return list((await conn.execute(query)).mappings())


async def draft_file_ids(conn: AsyncConnection, user_ids: Iterable[str]) -> set[str]:
    """The file ids the users' drafts hold (their files are kept for as long as the draft)."""
    user_ids = list(set(user_ids))
    if not user_ids:
        return set()
    rows = await conn.execute(select(drafts.c.file_ids).where(drafts.c.user_id.in_(user_ids)))
    return {file_id for (file_ids,) in rows for file_id in (file_ids or [])}


async def delete_files(conn: AsyncConnection, file_ids: Sequence[str]) -> None:
    if file_ids:
        await conn.execute(delete(file_infos).where(file_infos.c.id.in_(list(file_ids))))
