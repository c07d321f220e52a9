"""The server's own bot accounts (the IRC bridge's, the moderation bot's): made on first use, inside
the transaction that first needs one, and found again by the `systems` key that names it."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump.ids import new_id, now_ms
from villagepump.store import systems as system_store
from villagepump.store import users as user_store


async def system_bot_in(conn: AsyncConnection, key: str, username: str, first_name: str) -> str:
    """The id of the bot account kept under `key`. It has no password (it cannot log in) and is a
    bot, so clients never show its posts as a person's."""
    user_id = await system_store.get_value(conn, key)
    if user_id:
        return user_id
    now = now_ms()
    values: dict[str, Any] = {
        "id": new_id(),
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "username": username,
        "email": f"{username}@localhost",
        "email_verified": True,
        "password_hash": "",
        "first_name": first_name,
        "roles": "system_user",
        "locale": "en",
        "timezone": {},
        "notify_props": {},
        "props": {},
        "is_bot": True,
        "auth_service": "",
    }
    await user_store.insert_user(conn, values)
    await system_store.set_value(conn, key, values["id"])
    return str(values["id"])
