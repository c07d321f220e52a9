"""Many idle WebSocket connections on one server process, and one channel with every user in it.

    .venv/bin/python bench/idle_sockets.py --db sqlite --users 2000 --sockets 20000

Creates `--users` accounts in one team (so its town-square has them all as members), opens
`--sockets` WebSocket connections spread over them (several per user, like phones, laptops and
tabs), and reports the server process's resident memory before and after, per connection. Then
the admin posts to town-square a few times and the bench reports how long the post took to reach
every connection (p50, p99 and the last one). Clients answer the server's pings and send nothing
else, as idle apps do.

Each side needs a descriptor per socket: the bench raises its limit (the server inherits it) as
far as the machine allows, and holds fewer sockets if that is not enough.
"""

import argparse
import asyncio
import json
import resource
import statistics
import sys
import time
from pathlib import Path

import httpx
import websockets

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.fanout import PASSWORD, _login, bench_server  # noqa: E402
from tests.support.server import ADMIN_PASSWORD, ServerProcess  # noqa: E402

MARKER = "idle-bench-"


def _raise_file_limit(wanted: int) -> int:
    """Raises this process's descriptor limit (the server inherits it); returns the new soft limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    for limit in (max(wanted, hard), hard):
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))
            return limit
        except (ValueError, OSError):
            continue
    return soft


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def _prepare(server: ServerProcess, users: int) -> tuple[str, str, list[str]]:
    """A team with `users` members; returns (admin token, town-square id, user tokens)."""
    async with httpx.AsyncClient(base_url=server.url + "/api/v4", timeout=120) as http:
        admin_token, _ = await _login(http, "sysadmin", ADMIN_PASSWORD)
        admin = {"Authorization": f"Bearer {admin_token}"}
        team = (
            await http.post(
                "/teams", json={"name": "idle", "display_name": "Idle", "type": "O"}, headers=admin
            )
        ).json()
        channel = (await http.get(f"/teams/{team['id']}/channels/name/town-square", headers=admin)).json()
        semaphore = asyncio.Semaphore(16)

        async def make_user(index: int) -> str:
            async with semaphore:
                name = f"idle{index}"
                body = {"username": name, "email": f"{name}@bench.test", "password": PASSWORD}
                user = (await http.post("/users", json=body, headers=admin)).json()
                member = {"team_id": team["id"], "user_id": user["id"]}
                (
                    await http.post(f"/teams/{team['id']}/members", json=member, headers=admin)
                ).raise_for_status()
                token, _ = await _login(http, name, PASSWORD)
                return token

        tokens = await asyncio.gather(*(make_user(i) for i in range(users)))
        return admin_token, channel["id"], list(tokens)


class Listener:
    """One idle connection; notes when each bench post reaches it."""

    def __init__(self, url: str, token: str) -> None:
        self.url = url
        self.token = token
        self.heard: dict[str, float] = {}
        self.closed = False

    async def run(self, connected: asyncio.Semaphore, opened: list[int]) -> None:
        try:
            async with connected:
                ws = await websockets.connect(
                    self.url,
                    additional_headers={"Authorization": f"Bearer {self.token}"},
                    ping_interval=None,
                    max_size=None,
                    open_timeout=120,
                )
                await ws.recv()  # hello
                opened[0] += 1
            async with ws:
                async for frame in ws:
                    text = frame if isinstance(frame, str) else frame.decode()
                    start = text.find(MARKER)
                    if start >= 0 and '"event":"posted"' in text:
                        self.heard.setdefault(text[start : start + len(MARKER) + 2], time.perf_counter())
        except (TimeoutError, OSError, websockets.WebSocketException):
            pass
        finally:
            self.closed = True


async def _run(server: ServerProcess, users: int, sockets: int, posts: int) -> dict[str, object]:
    assert server.process is not None
    pid = server.process.pid
    admin_token, channel_id, tokens = await _prepare(server, users)
    await asyncio.sleep(2)
    rss_before = _rss_kib(pid)

    listeners = [Listener(server.ws_url, tokens[i % len(tokens)]) for i in range(sockets)]
    opened = [0]
    connecting = asyncio.Semaphore(200)
    began = time.perf_counter()
    tasks = [asyncio.create_task(listener.run(connecting, opened)) for listener in listeners]
    while opened[0] + sum(listener.closed for listener in listeners) < sockets:  # noqa: ASYNC110
        await asyncio.sleep(0.5)
    connect_seconds = time.perf_counter() - began
    await asyncio.sleep(5)  # let the server settle (presence, first pings)
    rss_after = _rss_kib(pid)

    deliveries: list[dict[str, float]] = []
    async with httpx.AsyncClient(
        base_url=server.url + "/api/v4", headers={"Authorization": f"Bearer {admin_token}"}, timeout=60
    ) as http:
        for index in range(posts):
            marker = f"{MARKER}{index:02d}"
            sent = time.perf_counter()
            response = await http.post("/posts", json={"channel_id": channel_id, "message": marker})
            response.raise_for_status()
            deadline = sent + 60
            open_now = [listener for listener in listeners if not listener.closed]
            while time.perf_counter() < deadline and any(marker not in x.heard for x in open_now):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
            latencies = sorted((x.heard[marker] - sent) * 1000 for x in open_now if marker in x.heard)
            deliveries.append(
                {
                    "delivered": len(latencies) / max(len(open_now), 1),
                    "p50_ms": round(statistics.median(latencies), 1) if latencies else float("nan"),
                    "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1], 1)
                    if latencies
                    else float("nan"),
                    "last_ms": round(latencies[-1], 1) if latencies else float("nan"),
                }
            )
            await asyncio.sleep(2)
    still_open = sum(not listener.closed for listener in listeners)
    for task in tasks:
        task.cancel()
    return {
        "sockets_open": still_open,
        "connect_seconds": round(connect_seconds, 1),
        "server_rss_before_mib": round(rss_before / 1024, 1),
        "server_rss_after_mib": round(rss_after / 1024, 1),
        "kib_per_socket": round((rss_after - rss_before) / max(opened[0], 1), 1),
        "posts": deliveries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--users", type=int, default=2000)
    parser.add_argument("--sockets", type=int, default=20000)
    parser.add_argument("--posts", type=int, default=3)
    args = parser.parse_args()
    limit = _raise_file_limit(args.sockets + 1000)
    if limit < args.sockets + 100:
        # Server and clients each hold one descriptor per socket, beside their files.
        args.sockets = limit - 100
        print(f"only {limit} descriptors per process here: holding {args.sockets} sockets", file=sys.stderr)
    with bench_server(args.db) as server:
        result = asyncio.run(_run(server, args.users, args.sockets, args.posts))
    print(json.dumps({"db": args.db, "users": args.users, "sockets": args.sockets, **result}))


if __name__ == "__main__":
    main()
