"""Custom statuses: set, cleared, remembered among the recent ones, heard by everyone."""

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.support.client import API, World, expect_error


def recent(api: API) -> list[dict[str, Any]]:
    rows = api.ok("GET", "/users/me/preferences/custom_status")
    values = [json.loads(row["value"]) for row in rows if row["name"] == "recent_custom_statuses"]
    return values[0] if values else []


def current(api: API, user: API) -> dict[str, Any] | None:
    value = api.ok("GET", f"/users/{user.id}")["props"].get("customStatus", "")
    return json.loads(value) if value else None


def test_a_custom_status_is_set_seen_by_others_and_cleared(world: World) -> None:
    stream = world.othello.websocket()
    try:
        status = {"emoji": "palm_tree", "text": "On holiday", "duration": "", "expires_at": ""}
        world.hamlet.ok(
            "PUT", f"/users/{world.hamlet.id}/status/custom", {k: v for k, v in status.items() if v}
        )
        event = stream.expect("user_updated")
        assert event["data"]["user"]["id"] == world.hamlet.id
        assert json.loads(event["data"]["user"]["props"]["customStatus"])["text"] == "On holiday"
    finally:
        stream.close()
    seen = current(world.othello, world.hamlet)
    assert seen is not None and seen["emoji"] == "palm_tree" and seen["duration"] == ""
    assert [s["text"] for s in recent(world.hamlet)] == ["On holiday"]
    world.hamlet.ok("DELETE", "/users/me/status/custom")
    assert current(world.othello, world.hamlet) is None
    assert [s["text"] for s in recent(world.hamlet)] == ["On holiday"]


def test_an_expiring_status_and_the_recent_list(world: World) -> None:
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat().replace("+00:00", "Z")
    for n in range(7):
        body = {"emoji": "coffee", "text": f"break {n}", "duration": "one_hour", "expires_at": later}
        world.hamlet.ok("PUT", "/users/me/status/custom", body)
    world.hamlet.ok(
        "PUT", "/users/me/status/custom", {"emoji": "coffee", "text": "break 4", "expires_at": later}
    )
    texts = [s["text"] for s in recent(world.hamlet)]
    assert texts == ["break 4", "break 6", "break 5", "break 3", "break 2"]
    assert current(world.hamlet, world.hamlet)["duration"] == "date_and_time"  # type: ignore[index]
    gone = recent(world.hamlet)[1]
    world.hamlet.ok("POST", "/users/me/status/custom/recent/delete", gone)
    assert [s["text"] for s in recent(world.hamlet)] == ["break 4", "break 5", "break 3", "break 2"]
    world.hamlet.ok("DELETE", "/users/me/status/custom/recent", recent(world.hamlet)[0])
    assert [s["text"] for s in recent(world.hamlet)] == ["break 5", "break 3", "break 2"]


def test_bad_or_foreign_custom_statuses_are_refused(world: World) -> None:
    earlier = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    for body in (
        {"emoji": "", "text": ""},
        {"emoji": "x", "expires_at": earlier, "duration": "one_hour"},
        {"emoji": "x", "duration": "fortnight", "expires_at": later},
        {"emoji": "x", "expires_at": "tomorrow"},
    ):
        expect_error(
            world.hamlet.put("/users/me/status/custom", body), 400, "api.context.invalid_param.app_error"
        )
    for response in (
        world.othello.put(f"/users/{world.hamlet.id}/status/custom", {"emoji": "x", "text": "y"}),
        world.othello.delete(f"/users/{world.hamlet.id}/status/custom"),
    ):
        expect_error(response, 403, "api.context.permissions.app_error")
    world.admin.ok(
        "PUT", f"/users/{world.hamlet.id}/status/custom", {"emoji": "x", "text": "set by an admin"}
    )
    assert current(world.othello, world.hamlet)["text"] == "set by an admin"  # type: ignore[index]
    long_text = {"emoji": "x", "text": "y" * 150}
    world.hamlet.ok("PUT", "/users/me/status/custom", long_text)
    assert len(current(world.hamlet, world.hamlet)["text"]) == 100  # type: ignore[index]
