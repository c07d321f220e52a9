"""Profile pictures and team icons: uploaded, replaced, removed, and read back.

The picture is made (decoded safely, turned upright, cropped square, re-encoded without metadata)
and stored before the transaction that records it; the row's last_picture_update or
last_team_icon_update is what says a picture exists, and what clients put in `?_=` to see a new one.
"""

from collections.abc import AsyncIterator
from pathlib import Path

from villagepump import errors, permissions
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.avatars import default_avatar
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.files import pictures
from villagepump.files.images import BrokenImage, ImageTooLarge
from villagepump.files.storage import Storage, storage_for
from villagepump.ids import now_ms
from villagepump.render.teams import render_team
from villagepump.render.users import render_user
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import teams as team_store
from villagepump.store import users as user_store


def profile_picture_key(user_id: str) -> str:
    """Mattermost's layout, so a data directory or bucket can move between the two servers."""
    return f"users/{user_id}/profile.png"


def team_icon_key(team_id: str) -> str:
    return f"teams/{team_id}/teamIcon.png"


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _square(staged: Path, error_prefix: str, too_large_id: str) -> bytes:
    """The stored form of an uploaded picture, or Mattermost's error for what is wrong with it."""
    try:
        return await pictures.square_picture_in_thread(staged)
    except pictures.NotAnImage as error:
        raise errors.bad_request(
            f"{error_prefix}.decode_config.app_error", "Unable to read the image: it is not a picture."
        ) from error
    except ImageTooLarge as error:
        raise errors.bad_request(too_large_id, "The image has too many pixels.") from error
    except BrokenImage as error:
        raise errors.bad_request(f"{error_prefix}.decode.app_error", "Unable to decode the image.") from error


def _user_missing() -> errors.APIError:
    return errors.APIError(400, "api.context.invalid_url_param.app_error", "Invalid or missing user_id.")


async def _locked_user(tx: Transaction, user_id: str) -> Row:
    await user_store.lock_user(tx.conn, user_id)
    user = await user_store.get_user(tx.conn, user_id)
    if user is None:
        raise _user_missing()
    return user


def _publish_user_updated(tx: Transaction, user: Row) -> None:
    # As actions/users.py: everyone hears the public profile, with the new last_picture_update.
    tx.publish(Event("user_updated", {"user": render_user(user, full=False)}))


async def require_user(rt: Runtime, actor: Caller, user_id: str) -> None:
    """Before the upload is read: the actor may change this user's picture, and the user exists."""
    permissions.require_self_or_admin(actor, user_id)
    async with rt.db.read() as conn:
        if await user_store.get_user(conn, user_id) is None:
            raise _user_missing()


async def set_profile_image(rt: Runtime, actor: Caller, user_id: str, staged: Path) -> Row:
    permissions.require_self_or_admin(actor, user_id)
    picture = await _square(
        staged, "api.user.upload_profile_user", "api.user.upload_profile_user.check_image_limits.app_error"
    )
    storage = storage_for(rt.settings)
    await storage.write(profile_picture_key(user_id), _once(picture))
    async with transaction(rt) as tx:
        permissions.require_self_or_admin(actor, user_id)
        await _locked_user(tx, user_id)
        now = now_ms()
        await user_store.update_user(tx.conn, user_id, {"last_picture_update": now, "update_at": now})
        updated = await user_store.get_user(tx.conn, user_id)
        assert updated is not None
        _publish_user_updated(tx, updated)
    return updated


async def remove_profile_image(rt: Runtime, actor: Caller, user_id: str) -> Row:
    """Back to the generated picture. last_picture_update becomes minus the time (Mattermost's
    mark of a default picture), so `?_=` still changes and clients fetch the default again."""
    async with transaction(rt) as tx:
        permissions.require_self_or_admin(actor, user_id)
        await _locked_user(tx, user_id)
        now = now_ms()
        await user_store.update_user(tx.conn, user_id, {"last_picture_update": -now, "update_at": now})
        updated = await user_store.get_user(tx.conn, user_id)
        assert updated is not None
        _publish_user_updated(tx, updated)
    await storage_for(rt.settings).delete(profile_picture_key(user_id))
    return updated


async def _read_all(storage: Storage, key: str) -> bytes | None:
    if not await storage.exists(key):
        return None
    return b"".join([chunk async for chunk in storage.read(key)])


async def profile_image(rt: Runtime, user: Row) -> tuple[bytes, bool]:
    """The user's picture and whether it is the generated default (no upload, or it is gone)."""
    if user["last_picture_update"] > 0:
        stored = await _read_all(storage_for(rt.settings), profile_picture_key(user["id"]))
        if stored is not None:
            return stored, False
    return default_avatar(user["id"]), True


def _publish_team_updated(tx: Transaction, team: Row) -> None:
    # As actions/teams.py: members hear the team without its invite id.
    data = {"team": json_field(render_team(team, show_invite=False))}
    tx.publish(Event("update_team", data, Broadcast(team_id=team["id"])))


async def _live_team_as_admin(tx: Transaction, actor: Caller, team_id: str) -> Row:
    team, _ = await permissions.require_team_admin_locked(tx.conn, actor, team_id)
    if team["delete_at"]:
        raise errors.not_found("team", "app.team.get.find.app_error")
    return team


async def require_team_icon_admin(rt: Runtime, actor: Caller, team_id: str) -> None:
    """Before the upload is read: only the team's admins (manage_team) change its icon."""
    async with rt.db.read() as conn:
        team = await permissions.require_team_admin(conn, actor, team_id)
    if team["delete_at"]:
        raise errors.not_found("team", "app.team.get.find.app_error")


async def set_team_icon(rt: Runtime, actor: Caller, team_id: str, staged: Path) -> Row:
    await require_team_icon_admin(rt, actor, team_id)
    icon = await _square(staged, "api.team.set_team_icon", "api.team.set_team_icon.too_large.app_error")
    await storage_for(rt.settings).write(team_icon_key(team_id), _once(icon))
    async with transaction(rt) as tx:
        await _live_team_as_admin(tx, actor, team_id)
        now = now_ms()
        await team_store.update_team(tx.conn, team_id, {"last_team_icon_update": now, "update_at": now})
        team = await team_store.get_team(tx.conn, team_id)
        assert team is not None
        _publish_team_updated(tx, team)
    return team


async def remove_team_icon(rt: Runtime, actor: Caller, team_id: str) -> Row:
    async with transaction(rt) as tx:
        await _live_team_as_admin(tx, actor, team_id)
        now = now_ms()
        await team_store.update_team(tx.conn, team_id, {"last_team_icon_update": 0, "update_at": now})
        team = await team_store.get_team(tx.conn, team_id)
        assert team is not None
        _publish_team_updated(tx, team)
    await storage_for(rt.settings).delete(team_icon_key(team_id))
    return team


async def team_icon(rt: Runtime, team: Row) -> bytes:
    stored = None
    if team["last_team_icon_update"]:
        stored = await _read_all(storage_for(rt.settings), team_icon_key(team["id"]))
    if stored is None:
        raise errors.not_found("team icon", "api.team.get_team_icon.read_file.app_error")
    return stored
