"""Web Push: browsers subscribe for the session they are signed in with, and a post's fan-out
pushes to the subscriptions of those it concerns while they have no page open (the `webpush`
channel of notifications/recipients.decide). Each push is one `webpush` outbox item, encrypted
for its subscription when it is sent (jobs/webpush.py)."""

import urllib.parse

from villagepump import __version__, errors
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.clock import now_ms_of
from villagepump.config import Settings
from villagepump.ids import derived_id, new_id
from villagepump.jobs.types import WEBPUSH
from villagepump.notifications import push as push_messages
from villagepump.notifications import recipients, webpush
from villagepump.previews.addresses import AllowList, literal_address
from villagepump.previews.fetch import Policy
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import email_notifications as mail_store
from villagepump.store import webpush as webpush_store

MAX_ENDPOINT = 1024


def _invalid(detail: str) -> errors.APIError:
    return errors.APIError(
        400, "api.webpush.subscription.invalid.app_error", f"Invalid Web Push subscription: {detail}."
    )


def policy_for(settings: Settings) -> Policy:
    return Policy(
        allowed=AllowList.parse(settings.allowed_untrusted_internal_connections),
        user_agent=f"Villagepump/{__version__} (web push)",
        timeout_seconds=settings.jobs_http_timeout_seconds,
    )


def _check_endpoint(settings: Settings, endpoint: str) -> None:
    """Browsers hand out https endpoints at their push service; plain http is accepted only for
    a host the admin allows (a push service on the local network, or a test's)."""
    if not endpoint or len(endpoint) > MAX_ENDPOINT:
        raise _invalid(f"the endpoint must be a URL of at most {MAX_ENDPOINT} characters")
    try:
        parts = urllib.parse.urlsplit(endpoint)
        host = parts.hostname or ""
    except ValueError:
        raise _invalid("the endpoint is not a URL") from None
    if parts.scheme == "https" and host:
        return
    allowed = AllowList.parse(settings.allowed_untrusted_internal_connections)
    address = literal_address(host) if host else None
    if (
        parts.scheme == "http"
        and host
        and (host in allowed.hosts or (address and allowed.allows(host, address)))
    ):
        return
    raise _invalid("the endpoint must be an https URL")


async def subscribe(rt: Runtime, caller: Caller, endpoint: str, p256dh: str, auth: str) -> None:
    _check_endpoint(rt.settings, endpoint)
    try:
        webpush.check_keys(p256dh, auth)
    except webpush.BadSubscription as error:
        raise _invalid(str(error)) from None
    async with transaction(rt) as tx:
        values = {
            "id": new_id(),
            "user_id": caller.user_id,
            "session_id": caller.session_id,
            "endpoint": endpoint,
            "p256dh": p256dh,
            "auth": auth,
            "create_at": now_ms_of(tx.clock),
        }
        await webpush_store.save(tx.conn, values)


async def unsubscribe(rt: Runtime, caller: Caller, endpoint: str) -> None:
    async with transaction(rt) as tx:
        if not await webpush_store.remove(tx.conn, caller.user_id, endpoint):
            raise errors.not_found("subscription", "api.webpush.subscription.not_found.app_error")


async def forget(rt: Runtime, subscription_id: str) -> None:
    """The push service answered that the subscription is gone (404 or 410)."""
    async with transaction(rt) as tx:
        await webpush_store.forget(tx.conn, subscription_id)


async def queue_web_pushes(
    tx: Transaction,
    settings: Settings,
    source_id: str,
    post: Row,
    channel: Row,
    sender_name: str,
    decisions: list[recipients.Decision],
    now: int,
) -> None:
    """Within the fan-out's transaction: one item per live subscription of each decided user,
    with an id derived from the fan-out so that a repeated fan-out pushes once."""
    by_user = {d.user_id: d for d in decisions}
    subscriptions = await webpush_store.live_subscriptions(tx.conn, list(by_user), now)
    team_names: dict[str, str] = {}
    for subscription in subscriptions:
        user_id = subscription["user_id"]
        if user_id not in team_names:
            team_names[user_id] = await _team_name(tx, channel, user_id)
        message = _message(settings, post, channel, sender_name, by_user[user_id], team_names[user_id])
        await tx.enqueue(
            WEBPUSH,
            {"subscription_id": subscription["id"], "message": message},
            item_id=derived_id(source_id, WEBPUSH, subscription["id"]),
        )


async def _team_name(tx: Transaction, channel: Row, user_id: str) -> str:
    if channel["team_id"]:
        return await mail_store.team_name(tx.conn, channel["team_id"])
    return await mail_store.first_team_name(tx.conn, user_id)


def _message(
    settings: Settings, post: Row, channel: Row, sender: str, decision: recipients.Decision, team: str
) -> dict[str, str]:
    """What the service worker shows: the mobile push's wording for the admin's contents mode
    (id_loaded, which needs the app's ack, reads as generic), and where a click goes."""
    contents = settings.push_notification_contents
    if contents == push_messages.ID_LOADED:
        contents = push_messages.GENERIC
    title = settings.site_name
    if contents != push_messages.GENERIC_NO_CHANNEL or channel["type"] == "D":
        title = push_messages.channel_title(channel, sender)
    return {
        "title": title,
        "body": push_messages.push_text(contents, post, channel["type"], sender, decision),
        "url": f"/{team}/pl/{post['id']}" if team else "/",
        "tag": channel["id"],
        "post_id": post["id"],
        "channel_id": channel["id"],
    }
