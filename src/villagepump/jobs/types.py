"""The names of job types and outbox kinds, and what a delivery handler may report."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

from villagepump.clock import Clock
from villagepump.config import Settings
from villagepump.store import Row

if TYPE_CHECKING:
    from villagepump.runtime import Runtime

# Job types (Mattermost's /jobs "type").
EXPIRE_SESSIONS = "expire_sessions"
PURGE_OUTBOX = "purge_outbox"
# Removes unreadable files (deleted posts, never attached) and stale temporary uploads.
CLEAN_FILES = "clean_files"
# Blanks client addresses in the audit log older than PrivacySettings.ClientAddressRetentionDays.
EXPIRE_ADDRESSES = "expire_client_addresses"
# An admin's check that a receiver is reachable: one HTTP POST through the outbox, whose
# outcome (attempts, the last error) shows on the job.
TEST_WEBHOOK = "test_webhook"
# Deletes what is past the data retention policies (jobs/retention.py), daily at
# DeletionJobStartTime; Mattermost's job type name, so "Run Deletion Job Now" creates it.
DATA_RETENTION = "data_retention"
# Builds one user's personal data zip ({"export_id"}), queued by actions/data_exports.py.
PERSONAL_DATA_EXPORT = "personal_data_export"
# Deletes export zips past their expiry (VillagepumpSettings.DataExportExpiryHours).
EXPIRE_DATA_EXPORTS = "expire_data_exports"

# Jobs a worker runs itself; a test_webhook job is carried out by its outbox item instead.
RUNNABLE_TYPES = (
    EXPIRE_SESSIONS,
    PURGE_OUTBOX,
    CLEAN_FILES,
    EXPIRE_ADDRESSES,
    DATA_RETENTION,
    PERSONAL_DATA_EXPORT,
    EXPIRE_DATA_EXPORTS,
)
# Types an admin may create with POST /jobs.
CREATABLE_TYPES = (*RUNNABLE_TYPES, TEST_WEBHOOK)

# Mattermost's job statuses.
JOB_STATUSES = ("pending", "in_progress", "success", "error", "cancel_requested", "canceled", "warning")

# Outbox kinds.
HTTP_POST = "http_post"
# The link previews of a post: {"post_id", "links"} (actions/link_previews.py).
LINK_PREVIEW = "link_preview"
# One mail: {"to", "template", "locale", "params", "link"} (jobs/email.py).
EMAIL = "email"
# A post's notifications: who is notified, then one push item per device (actions/notifications.py).
NOTIFY_POST = "notify_post"
PUSH = "push"
# A user's batch of notification mails, due at its item's available_at: {"user_id"}.
EMAIL_BATCH = "email_batch"
# One Web Push to one browser subscription: {"subscription_id", "message"} (jobs/webpush.py).
WEBPUSH = "webpush"
# Events a shell command published while no Redis joins the processes: {"events"}, published
# again by the running server (events/outbox_relay.py, jobs/relayed_events.py).
RELAYED_EVENTS = "relayed_events"


class DeliveryError(Exception):
    """An attempt that did not deliver. `permanent` means another attempt cannot succeed;
    `retry_after` is the remote side's own request to wait (seconds), if it made one."""

    def __init__(self, message: str, *, permanent: bool = False, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.retry_after = retry_after


@dataclass(frozen=True)
class DeliveryContext:
    settings: Settings
    http: httpx.AsyncClient
    clock: Clock
    # For the kinds whose work ends in a write of their own (link previews store what they found).
    runtime: "Runtime | None" = None


# Carries out one outbox item; returns when delivered, raises DeliveryError otherwise.
Deliverer = Callable[[DeliveryContext, Row], Awaitable[None]]
