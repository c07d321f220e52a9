"""Notification mails: for what concerns a user while they are away (the e-mail side of
notifications/recipients.decide), sent at once or gathered into one mail per batch.

A post's fan-out (actions/notifications.notify_post) hands over the users its decision mails.
For those who want mail at once, it queues the mail in its own transaction; for the others it
queues the post in email_notifications and an `email_batch` outbox item due when the batch
closes. That item, when carried out, takes the user's whole queue in one transaction and queues
one mail for what is still unread: a message read meanwhile is left out, and a batch goes once
however many processes run.
"""

from villagepump.actions import mailed_links
from villagepump.actions.transaction import Transaction, transaction
from villagepump.clock import now_ms_of
from villagepump.config import Settings
from villagepump.ids import derived_id
from villagepump.jobs.types import EMAIL, EMAIL_BATCH
from villagepump.notifications import email as notification_email
from villagepump.notifications import recipients
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import email_notifications as mail_store


def email_enabled(settings: Settings) -> bool:
    return settings.send_email_notifications and bool(settings.smtp_server)


def _wants_mail(settings: Settings, user: Row | None) -> bool:
    if user is None or user["delete_at"] or user["is_bot"] or not user["email"]:
        return False
    if settings.require_email_verification and not user["email_verified"]:
        return False
    return bool((user["notify_props"] or {}).get("email", "true") != "false")


async def queue_mails(
    rt: Runtime, tx: Transaction, once_id: str, post: Row, decisions: list[recipients.Decision]
) -> None:
    """Within the fan-out's transaction, for the decisions that mail. `once_id` makes an
    immediate mail of a fan-out that runs twice go once."""
    now = now_ms_of(tx.clock)
    for decision in decisions:
        user = await mail_store.recipient(tx.conn, decision.user_id)
        if user is None or not _wants_mail(rt.settings, user):
            continue
        seconds = notification_email.batch_seconds(rt.settings, user["email_interval"])
        if seconds == 0:
            await _queue_mail(rt, tx, user, [post["id"]], item_id=derived_id(once_id, EMAIL, user["id"]))
            continue
        await mail_store.queue(tx.conn, user["id"], post["id"], post["channel_id"], now)
        due = notification_email.batch_due_ms(rt.settings, now, seconds)
        # One item per user and batching tick, however many posts arrive in it.
        await tx.enqueue(
            EMAIL_BATCH,
            {"user_id": user["id"]},
            item_id=derived_id(EMAIL_BATCH, user["id"], str(due)),
            not_before=due,
        )


async def send_batch(rt: Runtime, user_id: str) -> None:
    """Carries out an email_batch item: the user's batch, if it is due, in one mail."""
    async with transaction(rt) as tx:
        now = now_ms_of(tx.clock)
        user = await mail_store.recipient(tx.conn, user_id)
        if user is None:
            return
        seconds = notification_email.batch_seconds(rt.settings, user["email_interval"])
        post_ids = await mail_store.take_batch(tx.conn, user_id, now - seconds * 1000 + 1)
        if post_ids and email_enabled(rt.settings) and _wants_mail(rt.settings, user):
            await _queue_mail(rt, tx, user, post_ids)


async def _queue_mail(
    rt: Runtime, tx: Transaction, user: Row, post_ids: list[str], item_id: str = ""
) -> None:
    rows = await mail_store.unread_posts(tx.conn, user["id"], post_ids)
    if not rows:
        return
    site = mailed_links.site_url(rt)
    home_team = ""
    items = []
    for row in rows:
        team = row["team_name"]
        if not team:
            home_team = home_team or await mail_store.first_team_name(tx.conn, user["id"])
            team = home_team
        link = f"{site}/{team}/pl/{row['id']}" if team else site
        items.append(notification_email.item(rt.settings, row, user["timezone"], link))
    template = "notification" if len(items) == 1 else "notification_batch"
    payload = {
        "to": user["email"],
        "template": template,
        "locale": user["locale"],
        "params": {"sender": items[0]["sender"], "count": str(len(items))},
        "link": site,
        "items": items,
    }
    await tx.enqueue(EMAIL, payload, item_id=item_id)
