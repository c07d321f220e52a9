"""The webpush outbox kind: one message to one browser's subscription.

Payload: {"subscription_id", "message": {"title", "body", "url", "tag", ...}}. The message is
encrypted for the subscription when it is sent (a subscription renewed meanwhile gets the new
keys) and POSTed to its endpoint, address-checked like a link preview since the endpoint comes
from a browser. The push service answers 201; 404 or 410 means the subscription is gone, and
it is forgotten; 429 and 5xx are tried again.
"""

import orjson

from villagepump.actions import webpush as webpush_actions
from villagepump.clock import now_ms_of
from villagepump.jobs.types import DeliveryContext, DeliveryError
from villagepump.notifications import webpush
from villagepump.previews import fetch
from villagepump.previews.urls import FetchFailed
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import webpush as webpush_store

# How long a push service keeps a message for a browser that is offline (seconds).
TIME_TO_LIVE = 24 * 60 * 60
_GONE = {404, 410}
_RETRYABLE_CLIENT_ERRORS = {408, 425, 429}


async def deliver_webpush(ctx: DeliveryContext, item: Row) -> None:
    rt = ctx.runtime
    if rt is None:
        raise DeliveryError("web push needs the server's runtime", permanent=True)
    payload = item["payload"]
    async with rt.db.read() as conn:
        subscription = await webpush_store.get(conn, str(payload.get("subscription_id", "")))
    if subscription is None:
        return  # unsubscribed since: nothing to send, and that is its outcome
    message = orjson.dumps(payload.get("message") or {})
    try:
        body = webpush.encrypt(message, subscription["p256dh"], subscription["auth"])
    except ValueError as error:
        raise DeliveryError(f"cannot encrypt for this subscription: {error}", permanent=True) from error
    endpoint = subscription["endpoint"]
    headers = [
        ("Content-Type", "application/octet-stream"),
        ("Content-Encoding", "aes128gcm"),
        ("TTL", str(TIME_TO_LIVE)),
        ("Urgency", "high"),
        ("Authorization", webpush.vapid_authorization(rt.webpush_key, endpoint, _subject(rt), _now(ctx))),
    ]
    try:
        answer = await fetch.send("POST", endpoint, body, headers, webpush_actions.policy_for(ctx.settings))
    except FetchFailed as error:
        raise DeliveryError(str(error)) from error
    if 200 <= answer.status < 300:
        return
    if answer.status in _GONE:
        await webpush_actions.forget(rt, subscription["id"])
        return
    retry_after = float(answer.retry_after) if answer.retry_after.isdigit() else None
    permanent = 400 <= answer.status < 500 and answer.status not in _RETRYABLE_CLIENT_ERRORS
    raise DeliveryError(f"push service: HTTP {answer.status}", permanent=permanent, retry_after=retry_after)


def _now(ctx: DeliveryContext) -> int:
    return now_ms_of(ctx.clock) // 1000


def _subject(rt: Runtime) -> str:
    """Who push services may contact about our pushes (RFC 8292 `sub`): the site, if it is
    https, else the feedback address."""
    site = rt.settings.site_url.rstrip("/")
    if site.startswith("https://"):
        return site
    return f"mailto:{rt.settings.feedback_email or 'noreply@localhost'}"
