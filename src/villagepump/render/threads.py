"""Threads as one user sees them (collapsed reply threads), as Mattermost sends them."""

from collections.abc import Mapping
from typing import Any

from villagepump.render.posts import PostRow, render_post
from villagepump.render.users import render_user
from villagepump.store import Row
from villagepump.store.posts import PostContext


def render_thread(
    thread: Mapping[Any, Any], root: PostRow, context: PostContext, users: Mapping[str, Row] | None
) -> dict[str, Any]:
    """`thread` is a thread row joined with the user's membership (following, last_viewed,
    unread_mentions, unread_replies). Participants are user objects when `users` is given
    (extended), else just their ids."""
    participant_ids = list(thread["participants"] or [])
    if users is None:
        participants: list[dict[str, Any]] = [{"id": u} for u in participant_ids]
    else:
        participants = [render_user(users[u], full=False) for u in participant_ids if u in users]
    return {
        "id": thread["post_id"],
        "reply_count": thread["reply_count"],
        "last_reply_at": thread["last_reply_at"],
        "last_viewed_at": thread["last_viewed"] or 0,
        "participants": participants,
        "post": render_post(root, context),
        "unread_replies": thread["unread_replies"] or 0,
        "unread_mentions": thread["unread_mentions"] or 0,
        "is_following": bool(thread["following"]),
        "is_urgent": False,
        "delete_at": thread["thread_delete_at"] or root["delete_at"],
    }
