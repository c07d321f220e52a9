"""The data retention job, on a manual clock: it deletes exactly the posts past their cutoff
(a channel's policy beats its team's, which beats the global one) with their reactions, files
(rows and bytes), threads, saved flags and search entries; counts and unread state stay right;
it runs daily on its own, and a second run deletes nothing."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.api.test_files import upload
from tests.jobs.receiver import wait_until
from tests.jobs.servers import admin_of, servers
from tests.jobs.test_file_cleanup import advanced, stored_ids
from tests.support.client import API, create_user, unique
from tests.support.server import ServerProcess
from villagepump.store.posts import JOIN_LEAVE_TYPES

HOUR = 3600.0
GONE = "app.post.get.app_error"


def make_team(admin: API, *members: API) -> dict[str, Any]:
    team = admin.ok("POST", "/teams", {"name": unique("realm-"), "display_name": "Realm", "type": "O"})
    for member in members:
        admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": member.id})
    return team


def make_channel(admin: API, team: dict[str, Any], *members: API) -> dict[str, Any]:
    channel = admin.ok(
        "POST",
        "/channels",
        {"team_id": team["id"], "name": unique("hall-"), "display_name": "Hall", "type": "O"},
    )
    for member in members:
        admin.ok("POST", f"/channels/{channel['id']}/members", {"user_id": member.id})
    return channel


def say(api: API, channel: dict[str, Any], message: str, **extra: Any) -> dict[str, Any]:
    return api.ok("POST", "/posts", {"channel_id": channel["id"], "message": message, **extra})  # type: ignore[no-any-return]


def exists(api: API, post: dict[str, Any]) -> bool:
    return api.get(f"/posts/{post['id']}").status_code == 200


def run_job(server: ServerProcess, admin: API) -> dict[str, Any]:
    job = admin.ok("POST", "/jobs", {"type": "data_retention"}, status=201)

    def finished() -> dict[str, Any] | None:
        current: dict[str, Any] = admin.ok("GET", f"/jobs/{job['id']}")
        return current if advanced(server, current["status"] in ("success", "error")) else None

    done: dict[str, Any] = wait_until(finished, what="the data retention job to finish")
    assert done["status"] == "success", done
    return done


def settled_runs(server: ServerProcess, admin: API, at_least: int) -> list[dict[str, Any]] | None:
    """The data retention runs so far, once there are `at_least` and all have finished."""
    runs: list[dict[str, Any]] = admin.ok("GET", "/jobs/type/data_retention?per_page=200")
    settled = len(runs) >= at_least and all(run["status"] == "success" for run in runs)
    return runs if advanced(server, settled) else None


def counted_posts(api: API, channel: dict[str, Any]) -> int:
    """The channel's posts that count as messages (joins and leaves do not, as in Mattermost)."""
    listed = api.ok("GET", f"/channels/{channel['id']}/posts?per_page=200")["posts"].values()
    return sum(1 for post in listed if post["type"] not in JOIN_LEAVE_TYPES)


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_retention_deletes_exactly_what_is_past_its_policy(kind: str) -> None:
    with servers(kind, manual_clock=True) as (server,):
        admin = admin_of(server)
        hamlet, othello = create_user(admin, "hamlet"), create_user(admin, "othello")
        kept_team, open_team = make_team(admin, hamlet, othello), make_team(admin, hamlet, othello)
        kept = make_channel(admin, kept_team, hamlet)
        short = make_channel(admin, kept_team, hamlet)
        hall = make_channel(admin, open_team, hamlet, othello)
        # Kept forever by its team's policy; a day for one channel of that team; an hour elsewhere.
        admin.ok(
            "POST",
            "/data_retention/policies",
            {"display_name": "Forever", "post_duration": -1, "team_ids": [kept_team["id"]]},
        )
        admin.ok(
            "POST",
            "/data_retention/policies",
            {"display_name": "A day", "post_duration": 1, "channel_ids": [short["id"]]},
        )
        admin.ok(
            "PUT",
            "/config/patch",
            {
                "DataRetentionSettings": {
                    "EnableMessageDeletion": True,
                    "MessageRetentionHours": 1,
                    "EnableFileDeletion": True,
                    "FileRetentionHours": 1,
                    "BatchSize": 2,
                }
            },
        )

        # -- a day ago --------------------------------------------------------------------------
        attachment = upload(hamlet, hall, "ancient.txt", b"ancient bytes")
        root = say(hamlet, hall, "ancient words", file_ids=[attachment["id"]])
        reply = say(othello, hall, "ancient reply", root_id=root["id"])
        other_root = say(hamlet, hall, "ancient question")
        othello.ok(
            "POST", "/reactions", {"user_id": othello.id, "post_id": root["id"], "emoji_name": "smile"}
        )
        hamlet.ok("POST", f"/posts/{root['id']}/pin")
        othello.ok(
            "PUT",
            f"/users/{othello.id}/preferences",
            [{"user_id": othello.id, "category": "flagged_post", "name": root["id"], "value": "true"}],
        )
        # Files go by the global file policy even where the messages stay.
        kept_file = upload(hamlet, kept, "kept.txt", b"kept message, old file")
        kept_old = say(hamlet, kept, "ancient but kept", file_ids=[kept_file["id"]])
        short_old = say(hamlet, short, "ancient and short-lived")
        othello.ok("POST", "/channels/members/me/view", {"channel_id": hall["id"]})
        assert stored_ids(server, None, "") == {attachment["id"], kept_file["id"]}

        server.advance(25 * HOUR, step=HOUR)
        # The job runs on its own: once at start, and at 02:00 in the 25 hours that passed.
        runs = wait_until(lambda: settled_runs(server, admin, 2), what="the daily run to finish")

        # -- now ---------------------------------------------------------------------------------
        answer = say(othello, hall, "a late answer")
        fresh = say(hamlet, hall, "fresh words")
        short_fresh = say(hamlet, short, "fresh and short-lived")
        runs.append(run_job(server, admin))

        for post in (root, reply, other_root, short_old):
            assert not exists(admin, post), post["message"]
        for post in (kept_old, answer, fresh, short_fresh):
            assert exists(admin, post), post["message"]
        assert sum(int(run["data"]["deleted_posts"]) for run in runs) >= 4

        # What hung on the deleted posts went with them.
        assert admin.get(f"/files/{attachment['id']}/info").status_code == 404
        assert admin.get(f"/files/{kept_file['id']}/info").status_code == 404
        assert stored_ids(server, None, "") == set()
        assert othello.ok("GET", f"/users/{othello.id}/posts/flagged")["order"] == []
        assert admin.ok("GET", f"/channels/{hall['id']}/pinned")["order"] == []
        assert (
            othello.get(f"/users/{othello.id}/teams/{open_team['id']}/threads/{root['id']}").status_code
            == 404
        )
        found = hamlet.ok(
            "POST", f"/teams/{open_team['id']}/posts/search", {"terms": "ancient", "is_or_search": False}
        )
        assert found["order"] == []

        # Counts: the channel's totals are its remaining posts; Othello, who had read everything
        # old and then answered, has exactly Hamlet's fresh message unread.
        channel = admin.ok("GET", f"/channels/{hall['id']}")
        assert channel["total_msg_count"] == counted_posts(admin, hall)
        unread = othello.ok("GET", f"/users/{othello.id}/channels/{hall['id']}/unread")
        assert (unread["msg_count"], unread["mention_count"]) == (1, 0)

        # Run again: nothing more is past its cutoff.
        again = run_job(server, admin)
        assert again["data"]["deleted_posts"] == "0"
        # The CLI runs the same deletion (on the real clock, a day behind this server's).
        result = server.cli("retention", "run")
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("Deleted 0 posts"), result.stdout


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_canceled_run_stops_between_batches_and_the_next_one_finishes(kind: str) -> None:
    with servers(kind, manual_clock=True) as (server,):
        admin = admin_of(server)
        team = make_team(admin)
        channel = make_channel(admin, team)
        # Half a day away, so the daily run does not come while the test moves the clock.
        later = (datetime.now(UTC) + timedelta(hours=12)).strftime("%H:%M")
        settings = {
            "EnableMessageDeletion": True,
            "MessageRetentionHours": 1,
            "BatchSize": 1,
            "TimeBetweenBatchesMilliseconds": 500,
            "DeletionJobStartTime": later,
        }
        admin.ok("PUT", "/config/patch", {"DataRetentionSettings": settings})
        old = [say(admin, channel, f"old {n}") for n in range(10)]
        server.advance(2 * HOUR, step=HOUR)

        job = admin.ok("POST", "/jobs", {"type": "data_retention"}, status=201)
        wait_until(lambda: not all(exists(admin, post) for post in old), what="the first batches")
        admin.ok("POST", f"/jobs/{job['id']}/cancel")
        canceled = wait_until(
            lambda: (current := admin.ok("GET", f"/jobs/{job['id']}"))["status"] == "canceled" and current,
            what="the run to stop",
        )
        assert canceled["status"] == "canceled"
        # The clock stood still while they were posted: they go in id order, not posting order.
        assert any(exists(admin, post) for post in old), "a canceled run went on to the end"

        done = run_job(server, admin)
        assert not any(exists(admin, post) for post in old)
        assert int(done["data"]["deleted_posts"]) > 0
