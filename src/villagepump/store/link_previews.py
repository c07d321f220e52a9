"""The link preview cache: what a fetch found at a URL, and until when it holds."""

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row, upsert_insert
from villagepump.store.tables import link_previews

KINDS = ("opengraph", "image", "none", "failed")


async def get_previews(conn: AsyncConnection, urls: Iterable[str]) -> dict[str, Row]:
    """Cached rows by URL (cache key), expired ones included: an old post keeps showing what was
    found for it until a fresh fetch replaces it."""
    wanted = list(dict.fromkeys(urls))
    if not wanted:
        return {}
    rows = await conn.execute(select(link_previews).where(link_previews.c.url.in_(wanted)))
    return {row["url"]: row for row in rows.mappings()}


async def save_preview(conn: AsyncConnection, values: dict[str, Any]) -> None:
    """Stores a fetch's outcome, replacing whatever an earlier fetch of the URL left."""
    statement = upsert_insert(conn, link_previews).values(**values)
    changes = {
        name: statement.excluded[name] for name in ("kind", "data", "error", "fetched_at", "expires_at")
    }
    await conn.execute(statement.on_conflict_do_update(index_elements=["url"], set_=changes))


async def delete_expired_before(conn: AsyncConnection, at: int) -> int:
    result = await conn.execute(delete(link_previews).where(link_previews.c.expires_at < at))
    return int(result.rowcount or 0)
