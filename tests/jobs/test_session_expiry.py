"""A server on a manual clock deletes sessions once they have expired by its own time."""

import pytest

from tests.jobs.receiver import wait_until
from tests.jobs.servers import admin_of, servers
from tests.support.client import create_user, expect_error

HOUR = 3600.0


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_expired_sessions_are_deleted_by_the_recurring_job(kind: str) -> None:
    one_day_sessions = {"VILLAGEPUMP_SESSION_DAYS": "1", "VILLAGEPUMP_JOBS_SESSION_EXPIRY_SECONDS": "600"}
    with servers(kind, manual_clock=True, **one_day_sessions) as (server,):
        hamlet = create_user(admin_of(server), "hamlet")
        server.advance(23 * HOUR, step=HOUR)
        admin = admin_of(server)
        assert len(admin.ok("GET", f"/users/{hamlet.id}/sessions")) == 1
        server.advance(2 * HOUR, step=HOUR)
        expect_error(hamlet.get("/users/me"), 401, "api.context.session_expired.app_error")
        admin = admin_of(server)

        def deleted() -> bool:
            if admin.ok("GET", f"/users/{hamlet.id}/sessions") == []:
                return True
            server.advance(1, step=1)  # a worker busy when the clock stopped polls again
            return False

        wait_until(deleted, what="the expired session to be deleted")
        runs = admin.ok("GET", "/jobs/type/expire_sessions?per_page=200")
        assert sum(int(run["data"].get("deleted", "0")) for run in runs) >= 1
        assert [run for run in runs if run["status"] == "error"] == []
