"""Outgoing webhooks: which hooks a post fires, what is sent (Mattermost's field names), and the
outbox kind that sends it and turns a `text` in the answer into a post.

One outbox item per hook and callback URL, so each URL is retried on its own. The payload holds
the fields as they were when the post was made: {"hook_id", "url", "content_type", "fields",
"root_id"}.
"""

import logging
from collections.abc import Mapping
from typing import Any

from villagepump import errors
from villagepump.actions.transaction import Transaction
from villagepump.config import Settings
from villagepump.integrations.outgoing import FORM, JSON, CallFailed, post_checked
from villagepump.jobs.types import DeliveryContext, DeliveryError
from villagepump.previews.addresses import AllowList
from villagepump.store import Row
from villagepump.store import teams as team_store
from villagepump.store import webhooks as webhook_store

OUTGOING_WEBHOOK = "outgoing_webhook"
# Mattermost's trigger_when: the first word is a trigger word, or starts with one.
TRIGGER_EXACT, TRIGGER_STARTS_WITH = 0, 1

log = logging.getLogger("villagepump.integrations")


def is_echo_guarded(props: Mapping[str, Any]) -> bool:
    """A post that must never fire outgoing webhooks: a webhook's own post, or one relayed by
    Matterbridge, which marks what it relays with a boolean prop matterbridge_<id> so that its
    own outgoing webhook does not hear it again (its echo-loop guard)."""
    if props.get("from_webhook") == "true":
        return True
    return any(key.startswith("matterbridge_") and value is True for key, value in props.items())


def trigger_word(hook: Row, message: str) -> str | None:
    """The trigger word the message fires the hook with ("" for a hook on every post of its
    channel), or None."""
    words = [word for word in hook["trigger_words"] or [] if word]
    if not words:
        return "" if hook["channel_id"] else None
    first = message.split(maxsplit=1)[0] if message.strip() else ""
    for word in words:
        word = str(word)
        if first == word if hook["trigger_when"] == TRIGGER_EXACT else first.startswith(word):
            return word
    return None


async def queue_outgoing_in(
    tx: Transaction, settings: Settings, channel: Row, poster: Mapping[str, Any], post: Mapping[str, Any]
) -> None:
    """Within the post's transaction: one outbox item per URL of each hook the post fires.
    Only posts in public channels fire hooks, and never a bot's or a webhook's (as Mattermost)."""
    if not settings.enable_outgoing_webhooks or channel["type"] != "O" or poster.get("is_bot"):
        return
    if post["type"] or is_echo_guarded(post["props"] or {}):
        return
    hooks = await webhook_store.outgoing_for_post(tx.conn, channel["team_id"], channel["id"])
    fired = [(hook, word) for hook in hooks if (word := trigger_word(hook, post["message"])) is not None]
    if not fired:
        return
    team = await team_store.get_team(tx.conn, channel["team_id"])
    for hook, word in fired:
        fields = {
            "token": hook["token"],
            "team_id": channel["team_id"],
            "team_domain": team["name"] if team is not None else "",
            "channel_id": channel["id"],
            "channel_name": channel["name"],
            # Milliseconds in JSON, seconds in a form, as Mattermost's ToFormValues sends it.
            "timestamp": post["create_at"] if hook["content_type"] == JSON else post["create_at"] // 1000,
            "user_id": poster["id"],
            "user_name": poster["username"],
            "post_id": post["id"],
            "text": post["message"],
            "trigger_word": word,
            "file_ids": list(post["file_ids"] or []),
        }
        content_type = JSON if hook["content_type"] == JSON else FORM
        for url in hook["callback_urls"] or []:
            payload = {
                "hook_id": hook["id"],
                "url": url,
                "content_type": content_type,
                "fields": fields,
                "root_id": post["root_id"] or post["id"],
            }
            await tx.enqueue(OUTGOING_WEBHOOK, payload)


async def deliver_outgoing_webhook(ctx: DeliveryContext, item: Row) -> None:
    """Calls the hook's URL; a `text` or `attachments` in the answer becomes a post."""
    from villagepump.actions import webhooks as webhook_actions  # the actions import this module

    if ctx.runtime is None:
        raise DeliveryError("outgoing webhooks need the server's runtime", permanent=True)
    payload = item["payload"]
    try:
        answer = await post_checked(
            str(payload["url"]),
            payload["fields"],
            content_type=str(payload["content_type"]),
            allowed=AllowList.parse(ctx.settings.allowed_untrusted_internal_connections),
            timeout_seconds=ctx.settings.jobs_http_timeout_seconds,
        )
    except CallFailed as failed:
        raise DeliveryError(failed.message, permanent=failed.permanent) from None
    reply = answer.json_object()
    if not reply:
        return
    try:
        await webhook_actions.post_hook_answer(
            ctx.runtime, str(payload["hook_id"]), payload["fields"], str(payload["root_id"]), reply
        )
    except errors.APIError as refused:
        # The hook may no longer post there (its creator left, the channel was archived).
        raise DeliveryError(f"the answer was not posted: {refused.error_id}", permanent=True) from None
