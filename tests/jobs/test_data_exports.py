"""Personal data exports on the runtime's clock (the runtime runs in the test process, so a week
passes in a moment): one export per user at a time, and a link that expires."""

import asyncio
from pathlib import Path

import pytest

from villagepump import errors
from villagepump.actions import data_exports
from villagepump.actions import users as user_actions
from villagepump.app import make_runtime, start_runtime, stop_runtime
from villagepump.auth import Caller
from villagepump.clock import ManualClock
from villagepump.config import Settings
from villagepump.files.storage import storage_for
from villagepump.store import jobs as job_store

HOUR = 3600.0


def test_one_export_runs_at_a_time_and_its_link_expires(tmp_path: Path) -> None:
    async def story() -> None:
        clock = ManualClock()
        settings = Settings(data_dir=tmp_path, argon2_time_cost=1, argon2_memory_kib=1024)
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
            from villagepump.actions.transaction import transaction

            async with transaction(rt) as tx:
                assert await data_exports.expire_exports(rt, tx, job) == {"deleted": "1"}
            assert not await storage.exists(ready["file_key"])
        finally:
            await stop_runtime(rt)

    asyncio.run(story())
