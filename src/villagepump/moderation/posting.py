"""Whether someone may post now: not muted by a moderator, and allowed by the channel's
moderation (read-only channels). Called by actions/posts.py, actions/reactions.py and
actions/files.py inside their writing transaction, so every way of posting (REST, slash
commands, webhooks, bots, bridges) meets the same rules."""

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncConnection

from villagepump import errors
from villagepump.auth import Caller
from villagepump.ids import now_ms
from villagepump.store import Row
from villagepump.store import channel_moderations as moderation_store
from villagepump.store import channels as channel_store
from villagepump.store import mutes as mute_store
from villagepump.store import teams as team_store

MUTED_ERROR = "api.post.create_post.muted.app_error"
READ_ONLY_ERROR = "api.post.create_post.read_only.app_error"
REACT_ERROR = "api.reaction.save.read_only.app_error"
POSTING_REFUSALS = frozenset({MUTED_ERROR, READ_ONLY_ERROR})


def muted(until: int) -> errors.APIError:
    """403 with the end of the mute (ms, 0 for none) in detailed_error, for clients to show it
    in the reader's own time zone and language."""
    if until:
        at = datetime.fromtimestamp(until / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
        message = f"You are muted until {at}: you cannot post or react."
    else:
        message = "You are muted by a moderator: you cannot post or react."
    return errors.APIError(403, MUTED_ERROR, message, str(until))


async def require_not_muted(conn: AsyncConnection, actor: Caller, channel: Row | None = None) -> None:
    """A channel loaded by store/posts.posting_context carries the poster's own mute, which saves
    a query on the hot path. A bot is muted with its owner: a muted user cannot post through
    the bots they own."""
    now = now_ms()
    if channel is not None:
        until = channel["muted_until"]
    else:
        mute = await mute_store.get_mute(conn, actor.user_id)
        until = None if mute is None else mute["until"]
    if mute_store.in_force(until, now):
        raise muted(until or 0)
    if actor.is_bot:
        owner = await mute_store.owner_mute(conn, actor.user_id)
        if owner is not None and mute_store.in_force(owner["until"], now):
            raise muted(owner["until"])


async def is_channel_moderator(
    conn: AsyncConnection, actor: Caller, channel: Row, channel_admin: bool
) -> bool:
    """Admins of the channel, of its team or of the system: never restricted by its moderation."""
    if channel_admin or actor.is_system_admin:
        return True
    if not channel["team_id"]:
        return False
    member = await team_store.get_active_member(conn, channel["team_id"], actor.user_id)
    return member is not None and bool(member["scheme_admin"])


def _role(actor: Caller) -> str:
    return "guests" if actor.is_guest else "members"


async def require_may_post(conn: AsyncConnection, actor: Caller, channel: Row, *, reply: bool) -> None:
    """For a channel loaded by posting_context: a read-only channel takes posts from its admins
    only, and replies in threads from members too when the channel allows them."""
    if channel["moderation_members_post"] is None:
        return
    role = _role(actor)
    allowed = channel[f"moderation_{role}_post"] or (reply and channel[f"moderation_{role}_reply"])
    if allowed or await is_channel_moderator(conn, actor, channel, bool(channel["poster_channel_admin"])):
        return
    message = (
        "Only the channel's admins may post here." if not reply else "Replies are closed in this channel."
    )
    raise errors.APIError(403, READ_ONLY_ERROR, message)


async def require_may_react(conn: AsyncConnection, actor: Caller, channel: Row) -> None:
    moderation = await moderation_store.get_moderation(conn, channel["id"])
    if moderation is None or moderation[f"{_role(actor)}_react"]:
        return
    member = await channel_store.get_member(conn, channel["id"], actor.user_id)
    channel_admin = member is not None and bool(member["scheme_admin"])
    if not await is_channel_moderator(conn, actor, channel, channel_admin):
        raise errors.APIError(403, REACT_ERROR, "Only the channel's admins may react here.")
