"""Collapsed reply threads: following them and marking them read or unread."""

from typing import Any

from villagepump import errors, mentions
from villagepump.actions.transaction import Transaction, transaction
from villagepump.events.types import Broadcast, Event, json_field
from villagepump.ids import now_ms
from villagepump.render.threads import render_thread
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import posts as post_store
from villagepump.store import preferences as preference_store
from villagepump.store import threads as thread_store
from villagepump.store import users as user_store
from villagepump.store.posts import PostContext


async def set_following(rt: Runtime, user_id: str, root: Row, channel: Row, following: bool) -> None:
    async with transaction(rt) as tx:
        await thread_store.set_following(tx.conn, root["id"], user_id, following, now_ms())
        thread = await thread_store.get_thread(tx.conn, root["id"])
        data = {
            "thread_id": root["id"],
            "state": following,
            "reply_count": thread["reply_count"] if thread is not None else 0,
        }
        tx.publish(
            Event("thread_follow_changed", data, Broadcast(user_id=user_id, team_id=channel["team_id"]))
        )


async def mark_read(
    rt: Runtime, user: Row, root: Row, channel: Row, last_viewed: int, *, follow: bool = False
) -> None:
    """The user has read the thread up to `last_viewed` (ms); mentions after it stay unread.
    With `follow` (marking it unread from a post) the user follows the thread again."""
    async with transaction(rt) as tx:
        before = await thread_store.thread_for_user(tx.conn, root["id"], user["id"])
        after = await _set_read_state_in(tx, user, root, channel, last_viewed, follow=follow)
        data: dict[str, Any] = {
            "thread_id": root["id"],
            "channel_id": channel["id"],
            "timestamp": last_viewed,
            "unread_mentions": after["unread_mentions"],
            "unread_replies": after["unread_replies"],
            "previous_unread_mentions": before["unread_mentions"] if before is not None else 0,
            "previous_unread_replies": before["unread_replies"] if before is not None else 0,
        }
        tx.publish(
            Event("thread_read_changed", data, Broadcast(user_id=user["id"], team_id=channel["team_id"]))
        )


async def mark_unread_from_in(tx: Transaction, user: Row, root: Row, channel: Row, reply: Row) -> None:
    """Within a transaction: the user follows the thread again and has read it up to just before
    `reply`. As Mattermost does, a user with collapsed threads on hears thread_updated."""
    after = await _set_read_state_in(tx, user, root, channel, reply["create_at"] - 1, follow=True)
    if await collapsed_threads_on(tx.conn, user["id"]):
        tx.publish(await _thread_updated(tx.conn, after, root, channel))


async def collapsed_threads_on(conn: Any, user_id: str) -> bool:
    """Collapsed threads are on by default (CollapsedThreads is default_on); the user may turn them off."""
    found = await preference_store.get_preferences(
        conn, user_id, "display_settings", "collapsed_reply_threads"
    )
    return not found or found[0]["value"] != "off"


async def _set_read_state_in(
    tx: Transaction, user: Row, root: Row, channel: Row, last_viewed: int, *, follow: bool
) -> Row:
    if await thread_store.get_thread(tx.conn, root["id"]) is None:
        # A post nobody has answered is not a thread yet (its thread row comes with the first
        # reply), so there is no read state to keep; checked before anything is written.
        raise errors.not_found("thread", "app.thread.get.app_error")
    unread_mentions = await _count_mentions(tx.conn, user, root, channel, last_viewed)
    await thread_store.set_read_state(
        tx.conn, root["id"], user["id"], last_viewed, unread_mentions, now_ms(), follow=follow
    )
    after = await thread_store.thread_for_user(tx.conn, root["id"], user["id"])
    assert after is not None
    return after


async def _thread_updated(conn: Any, thread: Row, root: Row, channel: Row) -> Event:
    users = {u["id"]: u for u in await user_store.get_users(conn, thread["participants"] or [])}
    following = {root["id"]} if thread["following"] else set()
    context = PostContext(threads={root["id"]: thread}, following=following)
    rendered = render_thread(thread, root, context, users)
    return Event(
        "thread_updated",
        {"thread": json_field(rendered)},
        Broadcast(user_id=thread["user_id"], team_id=channel["team_id"]),
    )


async def mark_all_read(rt: Runtime, user_id: str, team_id: str) -> None:
    now = now_ms()
    async with transaction(rt) as tx:
        await thread_store.mark_all_read(tx.conn, user_id, team_id, now)
        tx.publish(
            Event("thread_read_changed", {"timestamp": now}, Broadcast(user_id=user_id, team_id=team_id))
        )


async def _count_mentions(conn: Any, user: Row, root: Row, channel: Row, after: int) -> int:
    """Replies after `after` that mention the user (in a direct message, every reply by the other)."""
    member = await channel_store.get_member(conn, channel["id"], user["id"])
    ignore_channel = mentions.ignores_channel_mentions(
        {
            "channel_notify_props": member["notify_props"] if member is not None else {},
            "user_notify_props": user["notify_props"],
        }
    )
    count = 0
    for reply in await post_store.messages_from(conn, channel["id"], after + 1, root_id=root["id"]):
        if reply["user_id"] == user["id"]:
            continue
        if channel["type"] == "D" or mentions.mentions_user(
            reply["message"], user["username"], reply["user_id"], user["id"], ignore_channel=ignore_channel
        ):
            count += 1
    return count
