"""The server's own bot accounts (the IRC bridge's, the one that speaks for the moderators): made
on first use, inside the transaction that first needs one, and found again by the `systems` key
that names it."""

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.actions.bots import bot_user_values
from villagepump.ids import new_id, now_ms
from villagepump.store import bots as bot_store
from villagepump.store import systems as system_store
from villagepump.store import users as user_store


async def system_bot_in(
    conn: AsyncConnection, key: str, username: str, display_name: str, description: str = ""
) -> str:
    """The id of the bot account kept under `key`. It has no password and no tokens, and no owner,
    so only the server posts as it; being a bot, clients never show its posts as a person's."""
    user_id = await system_store.get_value(conn, key)
    if user_id:
        return user_id
    now = now_ms()
    user_id = new_id()
    # Should someone already have the name, the bot takes one nobody can have chosen.
    if await user_store.get_users_by_usernames(conn, [username]):
        username = f"{username}-{user_id[:6]}"
    await user_store.insert_user(conn, bot_user_values(user_id, username, display_name, now))
    await bot_store.insert_bot(
        conn,
        {
            "user_id": user_id,
            "description": description,
            "owner_id": "",
            "create_at": now,
            "update_at": now,
            "delete_at": 0,
        },
    )
    await system_store.set_value(conn, key, user_id)
    return user_id


MODERATORS_BOT_USERNAME = "system-bot"


async def moderators_bot_in(conn: AsyncConnection) -> str:
    """The bot that speaks for the server and its moderators: warnings (actions/moderation.py)
    and the announcements of new reports (actions/reports.py)."""
    return await system_bot_in(
        conn,
        "system_bot_user_id",
        MODERATORS_BOT_USERNAME,
        "System",
        "Messages from the server and its moderators.",
    )
