"""Collapsed reply threads: following them and marking them read or unread."""

from typing import Any

from villagepump import mentions
from villagepump.actions.transaction import transaction
from villagepump.events.types import Broadcast, Event
from villagepump.ids import now_ms
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import channels as channel_store
from villagepump.store import posts as post_store
from villagepump.store import threads as thread_store


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


async def mark_read(rt: Runtime, user: Row, root: Row, channel: Row, last_viewed: int) -> None:
    """The user has read the thread up to `last_viewed` (ms); mentions after it stay unread."""
    async with transaction(rt) as tx:
        before = await thread_store.thread_for_user(tx.conn, root["id"], user["id"])
        unread_mentions = await _count_mentions(tx.conn, user, root, channel, last_viewed)
        await thread_store.set_read_state(
            tx.conn, root["id"], user["id"], last_viewed, unread_mentions, now_ms()
        )
        after = await thread_store.thread_for_user(tx.conn, root["id"], user["id"])
        assert after is not None
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
