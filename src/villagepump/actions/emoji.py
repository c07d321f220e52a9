"""Custom emoji: created with an image, found by id or name, deleted by their creator or an admin.

The name rules are Mattermost's: lowercase letters, digits, "-", "_" and "+", 1 to 64 of them, not
a standard emoji's name and not a live custom emoji's. The last is checked before the image is made,
to spare the work, and decided by the unique key on (name, delete_at) when two people race.
"""

import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors
from villagepump.actions.transaction import transaction
from villagepump.auth import Caller
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.files import pictures
from villagepump.files.images import BrokenImage, ImageTooLarge
from villagepump.files.storage import storage_for
from villagepump.ids import is_valid_id, new_id, now_ms
from villagepump.render.emoji import render_emoji
from villagepump.render.posts import render_reaction
from villagepump.roles import has_permission
from villagepump.runtime import Runtime
from villagepump.standard_emoji import is_standard_emoji
from villagepump.store import Row
from villagepump.store import emoji as emoji_store
from villagepump.store import posts as post_store

# Mattermost's MaxEmojiFileSize: a whole create request, image and form, is at most 512 KiB.
MAX_EMOJI_REQUEST = 512 * 1024
_NAME = re.compile(r"^[a-z0-9_+\-]{1,64}$")


def emoji_image_key(emoji_id: str) -> str:
    return f"emoji/{emoji_id}/image"


def disabled() -> errors.APIError:
    return errors.APIError(
        501, "api.emoji.disabled.app_error", "Custom emoji have been disabled by the admin."
    )


def require_enabled(rt: Runtime) -> None:
    if not rt.settings.enable_custom_emoji:
        raise disabled()


def is_valid_name(name: str) -> bool:
    return bool(_NAME.match(name))


def check_emoji_name(name: object) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise errors.bad_request(
            "model.emoji.name.app_error",
            "Name must be 1 to 64 lowercase letters, digits, '-', '_' or '+'.",
        )
    if is_standard_emoji(name):
        raise errors.bad_request(
            "model.emoji.system_emoji_name.app_error", "Name conflicts with an existing system emoji name."
        )
    return name


def _duplicate() -> errors.APIError:
    return errors.bad_request(
        "api.emoji.create.duplicate.app_error",
        "Unable to create emoji. Another emoji with the same name already exists.",
    )


def require_can_create(rt: Runtime, actor: Caller) -> None:
    """Before the upload is read: custom emoji are on, and the actor may create them."""
    require_enabled(rt)
    if not has_permission(actor.roles, "create_emojis"):
        raise errors.forbidden("You do not have the appropriate permissions (create_emojis).")


def check_new_emoji(actor: Caller, emoji: Any) -> str:
    """The name of the emoji the `emoji` form field describes, which must be the actor's own."""
    if not isinstance(emoji, dict):
        raise errors.invalid_param("emoji")
    name = check_emoji_name(emoji.get("name"))
    if emoji.get("creator_id") != actor.user_id:
        raise errors.APIError(
            403, "api.emoji.create.other_user.app_error", "Emoji can only be created as yourself."
        )
    return name


async def _image(staged: Path) -> tuple[bytes, str]:
    try:
        return await pictures.emoji_picture_in_thread(staged)
    except pictures.NotAnImage as error:
        raise errors.bad_request("api.emoji.upload.image.app_error", "The file is not an image.") from error
    except (pictures.EmojiTooLarge, ImageTooLarge) as error:
        raise errors.bad_request(
            "api.emoji.upload.large_image.too_large.app_error",
            f"Unable to create emoji. Image must be at most {pictures.EMOJI_MAX_ORIGINAL} by "
            f"{pictures.EMOJI_MAX_ORIGINAL} pixels.",
        ) from error
    except BrokenImage as error:
        raise errors.bad_request(
            "api.emoji.upload.large_image.decode_error", "Unable to create emoji: the image does not decode."
        ) from error


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def create_emoji(rt: Runtime, actor: Caller, name: str, staged: Path) -> Row:
    require_can_create(rt, actor)
    async with rt.db.read() as conn:
        if await emoji_store.get_emoji_by_name(conn, name) is not None:
            raise _duplicate()
    image, _ = await _image(staged)
    emoji_id, now = new_id(), now_ms()
    storage = storage_for(rt.settings)
    await storage.write(emoji_image_key(emoji_id), _once(image))
    try:
        async with transaction(rt) as tx:
            # Two people creating the same name at once: the unique key lets one in, the other
            # gets api.emoji.create.duplicate.app_error (actions/transaction.py).
            values = {
                "id": emoji_id,
                "create_at": now,
                "update_at": now,
                "delete_at": 0,
                "creator_id": actor.user_id,
                "name": name,
            }
            await emoji_store.insert_emoji(tx.conn, values)
            created = await emoji_store.get_emoji(tx.conn, emoji_id)
            assert created is not None
            tx.publish(Event("emoji_added", {"emoji": json_field(render_emoji(created))}))
    except BaseException:
        await storage.delete(emoji_image_key(emoji_id))
        raise
    return created


async def require_emoji(conn: AsyncConnection, emoji_id: str) -> Row:
    if not is_valid_id(emoji_id):
        raise errors.invalid_param("emoji_id")
    emoji = await emoji_store.get_emoji(conn, emoji_id)
    if emoji is None:
        raise errors.not_found("emoji", "app.emoji.get.no_result")
    return emoji


async def require_emoji_by_name(conn: AsyncConnection, name: str) -> Row:
    emoji = await emoji_store.get_emoji_by_name(conn, name)
    if emoji is None:
        raise errors.not_found("emoji", "app.emoji.get_by_name.no_result")
    return emoji


def _require_can_delete(actor: Caller, emoji: Row) -> None:
    """Mattermost's rule: delete_emojis for your own, delete_others_emojis (admins) for anyone's."""
    if not has_permission(actor.roles, "delete_emojis"):
        raise errors.forbidden("You do not have the appropriate permissions (delete_emojis).")
    if emoji["creator_id"] != actor.user_id and not has_permission(actor.roles, "delete_others_emojis"):
        raise errors.forbidden("You do not have the appropriate permissions (delete_others_emojis).")


async def delete_emoji(rt: Runtime, actor: Caller, emoji_id: str) -> None:
    """Marks the emoji deleted and, as Mattermost does, removes every reaction that used it; the
    channels that had one hear reaction_removed, so no client keeps showing a dead image."""
    require_enabled(rt)
    async with transaction(rt) as tx:
        emoji = await require_emoji(tx.conn, emoji_id)
        _require_can_delete(actor, emoji)
        now = now_ms()
        if not await emoji_store.mark_deleted(tx.conn, emoji["id"], now):
            raise errors.not_found("emoji", "app.emoji.get.no_result")
        for reaction in await emoji_store.delete_reactions_named(tx.conn, emoji["name"]):
            await post_store.touch_post(tx.conn, reaction["post_id"], now)
            data = {"reaction": json_field(render_reaction(reaction))}
            tx.publish(Event("reaction_removed", data, Broadcast(channel_id=reaction["channel_id"])))
    await storage_for(rt.settings).delete(emoji_image_key(emoji["id"]))


async def emoji_image(rt: Runtime, emoji: Row) -> bytes:
    storage = storage_for(rt.settings)
    key = emoji_image_key(emoji["id"])
    if not await storage.exists(key):
        raise errors.not_found("emoji image", "api.emoji.get_image.read.app_error")
    return b"".join([chunk async for chunk in storage.read(key)])


async def require_reaction_emoji(conn: AsyncConnection, rt: Runtime, name: str) -> None:
    """Within add_reaction's transaction: a standard emoji, or a live custom one (Mattermost's
    check, with its answers when custom emoji are off or the name is unknown)."""
    if is_standard_emoji(name):
        return
    if not rt.settings.enable_custom_emoji:
        raise errors.APIError(
            403, "api.emoji.disabled.app_error", "Custom emoji have been disabled by the admin."
        )
    if await emoji_store.get_emoji_by_name(conn, name, for_update=True) is None:
        raise errors.not_found("emoji", "app.emoji.get_by_name.no_result")
