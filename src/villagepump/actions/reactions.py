"""Emoji reactions on posts, checked inside their transaction as posts are (actions/posts.py)."""

import re

from villagepump import errors, permissions
from villagepump.actions import emoji as emoji_actions
from villagepump.actions.posts import require_open_channel
from villagepump.actions.transaction import transaction
from villagepump.auth import Caller
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import now_ms
from villagepump.moderation import posting
from villagepump.render.posts import render_reaction
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import posts as post_store
from villagepump.store import reactions as reaction_store

_EMOJI_NAME = re.compile(r"^[a-z0-9_+\-]{1,64}$")


def check_emoji_name(name: object) -> str:
    if not isinstance(name, str) or not _EMOJI_NAME.match(name):
        raise errors.bad_request("model.reaction.is_valid.emoji_name.app_error", "Invalid emoji name.")
    return name


def _reaction_event(name: str, reaction: Row) -> Event:
    data = {"reaction": json_field(render_reaction(reaction))}
    return Event(name, data, Broadcast(channel_id=reaction["channel_id"]))


async def add_reaction(rt: Runtime, actor: Caller, user_id: str, post_id: str, emoji_name: str) -> Row:
    """The actor reacts as themselves (`user_id` is theirs), in a channel they belong to, with a
    standard emoji or a custom one that exists. Adding a reaction that is already there changes
    nothing and sends nothing."""
    permissions.require_self(actor, user_id)
    async with transaction(rt) as tx:
        post, channel = await permissions.require_post_member(tx.conn, actor, post_id, lock=True)
        require_open_channel(channel)
        await posting.require_not_muted(tx.conn, actor)
        await posting.require_may_react(tx.conn, actor, channel)
        # Locks a custom emoji's row, so a deletion running now either waits for this reaction
        # (and removes it) or finishes first (and this answers 404).
        await emoji_actions.require_reaction_emoji(tx.conn, rt, emoji_name)
        now = now_ms()
        existing = await reaction_store.get_reaction(tx.conn, user_id, post["id"], emoji_name)
        if existing is not None:
            return existing
        reaction, added = await reaction_store.add_reaction(
            tx.conn, user_id, post["id"], emoji_name, channel["id"], now
        )
        if not added:
            return reaction
        # Clients cache posts by update_at; the post's reactions changed, so it must be refetched.
        await post_store.touch_post(tx.conn, post["id"], now)
        tx.publish(_reaction_event("reaction_added", reaction))
    return reaction


async def remove_reaction(rt: Runtime, actor: Caller, user_id: str, post_id: str, emoji_name: str) -> None:
    """Members take back their own reactions; system admins may take away anyone's
    (remove_others_reactions) in a channel they can read."""
    permissions.require_self_or_admin(actor, user_id)
    async with transaction(rt) as tx:
        if actor.is_system_admin:
            post, channel = await permissions.require_post_read(tx.conn, actor, post_id, lock=True)
        else:
            post, channel = await permissions.require_post_member(tx.conn, actor, post_id, lock=True)
        require_open_channel(channel)
        reaction = await reaction_store.get_reaction(tx.conn, user_id, post["id"], emoji_name)
        if reaction is None:
            return
        await reaction_store.remove_reaction(tx.conn, user_id, post["id"], emoji_name)
        await post_store.touch_post(tx.conn, post["id"], now_ms())
        tx.publish(_reaction_event("reaction_removed", reaction))
