"""Custom slash commands and the response URLs of their runs."""

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.store import Row
from villagepump.store.tables import command_webhooks, commands


async def get_command(conn: AsyncConnection, command_id: str, *, lock: bool = False) -> Row | None:
    query = select(commands).where(commands.c.id == command_id, commands.c.delete_at == 0)
    if lock:
        query = query.with_for_update()
    return (await conn.execute(query)).mappings().first()


async def team_commands(conn: AsyncConnection, team_id: str, creator_id: str = "") -> list[Row]:
    """The team's live commands by trigger; only one creator's when `creator_id` is given."""
    query = select(commands).where(commands.c.team_id == team_id, commands.c.delete_at == 0)
    if creator_id:
        query = query.where(commands.c.creator_id == creator_id)
    return list((await conn.execute(query.order_by(commands.c.trigger))).mappings())


async def command_by_trigger(conn: AsyncConnection, team_id: str, trigger: str) -> Row | None:
    query = select(commands).where(
        commands.c.team_id == team_id, commands.c.trigger == trigger, commands.c.delete_at == 0
    )
    return (await conn.execute(query)).mappings().first()


async def insert_command(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(commands.insert().values(**values))


async def update_command(conn: AsyncConnection, command_id: str, values: dict[str, Any]) -> None:
    await conn.execute(update(commands).where(commands.c.id == command_id).values(**values))


async def insert_webhook(conn: AsyncConnection, values: dict[str, Any]) -> None:
    await conn.execute(command_webhooks.insert().values(**values))


async def use_webhook(conn: AsyncConnection, hook_id: str, created_after: int, max_uses: int) -> Row | None:
    """Counts one use of a response URL that is young enough and not used up; the hook's row
    if it was, None if not. One conditional UPDATE, so two answers at once cannot both take
    the last use."""
    result = await conn.execute(
        update(command_webhooks)
        .where(
            command_webhooks.c.id == hook_id,
            command_webhooks.c.create_at > created_after,
            command_webhooks.c.use_count < max_uses,
        )
        .values(use_count=command_webhooks.c.use_count + 1)
    )
    if not result.rowcount:
        return None
    query = select(command_webhooks).where(command_webhooks.c.id == hook_id)
    return (await conn.execute(query)).mappings().first()
