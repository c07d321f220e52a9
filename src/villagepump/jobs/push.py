"""The notify_post, push and email_batch outbox kinds (actions/notifications.py and
actions/notification_mail.py).

notify_post: {"post_id"}: decides who a post notifies and queues their pushes.
push: {"user_id", "device_id", "push"}: one signed message to the push proxy for one device;
the item's id is the push's ack_id. The proxy answers {"status": "OK"}, {"status": "REMOVE"}
(the app was uninstalled: the device is forgotten) or {"status": "FAIL", "error": ...}.
email_batch: {"user_id"}: the user's batch of notification mails, if it is due, as one mail.
"""

import httpx
import orjson

from villagepump.actions import notification_mail
from villagepump.actions import notifications as notification_actions
from villagepump.jobs.types import DeliveryContext, DeliveryError
from villagepump.store import Row

_RETRYABLE_CLIENT_ERRORS = {408, 409, 425, 429}


async def deliver_notify_post(ctx: DeliveryContext, item: Row) -> None:
    if ctx.runtime is None:
        raise DeliveryError("notifications need the server's runtime", permanent=True)
    await notification_actions.notify_post(ctx.runtime, item["id"], str(item["payload"].get("post_id", "")))


async def deliver_email_batch(ctx: DeliveryContext, item: Row) -> None:
    if ctx.runtime is None:
        raise DeliveryError("notification mails need the server's runtime", permanent=True)
    await notification_mail.send_batch(ctx.runtime, str(item["payload"].get("user_id", "")))


async def deliver_push(ctx: DeliveryContext, item: Row) -> None:
    rt = ctx.runtime
    if rt is None:
        raise DeliveryError("push needs the server's runtime", permanent=True)
    if not notification_actions.push_enabled(ctx.settings):
        return  # turned off since it was queued: it is not sent, and that is its outcome
    payload = item["payload"]
    body = notification_actions.proxy_body(rt, item["id"], payload["device_id"], payload["push"])
    url = ctx.settings.push_notification_server.rstrip("/") + "/api/v1/send_push"
    try:
        response = await ctx.http.post(
            url, content=orjson.dumps(body), headers={"Content-Type": "application/json"}
        )
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise DeliveryError(f"{type(error).__name__}: {error}", permanent=True) from error
    except httpx.HTTPError as error:
        raise DeliveryError(f"{type(error).__name__}: {error}".rstrip(": ")) from error
    status = response.status_code
    if not 200 <= status < 300:
        permanent = 400 <= status < 500 and status not in _RETRYABLE_CLIENT_ERRORS
        raise DeliveryError(f"HTTP {status}", permanent=permanent)
    try:
        answer = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        answer = {}
    outcome = answer.get("status") if isinstance(answer, dict) else None
    if outcome == "REMOVE":
        await notification_actions.forget_device(rt, payload["user_id"], payload["device_id"])
    elif outcome == "FAIL":
        raise DeliveryError(f"push proxy: {str(answer.get('error', ''))[:200]}")
