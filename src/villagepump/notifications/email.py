"""What a notification mail says: its timing (immediately or in a batch, by the user's
`email_interval`) and its content, one item per message, in the recipient's language and time zone.

Mattermost's rules (server/channels/app/email_batching.go): without EnableEmailBatching every
mail goes at once; with it, a user's `email_interval` preference of 30 s means "immediately",
any larger number of seconds batches, and a user who never chose waits 15 minutes. A batch
starts with its first notification and goes once that one is `email_interval` old, carrying
everything queued meanwhile. The check runs every EmailBatchingInterval seconds, so a batch is
due at the next such tick after its interval.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from villagepump.config import Settings

IMMEDIATELY = 30
DEFAULT_BATCH_SECONDS = 15 * 60
# How much of a message a mail quotes.
EXCERPT_CHARACTERS = 600
# Mattermost's EmailNotificationContentsType values.
FULL = "full"
GENERIC = "generic"


def batch_seconds(settings: Settings, email_interval: str | None) -> int:
    """0 when the mail goes immediately, else how long the user's batch gathers."""
    if not settings.enable_email_batching:
        return 0
    if email_interval is None or not email_interval.strip():
        return DEFAULT_BATCH_SECONDS
    try:
        seconds = int(email_interval)
    except ValueError:
        return DEFAULT_BATCH_SECONDS
    return 0 if seconds <= IMMEDIATELY else seconds


def batch_due_ms(settings: Settings, queued_at_ms: int, seconds: int) -> int:
    """When a batch that began at `queued_at_ms` goes: `seconds` later, at the next tick of the
    batching check. The same for every notification in one tick, so they share one send."""
    tick = max(settings.email_batching_interval, IMMEDIATELY) * 1000
    due = queued_at_ms + seconds * 1000
    return -(-due // tick) * tick


def zone_of(timezone: Mapping[str, Any] | None) -> ZoneInfo | None:
    """The user's time zone as the clients store it: automatic unless they chose one."""
    timezone = timezone or {}
    automatic = str(timezone.get("useAutomaticTimezone", "true")) != "false"
    name = str(timezone.get("automaticTimezone" if automatic else "manualTimezone") or "")
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_time(ms: int, timezone: Mapping[str, Any] | None) -> str:
    zone = zone_of(timezone)
    moment = datetime.fromtimestamp(ms / 1000, zone or UTC)
    return moment.strftime("%Y-%m-%d %H:%M ") + (moment.tzname() or "UTC")


def excerpt(message: str) -> str:
    if len(message) <= EXCERPT_CHARACTERS:
        return message
    return message[: EXCERPT_CHARACTERS - 1].rstrip() + "…"


def item(
    settings: Settings, row: Mapping[Any, Any], timezone: Mapping[str, Any] | None, link: str
) -> dict[str, str]:
    """One message of a mail: who wrote where and when, what (unless the admin chose generic
    mails), and its permalink. `row` has the post with sender_name, channel_type and
    channel_name."""
    where = "" if row["channel_type"] == "D" else str(row["channel_name"])
    return {
        "sender": str(row["sender_name"]),
        "channel": where,
        "time": local_time(int(row["create_at"]), timezone),
        "message": excerpt(str(row["message"])) if settings.email_notification_contents != GENERIC else "",
        "link": link,
    }
