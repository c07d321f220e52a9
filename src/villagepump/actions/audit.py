"""Work on the audit log as a whole: the recurring expiry of client addresses, and exports
(which are audited themselves). Entries are written by moderation/audit.record, inside the
transactions of the actions they describe."""

import csv
import io
from collections.abc import AsyncIterator
from typing import Any

import orjson

from villagepump.actions.transaction import Transaction, transaction
from villagepump.clock import now_ms_of
from villagepump.moderation import audit
from villagepump.render.moderation import render_audit
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import audits as audit_store
from villagepump.store.audits import AuditFilter

_DAY_MS = 24 * 60 * 60 * 1000
EXPORT_FORMATS = ("csv", "jsonl")
_CSV_COLUMNS = ("id", "create_at", "user_id", "action", "target_id", "extra_info", "ip_address", "session_id")


async def expire_addresses(rt: Runtime, tx: Transaction, job: Row) -> dict[str, str]:
    """Blanks the client addresses of entries older than PrivacySettings.ClientAddressRetentionDays."""
    cutoff = now_ms_of(rt.clock) - rt.settings.client_address_retention_days * _DAY_MS
    return {"blanked": str(await audit_store.blank_addresses_before(tx.conn, cutoff))}


async def export(rt: Runtime, which: AuditFilter, fmt: str) -> AsyncIterator[str]:
    """The matching entries, newest first, as CSV or JSON Lines, a line at a time. The export
    is recorded first, so the log shows who took a copy of it."""
    async with transaction(rt) as tx:
        await audit.record(
            tx.conn,
            rt.settings,
            audit.AUDIT_EXPORTED,
            details={"format": fmt, **{k: v for k, v in vars(which).items() if v}},
        )
    if fmt == "csv":
        yield _csv_line(_CSV_COLUMNS)
    async with rt.db.read() as conn:
        async for entry in audit_store.stream_audits(conn, which):
            rendered = render_audit(entry)
            if fmt == "csv":
                yield _csv_line(tuple(rendered[column] for column in _CSV_COLUMNS))
            else:
                yield orjson.dumps(rendered).decode() + "\n"


def _csv_line(values: tuple[Any, ...]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()
