"""Bot accounts (Mattermost's /bots): a user row with is_bot and a bots row with the owner.

A bot has no password (the hash is empty, and login refuses bots by name): it acts only through
personal access tokens. Who may do what is decided here, inside the transaction that writes,
with Mattermost's default permissions: system admins create, list, manage and convert bots;
a bot's owner may read and manage their own bots.
"""

from dataclasses import dataclass
from typing import Any

from villagepump import errors
from villagepump.actions import sessions as session_actions
from villagepump.actions import users as user_actions
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.events.types import Event
from villagepump.ids import new_id, now_ms
from villagepump.passwords import check_password_rules
from villagepump.render.users import render_user
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import bots as bot_store
from villagepump.store import sessions as session_store
from villagepump.store import users as user_store

MAX_DESCRIPTION = 1024
MAX_DISPLAY_NAME = 64


@dataclass(frozen=True, slots=True)
class BotPatch:
    username: str | None = None
    display_name: str | None = None
    description: str | None = None


def check_patch(patch: BotPatch) -> None:
    if patch.username is not None:
        user_actions.check_username(patch.username)
    if patch.display_name is not None and len(patch.display_name) > MAX_DISPLAY_NAME:
        raise errors.bad_request("model.bot.is_valid.username.app_error", "Invalid display name.")
    if patch.description is not None and len(patch.description) > MAX_DESCRIPTION:
        raise errors.bad_request("model.bot.is_valid.description.app_error", "Invalid description.")


def _not_found() -> errors.APIError:
    return errors.not_found("bot", "store.sql_bot.get.missing.app_error")


async def _bot_for(tx: Transaction, actor: Caller, bot_id: str, *, include_deleted: bool = True) -> Row:
    """The bot, locked, if the actor may manage it (its owner or a system admin)."""
    bot = await bot_store.get_bot(tx.conn, bot_id, lock=True)
    if bot is None or (bot["delete_at"] and not include_deleted):
        raise _not_found()
    if not actor.is_system_admin and bot["owner_id"] != actor.user_id:
        # Someone else's bot is not theirs to see either, as in Mattermost.
        raise _not_found()
    return bot


def bot_user_values(user_id: str, username: str, display_name: str, now: int) -> dict[str, Any]:
    """The users row of a bot: no password, and, as Mattermost's UserFromBot, an address nobody
    receives mail at, never verified."""
    return {
        "id": user_id,
        "create_at": now,
        "update_at": now,
        "delete_at": 0,
        "username": username,
        "email": f"{username}@localhost",
        "email_verified": False,
        "password_hash": "",
        "first_name": display_name,
        "roles": "system_user",
        "locale": "en",
        "timezone": {},
        "notify_props": {},
        "props": {},
        "last_password_update": now,
        "last_picture_update": 0,
        "is_bot": True,
        "auth_service": "",
    }


def _publish_user(tx: Transaction, user: Row) -> None:
    tx.publish(Event("user_updated", {"user": render_user(user, full=False)}))


async def create_bot(rt: Runtime, actor: Caller, patch: BotPatch) -> Row:
    if not rt.settings.enable_bot_account_creation:
        raise errors.APIError(403, "api.bot.create_disabled", "Bot creation has been disabled.")
    if not actor.is_system_admin:
        raise errors.forbidden()
    check_patch(patch)
    if not patch.username:
        raise errors.bad_request("model.bot.is_valid.username.app_error", "Invalid username.")
    now = now_ms()
    user_id = new_id()
    user = bot_user_values(user_id, patch.username, patch.display_name or "", now)
    async with transaction(rt) as tx:
        # A username in use is refused by the users' unique key with Mattermost's error.
        await user_store.insert_user(tx.conn, user)
        await bot_store.insert_bot(
            tx.conn,
            {
                "user_id": user_id,
                "description": patch.description or "",
                "owner_id": actor.user_id,
                "create_at": now,
                "update_at": now,
                "delete_at": 0,
            },
        )
        tx.publish(Event("new_user", {"user_id": user_id}))
        bot = await bot_store.get_bot(tx.conn, user_id)
    assert bot is not None
    return bot


async def patch_bot(rt: Runtime, actor: Caller, bot_id: str, patch: BotPatch) -> Row:
    check_patch(patch)
    async with transaction(rt) as tx:
        await _bot_for(tx, actor, bot_id)
        now = now_ms()
        user_values: dict[str, Any] = {"update_at": now}
        if patch.username is not None:
            user_values["username"] = patch.username
            user_values["email"] = f"{patch.username}@localhost"
        if patch.display_name is not None:
            user_values["first_name"] = patch.display_name
        await user_store.update_user(tx.conn, bot_id, user_values)
        bot_values: dict[str, Any] = {"update_at": now}
        if patch.description is not None:
            bot_values["description"] = patch.description
        await bot_store.update_bot(tx.conn, bot_id, bot_values)
        user = await user_store.get_user(tx.conn, bot_id)
        assert user is not None
        _publish_user(tx, user)
        bot = await bot_store.get_bot(tx.conn, bot_id)
    assert bot is not None
    return bot


async def set_bot_active(rt: Runtime, actor: Caller, bot_id: str, active: bool) -> Row:
    """Disabling deactivates the bot's user: its tokens stop resolving (kept for re-enabling)."""
    async with transaction(rt) as tx:
        await _bot_for(tx, actor, bot_id)
        now = now_ms()
        delete_at = 0 if active else now
        await user_store.update_user(tx.conn, bot_id, {"delete_at": delete_at, "update_at": now})
        await bot_store.update_bot(tx.conn, bot_id, {"delete_at": delete_at, "update_at": now})
        if not active:
            removed = await session_store.delete_user_sessions(tx.conn, bot_id)
            removed += await session_store.list_access_tokens(tx.conn, bot_id)
            session_actions.publish_revoked(tx, bot_id, removed, forget_user=True)
        user = await user_store.get_user(tx.conn, bot_id)
        assert user is not None
        _publish_user(tx, user)
        bot = await bot_store.get_bot(tx.conn, bot_id)
    assert bot is not None
    return bot


async def assign_bot(rt: Runtime, actor: Caller, bot_id: str, owner_id: str) -> Row:
    if not actor.is_system_admin:
        raise errors.forbidden()
    async with transaction(rt) as tx:
        await _bot_for(tx, actor, bot_id)
        owner = await user_store.get_user(tx.conn, owner_id)
        if owner is None or owner["is_bot"]:
            raise errors.bad_request("app.bot.assign.owner.app_error", "A bot's owner must be a user.")
        await bot_store.update_bot(tx.conn, bot_id, {"owner_id": owner_id, "update_at": now_ms()})
        bot = await bot_store.get_bot(tx.conn, bot_id)
    assert bot is not None
    return bot


async def convert_user_to_bot(rt: Runtime, actor: Caller, user_id: str) -> Row:
    """The account becomes a bot it owns itself: its password and sessions go, its tokens stay."""
    if not actor.is_system_admin:
        raise errors.forbidden()
    async with transaction(rt) as tx:
        user = await user_store.get_user(tx.conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        if user["is_bot"]:
            raise errors.bad_request("api.user.convert_user_to_bot.is_bot", "The user is already a bot.")
        now = now_ms()
        await user_store.update_user(
            tx.conn, user_id, {"is_bot": True, "password_hash": "", "update_at": now}
        )
        await bot_store.insert_bot(
            tx.conn,
            {
                "user_id": user_id,
                "description": "",
                "owner_id": user_id,
                "create_at": now,
                "update_at": now,
                "delete_at": user["delete_at"],
            },
        )
        removed = await session_store.delete_user_sessions(tx.conn, user_id)
        session_actions.publish_revoked(tx, user_id, removed, forget_user=True)
        converted = await user_store.get_user(tx.conn, user_id)
        assert converted is not None
        _publish_user(tx, converted)
        bot = await bot_store.get_bot(tx.conn, user_id)
    assert bot is not None
    return bot


async def convert_bot_to_user(
    rt: Runtime, actor: Caller, bot_id: str, *, email: str, password: str, system_admin: bool
) -> Row:
    """The bot becomes a person's account with the e-mail address and password given."""
    if not actor.is_system_admin:
        raise errors.forbidden()
    email = user_actions.check_email(email)
    password_hash = await rt.passwords.hash(check_password_rules(password))
    async with transaction(rt) as tx:
        await _bot_for(tx, actor, bot_id)
        now = now_ms()
        values: dict[str, Any] = {
            "is_bot": False,
            "email": email,
            "password_hash": password_hash,
            "last_password_update": now,
            "update_at": now,
        }
        if system_admin:
            values["roles"] = "system_admin system_user"
        await user_store.update_user(tx.conn, bot_id, values)
        await bot_store.delete_bot(tx.conn, bot_id)
        session_actions.publish_revoked(tx, bot_id, [], forget_user=True)
        user = await user_store.get_user(tx.conn, bot_id)
        assert user is not None
        _publish_user(tx, user)
    return user
