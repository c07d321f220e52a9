"""The Python `mattermostdriver` package, which bots and bridges use, works against the server
unchanged: REST calls for a user's day, and its WebSocket client hearing about each of them."""

import asyncio
import io
import json
import queue
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from mattermostdriver import Driver
from PIL import Image

from tests.support.client import PASSWORD, World, unique
from tests.support.s3 import admin_on_every_storage, server_on_every_storage  # noqa: F401
from tests.support.server import ServerProcess


def make_driver(server: ServerProcess, login_id: str) -> Driver:
    address = urlparse(server.url)
    driver = Driver(
        {
            "scheme": "http",
            "url": address.hostname,
            "port": address.port,
            "basepath": "/api/v4",
            "login_id": login_id,
            "password": PASSWORD,
            "request_timeout": 15,
            # How long the WebSocket loop waits for a message before checking it should stop.
            "timeout": 1,
        }
    )
    driver.login()
    return driver


class DriverEvents:
    """Runs the driver's own WebSocket client on a thread and collects what it hears."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.seen: list[dict[str, Any]] = []
        self.failure: BaseException | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        async def handler(message: str) -> None:
            self.events.put(json.loads(message))

        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        try:
            self.driver.init_websocket(handler)
        except BaseException as error:  # reported to the test thread by `expect`
            self.failure = error
        finally:
            loop.close()

    def start(self) -> dict[str, Any]:
        self._thread.start()
        return self.expect("hello")

    def expect(self, event: str, timeout: float = 10, **data: Any) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                message = self.events.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                assert self.failure is None, f"the driver's WebSocket failed: {self.failure!r}"
                continue
            self.seen.append(message)
            if message.get("event") == event and all(message["data"].get(k) == v for k, v in data.items()):
                return message
        raise AssertionError(
            f"no {event} {data} within {timeout}s; heard {[m.get('event') for m in self.seen]}"
        )

    def stop(self) -> None:
        if self.driver.websocket is not None:
            self.driver.disconnect()
        self._thread.join(timeout=10)
        assert not self._thread.is_alive(), "the driver's WebSocket loop did not stop"


@pytest.fixture
def hamlet_driver(server: ServerProcess, world: World) -> Iterator[Driver]:
    driver = make_driver(server, world.hamlet.username)
    yield driver
    driver.logout()


@pytest.fixture
def hamlet_events(hamlet_driver: Driver) -> Iterator[DriverEvents]:
    events = DriverEvents(hamlet_driver)
    hello = events.start()
    assert hello["seq"] == 0 and hello["data"]["connection_id"]
    yield events
    events.stop()


def test_driver_logs_in_and_finds_teams_and_channels(hamlet_driver: Driver, world: World) -> None:
    assert hamlet_driver.client.userid == world.hamlet.id
    assert world.team["id"] in [team["id"] for team in hamlet_driver.teams.get_user_teams("me")]
    channels = hamlet_driver.channels.get_channels_for_user("me", world.team["id"])
    assert {world.town_square["id"], world.off_topic["id"]} <= {channel["id"] for channel in channels}
    members = hamlet_driver.channels.get_channel_members_for_user("me", world.team["id"])
    assert world.town_square["id"] in {member["channel_id"] for member in members}
    found = hamlet_driver.channels.get_channel_by_name(world.team["id"], "town-square")
    assert found["id"] == world.town_square["id"]


def test_driver_posts_replies_reacts_edits_and_deletes_with_events(
    hamlet_driver: Driver, hamlet_events: DriverEvents, world: World
) -> None:
    channel_id = world.town_square["id"]
    post = hamlet_driver.posts.create_post({"channel_id": channel_id, "message": "to be, or not to be"})
    posted = hamlet_events.expect("posted", channel_display_name=world.town_square["display_name"])
    assert json.loads(posted["data"]["post"])["id"] == post["id"]
    assert posted["broadcast"]["channel_id"] == channel_id

    reply = hamlet_driver.posts.create_post(
        {"channel_id": channel_id, "message": "that is", "root_id": post["id"]}
    )
    replied = hamlet_events.expect("posted")
    assert json.loads(replied["data"]["post"])["root_id"] == post["id"]
    thread = hamlet_driver.posts.get_thread(post["id"])
    assert {post["id"], reply["id"]} <= set(thread["order"])

    reaction = {"user_id": hamlet_driver.client.userid, "post_id": post["id"], "emoji_name": "+1"}
    assert hamlet_driver.reactions.create_reaction(reaction)["emoji_name"] == "+1"
    added = hamlet_events.expect("reaction_added")
    assert json.loads(added["data"]["reaction"])["post_id"] == post["id"]
    assert [r["emoji_name"] for r in hamlet_driver.reactions.get_reactions_of_post(post["id"])] == ["+1"]

    edited = hamlet_driver.posts.patch_post(post["id"], {"message": "to be (edited)"})
    assert edited["message"] == "to be (edited)" and edited["edit_at"] > 0
    heard = hamlet_events.expect("post_edited")
    assert json.loads(heard["data"]["post"])["message"] == "to be (edited)"

    hamlet_driver.posts.delete_post(reply["id"])
    deleted = hamlet_events.expect("post_deleted")
    assert json.loads(deleted["data"]["post"])["id"] == reply["id"]
    history = hamlet_driver.posts.get_posts_for_channel(channel_id)
    assert post["id"] in history["order"] and reply["id"] not in history["order"]


def test_driver_sees_unread_counts_rise_and_clear(
    hamlet_driver: Driver, hamlet_events: DriverEvents, world: World
) -> None:
    channel_id = world.off_topic["id"]
    hamlet_driver.channels.view_channel("me", {"channel_id": channel_id})
    assert hamlet_driver.channels.get_unread_messages("me", channel_id)["msg_count"] == 0

    for text in ("a first line", f"@{world.hamlet.username} a second, for you"):
        world.othello.ok("POST", "/posts", {"channel_id": channel_id, "message": text})
        hamlet_events.expect("posted", channel_name="off-topic")
    unread = hamlet_driver.channels.get_unread_messages("me", channel_id)
    assert unread["msg_count"] == 2 and unread["mention_count"] == 1
    team_unread = hamlet_driver.teams.get_unreads_for_team("me", world.team["id"])
    assert team_unread["msg_count"] >= 2 and team_unread["mention_count"] >= 1

    viewed = hamlet_driver.channels.view_channel("me", {"channel_id": channel_id})
    assert viewed["status"] == "OK"
    hamlet_events.expect("channel_viewed", channel_id=channel_id)
    unread = hamlet_driver.channels.get_unread_messages("me", channel_id)
    assert unread["msg_count"] == 0 and unread["mention_count"] == 0


def test_driver_uploads_a_picture_posts_it_and_downloads_it(hamlet_driver: Driver, world: World) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, "PNG")
    channel_id = world.town_square["id"]
    uploaded = hamlet_driver.files.upload_file(channel_id, {"files": ("sky.png", buffer.getvalue())})
    info = uploaded["file_infos"][0]
    assert (info["name"], info["width"], info["height"]) == ("sky.png", 64, 48)
    post = hamlet_driver.posts.create_post(
        {"channel_id": channel_id, "message": "", "file_ids": [info["id"]]}
    )
    assert post["metadata"]["files"][0]["id"] == info["id"]
    # The driver hands back the raw response for anything that is not JSON.
    downloaded = hamlet_driver.files.get_file(info["id"])
    assert Image.open(io.BytesIO(downloaded.content)).size == (64, 48)
    assert hamlet_driver.files.get_file_metadata(info["id"])["post_id"] == post["id"]


def test_driver_uploads_and_downloads_a_file_bigger_than_an_s3_part(
    hamlet_driver: Driver, world: World
) -> None:
    data = bytes(range(251)) * (6 * 1024 * 1024 // 251)
    channel_id = world.town_square["id"]
    uploaded = hamlet_driver.files.upload_file(channel_id, {"files": ("archive.bin", data)})
    info = uploaded["file_infos"][0]
    assert info["size"] == len(data) and info["mime_type"] == "application/octet-stream"
    hamlet_driver.posts.create_post({"channel_id": channel_id, "message": "backup", "file_ids": [info["id"]]})
    downloaded = hamlet_driver.files.get_file(info["id"])
    assert downloaded.headers["content-length"] == str(len(data)) and downloaded.content == data


def test_driver_sets_a_profile_picture_and_reacts_with_its_own_emoji(
    hamlet_driver: Driver, world: World
) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 120, 10)).save(buffer, "JPEG")
    assert hamlet_driver.users.set_user_profile_image("me", {"image": ("me.jpg", buffer.getvalue())}) == {
        "status": "OK"
    }
    me = hamlet_driver.users.get_user("me")
    assert me["last_picture_update"] > 0
    picture = hamlet_driver.users.get_user_profile_image(me["id"])
    assert Image.open(io.BytesIO(picture.content)).size == (128, 128)
    name = unique("driver-").lower()
    emoji = hamlet_driver.emoji.create_custom_emoji(name, {"image": ("e.png", buffer.getvalue())})
    assert emoji["name"] == name and emoji["creator_id"] == me["id"]
    shown = hamlet_driver.emoji.get_custom_emoji_image(emoji["id"])
    assert Image.open(io.BytesIO(shown.content)).size == (128, 85)
    post = hamlet_driver.posts.create_post({"channel_id": world.town_square["id"], "message": "mine"})
    reaction = {"user_id": me["id"], "post_id": post["id"], "emoji_name": name}
    assert hamlet_driver.reactions.create_reaction(reaction)["emoji_name"] == name
