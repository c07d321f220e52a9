"""Personal data exports: a user (or a system admin, for anyone) asks for a zip of everything the
user posted and uploaded; the `personal_data_export` job builds it into the file storage; whoever
asked may download it until it expires, then the `expire_data_exports` job deletes it
(decision 0039). One export per user runs at a time: the `data_exports.running_user_id` key."""

import asyncio
import logging
import tempfile
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from villagepump import errors, permissions
from villagepump.actions import mailed_links
from villagepump.actions.transaction import Transaction, transaction
from villagepump.auth import Caller
from villagepump.clock import now_ms_of
from villagepump.events.types import Broadcast, Event
from villagepump.files.storage import CHUNK, storage_for
from villagepump.ids import new_id
from villagepump.jobs.types import PERSONAL_DATA_EXPORT
from villagepump.personal_data.export import write_export
from villagepump.render.personal_data import render_export
from villagepump.runtime import Runtime
from villagepump.store import Row
from villagepump.store import jobs as job_store
from villagepump.store import personal_data as personal_store
from villagepump.store import users as user_store

log = logging.getLogger("villagepump.data_exports")

# Sent to the user who asked, when their export is ready or failed, so the settings page updates.
EXPORT_UPDATED = "villagepump_data_export_updated"
_HOUR_MS = 3_600_000


def _not_found() -> errors.APIError:
    return errors.not_found("data_export", "api.villagepump.data_export.not_found.app_error")


def export_key(user_id: str, export_id: str) -> str:
    return f"data_exports/{user_id}/{export_id}.zip"


async def request_export(rt: Runtime, caller: Caller, user_id: str) -> Row:
    """Queues an export of `user_id`'s data for the caller: the user themselves or an admin."""
    permissions.require_self_or_admin(caller, user_id)
    export_id = new_id()
    # A second request while one runs meets the running_user_id key (actions/transaction.py).
    async with transaction(rt) as tx:
        user = await user_store.get_user(tx.conn, user_id)
        if user is None:
            raise errors.not_found("user", "app.user.missing_account.const")
        now = now_ms_of(rt.clock)
        job_id = await _insert_job(tx, export_id, now)
        await personal_store.insert_export(
            tx.conn,
            {
                "id": export_id,
                "user_id": user_id,
                "requested_by": caller.user_id,
                "running_user_id": user_id,
                "job_id": job_id,
                "status": "pending",
                "create_at": now,
                "file_key": "",
                "size": 0,
                "error": "",
            },
        )
        export = await personal_store.get_export(tx.conn, export_id)
    if rt.jobs is not None:
        rt.jobs.wake()
    assert export is not None
    return export


async def _insert_job(tx: Transaction, export_id: str, now: int) -> str:
    job_id = new_id()
    await job_store.insert_job(
        tx.conn,
        {
            "id": job_id,
            "type": PERSONAL_DATA_EXPORT,
            "priority": 0,
            "create_at": now,
            "start_at": 0,
            "last_activity_at": 0,
            "status": "pending",
            "progress": 0,
            "data": {"export_id": export_id},
            "claim_token": "",
            "lease_until": 0,
        },
    )
    return job_id


def _visible(export: Row, now: int) -> Row | dict[str, Any]:
    """An export is its requester's alone; one past its expiry reads as expired at once, before
    the clean-up job has deleted it."""
    if export["status"] == "ready" and export["expire_at"] <= now:
        return {**export, "status": "expired"}
    return export


async def latest_export(rt: Runtime, caller: Caller, user_id: str) -> Row | dict[str, Any]:
    permissions.require_self_or_admin(caller, user_id)
    async with rt.db.read(offload=True) as conn:
        export = await personal_store.latest_export(conn, user_id, caller.user_id)
    if export is None:
        raise _not_found()
    return _visible(export, now_ms_of(rt.clock))


async def open_download(
    rt: Runtime, caller: Caller, export_id: str
) -> tuple[Row | dict[str, Any], AsyncIterator[bytes]]:
    """The export's row and its bytes, for the one who asked for it, while it is valid. Anyone
    else hears that there is no such export, as they would for a made-up id."""
    async with rt.db.read(offload=True) as conn:
        row = await personal_store.get_export(conn, export_id)
    if row is None or row["requested_by"] != caller.user_id:
        raise _not_found()
    export = _visible(row, now_ms_of(rt.clock))
    if export["status"] == "expired":
        raise errors.APIError(
            410,
            "api.villagepump.data_export.expired.app_error",
            "This export has expired; ask for a new one.",
        )
    if export["status"] != "ready":
        raise errors.bad_request(
            "api.villagepump.data_export.not_ready.app_error", "This export is not ready yet."
        )
    return export, storage_for(rt.settings).read(export["file_key"])


# -- the jobs ------------------------------------------------------------------------------------


async def build_export(rt: Runtime, job: Row) -> dict[str, str]:
    """The `personal_data_export` job: writes the zip to a temporary file, stores it, then marks
    the export ready (or failed), tells the requester and frees the user's running key."""
    export_id = str(job["data"].get("export_id", ""))
    async with rt.db.read(offload=True) as conn:
        export = await personal_store.get_export(conn, export_id)
    if export is None or export["status"] not in ("pending", "in_progress"):
        return {"skipped": "true"}
    async with transaction(rt) as tx:
        await personal_store.update_export(tx.conn, export_id, {"status": "in_progress"})
    try:
        size = await _store_zip(rt, export)
    except Exception as error:
        log.exception("data export %s failed", export_id)
        await _finish(rt, export, {"status": "error", "error": f"{type(error).__name__}"[:1000]})
        raise
    now = now_ms_of(rt.clock)
    values = {
        "status": "ready",
        "file_key": export_key(export["user_id"], export_id),
        "size": size,
        "finish_at": now,
        "expire_at": now + rt.settings.data_export_expiry_hours * _HOUR_MS,
    }
    if not await _finish(rt, export, values):
        # The user was erased while the zip was being made: it must not outlive them.
        await storage_for(rt.settings).delete(export_key(export["user_id"], export_id))
        return {"deleted": "true"}
    return {"size": str(size)}


async def _store_zip(rt: Runtime, export: Row) -> int:
    storage = storage_for(rt.settings)
    folder = rt.settings.data_dir / "exports"
    await asyncio.to_thread(folder.mkdir, parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        target = Path(scratch) / "export.zip"
        await write_export(
            rt.db, storage, rt.settings.site_name, export["user_id"], target, now_ms_of(rt.clock)
        )
        return await storage.write(export_key(export["user_id"], export["id"]), _chunks(target))


async def _chunks(path: Path) -> AsyncIterator[bytes]:
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(handle.read, CHUNK * 16):
            yield chunk
    finally:
        handle.close()


async def _finish(rt: Runtime, export: Row, values: dict[str, object]) -> bool:
    """Records the outcome and tells the requester; False when the export is gone (an erase)."""
    async with transaction(rt) as tx:
        await personal_store.update_export(tx.conn, export["id"], {**values, "running_user_id": None})
        finished = await personal_store.get_export(tx.conn, export["id"])
        if finished is None:
            return False
        tx.publish(
            Event(
                EXPORT_UPDATED,
                {"export": render_export(finished)},
                Broadcast(user_id=export["requested_by"]),
            )
        )
        if values["status"] == "ready":
            await _mail_ready(rt, tx, export)
    return True


async def _mail_ready(rt: Runtime, tx: Transaction, export: Row) -> None:
    requester = await user_store.get_user(tx.conn, export["requested_by"])
    if requester is None or requester["delete_at"] or not requester["email"]:
        return
    url = f"{mailed_links.site_url(rt)}/api/v4/villagepump/data_exports/{export['id']}/download"
    hours = str(rt.settings.data_export_expiry_hours)
    await mailed_links.mail(
        rt, tx, requester["email"], "data_export_ready", requester["locale"], {"hours": hours}, link=url
    )


async def expire_exports(rt: Runtime, tx: Transaction, job: Row) -> dict[str, str]:
    """The `expire_data_exports` job: zips past their expiry are deleted; the rows stay, expired."""
    expired = await personal_store.expired_exports(tx.conn, now_ms_of(rt.clock))
    await storage_for(rt.settings).delete_many([row["file_key"] for row in expired if row["file_key"]])
    for row in expired:
        await personal_store.update_export(tx.conn, row["id"], {"status": "expired", "file_key": ""})
    return {"deleted": str(len(expired))}


async def delete_user_exports(rt: Runtime, user_id: str) -> None:
    """Every export of the user's data and every one they asked for, bytes first (an erase)."""
    async with rt.db.read(offload=True) as conn:
        rows = await personal_store.exports_of_user(conn, user_id)
    await storage_for(rt.settings).delete_many([row["file_key"] for row in rows if row["file_key"]])
    async with transaction(rt) as tx:
        await personal_store.delete_exports(tx.conn, [row["id"] for row in rows])
