"""One simulated user of the load test: login, then one weighted action at a time, idling between.

The action table, weights, idle law and each action's REST calls follow the "simulative"
controller of mattermost-load-test-ng (loadtest/control/simulcontroller); see bench/README.md.
"""

import asyncio
import contextlib
import json
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import orjson
import websockets

# Mattermost's per-request timeout for the supported-users verdict.
REQUEST_TIMEOUT_S = 5.0
# simulcontroller's defaults: MinIdleTimeMs 1000, AvgIdleTimeMs 20000.
MIN_IDLE_MS = 1000
AVG_IDLE_MS = 20000
STATUS_POLL_S = 60.0


def idle_seconds(rate: float) -> float:
    """Uniform in [min, 2*avg - min) ms, times the rate: mean avg * rate (108 s at rate 5.4)."""
    return random.uniform(MIN_IDLE_MS, 2 * AVG_IDLE_MS - MIN_IDLE_MS) * rate / 1000


@dataclass
class Sample:
    route: str
    status: int  # 0 for a timeout or a transport error
    ms: float
    timed_out: bool


@dataclass
class Recorder:
    """Every request's outcome, in the bucket of the step during which it was sent."""

    step: int = 0
    samples: dict[int, list[Sample]] = field(default_factory=dict)
    logins: dict[int, list[float]] = field(default_factory=dict)
    actions: dict[int, dict[str, int]] = field(default_factory=dict)
    errors: dict[int, dict[str, int]] = field(default_factory=dict)

    def add(self, sample: Sample) -> None:
        self.samples.setdefault(self.step, []).append(sample)

    def action(self, name: str) -> None:
        counts = self.actions.setdefault(self.step, {})
        counts[name] = counts.get(name, 0) + 1

    def error(self, what: str) -> None:
        counts = self.errors.setdefault(self.step, {})
        counts[what] = counts.get(what, 0) + 1


@dataclass
class World:
    """What seeding created, shared by all simulated users (read-only)."""

    base_url: str
    ws_url: str
    team_id: str
    user_ids: list[str]
    password: str


# The load generator shares the 2-core machine with the server, so its CPU per request is CPU
# the server does not get: aiohttp on uvloop costs about half of what httpx on asyncio did
# (bench/README.md), and each user still has a connection of its own, as a real client does.
_TIMEOUT = aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S)


class SimUser:
    def __init__(self, world: World, username: str, recorder: Recorder, rate: float) -> None:
        self.world = world
        self.username = username
        self.recorder = recorder
        self.rate = rate
        self.api = world.base_url + "/api/v4"
        self.http = aiohttp.ClientSession(timeout=_TIMEOUT, json_serialize=lambda v: orjson.dumps(v).decode())
        self.headers: dict[str, str] = {}
        self.user_id = ""
        self.channels: list[str] = []
        self.direct: list[str] = []
        self.current = ""
        self.viewed: dict[str, int] = {}
        self.posts: dict[str, list[tuple[str, str]]] = {}  # channel -> [(post id, root id)]
        self.threads: list[str] = []
        self.ws: websockets.ClientConnection | None = None
        self.ws_task: asyncio.Task[None] | None = None
        self.seq = 1

    # -- requests ---------------------------------------------------------------------------

    async def call(self, method: str, route: str, path: str, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            async with self.http.request(method, self.api + path, headers=self.headers, **kwargs) as response:
                body = await response.read()
        except TimeoutError:
            self.recorder.add(Sample(route, 0, (time.perf_counter() - began) * 1000, True))
            return None
        except aiohttp.ClientError:
            self.recorder.add(Sample(route, 0, (time.perf_counter() - began) * 1000, False))
            return None
        self.recorder.add(Sample(route, response.status, (time.perf_counter() - began) * 1000, False))
        if response.status >= 400:
            try:
                error_id = orjson.loads(body).get("id", "")
            except ValueError:
                error_id = body[:60].decode(errors="replace")
            self.recorder.error(f"{route} {response.status} {error_id}")
            return None
        return orjson.loads(body) if body else {}

    async def close(self) -> None:
        await self.disconnect()
        await self.http.close()

    # -- life -------------------------------------------------------------------------------

    async def login(self) -> bool:
        began = time.perf_counter()
        body = {"login_id": self.username, "password": self.world.password}
        try:
            async with self.http.post(self.api + "/users/login", json=body) as response:
                content = await response.read()
        except (TimeoutError, aiohttp.ClientError) as error:
            timed_out = isinstance(error, TimeoutError)
            self.recorder.add(Sample("POST /users/login", 0, (time.perf_counter() - began) * 1000, timed_out))
            return False
        self.recorder.add(
            Sample("POST /users/login", response.status, (time.perf_counter() - began) * 1000, False)
        )
        if response.status != 200:
            return False
        self.recorder.logins.setdefault(self.recorder.step, []).append(time.perf_counter() - began)
        self.headers["Authorization"] = f"Bearer {response.headers['Token']}"
        self.user_id = orjson.loads(content)["id"]
        await self.initial_load()
        await self.connect()
        return True

    async def initial_load(self) -> None:
        """The calls the agent's login/initial-join-team makes before its first action."""
        team = self.world.team_id
        await self.call("GET", "GET /users/me", "/users/me")
        await self.call("GET", "GET /config/client", "/config/client", params={"format": "old"})
        await self.call("GET", "GET /users/{id}/preferences", f"/users/{self.user_id}/preferences")
        await self.call("GET", "GET /users/{id}/teams", f"/users/{self.user_id}/teams")
        await self.call("GET", "GET /users/{id}/teams/members", f"/users/{self.user_id}/teams/members")
        channels = await self.call(
            "GET", "GET /users/{id}/teams/{tid}/channels", f"/users/{self.user_id}/teams/{team}/channels"
        )
        await self.call(
            "GET",
            "GET /users/{id}/teams/{tid}/channels/members",
            f"/users/{self.user_id}/teams/{team}/channels/members",
        )
        await self.call("GET", "GET /users/{id}/teams/unread", f"/users/{self.user_id}/teams/unread")
        for channel in channels or []:
            if channel["type"] in ("O", "P"):
                self.channels.append(channel["id"])
            elif channel["type"] == "D":
                self.direct.append(channel["id"])
        await self.status_poll()
        if self.channels:
            await self.view_channel(random.choice(self.channels))

    async def connect(self) -> None:
        try:
            self.ws = await websockets.connect(
                self.world.ws_url,
                additional_headers={"Authorization": self.headers["Authorization"]},
                max_size=None,
                open_timeout=REQUEST_TIMEOUT_S,
            )
        except (OSError, TimeoutError, websockets.WebSocketException):
            self.recorder.error("websocket connect")
            self.ws = None
            return
        self.ws_task = asyncio.create_task(self._drain(self.ws))

    async def _drain(self, ws: websockets.ClientConnection) -> None:
        with contextlib.suppress(websockets.WebSocketException, OSError):
            async for _ in ws:
                pass

    async def disconnect(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self.ws_task is not None:
            self.ws_task.cancel()
        self.ws, self.ws_task = None, None

    async def run(self, stop: asyncio.Event) -> None:
        poller = asyncio.create_task(self._poll_statuses(stop))
        try:
            while not stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), idle_seconds(self.rate))
                if stop.is_set():
                    break
                name, action = pick_action()
                self.recorder.action(name)
                try:
                    await action(self)
                except Exception as error:  # noqa: BLE001 - a user's bug must not stop the test
                    self.recorder.error(f"{name}: {type(error).__name__}")
        finally:
            poller.cancel()
            await self.close()

    async def _poll_statuses(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), STATUS_POLL_S)
            if not stop.is_set():
                await self.status_poll()

    async def status_poll(self) -> None:
        ids = {self.user_id}
        ids.update(random.sample(self.world.user_ids, min(5, len(self.world.user_ids))))
        await self.call("POST", "POST /users/status/ids", "/users/status/ids", json=sorted(ids))

    # -- building blocks --------------------------------------------------------------------

    def remember(self, channel_id: str, posts: Any) -> None:
        if not posts:
            return
        known = self.posts.setdefault(channel_id, [])
        for post in posts.get("posts", {}).values():
            known.append((post["id"], post.get("root_id") or post["id"]))
        del known[:-200]

    async def view_channel(self, channel_id: str, direct: bool = False) -> None:
        """The agent's viewChannel: view the old channel, fetch posts, stats, then view the new one."""
        previous = self.current
        if previous:
            await self.call(
                "POST",
                "POST /channels/members/{id}/view",
                "/channels/members/me/view",
                json={"channel_id": previous},
            )
        since = self.viewed.get(channel_id)
        if since is None:
            posts = await self.call(
                "GET",
                "GET /users/{id}/channels/{cid}/posts/unread",
                f"/users/{self.user_id}/channels/{channel_id}/posts/unread",
                params={"limit_before": 30, "limit_after": 30, "collapsedThreads": "true"},
            )
        else:
            posts = await self.call(
                "GET",
                "GET /channels/{cid}/posts?since",
                f"/channels/{channel_id}/posts",
                params={"since": since, "collapsedThreads": "true"},
            )
        self.remember(channel_id, posts)
        await self.call(
            "GET",
            "GET /channels/{cid}/stats",
            f"/channels/{channel_id}/stats",
            params={"exclude_files_count": "true"},
        )
        if direct:
            now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
            await self.call(
                "PUT",
                "PUT /users/{id}/preferences",
                f"/users/{self.user_id}/preferences",
                json=[
                    {
                        "user_id": self.user_id,
                        "category": "direct_channel_show",
                        "name": channel_id,
                        "value": "true",
                    },
                    {
                        "user_id": self.user_id,
                        "category": "channel_open_time",
                        "name": channel_id,
                        "value": now,
                    },
                ],
            )
        await self.call(
            "POST",
            "POST /channels/members/{id}/view",
            "/channels/members/me/view",
            json={"channel_id": channel_id, "prev_channel_id": previous, "collapsed_threads_supported": True},
        )
        self.viewed[channel_id] = int(time.time() * 1000)
        self.current = channel_id

    def random_post(self) -> tuple[str, str] | None:
        known = self.posts.get(self.current) or [p for ps in self.posts.values() for p in ps]
        return random.choice(known) if known else None


# -- actions (name, weight, coroutine), weights from simulcontroller's action list --------------


async def switch_channel(u: SimUser) -> None:
    choices = [c for c in u.channels if c != u.current]
    if choices:
        await u.view_channel(random.choice(choices))


async def scroll_channel(u: SimUser) -> None:
    known = u.posts.get(u.current)
    if not u.current or not known:
        return
    oldest = known[0][0]
    for _ in range(random.randint(1, 3)):
        posts = await u.call(
            "GET",
            "GET /channels/{cid}/posts?before",
            f"/channels/{u.current}/posts",
            params={"before": oldest, "page": 0, "per_page": 30, "collapsedThreads": "true"},
        )
        order = (posts or {}).get("order") or []
        if not order:
            return
        oldest = order[-1]


async def unread_check(u: SimUser) -> None:
    await u.call(
        "GET",
        "GET /users/{id}/teams/unread",
        f"/users/{u.user_id}/teams/unread",
        params={"exclude_team": u.world.team_id, "include_collapsed_threads": "true"},
    )


async def create_post(u: SimUser) -> None:
    if not u.current:
        return
    if u.ws is not None:
        with contextlib.suppress(Exception):
            frame = {"action": "user_typing", "seq": u.seq, "data": {"channel_id": u.current}}
            u.seq += 1
            await u.ws.send(json.dumps(frame))
    body: dict[str, Any] = {
        "channel_id": u.current,
        "message": "load test " + " ".join(random.sample(_WORDS, 6)),
    }
    known = u.posts.get(u.current)
    if known and random.random() < 0.85:  # PercentReplies
        body["root_id"] = random.choice(known)[1]
    post = await u.call("POST", "POST /posts", "/posts", json=body)
    if post:
        u.posts.setdefault(u.current, []).append((post["id"], post.get("root_id") or post["id"]))
        if post.get("root_id") and post["root_id"] not in u.threads:
            u.threads.append(post["root_id"])


async def open_direct(u: SimUser) -> None:
    if not u.direct:
        # The agent's CreateDirectChannel path: list users, open the channel, then view it.
        await u.call("GET", "GET /users", "/users", params={"page": 0, "per_page": 100})
        other = random.choice([i for i in u.world.user_ids if i != u.user_id])
        channel = await u.call("POST", "POST /channels/direct", "/channels/direct", json=[u.user_id, other])
        if not channel:
            return
        u.direct.append(channel["id"])
        await u.call("GET", "GET /channels/{cid}", f"/channels/{channel['id']}")
        await u.call(
            "GET", "GET /channels/{cid}/members/{id}", f"/channels/{channel['id']}/members/{u.user_id}"
        )
    await u.view_channel(random.choice(u.direct), direct=True)


async def view_global_threads(u: SimUser) -> None:
    threads = await u.call(
        "GET",
        "GET /users/{id}/teams/{tid}/threads",
        f"/users/{u.user_id}/teams/{u.world.team_id}/threads",
        params={"per_page": 25, "extended": "false", "unread": "false"},
    )
    for thread in (threads or {}).get("threads", []):
        if thread["id"] not in u.threads:
            u.threads.append(thread["id"])


async def update_thread_read(u: SimUser) -> None:
    if u.threads:
        await _mark_thread_read(u, random.choice(u.threads))


async def _mark_thread_read(u: SimUser, thread_id: str) -> None:
    await u.call(
        "PUT",
        "PUT /users/{id}/teams/{tid}/threads/{thid}/read/{ts}",
        f"/users/{u.user_id}/teams/{u.world.team_id}/threads/{thread_id}/read/{int(time.time() * 1000)}",
    )


async def open_permalink(u: SimUser) -> None:
    picked = u.random_post()
    if picked is None:
        return
    thread = await u.call(
        "GET", "GET /posts/{pid}/thread", f"/posts/{picked[0]}/thread", params={"collapsedThreads": "true"}
    )
    posts: dict[str, dict[str, Any]] = (thread or {}).get("posts", {})
    channel = next(iter(posts.values()), {}).get("channel_id")
    if channel and channel != u.current:
        await u.view_channel(channel)


async def view_thread(u: SimUser) -> None:
    picked = u.random_post()
    if picked is None:
        return
    await u.call(
        "GET", "GET /posts/{pid}/thread", f"/posts/{picked[1]}/thread", params={"collapsedThreads": "true"}
    )
    await _mark_thread_read(u, picked[1])


async def reconnect_websocket(u: SimUser) -> None:
    await u.disconnect()
    await u.connect()


async def add_reaction(u: SimUser) -> None:
    picked = u.random_post()
    if picked is None:
        return
    emoji = random.choice(["+1", "tada", "point_up", "raised_hands"])
    await u.call(
        "POST",
        "POST /reactions",
        "/reactions",
        json={"user_id": u.user_id, "post_id": picked[0], "emoji_name": emoji},
    )


async def upsert_draft(u: SimUser) -> None:
    if u.current:
        body = {"channel_id": u.current, "message": "draft " + " ".join(random.sample(_WORDS, 3))}
        await u.call("POST", "POST /drafts", "/drafts", json=body)


ACTIONS: list[tuple[str, float, Callable[[SimUser], Awaitable[None]]]] = [
    ("SwitchChannel", 6.5219, switch_channel),
    ("ScrollChannel", 1.9873, scroll_channel),
    ("UpsertDraft", 1.9, upsert_draft),
    ("UnreadCheck", 1.0, unread_check),
    ("CreatePost", 1.0, create_post),
    ("OpenDirectOrGroupChannel", 0.9843, open_direct),
    ("ViewGlobalThreads", 0.6023, view_global_threads),
    ("UpdateThreadRead", 0.3236, update_thread_read),
    ("ClickPermalink", 0.3, open_permalink),
    ("ViewThread", 0.2841, view_thread),
    ("ReconnectWebSocket", 0.144, reconnect_websocket),
    ("AddReaction", 0.1306, add_reaction),
]
_WEIGHTS = [weight for _, weight, _ in ACTIONS]


def pick_action() -> tuple[str, Callable[[SimUser], Awaitable[None]]]:
    name, _, run = random.choices(ACTIONS, weights=_WEIGHTS)[0]
    return name, run


_WORDS = [
    "lorem",
    "ipsum",
    "dolor",
    "sit",
    "amet",
    "consectetur",
    "adipiscing",
    "elit",
    "sed",
    "do",
    "eiusmod",
    "tempor",
    "incididunt",
    "ut",
    "labore",
]
