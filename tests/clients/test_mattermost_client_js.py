"""The official JavaScript client, @mattermost/client (Client4 and WebSocketClient), works against
the server unchanged; tests/js/client_flow.mjs does the talking and prints what it saw."""

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support.client import PASSWORD, World
from tests.support.server import REQUIRE_SERVICES, ServerProcess

JS_DIR = Path(__file__).resolve().parents[1] / "js"


def run_client_flow(config: dict[str, Any]) -> dict[str, Any]:
    node = shutil.which("node")
    if node is None or not (JS_DIR / "node_modules" / "@mattermost" / "client").is_dir():
        message = "node and tests/js/node_modules are needed (make dev runs npm ci)"
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    try:
        done = subprocess.run(
            [node, "client_flow.mjs", json.dumps(config)],
            cwd=JS_DIR,
            capture_output=True,
            text=True,
            timeout=60,
        )
    except subprocess.TimeoutExpired as expired:
        raise AssertionError(f"client_flow.mjs hung:\n{expired.stdout!r}\n{expired.stderr!r}") from None
    assert done.returncode == 0, f"client_flow.mjs failed:\n{done.stdout}\n{done.stderr}"
    summaries = [line for line in done.stdout.splitlines() if line.startswith("SUMMARY ")]
    assert len(summaries) == 1, done.stdout
    summary: dict[str, Any] = json.loads(summaries[0].removeprefix("SUMMARY "))
    return summary


def test_official_js_client_session(server: ServerProcess, world: World) -> None:
    summary = run_client_flow(
        {
            "url": server.url,
            "team_id": world.team["id"],
            "user": {"login_id": world.hamlet.username, "password": PASSWORD},
            "other": {"login_id": world.othello.username, "password": PASSWORD},
        }
    )
    assert summary["user_id"] == world.hamlet.id
    assert world.team["id"] in summary["team_ids"]
    assert {"town-square", "off-topic"} <= set(summary["channel_names"])
    assert {world.town_square["id"], world.off_topic["id"]} <= set(summary["member_channel_ids"])
    assert summary["hello"] == {"seq": 0, "has_connection_id": True}
    assert summary["pong"] is True

    posts = summary["post_ids"]
    assert {posts["root"], posts["reply"]} <= set(summary["thread_order"])
    assert summary["reaction"] == "tada" and summary["reactions"] == ["tada"]
    assert summary["reaction_event_post_id"] == posts["root"]
    assert summary["edited"] == {"message": "to be (edited)", "edited": True}
    assert summary["history_has_root"] and not summary["history_has_deleted_reply"]

    assert summary["unread_before"] == {"messages": 0, "mentions": 0}
    assert summary["unread_after_posts"] == {"messages": 2, "mentions": 1}
    assert summary["team_unread"]["msg_count"] >= 2 and summary["team_unread"]["mention_count"] >= 1
    assert summary["unread_after_view"] == {"messages": 0, "mentions": 0}
    expected = {"hello", "posted", "reaction_added", "post_edited", "post_deleted", "channel_viewed"}
    assert expected <= set(summary["events"])
