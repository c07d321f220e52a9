"""The official JavaScript client, @mattermost/client (Client4 and WebSocketClient), works against
the server unchanged; tests/js/client_flow.mjs does the talking and prints what it saw."""

import base64
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from tests.support.client import PASSWORD, World
from tests.support.s3 import admin_on_every_storage, server_on_every_storage  # noqa: F401
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
            "png_base64": base64.b64encode(_png()).decode(),
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

    uploaded = summary["upload"]
    assert uploaded["client_ids"] == ["js-notes", "js-sky"]
    assert uploaded["names"] == ["notes.txt", "sky.png"] and uploaded["image_size"] == [40, 30]
    assert summary["file_post_files"] == uploaded["ids"]
    assert summary["download"] == {"status": 200, "text": "the rest is silence", "inline": True}
    assert summary["range"] == {"status": 206, "text": "rest", "content_range": "bytes 4-7/19"}
    assert summary["thumbnail"]["status"] == 200 and summary["thumbnail"]["type"].startswith("image/")
    assert summary["outsider_download_status"] == 401


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 200, 10)).save(buffer, "PNG")
    return buffer.getvalue()
