"""Moderators' tools: removing a post, warning, muting and unmuting a user.

Each checks inside its writing transaction that the actor is a moderator who may act on the
user concerned (permissions.require_moderator_over: never on admins or other moderators),
writes, records an audit entry and queues its events. Removing someone from a channel or team,
and deactivating an account, are the ordinary actions (channels, teams, users), whose checks
let moderators through on the same terms.
"""

from typing import Any

from villagepump import errors, permissions
from villagepump.actions import channels as channel_actions
from villagepump.actions import posts as post_actions
from villagepump.actions import system_bots
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.events.types import Broadcast, Event
from villagepump.ids import now_ms
from villagepump.moderation import audit
from villagepump.runtime import Runtime
from villagepump.store import Row, locks
from villagepump.store import mutes as mute_store
from villagepump.store import posts as post_store
from villagepump.store import users as user_store

REMOVED_MESSAGE = "(message removed by a moderator)"
MAX_WARNING = 4000


async def remove_post(rt: Runtime, actor: Caller, post_id: str) -> bool:
    """Removes any post whose id the moderator has, without their being in its channel. With
    VillagepumpSettings.ModeratorRemovalPlaceholder the post stays as a placeholder ("removed by
    a moderator", which its author cannot edit away); otherwise it is deleted like any post.
    Returns whether a placeholder was left. Nothing of the post is returned."""
    permissions.require_moderator(actor)
    async with transaction(rt) as tx:
        post = await _live_post_locked(tx, post_id)
        if post["user_id"] != actor.user_id:
            await permissions.require_moderator_over(tx.conn, actor, post["user_id"])
        placeholder = rt.settings.moderator_removal_placeholder
        if (post["props"] or {}).get(post_actions.REMOVED_BY_MODERATOR):
            return True
        if placeholder:
            await post_actions.replace_with_placeholder_in(tx, post, REMOVED_MESSAGE)
        else:
            await post_actions.delete_post_in(tx, post, actor.user_id)
        details = {"channel_id": post["channel_id"], "author_id": post["user_id"], "placeholder": placeholder}
        await audit.record(tx.conn, rt.settings, audit.POST_REMOVED, target_id=post["id"], details=details)
    return placeholder


async def _live_post_locked(tx: Transaction, post_id: str) -> Row:
    """The post, locked in store/locks.py's order: its channel first, then the post, read again
    since it may have been deleted while this waited."""
    post = await post_store.get_post(tx.conn, post_id)
    if post is not None:
        await locks.lock_channel(tx.conn, post["channel_id"])
        post = await locks.lock_post(tx.conn, post_id)
    if post is None or post["delete_at"]:
        raise errors.not_found("post", "app.post.get.app_error")
    return post


def _check_warning(text: object) -> str:
    if not isinstance(text, str) or not text.strip() or len(text) > MAX_WARNING:
        raise errors.bad_request(
            "api.moderation.warn.message.app_error",
            f"A warning needs a message of at most {MAX_WARNING} characters.",
        )
    return text.strip()


async def warn_user(rt: Runtime, actor: Caller, user_id: str, text: object) -> None:
    """A direct message from the system bot with the moderator's text, signed by "the
    moderators" unless VillagepumpSettings.ModeratorWarningShowsName names the moderator."""
    message = _check_warning(text)
    permissions.require_moderator(actor)
    async with transaction(rt) as tx:
        user = await permissions.require_moderator_over(tx.conn, actor, user_id)
        if user["delete_at"]:
            raise errors.bad_request("api.moderation.inactive_user.app_error", "The user is deactivated.")
        # The shell (villagepump moderate) acts as nobody in particular: always "the moderators".
        moderator = await user_store.get_user(tx.conn, actor.user_id)
        shown = rt.settings.moderator_warning_shows_name and moderator is not None
        signature = f"@{moderator['username']}, moderator" if shown and moderator else "the moderators"
        props: dict[str, Any] = {"moderator_warning": True}
        if shown:
            props["moderator_id"] = actor.user_id
        bot_id = await system_bots.moderators_bot_in(tx.conn)
        channel = await channel_actions.get_or_create_direct_in(tx, bot_id, bot_id, user_id)
        draft = post_actions.Draft(message=f"{message}\n\n— {signature}", props=props, set_online=False)
        bot = Caller(user_id=bot_id, session_id="", roles=frozenset({"system_user"}), is_bot=True)
        post = await post_actions.create_post_in(tx, rt, bot, channel["id"], draft)
        details = {"post_id": post["id"], "named": shown}
        await audit.record(tx.conn, rt.settings, audit.USER_WARNED, target_id=user_id, details=details)


def render_mute(user_id: str, mute: Row | None) -> dict[str, Any]:
    in_force = mute is not None and mute_store.in_force(mute["until"], now_ms())
    return {"user_id": user_id, "muted": in_force, "until": mute["until"] if mute and in_force else 0}


async def mute_user(rt: Runtime, actor: Caller, user_id: str, until: int) -> dict[str, Any]:
    """Mutes the user until `until` (ms since the epoch, by the server's clock), or until
    unmuted when it is 0. Muting again replaces the end."""
    if until < 0 or (until and until <= now_ms()):
        raise errors.bad_request("api.moderation.mute.until.app_error", "A mute must end in the future.")
    permissions.require_moderator(actor)
    async with transaction(rt) as tx:
        await permissions.require_moderator_over(tx.conn, actor, user_id)
        await mute_store.set_mute(tx.conn, user_id, until, actor.user_id, now_ms())
        await audit.record(
            tx.conn, rt.settings, audit.USER_MUTED, target_id=user_id, details={"until": until}
        )
        mute = await mute_store.get_mute(tx.conn, user_id)
        rendered = render_mute(user_id, mute)
        tx.publish(Event("mute_changed", dict(rendered), Broadcast(user_id=user_id)))
    return rendered


async def unmute_user(rt: Runtime, actor: Caller, user_id: str) -> dict[str, Any]:
    permissions.require_moderator(actor)
    async with transaction(rt) as tx:
        await permissions.require_moderator_over(tx.conn, actor, user_id)
        if await mute_store.delete_mute(tx.conn, user_id):
            await audit.record(tx.conn, rt.settings, audit.USER_UNMUTED, target_id=user_id)
        rendered = render_mute(user_id, None)
        tx.publish(Event("mute_changed", dict(rendered), Broadcast(user_id=user_id)))
    return rendered


async def get_mute(rt: Runtime, actor: Caller, user_id: str) -> dict[str, Any]:
    """Whether a user is muted, and until when: for moderators, and for the user themselves
    (the client says so in the composer)."""
    if actor.user_id != user_id:
        permissions.require_moderator(actor)
    async with rt.db.read() as conn:
        if await user_store.get_user(conn, user_id) is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        return render_mute(user_id, await mute_store.get_mute(conn, user_id))
