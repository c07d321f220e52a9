"""Notifications leave the server here: a new post's fan-out to the mobile devices of those it
concerns (and, through actions/notification_mail.py, to their mailboxes), the `clear` push
when a channel is read elsewhere, the out-of-office reply, the
answer to an id-loaded push's ack, and the push check of /system/ping.

A post queues one `notify_post` outbox item in its own transaction (cheap on the hot path); the
worker that carries it out decides who is notified (notifications/recipients.py) and queues one
`push` item per device, with ids derived from the post's item, so a fan-out that runs twice
(its claim lapsed) queues nothing new. Each push then leaves once, retried with backoff.
"""

import logging
from datetime import UTC, datetime
from typing import Any

import httpx
import orjson

from villagepump import errors, permissions
from villagepump.actions import notification_mail
from villagepump.actions import posts as post_actions
from villagepump.actions import webpush as webpush_actions
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.clock import now_ms_of
from villagepump.config import Settings
from villagepump.ids import derived_id, new_id
from villagepump.jobs.types import NOTIFY_POST, PUSH
from villagepump.notifications import push as push_messages
from villagepump.notifications import recipients
from villagepump.notifications.signing import sign_push
from villagepump.runtime import Runtime
from villagepump.store import Row, locks
from villagepump.store import channels as channel_store
from villagepump.store import notifications as notification_store
from villagepump.store import outbox as outbox_store
from villagepump.store import posts as post_store
from villagepump.store import users as user_store
from villagepump.store import webpush as webpush_store

log = logging.getLogger("villagepump.notifications")


def push_enabled(settings: Settings) -> bool:
    return settings.send_push_notifications and bool(settings.push_notification_server)


async def queue_post_notifications(tx: Transaction, settings: Settings, channel: Row, post_id: str) -> None:
    """Within the post's transaction. A direct message always goes through (its receiver may
    be away with an automatic reply); other posts only when there is a way to notify: Web Push
    counts once some browser has subscribed (one cheap read, until then)."""
    if (
        channel["type"] == "D"
        or push_enabled(settings)
        or notification_mail.email_enabled(settings)
        or (settings.enable_web_push and await webpush_store.any_subscription(tx.conn))
    ):
        await tx.enqueue(NOTIFY_POST, {"post_id": post_id})


def _member(row: Row) -> recipients.Member:
    return recipients.Member(
        user_id=row["user_id"],
        username=row["username"],
        first_name=row["first_name"],
        user_notify_props=row["user_notify_props"] or {},
        channel_notify_props=row["channel_notify_props"] or {},
        status=row["status"] or "offline",
        dnd_end_time=row["dnd_end_time"] or 0,
        prev_status=row["prev_status"] or "",
        collapsed_threads=(row["collapsed_reply_threads"] or "on") != "off",
        is_bot=bool(row["is_bot"]),
    )


async def notify_post(rt: Runtime, source_id: str, post_id: str) -> None:
    """Carries out a notify_post item: the decision, then the pushes and the automatic reply."""
    now = now_ms_of(rt.clock)
    async with rt.db.read() as conn:
        post = await post_store.get_post(conn, post_id)
        if post is None or post["delete_at"]:
            return
        channel = await channel_store.get_channel(conn, post["channel_id"])
        if channel is None:
            return
        rows = await notification_store.channel_recipients(conn, channel["id"])
        thread = None
        if post["root_id"]:
            root = await post_store.get_post(conn, post["root_id"])
            participants, followers = await notification_store.thread_facts(conn, post["root_id"])
            root_user = root["user_id"] if root is not None else ""
            thread = recipients.Thread(root_user, frozenset(participants), frozenset(followers))
        poster = await user_store.get_user(conn, post["user_id"])
    if poster is None:
        return
    decisions = recipients.decide(post, channel["type"], [_member(r) for r in rows], thread, now)
    pushed = [d for d in decisions if d.applies("push")] if push_enabled(rt.settings) else []
    mailed = (
        [d for d in decisions if d.applies("email")] if notification_mail.email_enabled(rt.settings) else []
    )
    web_pushed = [d for d in decisions if d.applies("webpush")] if rt.settings.enable_web_push else []
    async with transaction(rt) as tx:
        if pushed:
            await _queue_pushes(tx, rt.settings, source_id, post, channel, poster["username"], pushed, now)
        if mailed:
            await notification_mail.queue_mails(rt, tx, source_id, post, mailed)
        if web_pushed:
            await webpush_actions.queue_web_pushes(
                tx, rt.settings, source_id, post, channel, poster["username"], web_pushed, now
            )
        if channel["type"] == "D" and not poster["is_bot"]:
            await _auto_respond(tx, channel, post, rows)


async def _queue_pushes(
    tx: Transaction,
    settings: Settings,
    source_id: str,
    post: Row,
    channel: Row,
    sender_name: str,
    decisions: list[recipients.Decision],
    now: int,
) -> None:
    by_user = {d.user_id: d for d in decisions}
    devices = await notification_store.devices(tx.conn, list(by_user), now)
    badges = await notification_store.badge_counts(tx.conn, list(by_user))
    for device in devices:
        if ":" not in device["device_id"]:
            continue  # not a push-proxy token; the proxy would refuse it
        decision = by_user[device["user_id"]]
        message = push_messages.message_push(
            settings.push_notification_contents,
            post,
            channel,
            sender_name,
            decision,
            badges.get(decision.user_id, 0),
        )
        await tx.enqueue(
            PUSH,
            {"user_id": device["user_id"], "device_id": device["device_id"], "push": message},
            item_id=derived_id(source_id, device["id"]),
        )


async def _auto_respond(tx: Transaction, channel: Row, post: Row, rows: list[Row]) -> None:
    """Mattermost's out-of-office reply: the receiver's auto_responder_message, posted by them
    into the direct message, at most once per (UTC) day in that channel."""
    receiver = next((r for r in rows if r["user_id"] != post["user_id"]), None)
    if receiver is None:
        return  # a message to oneself
    props = receiver["user_notify_props"] or {}
    message = str(props.get("auto_responder_message") or "")
    if props.get("auto_responder_active") != "true" or not message.strip():
        return
    # The channel lock makes two messages arriving together answer once.
    await locks.lock_channel(tx.conn, channel["id"])
    day = datetime.fromtimestamp(post["create_at"] / 1000, UTC).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    since = int(day.timestamp() * 1000)
    if await notification_store.has_auto_response_since(tx.conn, channel["id"], receiver["user_id"], since):
        return
    actor = {"id": receiver["user_id"], "username": receiver["username"]}
    await post_actions.create_system_post_in(
        tx, channel, actor, notification_store.AUTO_RESPONDER_POST_TYPE, message, {}
    )


async def queue_clear_pushes(
    tx: Transaction, settings: Settings, user_id: str, channel_ids: list[str]
) -> None:
    """Within a view's transaction, before the counts are reset: the channels that had mentions
    get a `clear` push on every device of the user, so the phone drops what was read here."""
    if not push_enabled(settings):
        return
    cleared = await notification_store.channels_with_mentions(tx.conn, user_id, channel_ids)
    if not cleared:
        return
    now = now_ms_of(tx.clock)
    devices = [d for d in await notification_store.devices(tx.conn, [user_id], now) if ":" in d["device_id"]]
    if not devices:
        return
    badge = (await notification_store.badge_counts(tx.conn, [user_id])).get(user_id, 0)
    badge -= await notification_store.mention_total(tx.conn, user_id, cleared)
    for channel_id in cleared:
        for device in devices:
            message = push_messages.clear_push(channel_id, "", max(badge, 0))
            await tx.enqueue(PUSH, {"user_id": user_id, "device_id": device["device_id"], "push": message})


async def forget_device(rt: Runtime, user_id: str, device_id: str) -> None:
    async with transaction(rt) as tx:
        removed = await notification_store.forget_device(tx.conn, user_id, device_id)
    log.info("push proxy reported a device gone; removed from %d session(s)", removed)


def proxy_body(rt: Runtime, ack_id: str, device_id: str, push: dict[str, Any]) -> dict[str, Any]:
    """The per-device routing and the signature added to a push (mattermost-push-proxy reads
    server_id to find the server, and the app checks the signature)."""
    platform, _, token = device_id.partition(":")
    return {
        **push,
        "ack_id": ack_id,
        "platform": platform,
        "server_id": rt.diagnostic_id,
        "device_id": token,
        "signature": sign_push(rt.push_signing_key, ack_id, token),
    }


async def acknowledge(
    rt: Runtime, caller: Caller, ack_id: str, post_id: str, is_id_loaded: bool
) -> dict[str, Any] | None:
    """POST /notifications/ack. For an id-loaded push, the message it stood for: only to the
    user it was sent to, and only while they may still read the channel."""
    if not push_enabled(rt.settings):
        raise errors.APIError(
            501, "api.push_notification.disabled.app_error", "Push Notifications are disabled on this server."
        )
    if not is_id_loaded or not post_id:
        return None
    async with rt.db.read() as conn:
        item = await outbox_store.get_item(conn, ack_id) if ack_id else None
        if item is None or not _push_about(item, caller.user_id, post_id):
            raise errors.forbidden()
        post, channel = await permissions.require_post_read(conn, caller, post_id)
        sender = await user_store.get_user(conn, post["user_id"])
    sender_name = sender["username"] if sender is not None else ""
    decision = recipients.Decision(caller.user_id, [recipients.MENTION])
    message = push_messages.message_push(push_messages.FULL, post, channel, sender_name, decision, 0)
    message.pop("badge", None)
    return message


def _push_about(item: Row, user_id: str, post_id: str) -> bool:
    """Whether the outbox item is a push sent to this user about this post."""
    payload = item["payload"]
    return bool(
        item["kind"] == PUSH
        and payload.get("user_id") == user_id
        and payload.get("push", {}).get("post_id") == post_id
    )


async def check_device(rt: Runtime, device_id: str) -> str:
    """/system/ping's CanReceiveNotifications: a signed `test` push to the proxy. "true" when
    it took it, "false" when push is off or the proxy says the device is gone, "unknown" when
    the proxy could not be asked."""
    if not push_enabled(rt.settings) or ":" not in device_id:
        return "false"
    ack_id = new_id()
    body = proxy_body(rt, ack_id, device_id, {"type": "test", "version": "v2", "message": "test"})
    url = rt.settings.push_notification_server.rstrip("/") + "/api/v1/send_push"
    try:
        async with httpx.AsyncClient(timeout=rt.settings.jobs_http_timeout_seconds) as client:
            response = await client.post(
                url, content=orjson.dumps(body), headers={"Content-Type": "application/json"}
            )
        answer = orjson.loads(response.content) if response.content else {}
    except (httpx.HTTPError, orjson.JSONDecodeError):
        return "unknown"
    status = answer.get("status") if isinstance(answer, dict) else None
    if status == "OK":
        return "true"
    if status == "REMOVE":
        return "false"
    return "unknown"
