"""Personal data exports on the runtime's clock (the runtime runs in the test process, so a week
passes in a moment): one export per user at a time, and a link that expires."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from villagepump import errors
from villagepump.actions import data_exports
from villagepump.actions import erase_user as erase_actions
from villagepump.actions import users as user_actions
from villagepump.actions.transaction import transaction
from villagepump.app import make_runtime, start_runtime, stop_runtime
from villagepump.auth import Caller
from villagepump.clock import ManualClock
from villagepump.config import Settings
from villagepump.files.storage import storage_for
from villagepump.store import jobs as job_store
from villagepump.store.tables import outbox

HOUR = 3600.0


def test_one_export_runs_at_a_time_and_its_link_expires(tmp_path: Path) -> None:
    async def story() -> None:
        clock = ManualClock()
        # An SMTP server is set (never reached: no jobs run here), so a mail is queued.
        settings = Settings(
            data_dir=tmp_path, argon2_time_cost=1, argon2_memory_kib=1024, smtp_server="127.0.0.1"
        )
        rt = make_runtime(settings, clock)
        await start_runtime(rt, run_jobs=False)
        try:
            user = await user_actions.create_user(
                rt, username="horatio", email="horatio@example.org", password="a-scholar-1"
            )
            caller = Caller(user_id=user["id"], session_id="", roles=frozenset({"system_user"}))
            export = await data_exports.request_export(rt, caller, user["id"])
            with pytest.raises(errors.APIError) as refused:
                await data_exports.request_export(rt, caller, user["id"])
            assert refused.value.error_id == "api.villagepump.data_export.in_progress.app_error"
            async with rt.db.read() as conn:
                job = await job_store.get_job(conn, export["job_id"])
            assert job is not None and job["type"] == "personal_data_export"
            assert await data_exports.build_export(rt, job) != {"skipped": "true"}
            ready = await data_exports.latest_export(rt, caller, user["id"])
            assert ready["status"] == "ready"
            assert ready["expire_at"] == ready["finish_at"] + 168 * 3_600_000
            async with rt.db.read() as conn:
                mails = (await conn.execute(select(outbox.c.payload).where(outbox.c.kind == "email"))).all()
            assert [(m.payload["to"], m.payload["template"]) for m in mails] == [
                ("horatio@example.org", "data_export_ready")
            ]
            assert (
                mails[0].payload["link"].endswith(f"/api/v4/villagepump/data_exports/{export['id']}/download")
            )
            _, chunks = await data_exports.open_download(rt, caller, export["id"])
            assert b"".join([chunk async for chunk in chunks])[:2] == b"PK"
            # Another may be asked for once the first is built.
            await data_exports.request_export(rt, caller, user["id"])

            await clock.advance(169 * HOUR)
            with pytest.raises(errors.APIError) as gone:
                await data_exports.open_download(rt, caller, export["id"])
            assert gone.value.status_code == 410
            assert gone.value.error_id == "api.villagepump.data_export.expired.app_error"
            storage = storage_for(rt.settings)
            assert await storage.exists(ready["file_key"])
            async with transaction(rt) as tx:
                assert await data_exports.expire_exports(rt, tx, job) == {"deleted": "1"}
            assert not await storage.exists(ready["file_key"])
        finally:
            await stop_runtime(rt)

    asyncio.run(story())


def test_an_export_made_while_its_user_is_erased_is_not_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def story() -> None:
        settings = Settings(data_dir=tmp_path, argon2_time_cost=1, argon2_memory_kib=1024)
        rt = make_runtime(settings, ManualClock())
        await start_runtime(rt, run_jobs=False)
        try:
            user = await user_actions.create_user(
                rt, username="polonius", email="polonius@example.org", password="behind-the-arras-1"
            )
            caller = Caller(user_id=user["id"], session_id="", roles=frozenset({"system_user"}))
            export = await data_exports.request_export(rt, caller, user["id"])
            async with rt.db.read() as conn:
                job = await job_store.get_job(conn, export["job_id"])
            assert job is not None
            write = data_exports.write_export

            async def write_then_erase(*args: Any) -> None:
                await write(*args)
                await erase_actions.erase_user(rt, None, user["id"], erase_actions.EraseOptions())

            monkeypatch.setattr(data_exports, "write_export", write_then_erase)
            assert await data_exports.build_export(rt, job) == {"deleted": "true"}
            key = data_exports.export_key(user["id"], export["id"])
            assert not await storage_for(rt.settings).exists(key)
        finally:
            await stop_runtime(rt)

    asyncio.run(story())
