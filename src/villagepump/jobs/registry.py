"""What this server knows how to do in the background. A capability adds its entries here:
retention and e-mail batches as recurring jobs, e-mail, push, webhooks, link previews and bridge
relays as outbox kinds."""

from collections.abc import Callable

from villagepump.actions import audit as audit_actions
from villagepump.actions import data_exports
from villagepump.actions import files as file_actions
from villagepump.actions import jobs as job_actions
from villagepump.config import Settings
from villagepump.integrations.outgoing_webhooks import OUTGOING_WEBHOOK, deliver_outgoing_webhook
from villagepump.jobs.data_export import run_personal_data_export
from villagepump.jobs.email import deliver_email
from villagepump.jobs.http_post import deliver_http_post
from villagepump.jobs.link_preview import deliver_link_preview
from villagepump.jobs.push import deliver_email_batch, deliver_notify_post, deliver_push
from villagepump.jobs.relayed_events import deliver_relayed_events
from villagepump.jobs.retention import run_data_retention
from villagepump.jobs.types import (
    CLEAN_FILES,
    DATA_RETENTION,
    EMAIL,
    EMAIL_BATCH,
    EXPIRE_ADDRESSES,
    EXPIRE_DATA_EXPORTS,
    EXPIRE_SESSIONS,
    HTTP_POST,
    LINK_PREVIEW,
    NOTIFY_POST,
    PERSONAL_DATA_EXPORT,
    PURGE_OUTBOX,
    PUSH,
    RELAYED_EVENTS,
    RUNNABLE_TYPES,
    WEBPUSH,
    Deliverer,
)
from villagepump.jobs.webpush import deliver_webpush

_DAY_SECONDS = 24 * 60 * 60.0

# Job types a worker runs, by type.
RUNNERS: dict[str, job_actions.JobRunner] = {
    EXPIRE_SESSIONS: job_actions.expire_sessions,
    PURGE_OUTBOX: job_actions.purge_outbox,
    CLEAN_FILES: file_actions.clean_files,
    EXPIRE_ADDRESSES: audit_actions.expire_addresses,
    EXPIRE_DATA_EXPORTS: data_exports.expire_exports,
}

# Job types that commit in steps (long work that must not hold one transaction open).
STEPWISE_RUNNERS: dict[str, job_actions.StepwiseJobRunner] = {
    DATA_RETENTION: run_data_retention,
    PERSONAL_DATA_EXPORT: run_personal_data_export,
}

# Job types created on a schedule: seconds between runs, from the settings.
RECURRING: dict[str, Callable[[Settings], float]] = {
    EXPIRE_SESSIONS: lambda settings: settings.jobs_session_expiry_seconds,
    PURGE_OUTBOX: lambda settings: _DAY_SECONDS,
    CLEAN_FILES: lambda settings: settings.jobs_file_cleanup_seconds,
    EXPIRE_ADDRESSES: lambda settings: settings.jobs_address_expiry_seconds,
    EXPIRE_DATA_EXPORTS: lambda settings: settings.jobs_data_export_cleanup_seconds,
}

# Job types created once a day at a time of day (HH:MM, UTC), from the settings.
DAILY_AT: dict[str, Callable[[Settings], str]] = {
    DATA_RETENTION: lambda settings: settings.deletion_job_start_time,
}

# Outbox kinds, by kind. A process claims only the kinds it has a deliverer for, so during a
# rolling upgrade an older process leaves a newer kind to the processes that know it.
DELIVERERS: dict[str, Deliverer] = {
    HTTP_POST: deliver_http_post,
    LINK_PREVIEW: deliver_link_preview,
    EMAIL: deliver_email,
    NOTIFY_POST: deliver_notify_post,
    PUSH: deliver_push,
    EMAIL_BATCH: deliver_email_batch,
    WEBPUSH: deliver_webpush,
    OUTGOING_WEBHOOK: deliver_outgoing_webhook,
    RELAYED_EVENTS: deliver_relayed_events,
}

assert set(RUNNERS) | set(STEPWISE_RUNNERS) == set(RUNNABLE_TYPES), (
    "jobs.types.RUNNABLE_TYPES and RUNNERS disagree"
)
