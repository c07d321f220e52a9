"""A bot written with mmpy_bot (PyPI), which we did not write, listens and replies against the
server: it logs in with a bot account's token, hears a post over the WebSocket and answers it in
the post's thread."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

from tests.api.test_bots import bots_on  # noqa: F401 - a fixture
from tests.support.client import World


def test_an_mmpy_bot_answers_in_the_thread(world: World, bots_on: None) -> None:  # noqa: F811
    bot = world.admin.ok(
        "POST", "/bots", {"username": "echo-" + world.team["name"][-8:], "display_name": "Echo"}
    )
    team_id = world.team["id"]
    world.admin.ok("POST", f"/teams/{team_id}/members", {"team_id": team_id, "user_id": bot["user_id"]})
    world.admin.ok("POST", f"/channels/{world.town_square['id']}/members", {"user_id": bot["user_id"]})
    token = world.admin.ok("POST", f"/users/{bot['user_id']}/tokens", {"description": "mmpy_bot"})["token"]
    address = urlparse(world.admin.base_url)
    env = {
        **os.environ,
        "MM_URL": f"http://{address.hostname}",
        "MM_PORT": str(address.port),
        "MM_TOKEN": token,
        "MM_TEAM": world.team["name"],
    }
    program = Path(__file__).with_name("mmpy_bot_echo.py")
    process = subprocess.Popen(
        [sys.executable, str(program)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        reply = _first_reply(world, bot["user_id"])
    finally:
        process.terminate()
        try:
            _, errors = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            _, errors = process.communicate()
    assert reply is not None, f"the bot never answered; its log:\n{errors[-3000:]}"
    asked, answer = reply
    assert answer["message"] == f"pong {asked['message'].removeprefix('ping ')}"
    assert answer["root_id"] == asked["id"]


def _first_reply(world: World, bot_id: str) -> tuple[dict, dict] | None:  # type: ignore[type-arg]
    """Asks until the bot has connected and answers: what it hears before its socket is up is lost."""
    deadline = time.monotonic() + 60
    asked: list[dict] = []  # type: ignore[type-arg]
    while time.monotonic() < deadline:
        asked.append(
            world.hamlet.ok(
                "POST", "/posts", {"channel_id": world.town_square["id"], "message": f"ping n{len(asked)}"}
            )
        )
        time.sleep(2)
        listing = world.hamlet.ok("GET", f"/channels/{world.town_square['id']}/posts")
        for post in listing["posts"].values():
            if post["user_id"] == bot_id and not post["type"]:
                question = next((q for q in asked if q["id"] == post["root_id"]), None)
                assert question is not None, (post, asked)
                return question, post
    return None
