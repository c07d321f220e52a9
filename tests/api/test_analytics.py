"""Server statistics (GET /analytics/old): on a fresh server with a manual clock, two days of
known activity give known counts, for the whole server and for one team; only admins read them."""

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.api.test_posts import post
from tests.jobs.receiver import wait_until
from tests.support.client import API, World, create_user, expect_error, login, unique
from tests.support.server import ADMIN_PASSWORD, ServerProcess, running_servers

DAY = 86400.0


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh(request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    with running_servers(request.param, manual_clock=True) as (server,):
        yield server


def analytics(api: API, name: str = "standard", team_id: str = "") -> dict[str, int]:
    query = f"?name={name}" + (f"&team_id={team_id}" if team_id else "")
    rows: list[dict[str, Any]] = api.ok("GET", f"/analytics/old{query}")
    return {row["name"]: row["value"] for row in rows}


def series(api: API, name: str, team_id: str = "") -> list[tuple[str, int]]:
    query = f"?name={name}" + (f"&team_id={team_id}" if team_id else "")
    return [(row["name"], row["value"]) for row in api.ok("GET", f"/analytics/old{query}")]


def make_team(admin: API, *members: API) -> dict[str, Any]:
    team = admin.ok("POST", "/teams", {"name": unique("team-"), "display_name": "Team", "type": "O"})
    for member in members:
        admin.ok("POST", f"/teams/{team['id']}/members", {"team_id": team["id"], "user_id": member.id})
    return team


def town_square(api: API, team: dict[str, Any]) -> dict[str, Any]:
    return api.ok("GET", f"/teams/{team['id']}/channels/name/town-square")  # type: ignore[no-any-return]


def day_of(created: dict[str, Any]) -> str:
    return datetime.fromtimestamp(created["create_at"] / 1000, UTC).date().isoformat()


def newest_first(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), reverse=True)


def test_two_days_of_activity_give_known_counts(fresh: ServerProcess) -> None:
    admin = login(fresh.url, "sysadmin", ADMIN_PASSWORD)
    hamlet, othello, cordelia = (create_user(admin, name) for name in ("hamlet", "othello", "cordelia"))
    denmark, britain = make_team(admin, hamlet, othello), make_team(admin, cordelia)
    elsinore, dover = town_square(admin, denmark), town_square(admin, britain)
    hamlet.ok(
        "POST", "/channels", {"team_id": denmark["id"], "name": "ghost", "display_name": "Ghost", "type": "P"}
    )
    yorick = create_user(admin, "yorick")
    admin.ok("DELETE", f"/users/{yorick.id}")

    fresh.advance(1)
    first_day = [
        post(hamlet, elsinore, "one"),
        post(hamlet, elsinore, "two"),
        post(othello, elsinore, "three"),
    ]
    first_day.append(post(cordelia, dover, "four"))
    gone = post(othello, elsinore, "deleted")
    othello.ok("DELETE", f"/posts/{gone['id']}")
    fresh.advance(DAY + 60, step=3600)
    second_day = [post(hamlet, elsinore, "five")]
    # A settled user's activity is written in the background (actions/status.py), so a request
    # does not wait behind other writers: on a loaded machine it may land after the response.
    wait_until(lambda: analytics(admin)["daily_active_users"] == 2, what="hamlet's activity to be written")

    rows = admin.ok("GET", "/analytics/old")
    # In Mattermost's order: some clients read the rows by position.
    assert [row["name"] for row in rows] == [
        "channel_open_count",
        "channel_private_count",
        "post_count",
        "unique_user_count",
        "team_count",
        "total_websocket_connections",
        "total_master_db_connections",
        "total_read_db_connections",
        "daily_active_users",
        "monthly_active_users",
        "inactive_user_count",
    ]
    everywhere = {row["name"]: row["value"] for row in rows}
    assert everywhere.pop("total_master_db_connections") >= 1
    assert everywhere.pop("total_read_db_connections") >= 0
    assert everywhere == {
        "channel_open_count": 4,
        "channel_private_count": 1,
        "post_count": 5,
        "unique_user_count": 4,
        "team_count": 2,
        "total_websocket_connections": 0,
        # Seen within a day: the admin and hamlet; within a month: everyone but yorick.
        "daily_active_users": 2,
        "monthly_active_users": 4,
        "inactive_user_count": 1,
    }
    in_denmark = analytics(admin, team_id=denmark["id"])
    assert in_denmark["channel_open_count"] == 2 and in_denmark["channel_private_count"] == 1
    assert in_denmark["post_count"] == 4 and in_denmark["team_count"] == 2
    # The admin created the team, so is in it, with hamlet and othello.
    assert in_denmark["unique_user_count"] == 3 and in_denmark["inactive_user_count"] == 0
    assert in_denmark["daily_active_users"] == 2 and in_denmark["monthly_active_users"] == 3

    posts_per_day = Counter(day_of(created) for created in first_day + second_day)
    assert series(admin, "post_counts_day") == newest_first(posts_per_day)
    in_denmark_per_day = Counter(
        day_of(created) for created in first_day + second_day if created["channel_id"] == elsinore["id"]
    )
    assert series(admin, "post_counts_day", denmark["id"]) == newest_first(in_denmark_per_day)
    posters: dict[str, set[str]] = {}
    for created in first_day + second_day:
        posters.setdefault(day_of(created), set()).add(created["user_id"])
    assert series(admin, "user_counts_with_posts_day") == newest_first(
        Counter({d: len(u) for d, u in posters.items()})
    )
    assert series(admin, "bot_post_counts_day") == []

    extra = analytics(admin, "extra_counts")
    assert extra["incoming_webhook_count"] == 0 and extra["command_count"] == 0
    assert extra["hashtag_post_count"] == 0 and extra["file_post_count"] == 0
    assert extra["session_count"] >= 4


def test_only_system_admins_read_statistics(world: World) -> None:
    expect_error(world.hamlet.get("/analytics/old"), 403, "api.context.permissions.app_error")
    # A team admin is no system admin either.
    expect_error(
        world.iago.get(f"/analytics/old?name=standard&team_id={world.team['id']}"),
        403,
        "api.context.permissions.app_error",
    )
    expect_error(
        world.admin.get("/analytics/old?name=everything"), 400, "api.context.invalid_param.app_error"
    )
    expect_error(world.admin.get("/analytics/old?team_id=nope"), 400, "api.context.invalid_param.app_error")


def test_a_websocket_counts_as_a_connection(world: World) -> None:
    stream = world.hamlet.websocket()
    try:
        assert analytics(world.admin)["total_websocket_connections"] >= 1
    finally:
        stream.close()
