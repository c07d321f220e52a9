"""Invite links that expire (VillagepumpSettings.InviteLinkExpiryHours), on the runtime's clock:
the runtime runs in the test process, so a day passes in a moment."""

import asyncio
from pathlib import Path

import pytest

from villagepump import errors
from villagepump.actions import teams as team_actions
from villagepump.actions import users as user_actions
from villagepump.app import make_runtime, start_runtime, stop_runtime
from villagepump.auth import Caller
from villagepump.clock import ManualClock
from villagepump.config import Settings

HOUR = 3600.0


def test_an_invite_link_expires_and_a_regenerated_one_works_again(tmp_path: Path) -> None:
    async def story() -> None:
        clock = ManualClock()
        settings = Settings(
            data_dir=tmp_path, argon2_time_cost=1, argon2_memory_kib=1024, invite_link_expiry_hours=24
        )
        rt = make_runtime(settings, clock)
        await start_runtime(rt)
        try:
            owner = await user_actions.create_user(
                rt, username="claudius", email="claudius@example.org", password="the-crown-1"
            )
            team = await team_actions.create_team(rt, owner["id"], "elsinore", "Elsinore", "I")
            fields = {"email": "osric@example.org", "password": "a-courtier-1"}
            await clock.advance(23 * HOUR)
            async with rt.db.read() as conn:
                assert await team_actions.team_for_invite(conn, rt, team["invite_id"]) is not None
            await clock.advance(2 * HOUR)
            async with rt.db.read() as conn:
                assert await team_actions.team_for_invite(conn, rt, team["invite_id"]) is None
            with pytest.raises(errors.APIError) as refused:
                await user_actions.create_user(rt, username="osric", invite_id=team["invite_id"], **fields)
            assert refused.value.error_id == "api.user.create_user.invalid_invitation_type.app_error"
            admin = Caller(user_id=owner["id"], session_id="", roles=frozenset({"system_user"}))
            renewed = await team_actions.regenerate_invite_id(rt, admin, team["id"])
            user = await user_actions.create_user(
                rt, username="osric", invite_id=renewed["invite_id"], **fields
            )
            assert user["username"] == "osric"
        finally:
            await stop_runtime(rt)

    asyncio.run(story())
