"""The data retention job (Mattermost's `data_retention`): daily at DeletionJobStartTime, or when
an admin asks (POST /jobs, `villagepump retention run`). The deletion is actions/retention.py's."""

from collections.abc import Awaitable, Callable

from villagepump.actions import retention as retention_actions
from villagepump.actions.retention import RetentionTarget
from villagepump.config import Settings
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import audits as audit_store
from villagepump.store import reports as report_store
from villagepump.store import retention as retention_store


def _latest_message_cutoff(settings: Settings, now: int) -> int | None:
    """Link previews are cached by address, not by channel: they go after the global message
    policy's time (a cached preview is fetched again when someone posts the link anew)."""
    message_cutoff, _ = retention_actions.global_cutoffs(settings, now)
    return message_cutoff


# Where other stores register what retention deletes besides posts and files, each by its own
# cutoff: (name, cutoff from the settings and the run's time, async delete(conn, cutoff_ms) ->
# rows deleted). The audit log follows the global message policy: a record of who did what is
# kept as long as what they said, no longer. So do reports, which hold copies of messages: a
# report goes once its last change (filing or closing) is older than that (decision 0036).
OTHER_DELETIONS: list[RetentionTarget] = [
    RetentionTarget("link_previews", _latest_message_cutoff, retention_store.delete_link_previews_before),
    RetentionTarget("audit_entries", _latest_message_cutoff, audit_store.delete_audit_before),
    RetentionTarget("reports", _latest_message_cutoff, report_store.delete_reports_before),
]


async def run_data_retention(
    rt: Runtime, job: Row, keep_going: Callable[[], Awaitable[bool]]
) -> dict[str, str]:
    report = await retention_actions.run_retention(rt, OTHER_DELETIONS, keep_going)
    return report.as_job_data()
